import sys

from closure_app.cli import main

sys.exit(main())
