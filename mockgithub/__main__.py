"""``python -m mockgithub --config-json JSON``: serve the mock, print the base URL first.

The second line is the control secret as a header (``X-Mock-Control-Secret: …``), unless the
control API is open or the secret came from the parent (``$MOCKGITHUB_CONTROL_SECRET``).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
import time
from pathlib import Path

from mockgithub.config import MockConfig
from mockgithub.control import SECRET_ENV, SECRET_HEADER, ControlAccess
from mockgithub.server import LOOPBACK, check_host, serve_forever


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mockgithub")
    parser.add_argument("--config-json", default="{}", help="MockConfig fields as JSON")
    parser.add_argument("--host", default=LOOPBACK)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--allow-remote", action="store_true", help="allow a non-loopback host")
    parser.add_argument("--open-control", action="store_true", help="no control secret")
    parser.add_argument("--fixture-dir", type=Path, help="fixtures the control API may load")
    parser.add_argument(
        "--exit-with-parent",
        action="store_true",
        help="stop when the process that started this one is gone (no orphaned servers)",
    )
    args = parser.parse_args(argv)
    if args.exit_with_parent:
        watch_parent()
    try:
        check_host(args.host, args.allow_remote, args.open_control)
        config = MockConfig().updated(json.loads(args.config_json))
    except ValueError as exc:  # json.JSONDecodeError is a ValueError too
        print(f"mockgithub: {exc}", file=sys.stderr)
        return 2
    inherited = bool(os.environ.get(SECRET_ENV))
    control = ControlAccess.from_environment(args.open_control, args.fixture_dir)

    def ready(url: str) -> None:
        print(url, flush=True)
        if control.secret and not inherited:
            print(f"{SECRET_HEADER}: {control.secret}", flush=True)

    serve_forever(config, args.host, args.port, on_ready=ready, control=control)
    return 0


def watch_parent(interval_s: float = 0.5) -> None:
    """Send ourselves SIGTERM once our parent dies (we are re-parented), so a ``bench run``
    killed with SIGKILL does not leave its mock server running forever."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(interval_s)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


if __name__ == "__main__":
    sys.exit(main())
