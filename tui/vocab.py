"""The controlled vocabularies that content must use."""

JURISDICTIONS = ("RU", "KZ")

#: What a source document is; a provision's evidence is one of these.
SOURCE_KINDS = ("statute text", "news report", "legal commentary", "advocacy report")
EVIDENCE_KINDS = SOURCE_KINDS

INSTRUMENT_KINDS = ("law", "bill draft", "code", "report", "agreement")
INSTRUMENT_STATUSES = ("draft", "adopted", "in force", "proposed", "superseded", "published")

PROVISION_STATUSES = (
    "in force",
    "adopted",
    "draft",
    "deleted in revision",
    "proposed",
    "recommended",
    "open gap",
    "superseded",
    "reported",
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
