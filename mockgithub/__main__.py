"""``python -m mockgithub --config-json JSON``: serve the mock, print the base URL first."""

from __future__ import annotations

import argparse
import json
import sys

from mockgithub.config import MockConfig
from mockgithub.server import LOOPBACK, serve_forever


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mockgithub")
    parser.add_argument("--config-json", default="{}", help="MockConfig fields as JSON")
    parser.add_argument("--host", default=LOOPBACK)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)
    try:
        config = MockConfig().updated(json.loads(args.config_json))
    except ValueError as exc:  # json.JSONDecodeError is a ValueError too
        print(f"mockgithub: bad config: {exc}", file=sys.stderr)
        return 2
    serve_forever(config, args.host, args.port, on_ready=lambda url: print(url, flush=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
