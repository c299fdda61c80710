"""``python -m harness.cli``: the same as the ``bench`` command."""

from harness.cli import main

main()
