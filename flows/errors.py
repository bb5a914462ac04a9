"""The project's exceptions: one root class, so the CLI can print any of them as one line."""

from __future__ import annotations


class CptsFactsError(Exception):
    """Root of every error the project raises on purpose; `str(error)` is the one-line message."""


class InputNotFoundError(CptsFactsError):
    """An input path given by the user does not exist (a usage error, not a bad file)."""

    def __init__(self, path: object) -> None:
        super().__init__(f"input not found: {path}")
        self.path = path


class BadInputError(CptsFactsError):
    """A file that cannot become text. Never escapes ingestion: it becomes a `documents` row
    with this `status` and `str(error)` as the message."""

    def __init__(self, message: str, status: str = "unreadable") -> None:
        super().__init__(message)
        self.status = status


# Status of a file over --max-bytes or --max-pages (and over the per-file memory budget).
TOO_LARGE_STATUS = "too_large"


class TooLargeError(BadInputError):
    def __init__(self, message: str) -> None:
        super().__init__(message, TOO_LARGE_STATUS)
