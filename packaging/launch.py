"""PyInstaller's entry script: the same ``main()`` as the ``starcoach`` console script."""

import sys

from starcoach.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
