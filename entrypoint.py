"""Container entry point of the GitHub Action: runs the checker's Action mode."""

from __future__ import annotations

import sys

from checker.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["check"]))
