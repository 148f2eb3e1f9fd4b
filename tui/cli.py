"""The `lexpane` command line: open the explorer, or build, check, search, show, diff, notes, export."""

from __future__ import annotations

import argparse
import dataclasses
import io
import json
import os
import re
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from tui import paths, render
from tui.errors import LexpaneError, NotFound
from tui.progress import Progress, quiet
from tui.safe import clean
from tui.schema import package_version

if TYPE_CHECKING:
    from rich.progress import TaskID

USAGE_ERROR = 2
#: The most results `search --limit` prints: more than any corpus of this kind needs on a screen
#: or in a script, and a number SQLite takes.
MAX_LIMIT = 1000
#: Arguments that are words to look up, not paths: they must be text.
_TEXT_ARGUMENTS = ("query", "id", "a", "b", "regime", "topic", "status", "jurisdiction")
#: What must not reach a terminal from an argument, a path or a message: C0 and C1 control
#: characters (newline included: an error is one line), and bytes that were not UTF-8.
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\udc80-\udcff]")


class _Parser(argparse.ArgumentParser):
    """Usage errors in one line, with exit status 2, as every other lexpane error."""

    def error(self, message: str) -> NoReturn:
        message = _visible(message)
        self.exit(USAGE_ERROR, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _parser() -> _Parser:
    db_help = "the database to read (default: $LEXPANE_DB, else the bundled data.db)"
    parser = _Parser(
        prog="lexpane",
        description="Offline explorer of Russia's and Kazakhstan's AI law and Russia's "
        "copyright-enforcement gaps. With no command, opens the explorer.",
    )
    parser.add_argument("--version", action="version", version=f"lexpane {package_version()}")
    parser.add_argument("--db", type=Path, help=db_help)
    parser.add_argument(
        "--as-of", type=_day, metavar="YYYY-MM-DD",
        help="open the explorer on the timeline, showing each regime as it stood that day",
    )  # fmt: skip
    # Sub-commands take --db too; SUPPRESS keeps a value given before the command.
    db = _Parser(add_help=False)
    db.add_argument("--db", type=Path, default=argparse.SUPPRESS, help=db_help)
    json_flag = _Parser(add_help=False)
    json_flag.add_argument("--json", action="store_true", help="print JSON instead of text")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    build = commands.add_parser(
        "build", parents=[db], help="rebuild the database from content/",
        description="Check content/ and, if it is clean, replace the database atomically.",
    )  # fmt: skip
    build.add_argument("--content", type=Path, help="content folder (default: ./content)")
    build.add_argument(
        "--force", action="store_true",
        help="replace the --db file even if it is not a lexpane database",
    )  # fmt: skip
    build.add_argument(
        "--full", action="store_true",
        help="read every file again (by default only the instrument files that changed are)",
    )  # fmt: skip
    check = commands.add_parser(
        "check", help="validate content/ without writing",
        description="Report every problem in content/ as path:line: message; exit 1 if any.",
    )  # fmt: skip
    check.add_argument("--content", type=Path, help="content folder (default: ./content)")

    search = commands.add_parser("search", parents=[db, json_flag], help="ranked full-text search")
    search.add_argument(
        "query", nargs="+", help='words, "a phrase", a prefix (copyr); filters like regime:kz'
    )
    search.add_argument(
        "--limit", type=_limit, default=10, help=f"most results to print (10; at most {MAX_LIMIT})"
    )
    search.add_argument("--regime", help="only this regime (ru-ai, kz-ai, ru-copyright; or ru, kz)")
    search.add_argument("--topic", help="only this topic (and the topics below it)")
    search.add_argument("--status", help="only this status, e.g. 'open gap'")
    search.add_argument("--jurisdiction", help="only RU or KZ")

    show = commands.add_parser("show", parents=[db, json_flag], help="one provision in full")
    show.add_argument("id", help="a provision id, e.g. kz-ai.art23-human-contribution")

    notes = commands.add_parser(
        "notes", parents=[db, json_flag], help="your bookmarks and notes",
        description="Print the bookmarks and notes kept in your data folder ($LEXPANE_DATA_DIR).",
    )  # fmt: skip
    notes.set_defaults(json=False)

    export = commands.add_parser(
        "export", parents=[db], help="a topic across the three regimes, with citations",
        description="Export a comparison (one topic, or everything) with quotes, citations and your notes.",
    )  # fmt: skip
    export.add_argument("--topic", help="the topic to compare (default: every topic)")
    export.add_argument(
        "--format", choices=("md", "csv", "json"), default="md", help="md (default), csv or json"
    )
    export.add_argument("--output", type=Path, help="write to this file instead of standard output")

    diff = commands.add_parser(
        "diff", parents=[db, json_flag], help="word-level diff of two provisions or versions"
    )
    diff.add_argument("a", metavar="ID_A", help="old side: ID, or ID@VERSION")
    diff.add_argument("b", metavar="ID_B", help="new side: ID, or ID@VERSION")
    return parser


def _closest_ids(store, typed: str) -> str:
    """ "; did you mean …?" for an id typed without its regime, or misspelt."""
    from rapidfuzz import process

    ids = [p.id for p in store.provisions()]
    tail = typed.lower().split(".")[-1]
    found = [i for i in ids if i.split(".", 1)[-1] == tail]
    found += [m for m, _, _ in process.extract(typed.lower(), ids, limit=3, score_cutoff=70)]
    found = list(dict.fromkeys(found))[:3]
    return f"; did you mean {' or '.join(found)}?" if found else ""


def _day(value: str) -> str:
    from tui.dates import is_date

    if len(value) != 10 or not is_date(value):
        raise argparse.ArgumentTypeError(f"expected a day as YYYY-MM-DD, got {value!r}")
    return value


def _limit(value: str) -> int:
    shown = value if len(value) <= 20 else value[:20] + "…"
    digits = value.strip().lstrip("0")
    if digits.isascii() and digits.isdigit() and len(digits) > len(str(MAX_LIMIT)):
        # Said before int(), which refuses numbers of thousands of digits as if not numbers.
        raise argparse.ArgumentTypeError(f"must be at most {MAX_LIMIT}, got {shown}")
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {shown!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    if number > MAX_LIMIT:
        raise argparse.ArgumentTypeError(f"must be at most {MAX_LIMIT}, got {shown}")
    return number


def _visible(text: str) -> str:
    """`text` with control characters and bytes that were not UTF-8 written as escapes
    (`\\x1b`, `\\xff`): shown for what they are, never acted on by a terminal."""
    return _UNPRINTABLE.sub(lambda m: f"\\x{ord(m.group()) & 0xFF:02x}", text)


def main(argv: list[str] | None = None) -> int:
    """Run `lexpane` with `argv` (default: the command line) and return its exit status:
    0 done, 1 problems in the content, 2 a usage or environment error (one line on stderr)."""
    if sys.stdout is sys.__stdout__ and isinstance(sys.stdout, io.TextIOWrapper):
        # A path or a note that is not UTF-8, or a terminal that cannot show a character,
        # is printed with escapes rather than ending in a traceback.
        sys.stdout.reconfigure(errors="backslashreplace")
    try:
        code = _run(argv)
        sys.stdout.flush()  # here, not at exit, so that a failed write is handled below
    except BrokenPipeError:
        # The reader (head, less) went away: nothing more to say. As the Python docs advise,
        # stdout now goes to devnull, so that the flush at exit does not fail again.
        _discard_output()
        return 0
    except OSError as exc:  # the output cannot be written: a full disk, /dev/full, I/O
        _discard_output()
        where = _visible(str(exc.filename)) if exc.filename else "the output"
        print(f"lexpane: error: cannot write {where}: {exc.strerror or exc}", file=sys.stderr)
        return USAGE_ERROR
    return code


def _run(argv: list[str] | None) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # --help and --version (0), usage errors (2, already said)
        return exc.code if isinstance(exc.code, int) else 0
    try:
        _require_text(args)
        if args.command is None:
            return _explore(args)
        return {
            "build": _build,
            "check": _check,
            "search": _search,
            "show": _show,
            "diff": _diff,
            "notes": _notes,
            "export": _export,
        }[args.command](args)
    except LexpaneError as exc:
        print(f"lexpane: error: {_visible(str(exc))}", file=sys.stderr)
        return USAGE_ERROR
    except KeyboardInterrupt:
        return 130


def _require_text(args: argparse.Namespace) -> None:
    """Words and ids must be text: bytes that are not UTF-8 (a terminal in another encoding,
    a script's stray byte) can be neither searched for nor shown."""
    for name in _TEXT_ARGUMENTS:
        value = getattr(args, name, None)
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str) and _UNPRINTABLE.search(item) and _undecodable(item):
                raise LexpaneError(
                    f"argument '{_visible(item)}' is not UTF-8 text: type it again "
                    "(and check the terminal's or the script's encoding)"
                )


def _undecodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _discard_output() -> None:
    """Point stdout at devnull: what is still buffered for it can never be written."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, io.UnsupportedOperation):
        pass  # not a real file (a test's capture): nothing will flush it at exit


def _open_store(args: argparse.Namespace):
    from tui.store import Store

    return Store.open(args.db or paths.default_db())


def _content_dir(args: argparse.Namespace) -> Path:
    content = args.content or paths.default_content()
    if not content.is_dir():
        raise LexpaneError(f"content folder not found: {content} (pass --content DIR)")
    return content


def _explore(args: argparse.Namespace) -> int:
    import asyncio

    from tui.collector import explorer_process

    with explorer_process():
        from tui.app import make_app

        app = make_app(args.db or paths.default_db(), as_of=args.as_of)
        asyncio.run(_run_until_signalled(app))
    return app.return_code or 0


async def _run_until_signalled(app) -> None:
    """Run the explorer; SIGTERM and SIGHUP end it as quitting does, so that the terminal is
    given back (main screen, cursor shown, mouse off, line settings restored), not left raw."""
    import asyncio
    import signal

    loop = asyncio.get_running_loop()
    caught = [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]

    def stop(signum: int) -> None:
        for each in caught:  # a second signal ends the process at once
            loop.remove_signal_handler(each)
        app.exit(return_code=128 + signum)

    for signum in caught:
        try:
            loop.add_signal_handler(signum, stop, signum)
        except (NotImplementedError, RuntimeError):  # no signal handlers in this event loop
            pass
    await app.run_async()


def _check(args: argparse.Namespace) -> int:
    from tui.validate import check_folder

    with _progress_bar() as progress:
        corpus, problems = check_folder(_content_dir(args), progress)
    for problem in problems:
        print(_visible(str(problem)))
    if problems:
        files = len({p.path for p in problems})
        print(f"{len(problems)} problem(s) in {files} file(s)", file=sys.stderr)
        return 1
    ids = {s.id for s in corpus.sections}
    print(
        f"content OK: {len(ids)} provisions in {len(corpus.instruments)} instruments, "
        f"{len(corpus.sources)} sources, {len(corpus.topics)} topics"
    )
    return 0


def _build(args: argparse.Namespace) -> int:
    from tui.build import BuildFailed, build

    content = _content_dir(args)
    target = args.db or paths.default_build_db(content)
    try:
        with _progress_bar() as progress:
            result = build(content, target, force=args.force, full=args.full, progress=progress)
    except BuildFailed as failed:
        for problem in failed.problems:
            print(_visible(str(problem)), file=sys.stderr)
        print(
            f"build failed: {len(failed.problems)} problem(s); {_visible(str(target))} left unchanged",
            file=sys.stderr,
        )
        return 1
    if result.reread is None:
        how = "every file read" + (f": {result.full_because}" if result.full_because else "")
    elif result.reread:
        how = f"{result.reread} file(s) read again"
    else:
        how = "no file changed; nothing written"
    print(
        f"built {_visible(str(target))}: {result.provisions} provisions, {result.versions} versions, "
        f"{result.quotes} quotes, {result.links} links ({_visible(how)})"
    )
    return 0


@contextmanager
def _progress_bar() -> Iterator[Progress]:
    """Bars on stderr for each step of a long check or build, gone once it ends; on a pipe or
    a file, nothing at all."""
    if not sys.stderr.isatty():
        yield quiet
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
    from rich.progress import Progress as Bars

    columns = (TextColumn("{task.description:<26}"), BarColumn(), MofNCompleteColumn())
    with Bars(*columns, TimeElapsedColumn(), console=Console(stderr=True), transient=True) as bars:
        tasks: dict[str, TaskID] = {}

        def progress(step: str, done: int, total: int) -> None:
            if step not in tasks:
                tasks[step] = bars.add_task(step, total=total)
            bars.update(tasks[step], completed=done, total=total)

        yield progress


def _search(args: argparse.Namespace) -> int:
    from tui.search import filter_problem, find, parse

    text = " ".join(args.query)
    query = parse(text)
    if query.empty:
        raise LexpaneError(
            'nothing to search for: give words, a "phrase" or a filter such as regime:kz'
        )
    options = {
        "regime": args.regime,
        "topic": args.topic,
        "status": args.status,
        "jurisdiction": args.jurisdiction,
    }
    with _open_store(args) as store:
        problem = filter_problem(
            store, {**query.filters, **{k: v for k, v in options.items() if v}}
        )
        if problem:
            raise LexpaneError(problem)
        found = find(store, text, limit=args.limit, **options)
        widened = found.widened
        if args.json:
            records = [
                {
                    **dataclasses.asdict(store.provision(hit.record.id)),
                    "rank": hit.rank,
                    "snippet": hit.snippet,
                    "widened": None
                    if widened is None or n < found.exact
                    else {"step": widened.step, "message": widened.message},
                }
                for n, hit in enumerate(found.hits)
            ]
            print(json.dumps(records, ensure_ascii=False, indent=2))
        else:
            print(render.search_results(found, color=_color()))
    return 0


def _show(args: argparse.Namespace) -> int:
    with _open_store(args) as store:
        try:
            record = store.provision(args.id)
        except NotFound as exc:
            raise NotFound(
                f"no provision {args.id!r}{_closest_ids(store, args.id)} "
                "(`lexpane search WORDS` finds ids)"
            ) from exc
        if args.json:
            print(json.dumps(dataclasses.asdict(record), ensure_ascii=False, indent=2))
        else:
            print(render.provision(render.facts(record, store)))
    return 0


def _diff(args: argparse.Namespace) -> int:
    from tui.diff import word_diff

    with _open_store(args) as store:
        old, new = store.version(args.a), store.version(args.b)
        result = word_diff(render.diff_text(old), render.diff_text(new))
        if args.json:
            print(json.dumps(render.diff_json(old, new, result), ensure_ascii=False, indent=2))
        else:
            print(render.diff(old, new, result, color=_color()))
    return 0


def _color() -> bool:
    import os

    if os.environ.get("NO_COLOR"):
        return False
    # FORCE_COLOR (as Rich and many tools read it) styles output that is not a terminal.
    return bool(os.environ.get("FORCE_COLOR")) or sys.stdout.isatty()


def _notes(args: argparse.Namespace) -> int:
    from tui.errors import NotFound
    from tui.userdata import UserData

    data = UserData.open()
    _say_set_aside(data)
    try:
        bookmarks, notes = data.bookmarks(), data.notes()
    finally:
        data.close()
    headings: dict[str, str] = {}
    try:
        with _open_store(args) as store:
            for provision_id in {*bookmarks, *(n.provision_id for n in notes)}:
                try:
                    headings[provision_id] = store.provision(provision_id).heading
                except NotFound:
                    pass
    except LexpaneError:
        pass  # the notes stand on their own without a database
    if args.json:
        print(json.dumps({
            "file": str(data.path),
            "bookmarks": [{"provision_id": b, "heading": headings.get(b)} for b in bookmarks],
            "notes": [{**dataclasses.asdict(n), "heading": headings.get(n.provision_id)} for n in notes],
        }, ensure_ascii=False, indent=2))  # fmt: skip
        return 0
    if not bookmarks and not notes:
        print(f"no bookmarks or notes yet (they are kept in {data.path})")
        return 0
    for provision_id in bookmarks:
        print(clean(f"★ {provision_id}  {headings.get(provision_id, '')}").rstrip())
    for note in notes:
        heading = headings.get(note.provision_id, "")
        print(clean(f"✎ {note.provision_id}  {heading}  ({note.updated})").rstrip())
        print(textwrap.indent(clean(note.text).strip(), "    "))
    return 0


def _say_set_aside(data) -> None:
    """Say on stderr when the notes file was damaged or foreign and was set aside."""
    if data.set_aside_message:
        print(f"lexpane: warning: {_visible(data.set_aside_message)}", file=sys.stderr)


def _export(args: argparse.Namespace) -> int:
    from tui.export import RENDER, comparison, notes_of, write_atomic
    from tui.userdata import UserData

    with _open_store(args) as store:
        if args.topic and args.topic not in {t.id for t in store.topics()}:
            known = ", ".join(t.id for t in store.topics())
            raise LexpaneError(f"no topic {args.topic!r} (topics: {known})")
        try:
            data = UserData.open()
        except LexpaneError:
            data = None  # export without notes rather than not at all
        else:
            _say_set_aside(data)
        try:
            text = RENDER[args.format](comparison(store, args.topic, notes_of(data)))
        finally:
            if data is not None:
                data.close()
    if args.output is None:
        sys.stdout.write(text)
        return 0
    try:
        write_atomic(args.output, text)
    except OSError as exc:
        raise LexpaneError(f"cannot write {args.output}: {exc.strerror or exc}") from None
    print(f"wrote {args.output}")
    return 0
