"""``python -m analysis`` is the same as the ``r57`` command."""

import sys

from analysis.cli import main

sys.exit(main())
