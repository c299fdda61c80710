"""``python -m mockgithub --config-json JSON``: serve the mock, print the base URL first."""

from __future__ import annotations

import argparse
import json

from mockgithub.config import MockConfig
from mockgithub.server import LOOPBACK, serve_forever


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m mockgithub")
    parser.add_argument("--config-json", default="{}")
    parser.add_argument("--host", default=LOOPBACK)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    config = MockConfig().updated(json.loads(args.config_json))
    serve_forever(config, args.host, args.port, on_ready=lambda url: print(url, flush=True))


if __name__ == "__main__":
    main()
