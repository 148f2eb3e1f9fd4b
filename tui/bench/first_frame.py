"""Start the explorer (or a bare Textual app) headless and exit once its first frame is drawn.

`python -m tui.bench.first_frame DB` or `... --bare`; `--session` then goes on to use the explorer
(move through a pane, search, open the reading pane) before exiting, for peak memory. The bench runs
this as a child process and times it from start to exit.
"""

from __future__ import annotations

import argparse
import asyncio
import sys


def _bare() -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import Label

    class Bare(App):
        def compose(self) -> ComposeResult:
            yield Label("Hello")

        def on_mount(self) -> None:
            self.call_after_refresh(self.exit)

    Bare().run(headless=True, size=(120, 35))


def _explorer(db: str) -> None:
    from tui.app import make_app

    app = make_app(db)
    compare = app.compare

    def drawn() -> None:
        # The compare screen has been laid out and painted once: that is the first frame.
        compare.call_after_refresh(app.exit)

    app.call_after_refresh(lambda: compare.call_after_refresh(drawn))
    app.run(headless=True, size=(120, 35))


async def _session(db: str) -> None:
    from tui.app import make_app

    app = make_app(db)
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.pause()
        for _ in range(60):
            await pilot.press("down")
        await pilot.press("end", "tab", "down", "down", "/")
        for key in "copyright":
            await pilot.press(key)
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tui.bench.first_frame")
    parser.add_argument("db", nargs="?")
    parser.add_argument("--bare", action="store_true", help="a bare Textual app instead")
    parser.add_argument("--session", action="store_true", help="use the explorer, then exit")
    args = parser.parse_args(argv)
    if args.bare:
        _bare()
    elif args.session:
        asyncio.run(_session(args.db))
    else:
        _explorer(args.db)
    return 0


if __name__ == "__main__":
    sys.exit(main())
