"""python -m summariser.evaluate"""

import sys

from summariser.evaluate.cli import main

sys.exit(main())
