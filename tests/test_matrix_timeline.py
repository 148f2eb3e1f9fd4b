"""The matrix and the timeline, with the "as of" view, on the fixture database and the real one."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable

from tests.conftest import REPO
from tests.screen import screen_text
from tui.app import make_app
from tui.build import build
from tui.dates import HAPPENED
from tui.screens.matrix import MatrixScreen
from tui.screens.timeline import TimelineScreen
from tui.store import Store
from tui.timeline import as_of, events


def states(store: Store, day: str) -> dict[str, str]:
    return {s.instrument: s.state for s in as_of(store, day)}


def test_as_of_follows_the_dates_of_the_sources(store: Store):
    assert {"kz-law": "not yet in force (from 2026-01-18)", "bill-earlier": "date unknown",
            "bill-revised": "not yet there", "report": "date unknown"} == states(store, "2026-01-01")  # fmt: skip
    assert "in force" == states(store, "2026-01-18")["kz-law"]
    later = states(store, "2026-07-01")
    assert ("superseded", "draft") == (later["bill-earlier"], later["bill-revised"])


def test_as_of_never_reports_in_force_on_a_schedule_alone(tmp_path: Path, content: Path):
    """A law a source only schedules stays "scheduled" however late the day; never "in force"."""
    law = content / "kz-ai" / "law.md"
    text = law.read_text(encoding="utf-8")
    text = text.replace("status: in force\nsource", "status: scheduled\nsource", 1)
    text = text.replace(
        "  in_force: 2026-01-18\n---", "  in_force: {date: 2026-01-18, kind: scheduled}\n---"
    )
    text = text.replace("status: in force\ntopics", "status: scheduled\ntopics")
    text = text.replace("dates:\n  in_force: 2026-01-18\n```", "```")
    law.write_text(text, encoding="utf-8")
    build(content, tmp_path / "scheduled.db")
    with Store.open(tmp_path / "scheduled.db") as store:
        assert "scheduled in force 2026-01-18" == states(store, "2026-01-01")["kz-law"]
        late = states(store, "2030-01-01")["kz-law"]
        assert "scheduled in force 2026-01-18; no recorded source says it is" == late
        (event,) = [e for e in events(store) if e.owner_id == "kz-law"]
        assert ("scheduled", "scheduled 2026-01-18") == (event.kind, event.when)


def test_a_period_is_not_a_day(tmp_path: Path, content: Path):
    report = content / "ru-copyright" / "report.md"
    text = report.read_text(encoding="utf-8")
    text = text.replace(
        "topics: [camcording]\n",
        "topics: [camcording]\ndates:\n  camcords_counted: {date: 2016-01/2016-06, note: first half of 2016}\n",
    )
    report.write_text(text, encoding="utf-8")
    build(content, tmp_path / "period.db")
    with Store.open(tmp_path / "period.db") as store:
        (event,) = [e for e in events(store) if e.owner_id == "rc.camcording"]
        assert ("2016-01", "2016-06") == (event.date, event.end)
        assert "2016-01 to 2016-06 (first half of 2016)" == event.when


def test_events_are_in_date_order_and_jump_to_provisions(store: Store):
    found = events(store)
    assert [e.date for e in found] == sorted(e.date for e in found)
    assert [
        ("2026-01-18", "in force", "kz.art23"),
        ("2026-06", "approved by commission", "ru.labelling"),
    ] == [(e.date, e.event, e.provision_id) for e in found]


def test_the_real_timeline_agrees_with_the_sources():
    with Store.open(REPO / "data.db") as store:
        dates = {(e.date, e.event) for e in events(store)}
        for expected in [("2006", "agreement"), ("2012", "wto accession"), ("2015-05", "federal law 364 in force"),
                         ("2025-09-24", "mazhilis adopted"), ("2025-11-17", "signed"),
                         ("2026-01-18", "in force"), ("2026-06-22", "approved by commission"),
                         ("2026-06-26", "submitted to duma"), ("2026-07", "in force"),
                         ("2026-09-01", "main provisions in force"), ("2027-03", "further texts in force"),
                         ("2032-09-01", "transition ends"), ("2017", "published")]:  # fmt: skip
            assert expected in dates, expected
        on = {s.title: s.state for s in as_of(store, "2026-08-01")}
        assert "in force" == on["AI Law"]
        assert "draft; expected in force 2026-09-01" == on["Revised draft (June 2026)"]
        later = {s.title: s.state for s in as_of(store, "2026-10-01")}
        assert (
            "draft; expected in force 2026-09-01, no recorded source says it is"
            == later["Revised draft (June 2026)"]
        )


async def test_g_then_enter_opens_a_topic_comparison_on_a_regime(db: Path):
    app = make_app(db)
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.press("g")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MatrixScreen)
        table = screen.query_one(DataTable)
        assert "silent" in str(table.get_cell("labelling", "kz-ai"))
        assert "1 draft" == str(table.get_cell("labelling", "ru-ai"))
        # Said in full where the column allows, shorter at 120 columns, never silently.
        assert "1 del. · 1 disputed" == str(table.get_cell("training-data", "ru-ai"))
        assert "disagree" not in str(table.get_cell("labelling", "ru-ai"))
        await pilot.press("down", "right", "enter")  # row Labelling, column Kazakhstan
        await pilot.pause()
        assert app.screen is app.compare
        assert "labelling" == app.compare.topic
        assert app.compare.pane_for("kz-ai").has_focus
        text = screen_text(app)
        assert "lexpane — Labelling of AI output" in text
        assert "The sources say nothing on" in text  # Kazakhstan's pane, silent on labelling


async def test_timeline_enter_jumps_and_a_sets_the_day(db: Path):
    app = make_app(db)
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.press("t")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TimelineScreen)
        # The box holds today's day: cleared and typed over, as a person does.
        await pilot.press("a", "ctrl+a", "ctrl+k", *"2026-02-01", "enter")
        await pilot.pause()
        assert "2026-02-01" == screen.day
        text = screen_text(app)
        assert "As of 2026-02-01" in text
        assert "Russia · AI · Draft AI law (revised draft): not yet there" in text
        assert "later · Approved by commission" in text  # June 2026 is after the day
        await pilot.press("enter")  # first event: Kazakhstan's law in force
        await pilot.pause()
        assert app.screen is app.compare
        assert "kz.art23" == app.compare.current
        assert "╭─ kz.art23" in screen_text(app)


async def test_as_of_option_opens_the_timeline_on_that_day(db: Path):
    app = make_app(db, as_of="2026-07-01")
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TimelineScreen)
        assert "2026-07-01" == app.screen.day
        text = screen_text(app)
        assert "As of 2026-07-01" in text
        assert "Russia · AI · Draft AI law (earlier draft): superseded" in text


def test_bad_as_of_is_a_usage_error(cli):
    code, out, err = cli("--as-of", "1 July")
    assert (2, "") == (code, out)
    assert "expected a day as YYYY-MM-DD" in err and 1 == len(err.strip().split("\n"))


async def test_the_timeline_says_expected_and_never_shows_a_schedule_as_in_force():
    app = make_app(REPO / "data.db", as_of="2026-10-01")
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TimelineScreen)
        summary = str(screen.query_one("#as-of").render())
        assert "Digital Code: scheduled in force 2026-07; no recorded source says it is" in summary
        table = screen.query_one(DataTable)
        rows = [[str(cell) for cell in table.get_row_at(n)] for n in range(table.row_count)]
        assert [
            "2026-09-01",
            "RU·AI",
            "Main provisions in force (expected, not confirmed)",
        ] == rows[[r[0] for r in rows].index("2026-09-01")][:3]
        assert any(r[0] == "2026-06-26 to 2026-07-01" and "Submitted to Duma" in r[2] for r in rows)
        # Whatever a source only expects or schedules says so in its row, in words.
        unconfirmed = [
            (e, row) for e, row in zip(screen.events, rows, strict=True) if e.kind != HAPPENED
        ]
        assert {"expected", "scheduled"} == {e.kind for e, _ in unconfirmed}
        for event, row in unconfirmed:
            assert f"({event.kind}, not confirmed)" in row[2], row
        digital_code = [row for e, row in unconfirmed if e.date == "2026-07"]
        assert [["2026-07", "KZ·AI"]] == [row[:2] for row in digital_code]
        assert digital_code[0][2].startswith("In force (scheduled, not confirmed)")
