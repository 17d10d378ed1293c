import sys

from summariser.cli import main

sys.exit(main())
