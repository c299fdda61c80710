"""asv's HTML without CDNs: the scripts and stylesheet its index.html loads, served locally.

asv's page loads jQuery, flot, bootstrap and three plugins from public CDNs and shows an error
instead of the site when one fails to load. :func:`localize` copies the local copies in
``harness/asv_assets/`` (provenance and licenses in its README) to ``<html>/vendor/`` and points
the page's tags at them.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

ASSETS = Path(__file__).parent / "asv_assets"
VENDOR = "vendor"
# The file name in asv's CDN URL -> the local copy.
LOCAL = {
    "jquery-3.3.1.min.js": "jquery-3.3.1.min.js",
    "jquery.flot.min.js": "jquery.flot.js",
    "jquery.flot.time.min.js": "jquery.flot.time.js",
    "jquery.flot.selection.min.js": "jquery.flot.selection.js",
    "jquery.flot.categories.min.js": "jquery.flot.categories.js",
    "jquery.flot.orderBars.js": "jquery.flot.orderBars.js",
    "stupidtable.min.js": "stupidtable.min.js",
    "md5.min.js": "md5.min.js",
    "bootstrap.min.js": "bootstrap.min.js",
    "bootstrap.min.css": "bootstrap.min.css",
}
_TAG = re.compile(r"<(script|link)\b[^>]*?\b(?:src|href)=\"(https?://[^\"]+)\"[^>]*>", re.I)
# Subresource integrity pins the CDN's exact bytes; the local copies are the npm builds.
_CDN_ATTRS = re.compile(r"\s+(?:integrity|crossorigin|referrerpolicy)=\"[^\"]*\"")


def localize(html_dir: Path) -> list[str]:
    """Serve asv's CDN files from ``html_dir/vendor``; returns the URLs still remote."""
    index = html_dir / "index.html"
    vendor = html_dir / VENDOR
    vendor.mkdir(exist_ok=True)
    for name in set(LOCAL.values()):
        shutil.copyfile(ASSETS / name, vendor / name)
    remote: list[str] = []

    def swap(match: re.Match[str]) -> str:
        url = match[2]
        local = LOCAL.get(url.rsplit("/", 1)[-1])
        if local is None:
            remote.append(url)
            return match[0]
        return _CDN_ATTRS.sub("", match[0].replace(url, f"{VENDOR}/{local}"))

    index.write_text(_TAG.sub(swap, index.read_text(encoding="utf-8")), encoding="utf-8")
    return remote
