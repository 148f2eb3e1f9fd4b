"""The reading area: the focused provision in full, rendered from Markdown."""

from __future__ import annotations

from rich.markdown import Markdown
from textual.containers import VerticalScroll
from textual.widgets import Static

from tui.dates import describe
from tui.export import citation
from tui.records import ProvisionRecord
from tui.store import Store


class Reading(VerticalScroll):
    """Shows one provision: its text, quotes with their source, topics, links and versions."""

    def __init__(self, store: Store) -> None:
        super().__init__(id="reading")
        self.store = store
        self.provision_id: str | None = None
        self.source = "*Move to a provision to read it here.*"
        """The Markdown shown."""
        self.border_title = "Provision"

    def compose(self):
        # Rich's Markdown in one Static, rather than Textual's Markdown widget (a widget per
        # block): the reading area changes on every cursor move, and one widget keeps that quick
        # and light (about 20 MiB less after moving through sixty provisions).
        yield Static(Markdown(self.source), id="reading-text")

    def show(self, record: ProvisionRecord, note: str = "") -> None:
        self.provision_id = record.id
        self.border_title = record.id
        text = provision_markdown(record, self.store)
        if note.strip():
            text += "\n\n**Your note**\n\n" + "\n".join(
                "> " + line for line in note.strip().split("\n")
            )
        self.source = text
        self.query_one("#reading-text", Static).update(Markdown(text))
        self.scroll_home(animate=False)


def provision_markdown(record: ProvisionRecord, store: Store) -> str:
    """A provision as Markdown, its citation last."""
    number = f"{record.number} · " if record.number else ""
    regimes = {r.id: r.title for r in store.regimes()}
    instrument = store.instrument(record.instrument)
    lines = [
        f"## {number}{record.heading}",
        "",
        f"**{record.status}** · {regimes.get(record.regime, record.regime)} · "
        f"*{instrument.short_title or instrument.title}* · evidence: {record.evidence}",
    ]
    if record.dates:
        lines.append("")
        lines.append(" · ".join(describe(d) for d in record.dates))
    if record.pinpoint:
        lines += ["", f"Pinpoint: {record.pinpoint}"]
    lines += ["", record.body]
    if record.conflict:
        lines += ["", f"**Sources disagree:** {record.conflict}"]
    if record.claims:
        lines += [""]
        for claim in record.claims:
            title = store.source_head(claim.source).title
            at = f", {claim.pinpoint}" if claim.pinpoint else ""
            lines.append(f"- *{title}*{at}: {claim.says}")
    if record.gap:
        gap = record.gap
        lines += [
            "",
            f"| Gap (as of {gap['as_of']}) | |",
            "|---|---|",
            f"| Law | {gap['law']} |",
            f"| Weakness | {gap['weakness']} |",
            f"| Reform | {gap['reform']} |",
            f"| Status | {gap['status']} |",
        ]
    for quote in record.quotes:
        source = store.source_head(quote.source)
        when = f", {source.date}" if source.date else ""
        tag = f" ({quote.version} draft)" if len(record.versions) > 1 else ""
        lines += ["", "> " + quote.text.replace("\n", " "), ">", f"> — *{source.title}*{when}{tag}"]
    if record.links:
        lines += ["", "**Linked**", ""]
        for link in record.links:
            arrow = "→" if link.direction == "out" else "←"
            lines.append(
                f"- {arrow} *{link.type}* `{link.to}` ({regimes.get(link.regime, link.regime)}): {link.note}"
            )
    lines += ["", f"Topics: {', '.join(record.topics)}"]
    if len(record.versions) > 1:
        lines.append(f"Versions: {', '.join(record.versions)} (press v to compare)")
    lines += ["", f"*Cite:* {citation(store, record)}"]
    return "\n".join(lines)
