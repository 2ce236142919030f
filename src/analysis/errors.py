"""Exceptions with messages a user can act on."""

from __future__ import annotations

MAX_MESSAGE_PART = 200  # characters of a user's value echoed in a message; the rest is cut


def shorten(text: str, limit: int = MAX_MESSAGE_PART) -> str:
    """``text`` cut to ``limit`` characters with a note of its length (a 5 MB value is never echoed in full)."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... ({len(text):,} characters in all)"


class R57Error(Exception):
    """Base class for every error this package raises on purpose."""


class ParameterError(R57Error, ValueError):
    """A notebook parameter is unknown, of the wrong type, out of range or inconsistent (``allowed``: what is accepted)."""

    def __init__(self, name: str, message: str, allowed: str | None = None):
        name, message = shorten(str(name), 80), shorten(message, 2 * MAX_MESSAGE_PART)
        self.name = name
        self.allowed = allowed
        text = f"parameter '{name}': {message}"
        if allowed:
            text += f" (allowed: {allowed})"
        super().__init__(text)


class InputError(R57Error):
    """A file given to r57 is malformed (empty, binary, not UTF-8, wrong layout); the command line exits 2."""


class DataError(R57Error):
    """A data file is missing, malformed or fails validation."""


class ChecksumError(DataError):
    """A data file's SHA-256 differs from the manifest."""

    def __init__(self, path: str, expected: str, actual: str, advice: str = ""):
        advice = advice or (
            "The file was changed or corrupted; restore it (git checkout -- <file>) or rebuild it with "
            "`r57 data build` (shows every value that would change) and `r57 data build --accept`."
        )
        super().__init__(f"checksum mismatch for {path}: manifest says sha256 {expected}, file has {actual}. {advice}")


class OutputDirError(R57Error):
    """An output folder r57 must not write into; refused before a kernel starts."""


class Interrupted(R57Error):
    """A run was stopped by a signal; ``code`` is the exit status (130 for SIGINT, 143 for SIGTERM)."""

    def __init__(self, signum: int, message: str):
        self.signum = signum
        self.code = 128 + signum
        super().__init__(message)


class NotebookExecutionError(R57Error):
    """A notebook failed while executing; names the failing cell."""

    def __init__(
        self, notebook: str, cell_index: int | None, ename: str, evalue: str, kept: str | None, first_line: str = ""
    ):
        self.cell_index = cell_index
        where = f"cell {cell_index} (counting from 0)" if cell_index is not None else "an unknown cell"
        if first_line:
            where += f", which starts `{first_line}`"
        text = f"{notebook} failed in {where}: {ename}: {evalue}"
        if kept:
            text += f". The previous report was kept at {kept}"
        super().__init__(text)
