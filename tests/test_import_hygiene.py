"""The data layer and the command line never import Textual."""

import pkgutil
import subprocess
import sys

import tui
from tests.conftest import REPO

#: The explorer itself; everything else in the package is the data layer or the command line.
EXPLORER = {"__main__", "app", "commands", "screens", "widgets", "bench"}


def _textual_free(code: str) -> None:
    check = (
        "\nassert 'textual' not in sys.modules, sorted(m for m in sys.modules if 'textual' in m)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", "import sys\n" + code + check],
        capture_output=True, text=True, cwd=REPO, timeout=120,
    )  # fmt: skip
    assert 0 == done.returncode, done.stderr


def test_data_layer_does_not_import_textual():
    modules = sorted(m.name for m in pkgutil.iter_modules(tui.__path__) if m.name not in EXPLORER)
    assert {"build", "cli", "diff", "render", "search", "store", "timeline"} <= set(modules)
    _textual_free("".join(f"import tui.{name}\n" for name in modules))


def test_search_show_and_diff_commands_do_not_import_textual():
    db = REPO / "data.db"
    _textual_free(
        "from tui.cli import main\n"
        f"assert 0 == main(['search', 'copyright', '--db', {str(db)!r}])\n"
        f"assert 0 == main(['show', 'kz-ai.art23-human-contribution', '--db', {str(db)!r}])\n"
        f"assert 0 == main(['diff', 'ru-ai.labelling@earlier', 'ru-ai.labelling@revised', '--db', {str(db)!r}])\n"
    )


def test_a_session_loads_nothing_it_does_not_use():
    """Start-up, a walk down a pane, a search that finds something and a jump load neither
    rapidfuzz (typos and diffs), the stemmers (a search that widens), the content reader nor the
    palette's provider: each is memory and time that such a session does without (rapidfuzz
    alone is 3.6 MiB, the stemmers 0.8 MiB)."""
    unused = (
        "rapidfuzz",
        "snowballstemmer",
        "Stemmer",
        "tui.reader",
        "tui.content",
        "tui.commands",
        "yaml",
    )
    code = (
        "import sys\n"
        "from tui.bench.first_frame import _session\n"
        f"_session({str(REPO / 'data.db')!r})\n"
        f"print(sorted(m for m in sys.modules if m.startswith({unused!r})))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=120
    )
    assert (0, "[]") == (done.returncode, done.stdout.strip().splitlines()[-1]), done.stderr
