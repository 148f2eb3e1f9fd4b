"""Short, coloured labels for statuses, evidence and regimes, shared by lists and results."""

from __future__ import annotations

from rich.text import Text

from tui import snippets

STATUS_STYLE = {
    "in force": "green",
    "adopted": "green",
    "draft": "yellow",
    "deleted in revision": "red strike",
    "superseded": "dim",
    "proposed": "yellow",
    "recommended": "cyan",
    "open gap": "magenta",
    "reported": "blue",
    "scheduled": "yellow italic",
    "on hold": "dim italic",
    "commentary": "italic",
}
EVIDENCE_SHORT = {
    "news report": "news",
    "legal commentary": "commentary",
    "advocacy report": "advocacy",
    "statute text": "statute",
    "statute text (official translation)": "statute (official tr.)",
    "statute text (unofficial translation)": "statute (unofficial tr.)",
    "official announcement": "official",
}
REGIME_SHORT = {"ru-ai": "RU·AI", "kz-ai": "KZ·AI", "ru-copyright": "RU·©"}


DISAGREE = "sources disagree"


def status(value: str, disagree: bool = False) -> Text:
    """A status, and "sources disagree" after it when they do: said in words, not by colour."""
    text = Text(value, style=STATUS_STYLE.get(value, ""))
    if disagree:
        text.append(" · ", style="dim")
        text.append(DISAGREE, style="bold")
    return text


def evidence(value: str | None) -> Text:
    return Text(EVIDENCE_SHORT.get(value or "", value or ""), style="italic")


def short_regime(regime_id: str) -> str:
    """A regime's short name ("RU·AI"), for narrow columns and tags."""
    return REGIME_SHORT.get(regime_id, regime_id)


def regime(value: str) -> Text:
    return Text(short_regime(value), style="bold")


def marked_text(snippet: str, style: str = "bold reverse") -> Text:
    """A search snippet with its matched words styled (see tui.snippets for the marks)."""
    text = Text()
    for run, matched in snippets.runs(snippet):
        text.append(run, style=style if matched else "")
    return text
