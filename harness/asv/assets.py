"""asv's HTML without CDNs: the scripts and stylesheet its index.html loads, served locally.

asv's page loads jQuery, flot, bootstrap and three plugins from public CDNs and shows an error
instead of the site when one fails to load (in a CI artifact, on an intranet, in a sandbox).
:func:`localize` serves them from ``<html>/vendor/`` instead. The files are not kept in this
repository: they come from the libraries' own packages on the npm registry (``npm pack``),
checked against pinned SHA-256 sums and cached in ``$BENCH_ASSETS_DIR`` (default
``~/.cache/bench/asv-assets``); each package's license file is copied beside them. Without
npm or the registry, the page keeps asv's CDN links and the caller is told.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from harness.npmfetch import NpmFile, NpmUnavailable, cache_root, fetch_npm_files

VENDOR = "vendor"
ASSETS_DIR_ENV = "BENCH_ASSETS_DIR"
# Local file -> npm package, path in its tarball, SHA-256 of the file asv's page was tested with.
SOURCES: dict[str, NpmFile] = {
    "jquery-3.3.1.min.js": NpmFile(
        "jquery@3.3.1", "package/dist/jquery.min.js",
        "160a426ff2894252cd7cebbdd6d6b7da8fcd319c65b70468f10b6690c45d02ef",
    ),
    "jquery.flot.js": NpmFile(
        "flot@0.8.3", "package/jquery.flot.js",
        "b7b931f273c38b1277b9c6c1f4e05c4ec09885a487bddaf3279e2d7e49a38e12",
    ),
    "jquery.flot.time.js": NpmFile(
        "flot@0.8.3", "package/jquery.flot.time.js",
        "a582c832adc7138a6b05aaf61f16ebac274701f1be4afea77e739a1c34b9c41a",
    ),
    "jquery.flot.selection.js": NpmFile(
        "flot@0.8.3", "package/jquery.flot.selection.js",
        "e6c85f6c1ebe4b4da29d8ae238c7c5060283f05f7ef054f6b91817d02c092918",
    ),
    "jquery.flot.categories.js": NpmFile(
        "flot@0.8.3", "package/jquery.flot.categories.js",
        "6e81664b28ea795c734906f4aa15614640a75ac7fbd399a7fb9084040698351a",
    ),
    "jquery.flot.orderBars.js": NpmFile(
        "flot-orderbars@1.0.0", "package/js/jquery.flot.orderBars.js",
        "39735b4f46f96ff4e082572401f47c55a2767b366fd1d1e821e44a8d830a12bf",
    ),
    "stupidtable.min.js": NpmFile(
        "stupid-table-plugin@1.1.3", "package/stupidtable.min.js",
        "4642380f28ebe9ed7cac251793b281ef8620c4386205d92788f9b12f5cceb4e0",
    ),
    "md5.min.js": NpmFile(
        "blueimp-md5@2.19.0", "package/js/md5.min.js",
        "64d7ded388c562e4bde9e58ce205e5fa01b9734fcd434d496eb7b4fbfe9b927d",
    ),
    "bootstrap.min.js": NpmFile(
        "bootstrap@3.1.1", "package/dist/js/bootstrap.min.js",
        "898d05a17f2cfc5120ddcdba47a885c378c0b466f30f0700e502757e24b403a1",
    ),
    "bootstrap.min.css": NpmFile(
        "bootstrap@3.1.1", "package/dist/css/bootstrap.min.css",
        "e9503448692b738dd260fbd7f7cabf2e11f09b600fa97e6eb3a56eba5b1a7e9b",
    ),
}  # fmt: skip
# The file name in asv's CDN URL -> the local file.
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


# The scripts could not be fetched (no npm, no registry, or a checksum mismatch).
AssetsUnavailable = NpmUnavailable


def assets_dir() -> Path:
    configured = os.environ.get(ASSETS_DIR_ENV)
    return Path(configured) if configured else cache_root() / "asv-assets"


def fetch_assets(directory: Path | None = None, timeout_s: float = 120.0) -> Path:
    """Make sure every file is in ``directory`` (the cache), fetching missing ones with npm."""
    return fetch_npm_files(SOURCES, directory or assets_dir(), timeout_s)


def localize(html_dir: Path) -> list[str]:
    """Serve asv's CDN files from ``html_dir/vendor``; returns the URLs still remote.

    Raises :class:`AssetsUnavailable` (the page is left untouched) when the files cannot be had.
    """
    source = fetch_assets()
    index = html_dir / "index.html"
    vendor = html_dir / VENDOR
    vendor.mkdir(exist_ok=True)
    for name in SOURCES:
        shutil.copyfile(source / name, vendor / name)
    if (source / "licenses").is_dir():
        shutil.copytree(source / "licenses", vendor / "licenses", dirs_exist_ok=True)
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


if __name__ == "__main__":  # `make assets`: fetch once, before tests or an offline publish
    print(fetch_assets())
