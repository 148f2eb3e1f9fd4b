"""Errors that lexpane reports to a person in one line."""


class LexpaneError(Exception):
    """An error with a message fit to show as is: what is wrong and what to do."""


class StoreError(LexpaneError):
    """The database is missing, unreadable, corrupt or from another schema."""


class NotFound(LexpaneError):
    """An id that the store does not hold."""
