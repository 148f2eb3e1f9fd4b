import sys

from tui.bench.run import main

sys.exit(main())
