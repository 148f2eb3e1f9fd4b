"""The controlled vocabularies that content must use."""

JURISDICTIONS = ("RU", "KZ")

#: What a source document is; a provision's evidence is one of these. Statute text is the law's
#: own text (in its language), or a translation of it, official or not.
STATUTE_TEXT = (
    "statute text",
    "statute text (official translation)",
    "statute text (unofficial translation)",
)
SOURCE_KINDS = (
    *STATUTE_TEXT,
    "official announcement",
    "news report",
    "legal commentary",
    "advocacy report",
)
EVIDENCE_KINDS = SOURCE_KINDS

INSTRUMENT_KINDS = ("law", "bill draft", "code", "report", "agreement")
#: `scheduled`: a source says when it is to enter into force, and no recorded source says that it
#: was adopted or that it did.
INSTRUMENT_STATUSES = (
    "draft",
    "adopted",
    "in force",
    "scheduled",
    "proposed",
    "superseded",
    "published",
)

#: `reported`: what a source says someone said or did, not a rule of the text; `commentary`: a
#: commentator's reading, expectation or conclusion, not the statute's; `on hold`: a proposal a
#: source says was suspended.
PROVISION_STATUSES = (
    "in force",
    "adopted",
    "scheduled",
    "draft",
    "deleted in revision",
    "proposed",
    "on hold",
    "recommended",
    "open gap",
    "superseded",
    "reported",
    "commentary",
)
#: A version with this status has no text: diffing against it strikes everything.
DELETED = "deleted in revision"

LINK_TYPES = (
    "contrasts with",
    "same subject as",
    "amends",
    "replaces",
    "gap in",
    "recommended reform of",
)
