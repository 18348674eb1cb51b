"""`python -m course.content check [DIR]`."""

import sys

from .check import main

sys.exit(main())
