"""Notebook parameters: one specification per parameter, validated before any kernel starts, and the one
bounded YAML reader of scenario files, ``-f`` files and ``-p`` values.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from analysis import i18n, paths
from analysis.data.yamlfile import MAX_YAML_BYTES as MAX_YAML_BYTES  # re-exported: scenario files, tests
from analysis.data.yamlfile import MAX_YAML_DEPTH as MAX_YAML_DEPTH
from analysis.data.yamlfile import InputFileError, load_yaml, read_input_file, yaml_problem
from analysis.errors import InputError, ParameterError, shorten
from analysis.i18n import _

YEARS = range(1900, 2201)  # a year a mapping {year: number} may name
MAX_YEAR_MAP_ENTRIES = len(YEARS)  # one value per year at most
MAX_TEXT_CHARS = 1000  # a text parameter's value


@dataclass(frozen=True)
class ParamSpec:
    """One notebook parameter."""

    name: str
    kind: str
    default: Any
    unit: str
    help: str
    why_default: str
    lo: float | None = None
    hi: float | None = None
    choices: tuple[str, ...] | None = None
    nullable: bool = False  # None allowed; meaning given in ``null_means``
    null_means: str = ""
    # the nullable parameters whose data-resolved default depends on this one: while any of them is left empty,
    # a batch of scenarios resolves the data again for each value of this one (analysis.reports.rd_sweep)
    affects: tuple[str, ...] = ()
    # how a person names the parameter (a short English source text marked with ``N_()``, translated where
    # shown; the explorer's control label) and the group it belongs to (a key of the explorer's ordered
    # ``analysis.run.explore.GROUPS``); empty for parameters no explorer shows
    label: str = ""
    group: str = ""

    def allowed(self) -> str:
        if self.choices:
            text = "one of " + ", ".join(repr(c) for c in self.choices)
        elif self.kind == "bool":
            text = "true or false"
        elif self.lo is not None or self.hi is not None:
            rng = f"{self.lo:g} to {self.hi:g}"
            text = f"a whole number from {rng}" if self.kind == "int" else f"a number from {rng}"
            if self.kind == "float_or_year_map":
                text += ", or a mapping {year: number} with each number in that range"
        else:
            text = self.kind
        if self.nullable:
            text += f", or null ({self.null_means})"
        return text

    def coerce(self, value: Any) -> Any:
        """Check one value's type and range; return it in canonical form."""
        if value is None:
            if self.nullable:
                return None
            raise ParameterError(self.name, "must not be empty", self.allowed())
        return getattr(self, f"_coerce_{self.kind}")(value)  # one coercer per kind: bool, str, int, float, ...

    def _coerce_bool(self, value: Any) -> bool:
        if isinstance(value, bool):
            return value
        raise ParameterError(self.name, f"expected true or false, got {value!r}", self.allowed())

    def _coerce_str(self, value: Any) -> str:
        if not isinstance(value, str):
            raise ParameterError(self.name, f"expected text, got {shorten(repr(value), 80)}", self.allowed())
        if self.choices and value not in self.choices:
            raise ParameterError(self.name, f"{shorten(repr(value), 80)} is not allowed", self.allowed())
        if len(value) > MAX_TEXT_CHARS:
            raise ParameterError(
                self.name, f"text of {len(value):,} characters; at most {MAX_TEXT_CHARS}", self.allowed()
            )
        return value

    def _coerce_int(self, value: Any) -> int:
        """A whole number (``2035`` or ``2035.0``) within range."""
        if isinstance(value, bool) or not (isinstance(value, int) or (isinstance(value, float) and value.is_integer())):
            raise ParameterError(self.name, f"expected a whole number, got {value!r}", self.allowed())
        return self._in_range(int(value))

    def _coerce_float(self, value: Any) -> float:
        return self._in_range(self._number(value))

    def _coerce_float_or_year_map(self, value: Any) -> float | dict[int, float]:
        """A number, or a mapping {year: number} with each number within range."""
        if not isinstance(value, Mapping):
            return self._coerce_float(value)
        if not value:
            raise ParameterError(self.name, "the mapping is empty", self.allowed())
        if len(value) > MAX_YEAR_MAP_ENTRIES:
            raise ParameterError(
                self.name, f"the mapping has {len(value):,} years; at most {MAX_YEAR_MAP_ENTRIES}", self.allowed()
            )
        out = {}
        for k, v in value.items():
            year = self._year_key(k)
            out[year] = self._in_range(self._number(v), f" (for {year})")
        return dict(sorted(out.items()))

    def _year_key(self, key: Any) -> int:
        """A mapping key as a year from :data:`YEARS`: an int (not a bool) or text that is exactly a whole number."""
        text = shorten(repr(key), 40)
        if isinstance(key, bool) or not isinstance(key, (int, str)) or (isinstance(key, str) and len(key) > 12):
            raise ParameterError(self.name, f"mapping key {text} is not a year", self.allowed())
        try:
            year = int(key)
        except ValueError:
            raise ParameterError(self.name, f"mapping key {text} is not a year", self.allowed()) from None
        if str(year) != str(key).strip() or year not in YEARS:
            raise ParameterError(
                self.name, f"mapping key {text} is not a year from {YEARS.start} to {YEARS.stop - 1}", self.allowed()
            )
        return year

    def _number(self, value: Any) -> float:
        if not i18n.is_numeric(value):
            raise ParameterError(self.name, f"expected a number, got {value!r}", self.allowed())
        value = float(value)
        if not math.isfinite(value):
            raise ParameterError(self.name, f"expected a finite number, got {value!r}", self.allowed())
        return value

    def _in_range(self, value: float | int, where: str = "") -> float | int:
        if (self.lo is not None and value < self.lo) or (self.hi is not None and value > self.hi):
            raise ParameterError(self.name, f"{value!r}{where} is out of range", self.allowed())
        return value


NOT_COMPUTED = "–"  # a figure not computed: an en dash, as :data:`analysis.i18n.fmt` writes a missing number


@dataclass(frozen=True)
class KeyFigure:
    """A figure a report publishes on the site's index: ``name`` its key in results.json, ``header`` the column's
    heading, ``unit`` in words, ``fmt`` the decimals :data:`analysis.i18n.fmt` writes it with (None: by size),
    ``"year"`` or ``"yesno"``.
    """

    name: str
    header: str
    unit: str
    fmt: int | str | None = 1

    def text(self, value: Any) -> str:
        """``value`` as every page shows this figure (the index, the comparison pages, the explorer), in the current
        language: its declared decimals, a year ungrouped, yes/no; :data:`NOT_COMPUTED` when missing."""
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return NOT_COMPUTED
        if isinstance(value, bool) or self.fmt == "yesno":
            return _("yes") if value else _("no")
        if not isinstance(value, (int, float)):
            return str(value)
        return i18n.fmt.year(value) if self.fmt == "year" else i18n.fmt.num(value, self.fmt)


@dataclass(frozen=True)
class NotebookSpec:
    """A report: its notebook, title and parameters, and what the rest of r57 needs to know of it.

    ``datasets`` (names in ``analysis.data.datasets.DATASETS``) are every dataset it reads: checked against the
    manifest before a kernel starts, part of run-all's fingerprint; ``section`` and ``order`` place it on the index.
    ``messages`` are the files (relative to the project root), besides its notebook and its module
    ``src/analysis/reports/<name>.py``, whose texts are in its message area (``<name>.po``). ``baseline`` is the
    scenario its comparison page puts first and measures the others against (None: the first scenario, as for
    reports whose scenarios are different subjects); ``compare_charts`` the year-by-year fields of results.json
    ``path`` that page overlays: (field, chart title, unit label, divisor). ``findings``: its key findings, the
    names of their functions in ``analysis.reports.findings`` (named, as that module imports report modules), in
    the order its box shows them.
    """

    name: str
    notebook: str
    title: str
    params: tuple[ParamSpec, ...]
    check: Callable[[dict[str, Any]], None] | None = None  # cross-parameter rules
    preflight: Callable[[dict[str, Any]], Any] | None = None  # checks against the data, before a kernel
    internal: tuple[str, ...] = ("results_path",)  # set by the runner, not by users
    description: str = ""
    extra_help: Callable[[], str] | None = None  # more text for `r57 params NAME` (e.g. allowed entities)
    key_figures: tuple[KeyFigure, ...] = ()
    datasets: tuple[str, ...] = ()
    section: str = ""
    order: int = 100
    messages: tuple[str, ...] = ()
    baseline: str | None = None
    compare_charts: tuple[tuple[str, str, str, float], ...] = ()
    findings: tuple[str, ...] = ()
    # a scenario's ``resolution_target`` (a target code) -> the parameters it takes from the target data
    resolution_targets: Callable[[str], dict[str, Any]] | None = None

    def spec(self, name: str) -> ParamSpec:
        for p in self.params:
            if p.name == name:
                return p
        raise ParameterError(name, f"unknown parameter for {self.name}", ", ".join(self.names()))

    def names(self) -> list[str]:
        return [p.name for p in self.params]

    def defaults(self) -> dict[str, Any]:
        return {p.name: p.default for p in self.params}

    def message_files(self) -> tuple[str, ...]:
        """The file patterns of its message area: its notebook, its module and :attr:`messages`."""
        return (f"notebooks/{self.notebook}", f"src/analysis/reports/{self.name}.py", *self.messages)


INTERVAL_PCT = ParamSpec(
    "interval_pct",
    "float",
    80.0,
    "%",
    i18n.N_("Width of the intervals reported (80 = 10th to 90th percentile)."),
    i18n.N_("An 80% band is the usual band for policy readers."),
    lo=50.0,
    hi=99.0,
)

LANG = ParamSpec(
    "lang",
    "str",
    i18n.SOURCE_LANG,
    "",
    i18n.N_("Language of the report: en (English) or vi (Vietnamese)."),
    i18n.N_("English is the source text; `make reports` builds both editions."),
    choices=i18n.LANGS,
)

# parameters that change how a report reads, never a figure in it (the Python API's frames leave them out)
PRESENTATION_PARAMS: tuple[str, ...] = ("lang", "soe_funds_as")  # soe_funds_as: names the shares only

_REGISTRY: dict[str, NotebookSpec] = {}


def register(spec: NotebookSpec) -> NotebookSpec:
    """Make report ``spec`` known to r57; every report gets the ``lang`` parameter (last)."""
    if "lang" not in spec.names():
        spec = dataclasses.replace(spec, params=(*spec.params, LANG))
    _REGISTRY[spec.name] = spec
    return spec


def notebook_spec(name: str) -> NotebookSpec:
    """The registered report ``name`` (its module registers it on import; ``analysis.reports.registry`` imports
    them all)."""
    try:
        return _REGISTRY[name]
    except KeyError:
        raise ParameterError("notebook", f"unknown report {name!r}", ", ".join(sorted(_REGISTRY))) from None


def registered() -> list[NotebookSpec]:
    """The reports registered so far, in their order on the index."""
    return sorted(_REGISTRY.values(), key=lambda spec: (spec.order, spec.name))


def _annotation(p: ParamSpec) -> str:
    kind = "Union[float, dict]" if p.kind == "float_or_year_map" else p.kind
    return f'"Optional[{kind}]"' if p.nullable else f'"{kind}"' if "[" in kind else kind


def parameters_cell(name: str) -> str:
    """The source of report ``name``'s papermill parameters cell, written from its spec: one line per parameter
    (``name: type = default``), then the runner's; ``r57 params NAME --cell`` prints it, ``--write`` writes it
    (:func:`write_parameters_cell`), and each notebook's cell must be exactly this.
    """
    spec = notebook_spec(name)
    lines = [f"# Parameters (papermill) from the spec: `r57 params {name}` explains them, `--cell` writes this cell."]
    for p in spec.params:
        default = json.dumps(p.default, ensure_ascii=False) if isinstance(p.default, str) else repr(p.default)
        lines.append(f"{p.name}: {_annotation(p)} = {default}")
    lines += [f'{internal}: str = ""  # set by the runner' for internal in spec.internal]
    return "\n".join(lines)


def write_parameters_cell(name: str) -> list[Path]:
    """Rewrite report ``name``'s parameters cell as :func:`parameters_cell` gives it in its notebook (outputs
    stripped) and its py:percent twin, their other cells kept; return the two paths. ``r57 params NAME --write``.

    Raises
    ------
    InputError
        If a file has no code cell tagged ``parameters``, or more than one.
    """
    import jupytext

    notebook = paths.NOTEBOOKS_DIR / notebook_spec(name).notebook
    files = {notebook: "ipynb", notebook.with_suffix(".py"): "py:percent"}
    read = {path: jupytext.read(path) for path in files}  # both checked before either is written
    for path, nb in read.items():
        tagged = [c for c in nb.cells if c.cell_type == "code" and "parameters" in c.metadata.get("tags", [])]
        if len(tagged) != 1:
            raise InputError(f"{path}: {len(tagged)} code cells tagged 'parameters'; allowed: exactly one")
        tagged[0].source = parameters_cell(name)
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
    for path, nb in read.items():
        jupytext.write(nb, path, fmt=files[path])
    return list(files)


def parse_cli_value(text: str) -> Any:
    """A command-line value read as YAML (``2030`` -> int, ``{2026: 7}`` -> dict); text that is not YAML stays
    text, which the parameter's own check then refuses unless it takes text.
    """
    try:
        return load_yaml(text)
    except (yaml.YAMLError, RecursionError):
        return text


def validate(name: str, params: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Validate user parameters for notebook ``name``; return every parameter, defaults filled.

    Raises :class:`ParameterError` naming the parameter and what is allowed.
    """
    spec = notebook_spec(name)
    params = dict(params or {})
    for key in spec.internal:
        params.pop(key, None)
    unknown = sorted(set(params) - set(spec.names()))
    if unknown:
        raise ParameterError(unknown[0], f"unknown parameter for {name}", ", ".join(spec.names()))
    out = {p.name: p.coerce(params.get(p.name, p.default)) for p in spec.params}
    if spec.check:
        spec.check(out)
    return out


def describe(name: str) -> list[dict[str, str]]:
    """Rows for ``r57 params NAME``: name, default, unit, allowed, help, why the default."""
    spec = notebook_spec(name)
    rows = []
    for p in spec.params:
        default = "null" if p.default is None else yaml.safe_dump(p.default, default_flow_style=True).strip()
        default = default.removesuffix("\n...").removesuffix(" ...")
        rows.append(
            {
                "name": p.name,
                "default": default,
                "unit": p.unit,
                "allowed": p.allowed(),
                "help": p.help,
                "why_default": p.why_default,
            }
        )
    return rows


def load_params_file(path: str, report: str | None = None) -> dict[str, Any]:
    """Read a YAML parameter file (name -> value; a key given twice is refused), or a scenario file's
    ``parameters``, refused if its ``notebook`` is not ``report``; ParameterError ('-f') names the file."""
    try:
        doc = load_yaml(read_input_file(path, what="parameter file"))
    except InputFileError as exc:
        raise ParameterError("-f", str(exc)) from None
    except yaml.YAMLError as exc:
        raise ParameterError("-f", f"parameter file {path} is not valid YAML: {yaml_problem(exc)}") from None
    if doc is None:
        return {}
    if not isinstance(doc, dict):
        raise ParameterError("-f", f"parameter file {path} must be a mapping of name: value")
    if "parameters" in doc and isinstance(doc["parameters"], dict):
        if report is not None and doc.get("notebook", report) != report:
            raise ParameterError(
                "-f",
                f"scenario file {path} has notebook: {doc['notebook']!r}",
                f"notebook: {report}, or no notebook key",
            )
        doc = scenario_parameters(doc, report or doc.get("notebook"))
    return doc


def scenario_parameters(doc: dict[str, Any], report: str) -> dict[str, Any]:
    """A scenario document's parameters: those it takes from the Resolution target it names (``resolution_target``,
    through its report's :attr:`NotebookSpec.resolution_targets`), overridden by its own ``parameters``."""
    parameters = doc.get("parameters") or {}
    if doc.get("resolution_target") is None:
        return parameters
    targets = notebook_spec(report).resolution_targets
    if targets is None:
        raise ParameterError("resolution_target", f"{report} tracks no Resolution target", "no resolution_target key")
    return targets(doc["resolution_target"]) | parameters
