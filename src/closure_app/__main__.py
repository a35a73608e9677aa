import sys

from closure_app.launch import main

sys.exit(main())
