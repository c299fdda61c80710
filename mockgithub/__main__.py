"""``python -m mockgithub --config-json JSON``: serve the mock, print the base URL first."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
import time

from mockgithub.config import MockConfig
from mockgithub.server import LOOPBACK, serve_forever


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mockgithub")
    parser.add_argument("--config-json", default="{}", help="MockConfig fields as JSON")
    parser.add_argument("--host", default=LOOPBACK)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument(
        "--exit-with-parent",
        action="store_true",
        help="stop when the process that started this one is gone (no orphaned servers)",
    )
    args = parser.parse_args(argv)
    if args.exit_with_parent:
        watch_parent()
    try:
        config = MockConfig().updated(json.loads(args.config_json))
    except ValueError as exc:  # json.JSONDecodeError is a ValueError too
        print(f"mockgithub: bad config: {exc}", file=sys.stderr)
        return 2
    serve_forever(config, args.host, args.port, on_ready=lambda url: print(url, flush=True))
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
