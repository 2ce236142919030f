"""The scenario catalogue: ``scenarios/*.yaml``, one named scenario per file.

A scenario file holds ``notebook`` (a report name such as ``rd_paths``), ``title``,
``description``, ``parameters`` and, where it tracks one, ``resolution_target`` (a target code
whose parameters it takes from the target data unless ``parameters`` overrides them). Every file
is validated exactly like command-line parameters; a bad file is named and refused. A description names
a parameter's value by a typed field (``{real_gdp_growth_pct:pct.0}``, as the message catalogues do),
filled from the scenario's parameters.
"""

from __future__ import annotations

import contextlib
import json
import re
import string
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from analysis import i18n, paths
from analysis.errors import ParameterError, R57Error
from analysis.reports import registry
from analysis.reports.params import (
    MAX_TEXT_CHARS,
    MAX_YAML_BYTES,
    InputFileError,
    load_yaml,
    read_input_file,
    scenario_parameters,
    yaml_problem,
)
from analysis.reports.registry import notebook_spec, validate

MAX_NAME_CHARS = 100  # a scenario's name becomes a file and a report folder's name
NAME_RE = re.compile(rf"\A[a-z0-9][a-z0-9_\-]{{0,{MAX_NAME_CHARS - 1}}}\Z")  # \Z: "$" lets a trailing newline through
# names a scenario's report folder must not take: a report's own folder (``r57 run`` writes there), the
# folders of ``r57 compare`` and of the history, the index page's lock, the site's own files, the editions'
RESERVED_NAMES = (
    frozenset(registry.names()) | {paths.COMPARE_DIR, paths.HISTORY, "index", "sweep", "glossary"} | set(i18n.LANGS)
)


class ScenarioError(R57Error):
    """A scenario file is unreadable or invalid; the message names the file."""


@dataclass(frozen=True)
class Scenario:
    name: str  # the file's stem: also the report folder's name
    path: Path
    notebook: str  # report name (rd_paths, rd_feasibility, ecosystem_rankings)
    title: str
    description: str
    parameters: dict[str, Any] = field(default_factory=dict)  # as the file gives them (with its target's)
    numbers: dict[str, Any] = field(default_factory=dict)  # the parameters with a number, defaults filled

    def described(self) -> str:
        """The description in the current language, its ``{parameter:kind}`` fields filled."""
        return i18n.gettext(self.description).format_map(self.numbers) if self.description else ""


_VALIDATED: dict[tuple[str, str], Scenario] | None = None  # within validated_once(): each file's Scenario


@contextlib.contextmanager
def validated_once() -> Iterator[None]:
    """Within the block (one run-all: its data and code do not change), each scenario file as written is
    validated once, not each time the batch, the comparison pages and the index read it."""
    global _VALIDATED
    _VALIDATED = {}
    try:
        yield
    finally:
        _VALIDATED = None


def load_scenario(path: Path) -> Scenario:
    """Read and validate one scenario file; raise ScenarioError naming it."""
    path = Path(path)
    _check_name(path)
    check_name_clash(path)
    doc = _read_document(path)
    key = (str(path), json.dumps(doc, sort_keys=True, default=str))
    if _VALIDATED is not None and key in _VALIDATED:
        return _VALIDATED[key]
    _check_document(path, doc)
    report, parameters, values = _check_parameters(path, doc)
    description = str(doc.get("description") or "").strip()
    numbers = {k: v for k, v in values.items() if i18n.is_number(v)}
    _check_description(path, report, description, numbers)
    scenario = Scenario(path.stem, path, report, doc["title"].strip(), description, parameters, numbers)
    if _VALIDATED is not None:
        _VALIDATED[key] = scenario
    return scenario


def check_name_clash(path: Path) -> None:
    """Refuse a scenario file when another in its folder claims its report folder (run-all would refuse both)."""
    clash = sorted(
        p.name
        for p in path.parent.glob("*")
        if p.suffix.lower() in (".yaml", ".yml") and p.stem.casefold() == path.stem.casefold() and p.name != path.name
    )
    if clash:
        raise ScenarioError(
            f"{path}: its report folder reports/{path.stem.casefold()} is also claimed by {', '.join(clash)} "
            "(names are compared ignoring case and .yaml/.yml); rename one"
        )


def name_problem(name: object) -> str | None:
    """The rule scenario name ``name`` breaks: ``"long"`` (over MAX_NAME_CHARS), ``"chars"`` (not NAME_RE) or
    ``"reserved"`` (RESERVED_NAMES); None for a name that can be a report folder's. Each caller words it."""
    if not isinstance(name, str) or not NAME_RE.match(name):
        return "long" if isinstance(name, str) and len(name) > MAX_NAME_CHARS else "chars"
    return "reserved" if name.casefold() in RESERVED_NAMES else None


def _check_name(path: Path) -> None:
    """Refuse a scenario file whose name cannot be a report folder's."""
    name = path.stem
    problem = name_problem(name)
    if problem in ("long", "chars"):
        shown = str(path) if str(path).isprintable() else repr(str(path))  # a newline in a name stays on one line
        raise ScenarioError(
            f"{shown}: file name must be lower-case letters, digits, '-' or '_' (at most {MAX_NAME_CHARS}, starting with a letter or digit)"
        )
    if problem == "reserved":
        raise ScenarioError(
            f"{path}: the name {name!r} is taken by a report or by the site itself "
            f"({', '.join(sorted(RESERVED_NAMES))}); rename the file"
        )


def _read_document(path: Path) -> Any:
    """A scenario file read as YAML by the bounded reader (:func:`~analysis.reports.params.read_input_file`)."""
    try:
        return load_yaml(read_input_file(path, MAX_YAML_BYTES, "scenario file"))
    except InputFileError as exc:
        raise ScenarioError(str(exc)) from None
    except yaml.YAMLError as exc:
        raise ScenarioError(f"{path}: cannot read it as YAML: {yaml_problem(exc)}") from None


KEYS = ("notebook", "title", "description", "parameters", "resolution_target")  # a scenario file's


def _check_document(path: Path, doc: Any) -> None:
    """Check a scenario document's shape: its keys, the required text, the parameters mapping."""
    if not isinstance(doc, dict):
        raise ScenarioError(f"{path}: must be a mapping with notebook, title, description and parameters")
    unknown = sorted(set(doc) - set(KEYS))
    if unknown:
        raise ScenarioError(f"{path}: unknown key(s) {unknown}; allowed: {', '.join(KEYS)}")
    for key in ("notebook", "title"):
        if not isinstance(doc.get(key), str) or not doc[key].strip():
            raise ScenarioError(f"{path}: '{key}' is required and must be text")
    for key in ("title", "description"):  # free text, shown on the index: bounded like a text parameter
        if len(str(doc.get(key) or "")) > MAX_TEXT_CHARS:
            raise ScenarioError(
                f"{path}: '{key}' has {len(str(doc[key])):,} characters; at most {MAX_TEXT_CHARS:,} (free text)"
            )
    if not isinstance(doc.get("parameters") or {}, dict):
        raise ScenarioError(f"{path}: 'parameters' must be a mapping of name: value")


def _check_parameters(path: Path, doc: dict[str, Any]) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """A scenario's report, its parameters (with its Resolution target's) and every parameter with defaults
    filled, validated exactly like the command line's, and the report's preflight run."""
    try:
        spec = notebook_spec(doc["notebook"])
        parameters = scenario_parameters(doc, spec.name)
        validated = validate(spec.name, parameters)
        if spec.preflight:
            spec.preflight(validated)
    except ParameterError as exc:
        raise ScenarioError(f"{path}: {exc}") from exc
    return spec.name, parameters, validated


def _check_description(path: Path, report: str, description: str, numbers: dict[str, Any]) -> None:
    """Refuse a description whose ``{field}`` is not a parameter of ``report`` with a number here, written as a
    kind of number (``{target_year:year}``, ``{real_gdp_growth_pct:pct.1}``)."""
    try:
        fields = [(name, spec) for _, name, spec, _ in string.Formatter().parse(description) if name is not None]
        i18n.Text(description).format_map(numbers)
    except (ValueError, KeyError) as exc:  # a lone brace, an unknown kind (i18n.FieldError), a name not there
        name = next((n for n, _ in fields if n not in numbers), None) if isinstance(exc, KeyError) else None
        why = f"{{{name}}} is not a parameter of {report} with a number" if name else str(exc)
        raise ScenarioError(f"{path}: description: {why}; write {{{{ for a brace") from None
    untyped = next((name for name, spec in fields if not spec), None)
    if untyped:
        raise ScenarioError(f"{path}: description: {{{untyped}}} needs a kind of number, e.g. {{{untyped}:num}}")


def load_catalogue(directory: Path | None = None) -> tuple[list[Scenario], list[tuple[Path, str]]]:
    """All scenarios in ``directory`` (sorted by name) and the files refused, with the reason."""
    directory = Path(directory or paths.SCENARIOS_DIR)
    good, bad = [], []
    for path in sorted(p for p in directory.glob("*") if p.suffix.lower() in (".yaml", ".yml")):
        try:
            good.append(load_scenario(path))
        except ScenarioError as exc:
            bad.append((path, str(exc)))
    return good, bad
