"""The data layer and the command line never import Textual."""

import subprocess
import sys

from tests.conftest import REPO


def test_data_layer_does_not_import_textual():
    code = (
        "import sys\n"
        "import tui.build, tui.cli, tui.content, tui.diff, tui.export, tui.render, tui.search, tui.store\n"
        "import tui.timeline, tui.userdata, tui.validate\n"
        "assert 'textual' not in sys.modules, sorted(m for m in sys.modules if m.startswith('textual'))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert 0 == done.returncode, done.stderr
