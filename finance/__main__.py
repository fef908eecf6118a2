"""`python -m finance …`: the command-line interface (see finance/cli)."""

from __future__ import annotations

import sys

from finance.cli import main

if __name__ == "__main__":
    sys.exit(main())
