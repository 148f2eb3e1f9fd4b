"""Search as you type: ranked results from a worker, matched words highlighted, Enter to jump."""

from __future__ import annotations

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as NotYet
from contextlib import AbstractContextManager
from functools import partial

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from tui import search
from tui.errors import LexpaneError, StoreError
from tui.safe import one_line
from tui.screens import Leaving
from tui.search import (
    HEADINGS_FIRST,
    IN_ORDER,
    RANKED,
    Found,
    Hit,
    filter_problem,
    parse,
)
from tui.store import Interrupted, Store
from tui.widgets import badges

LIMIT = 50
#: Seconds the explorer waits for a search, so that a key and its results are painted in one
#: frame (16.7 ms at 60 Hz; listing and painting the results take the rest). A search that takes
#: longer goes on, and its results come as a message.
QUICK = 0.010
#: Seconds, from the start of a key's search, within which a slower search's results are still
#: painted with the key: until they are listed (or HOLD has passed) the app paints nothing, on any
#: screen, and then paints at once. Painting the key alone first made the results wait for
#: Textual's next 60 Hz tick after that frame (at 100,000 provisions, in `python -m tui.bench`,
#: the p95 from key to results went from 50 to 30-36 ms). A key typed while one is held keeps the
#: first key's deadline: no key waits much more than HOLD to be painted.
HOLD = 0.040
HINT = 'words · "a phrase" · prefix* · regime:kz · topic:labelling · status:open-gap'
NO_MATCH = "No provisions match, even with word forms, spellings and typos."


def _matched_words(terms: tuple[str, ...], prefix: str | None) -> re.Pattern[str] | None:
    """The words the index matched for `terms`, whole: each term as a word, and the word being
    typed (`prefix`) as the start of one ("c" marks "copyright", not the c of "scope")."""
    words = sorted({t for t in terms if t != prefix}, key=len, reverse=True)
    alternatives = [rf"(?:{'|'.join(map(re.escape, words))})(?!\w)"] if words else []
    if prefix:
        alternatives.append(rf"{re.escape(prefix)}\w*")
    if not alternatives:
        return None
    return re.compile(rf"(?<!\w)(?:{'|'.join(alternatives)})", re.IGNORECASE)


def screenful(height: int) -> int:
    """Results that fill a list `height` lines tall (each takes two lines or more: its heading,
    then its snippet); 0 if the list has no height yet."""
    return height // 2 + 1 if height else 0


class SearchScreen(Leaving, ModalScreen[str | None]):
    """Type to search every provision; Enter jumps to the highlighted one, Escape goes back."""

    BINDINGS = [
        Binding("escape", "cancel", "Back"),
        Binding("down", "results", "Results", show=False),
        Binding("enter", "choose", "Jump to provision", show=True, priority=False),
    ]
    """Keys of the search box."""

    class Results(Message):
        """Hits for a query, from the search worker."""

        def __init__(self, number: int, text: str, found: Found, problem: str | None) -> None:
            super().__init__()
            #: which search this answers: only the newest is shown
            self.number = number
            self.text = text
            self.found = found
            #: what is wrong with a filter typed (an unknown regime, topic or status)
            self.problem = problem

    class Failed(Message):
        """A search that could not run, and why, in one line (a damaged or locked database)."""

        def __init__(self, number: int, reason: str) -> None:
            super().__init__()
            self.number = number
            self.reason = reason

    class Reopened(Message):
        """The store reopened on a rebuilt database: what the app shows should be read again."""

    def __init__(self, store: Store, text: str = "") -> None:
        super().__init__()
        # The app's store: one view of the database for every screen, reopened after a rebuild.
        self.store = store
        self.initial = text
        #: Searches started; a result or failure of any but the last is dropped.
        self.searches = 0
        #: The search whose outcome (results, or why there are none) is on screen.
        self.shown = 0
        #: Enter was pressed before the newest search's results came: jump once they do.
        self._choose_when_shown = False
        #: Down moved the focus to the results, and this many more Downs came before it got there.
        self._downs_ahead: int | None = None
        #: The thread searches run in, one at a time (started with the first search).
        self._searcher: ThreadPoolExecutor | None = None
        #: The running search's token for `Store.cancel`.
        self._job: object | None = None
        #: While a slower search runs (up to HOLD from its key), the app paints nothing: the
        #: batch that holds its frames, and the timer that lets them go at HOLD.
        self._held: tuple[AbstractContextManager, Timer] | None = None
        #: What the result list holds: each option's id and prompt, in order.
        self._listed: list[tuple[str, Text]] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="search-box"):
            yield Input(self.initial, placeholder="Search provisions", id="search-input")
            yield Static(HINT, id="search-status")
            yield OptionList(id="results")
        yield Footer()

    def on_mount(self) -> None:
        boxes = self.query(Input)
        if not boxes:  # dismissed before it was shown
            return
        box = boxes.first()
        box.focus()
        # Searched as the box changes, in the same turn as the key: an `Input.Changed` message
        # would come after the box had been painted, and the results a frame later.
        self.watch(box, "value", self._typed, init=False)
        if self.initial:
            self.start_search(self.initial)

    def on_unmount(self) -> None:
        self._release()
        self._stop()
        if self._searcher is not None:
            self._searcher.shutdown(wait=False, cancel_futures=True)

    @on(events.ScreenResume)
    def _resumed(self) -> None:
        # Shown again (or first): data.db may have been rebuilt meanwhile.
        if self._refresh() and self.searches:
            self.start_search(self.query_one(Input).value)

    def _typed(self, value: str) -> None:
        self._choose_when_shown = False  # typed on after Enter: not what Enter was for
        self.start_search(value)

    def start_search(self, text: str) -> None:
        """Search for `text` in the search thread, first stopping (in SQLite too) the search it
        supersedes and making sure the database is still the file it was. Its results are shown
        at once if they come within QUICK seconds, so that the key and they are painted together;
        if not, when they come, and until then (or HOLD) nothing is painted."""
        self.searches += 1
        self._stop()
        if self._refresh() is None:
            return
        if self._searcher is None:
            self._searcher = ThreadPoolExecutor(1, thread_name_prefix="lexpane-search")
        self._job = job = object()
        pending = self._searcher.submit(self._search, job, self.searches, text)
        try:
            outcome = pending.result(timeout=QUICK)
        except NotYet:
            self._hold()
            # It posts its outcome when done; meanwhile a worker waits for it, so that the app
            # knows a search is under way (and a newer one cancels it if it has not started).
            self.run_worker(
                asyncio.wrap_future(pending), group="search", exclusive=True, exit_on_error=False
            )
            return
        if outcome is not None:
            # Shown now, not when its message comes: that would be after the next frame.
            self._outcome(outcome)

    def _search(self, job: object, number: int, text: str) -> Results | Failed | None:
        """Search #`number`, in the search thread: its outcome, also posted to the screen; None
        if a newer search superseded it."""
        try:
            with self.store.job(job):
                # After `job`, so that a newer search either sees this one here or stops it.
                if number != self.searches:
                    return None
                problem = filter_problem(self.store, parse(text).filters)
                found = (
                    Found([], 0, RANKED) if problem else search.find(self.store, text, limit=LIMIT)
                )
                outcome: SearchScreen.Results | SearchScreen.Failed = self.Results(
                    number, text, found, problem
                )
        except Interrupted:
            return None  # superseded: the newer search shows its own results
        except LexpaneError as exc:
            outcome = self.Failed(number, str(exc))
        except Exception as exc:  # a fault in lexpane: one line on screen, not a crash
            outcome = self.Failed(number, f"search failed: {type(exc).__name__}: {exc}")
        self.post_message(outcome)
        return outcome

    def _refresh(self) -> bool | None:
        """Whether the store reopened on a rebuilt data.db (and the panes were told); None,
        with the reason shown, if the database cannot be read."""
        try:
            reopened = self.store.refresh()
        except StoreError as exc:
            self._fail(str(exc))
            return None
        if reopened:
            self.post_message(self.Reopened())
        return reopened

    def _hold(self) -> None:
        """Paint nothing until the newest search's outcome is shown or HOLD has passed."""
        if self._held is None:
            batch = self.app.batch_update()
            batch.__enter__()
            self._held = (batch, self.set_timer(HOLD - QUICK, partial(self._held_long, batch)))

    def _held_long(self, batch: AbstractContextManager) -> None:
        if self._held is not None and self._held[0] is batch:  # not a later hold's
            self._release()

    def _release(self) -> None:
        """Paint again, now (see `_hold`)."""
        if self._held is not None:
            (batch, timer), self._held = self._held, None
            timer.stop()
            batch.__exit__(None, None, None)
            # What was refreshed while held is painted now. A screen opened over this one
            # meanwhile (the command palette) had its first frame dropped: it is painted whole.
            stack = self.app.screen_stack
            if stack and stack[-1] is not self:
                stack[-1].refresh()
            else:
                self.check_idle()

    def _stop(self) -> None:
        if self._job is not None:
            self.workers.cancel_group(self, "search")  # one not yet started never starts
            self.store.cancel(self._job)  # one running stops in SQLite
            self._job = None

    def _fail(self, reason: str) -> None:
        """Say on the status line, in one line, why there are no results."""
        if not self.is_mounted:
            return
        self._clear_results()
        self.query_one("#search-status", Static).update(Text(one_line(reason), style="bold red"))

    @on(Failed)
    @on(Results)
    def _outcome(self, message: Results | Failed) -> None:
        if not self.is_mounted or message.number != self.searches or message.number == self.shown:
            return  # typed on since (a newer search is on its way), or shown already
        self.shown = message.number
        if isinstance(message, self.Failed):
            self._choose_when_shown = False  # nothing to jump to
            self._fail(message.reason)
            self._release()
            return
        try:
            self._list(message)
        finally:
            self._release()
        if self._choose_when_shown:
            self._choose_when_shown = False
            self.action_choose()

    def _clear_results(self) -> None:
        self.query_one("#results", OptionList).clear_options()
        self._listed = []

    def _list(self, message: Results) -> None:
        results = self.query_one("#results", OptionList)
        status = self.query_one("#search-status", Static)
        query = parse(message.text)
        found = message.found
        if query.empty or message.problem or not found.hits:
            self._clear_results()
        if query.empty:
            status.update(HINT)
            return
        if message.problem:
            status.update(Text(message.problem[:1].upper() + message.problem[1:]))
            return
        if not found.hits:
            status.update(NO_MATCH)
            return
        filters = " ".join(f"{k}:{v}" for k, v in query.filters.items())
        line = Text(f"{self._summary(found)}  {filters}".rstrip())
        if found.widened is not None:
            # How the query was understood: typed words shown as text, never as markup.
            line.append(f"\n{found.widened.message}", style="italic")
        status.update(line)
        # A screenful now, painted with the key; the rest once that frame is out, unless a
        # newer search has come: each option is made, measured and wrapped when added.
        hits = found.hits
        first = screenful(results.size.height) or len(hits)
        marks = _matched_words(query.terms, query.prefix)
        listing = self._listing(hits[:first], marks)
        if self._listed[:first] == listing and self._listed[first:] == self._listing(
            hits[first:], marks
        ):
            # The list shows these already (the last letters of a word often find the same):
            # left as it is, it is neither measured nor painted again.
            results.highlighted = 0
            return
        self._clear_results()
        self._add(listing)
        results.highlighted = 0
        if hits[first:]:
            self.call_after_refresh(self._add_rest, message.number, hits[first:], marks)

    def _add_rest(self, number: int, hits: list[Hit], marks: re.Pattern[str] | None) -> None:
        if self.is_mounted and number == self.shown == self.searches:
            self._add(self._listing(hits, marks))

    def _listing(self, hits: list[Hit], marks: re.Pattern[str] | None) -> list[tuple[str, Text]]:
        return [(hit.record.id, self._prompt(hit, marks)) for hit in hits]

    def _add(self, listing: list[tuple[str, Text]]) -> None:
        """Options at the end of the result list, each made, measured and wrapped as added."""
        self.query_one("#results", OptionList).add_options(
            Option(prompt, id=option_id) for option_id, prompt in listing
        )
        self._listed += listing

    @staticmethod
    def _summary(found: Found) -> str:
        """How many matched, and in what order they are listed."""
        count = f"Over {search.RANK_ALL_LIMIT:,}" if found.more else f"{found.matches:,}"
        if found.ordering == HEADINGS_FIRST:
            return f"{count} matches, heading matches first: type more to rank all"
        if found.ordering == IN_ORDER:
            return f"{count} matches, in corpus order: type more to rank them"
        shown = len(found.hits)
        if shown == LIMIT:
            return f"{shown}+ results, best first"
        return f"{shown} result{'' if shown == 1 else 's'}, best first"

    @staticmethod
    def _prompt(hit: Hit, marks: re.Pattern[str] | None) -> Text:
        record = hit.record
        text = badges.regime(record.regime)
        text.append("  ")
        if record.number:
            text.append(f"{record.number} · ", style="bold")
        heading = Text(record.heading, style="bold")
        if marks is not None:
            heading.highlight_regex(marks, style="reverse")
        text.append_text(heading)
        text.append("  ")
        text.append_text(badges.status(record.status, record.disagree))
        if hit.snippet:
            text.append("\n  ")
            text.append_text(badges.marked_text(" ".join(hit.snippet.split())))
        return text

    def action_results(self) -> None:
        """Down from the box: into the results. Downs that came with the first in one burst
        were routed to the box before it lost the focus: they go on down the list."""
        results = self.query_one("#results", OptionList)
        if results.has_focus:
            results.action_cursor_down()
        elif self._downs_ahead is not None:
            self._downs_ahead += 1  # the focus is on its way: moved once it is there
        elif results.option_count:
            self._downs_ahead = 0
            results.focus()

    @on(events.DescendantFocus)
    def _focus_moved(self, event: events.DescendantFocus) -> None:
        downs, self._downs_ahead = self._downs_ahead, None
        if downs and isinstance(event.widget, OptionList):
            for _ in range(downs):
                event.widget.action_cursor_down()

    def action_choose(self) -> None:
        """Jump to the highlighted result; typed ahead of the results ("/camcord" then Enter,
        in one burst), to the best result of what was typed, once it is shown."""
        if self.shown != self.searches:
            self._choose_when_shown = True
            return
        results = self.query_one("#results", OptionList)
        option = results.highlighted_option
        if option is not None and option.id is not None:
            self.leave(option.id)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_choose()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.leave(event.option.id)

    def action_cancel(self) -> None:
        self.leave()
