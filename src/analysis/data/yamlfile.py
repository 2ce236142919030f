"""YAML input files read as hostile: bounded in size, depth and reading time, regular files only, no anchors,
aliases or repeated keys. Scenario and parameter files, the data manifests and the dataset metadata are read so.
"""

from __future__ import annotations

import os
import re
import stat
import time
from typing import Any

import yaml

from analysis.errors import DataError, InputError, shorten

MAX_YAML_BYTES = 64 * 1024  # a scenario or parameter file is a few lines; 64 KiB is far beyond any real one
MAX_DATA_YAML_BYTES = 4 * 1024 * 1024  # a data manifest or metadata file (data/raw's manifest: 60 KiB)
MAX_YAML_DEPTH = 20  # nesting of mappings and lists; a scenario needs 3 (document, parameters, year map)
READ_DEADLINE_S = 5.0  # reading one input file; a local file of 64 KiB takes milliseconds


class InputFileError(InputError):
    """An input file (scenario, ``-f`` parameters) that r57 refuses to read; the message names it and the rule."""


class _Strict:
    """Composing and constructing rules of :class:`StrictLoader` (a mixin over a parser and a constructor)."""

    _depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise yaml.composer.ComposerError(
                None, None, "anchors and aliases (&name, *name) are not allowed; write each value out", event.start_mark
            )
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            if self._depth >= MAX_YAML_DEPTH:
                raise yaml.composer.ComposerError(
                    None, None, f"nested deeper than {MAX_YAML_DEPTH} levels", event.start_mark
                )
            self._depth += 1
            try:
                return super().compose_node(parent, index)
            finally:
                self._depth -= 1
        return super().compose_node(parent, index)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            try:
                duplicate = key in seen
                seen.add(key)
            except TypeError:  # an unhashable key: the base class reports it
                continue
            if duplicate:
                raise yaml.constructor.ConstructorError(
                    None, None, f"key {shorten(repr(key), 80)} appears twice", key_node.start_mark
                )
        return super().construct_mapping(node, deep=deep)


class StrictLoader(_Strict, yaml.SafeLoader):
    """YAML as users write it, bounded: ``1e300`` is a number; a key given twice, anchors and aliases (a few
    hundred bytes expand to gigabytes) and nesting deeper than :data:`MAX_YAML_DEPTH` are refused. Python's
    parser: its messages name the character it refuses.
    """


try:  # libyaml's parser (its composer, which recursed until a crash, is not used): ~7x faster
    from yaml.cyaml import CParser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    DataLoader = StrictLoader
else:

    class DataLoader(
        _Strict, yaml.composer.Composer, CParser, yaml.constructor.SafeConstructor, yaml.resolver.Resolver
    ):
        """:class:`StrictLoader`'s rules on libyaml's parser, for the data manifests every report reads."""

        def __init__(self, stream: Any) -> None:
            CParser.__init__(self, stream)
            yaml.composer.Composer.__init__(self)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)


for _loader in {StrictLoader, DataLoader}:
    _loader.add_implicit_resolver(
        "tag:yaml.org,2002:float",
        re.compile(r"\A[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9_]+)[eE][-+]?[0-9]+\Z"),
        list("-+0123456789."),
    )


def load_yaml(text: str, limit: int = MAX_YAML_BYTES, loader: type = StrictLoader) -> Any:
    """Parse YAML ``text`` (at most ``limit`` bytes) with ``loader`` (:class:`StrictLoader` or :class:`DataLoader`).

    Raises
    ------
    yaml.YAMLError
        If the text is too long, not YAML, breaks a rule of :class:`StrictLoader`, or holds a value Python
        cannot read (a whole number of more than 4,300 digits).
    """
    if len(text) > limit or len(text.encode("utf-8", "surrogatepass")) > limit:
        raise yaml.YAMLError(f"longer than {limit:,} bytes")
    try:
        return yaml.load(text, Loader=loader)  # noqa: S506 - a SafeConstructor loader
    except ValueError as exc:  # a whole number of more than 4,300 digits (Python's int limit)
        why = "a whole number has more than 4,300 digits" if "digits" in str(exc) else shorten(str(exc), 120)
        raise yaml.YAMLError(f"a value cannot be read: {why}") from None


def yaml_problem(exc: yaml.YAMLError) -> str:
    """One line saying what is wrong with a YAML text and where (``line 3, column 7``)."""
    if isinstance(exc, yaml.MarkedYAMLError):
        what = " ".join(x for x in (exc.context, exc.problem) if x) or "not YAML"
        mark = exc.problem_mark or exc.context_mark
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        return shorten(" ".join((what + where).split()), 300)
    return shorten(" ".join(str(exc).split()), 300)


def read_input_file(path: str | os.PathLike[str], limit: int = MAX_YAML_BYTES, what: str = "file") -> str:
    """The text of a small input file, read safely: opened without waiting on a FIFO, refused unless a regular
    file, at most ``limit`` bytes read within :data:`READ_DEADLINE_S`. ``what`` names the file in messages.

    Raises
    ------
    InputFileError
        Naming the path and the rule it broke: unreadable, not a regular file, larger than ``limit``, too slow
        to read, binary or not UTF-8.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise InputFileError(f"{path}: cannot read the {what}: {exc.strerror or exc}") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = "a folder" if stat.S_ISDIR(mode) else "a FIFO" if stat.S_ISFIFO(mode) else "a device or socket"
            raise InputFileError(f"{path}: the {what} is {kind}, not a regular file; r57 reads only regular files")
        chunks, size, deadline = [], 0, time.monotonic() + READ_DEADLINE_S
        while size <= limit:
            chunk = os.read(fd, min(65536, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if time.monotonic() > deadline:
                raise InputFileError(f"{path}: reading the {what} took longer than {READ_DEADLINE_S:g} s")
    except OSError as exc:
        raise InputFileError(f"{path}: cannot read the {what}: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    raw = b"".join(chunks)
    if len(raw) > limit:
        raise InputFileError(f"{path}: the {what} is larger than {limit:,} bytes (the limit); it should be a few lines")
    if b"\0" in raw:
        raise InputFileError(f"{path}: the {what} is a binary file, not text")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputFileError(
            f"{path}: the {what} is not UTF-8 text (byte {exc.start} cannot be read); save it as UTF-8"
        ) from None


def read_data_yaml(path: str | os.PathLike[str], what: str) -> Any:
    """The YAML document in ``path`` (a manifest or metadata file; ``what`` names it), read by the bounded reader.

    Raises
    ------
    DataError
        Naming the path and what is wrong: not a regular file, larger than 4 MiB, not UTF-8, not YAML, nested
        too deep, anchors or a key given twice.
    """
    try:
        return load_yaml(read_input_file(path, MAX_DATA_YAML_BYTES, what), MAX_DATA_YAML_BYTES, DataLoader)
    except InputFileError as exc:
        raise DataError(str(exc)) from None
    except yaml.YAMLError as exc:
        raise DataError(f"{what} {path} is not valid YAML: {yaml_problem(exc)}") from None
