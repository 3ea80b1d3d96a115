"""``python -m scheduling.matching``: see :mod:`scheduling.matching.cli`."""

import sys

from scheduling.matching.cli import main

if __name__ == "__main__":
    sys.exit(main())
