"""Container entry point of the GitHub Action: runs the Action with the runner's environment."""

from __future__ import annotations

import sys

from checker.action import main

if __name__ == "__main__":
    sys.exit(main())
