"""Start the explorer (or a bare Textual app) headless and exit once its first frame is drawn.

`python -m tui.bench.first_frame DB` or `... --bare`; `--session` then goes on to use the explorer
(move through a pane, search, jump to a hit) before exiting, for peak memory. The bench runs
this as a child process and times it from its start to its first frame (the child prints when
that was: `first frame at SECONDS`, `time.time()`), and to its exit.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable


def on_frame(app, seen: Callable[[object], None]) -> None:
    """Call `seen(target)` as each frame of `target` (a screen) is handed to the terminal.

    `App._display` is where Textual sends each frame to the driver (headless or not). A private
    method, so Textual's version is pinned in .ci/constraints.txt.
    """
    display = app._display

    def frame(target, renderable) -> None:
        held = app._batch_count  # `_display` drops a frame made while painting is held
        display(target, renderable)
        if renderable is not None and not held:
            seen(target)

    app._display = frame


#: When (`time.time()`) the first frame was handed to the terminal, once it was.
_first_frame_at: float | None = None


def _exit_on_first_frame(app, screen: Callable[[], object]) -> None:
    """Exit once the first frame of `screen()` has been composed and handed to the terminal."""

    def first_frame(target) -> None:
        global _first_frame_at
        if _first_frame_at is None and target is screen():
            _first_frame_at = time.time()
            app.call_later(app.exit)

    on_frame(app, first_frame)


def _bare() -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import Label

    class Bare(App):
        def compose(self) -> ComposeResult:
            yield Label("Hello")

    app = Bare()
    _exit_on_first_frame(app, lambda: app.screen)
    app.run(headless=True, size=(120, 35))


def _explorer(db: str) -> None:
    """The explorer, started and ended as `lexpane` does (`collector.explorer_process`)."""
    from tui.collector import explorer_process

    with explorer_process():
        from tui.app import make_app

        app = make_app(db)
        _exit_on_first_frame(app, lambda: app.compare)
        app.run(headless=True, size=(120, 35))


#: What the session does: move through the first pane, to its end, to the next pane, then search
#: for a word and jump to the best hit.
#: Seconds between keys in a session: a fast typist.
KEY_INTERVAL = 0.03
SESSION_KEYS = ["down"] * 60 + ["end", "tab", "down", "down", "slash", *"copyright"]


#: Seconds a session may wait for its search results and its jump before it gives up.
SESSION_PATIENCE = 20.0


class SessionFailed(Exception):
    """The session did not do what it measures: its peak would mean nothing."""


def _session(db: str) -> None:
    """Use the explorer as a person would, a key every 30 ms, then exit (for peak memory).

    After the last letter it waits for the results, presses Enter on the best hit and waits for
    the jump; it raises `SessionFailed` unless the explorer really searched and jumped there.
    """
    from tui.collector import explorer_process

    with explorer_process():
        _use(db)


def _use(db: str) -> None:
    from textual import events
    from textual.widgets import OptionList

    from tui.app import make_app
    from tui.screens.search import SearchScreen

    app = make_app(db)
    keys = iter(SESSION_KEYS)
    state = {"best": None, "jumped": False, "since": None}

    def send(key: str, character: str | None) -> None:
        app.post_message(events.Key(key, character))

    def step() -> None:
        key = next(keys, None)
        if key is not None:
            send(key, {"slash": "/"}.get(key, key if len(key) == 1 else None))
            return
        state["since"] = state["since"] or time.monotonic()
        screen = app.screen
        if state["best"] is None:
            if isinstance(screen, SearchScreen) and screen.shown == screen.searches:
                option = screen.query_one("#results", OptionList).highlighted_option
                if option is not None:
                    state["best"] = option.id
                    send("enter", "\r")
        elif screen is app.compare and app.compare.current == state["best"]:
            state["jumped"] = True
            app.exit()
            return
        if time.monotonic() - state["since"] > SESSION_PATIENCE:
            app.exit()

    app.call_later(lambda: app.set_interval(KEY_INTERVAL, step))
    app.run(headless=True, size=(120, 35))
    if not state["jumped"]:
        typed = "".join(k for k in SESSION_KEYS if len(k) == 1)
        raise SessionFailed(
            f"the session did not search for {typed!r} and jump to its best hit "
            f"(best hit: {state['best']!r}); its peak memory is not reported"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tui.bench.first_frame")
    parser.add_argument("db", nargs="?")
    parser.add_argument("--bare", action="store_true", help="a bare Textual app instead")
    parser.add_argument("--session", action="store_true", help="use the explorer, then exit")
    args = parser.parse_args(argv)
    try:
        return _run(args)
    finally:
        if _first_frame_at is not None:
            print(f"first frame at {_first_frame_at!r}")
        print(f"peak {_peak_kib()}")


def _peak_kib() -> int:
    """This process's peak resident memory in KiB. /proc's VmHWM starts afresh at exec, unlike
    the rusage a parent gets, which on Linux keeps the parent's own peak from before the exec."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux, bytes on macOS


def _run(args: argparse.Namespace) -> int:
    if args.bare:
        _bare()
    elif args.session:
        _session(args.db)
    else:
        _explorer(args.db)
    return 0


if __name__ == "__main__":
    sys.exit(main())
