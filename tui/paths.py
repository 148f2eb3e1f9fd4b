"""Where lexpane finds its database and its content when not told."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
#: A checkout keeps data.db and content/ beside the package; a wheel carries data.db inside it.
CHECKOUT_DIR = PACKAGE_DIR.parent
ENV_DB = "LEXPANE_DB"


def default_db() -> Path:
    """The database to read: $LEXPANE_DB, else the bundled data.db."""
    if os.environ.get(ENV_DB):
        return Path(os.environ[ENV_DB]).expanduser()
    bundled = PACKAGE_DIR / "data.db"
    if bundled.exists():
        return bundled
    return CHECKOUT_DIR / "data.db"


def default_build_db(content: Path) -> Path:
    """The database `lexpane build` writes: $LEXPANE_DB, else data.db beside the content folder."""
    if os.environ.get(ENV_DB):
        return Path(os.environ[ENV_DB]).expanduser()
    return content.resolve().parent / "data.db"


def default_content() -> Path:
    """The content folder: ./content if there is one, else the checkout's."""
    here = Path("content")
    if here.is_dir():
        return here
    return CHECKOUT_DIR / "content"
