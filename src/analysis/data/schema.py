"""The tidy long format of every file in ``data/raw/`` and its validation.

One row per (entity, indicator, year, source). ``value`` is missing only when
``value_type`` says why (``not_found``, ``not_verified``, ``not_covered``…).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.data.yamlfile import read_data_yaml
from analysis.errors import DataError

RAW_COLUMNS: list[str] = [
    "entity",  # ISO 3166-1 alpha-3 code, WDI aggregate code, or a city/entity slug
    "entity_name",
    "indicator",  # project indicator code, units in the name where they apply
    "year",  # reference year (nullable when the source states none)
    "value",  # float; missing only for the value types in MISSING_VALUE_TYPES
    "unit",
    "value_type",  # see VALUE_TYPES
    "qualifier",  # see QUALIFIERS
    "source",  # organisation and dataset / indicator code
    "source_detail",  # edition, URL, table, quote, notes
]

VALUE_TYPES: dict[str, str] = {
    "reported": "published by the source as is",
    "derived": "computed by the compiler from published values (formula in source_detail)",
    "statement": "a number said by an official or the press, not a statistical release",
    "estimate": "a preliminary estimate published by the agency itself (e.g. GSO's first estimate), revised later",
    "target": "a policy target",
    "not_found": "searched for and not found; value left missing on purpose",
    "not_verified": "a figure in circulation that could not be traced to a source; value left missing",
    "derived_from_change": "computed from a reported rank and a reported change (e.g. 'rose 130 places to 766th')",
    "band": "the source gives a band (e.g. 61-70): two rows, range_low and range_high",
    "not_ranked": "the entity was not in that edition's list",
    "not_covered": "the index does not cover the entity at all",
}
MISSING_VALUE_TYPES = frozenset({"not_found", "not_verified", "not_ranked", "not_covered"})

# Ranking snapshots: one row per (index, edition, entity, indicator); indicator is rank, score or n_ranked.
RANK_COLUMNS: list[str] = [
    "index_name",  # short code: startupblink_country, startupblink_city, gii, egdi, imd_wdcr, startup_genome
    "year",  # edition year (not the year the data refer to)
    "entity",  # ISO3 code for economies, a slug for cities
    "entity_name",
    "entity_type",  # country or city
    "country",  # ISO3 of the entity's country
    "indicator",  # rank, score or n_ranked
    "value",
    "unit",
    "value_type",
    "qualifier",
    "source",
    "source_detail",
    "note",
]

QUALIFIERS: dict[str, str] = {
    "": "exact as published",
    "approx": "the source gives an approximate figure (about, nearly, ~)",
    "at_least": "the source says 'more than' or 'at least' this value",
    "at_most": "the source says 'less than' or 'at most' this value",
    "range_low": "lower end of a range the source gives",
    "range_high": "upper end of a range the source gives",
    "rounded": "the source rounds the published value",
}


@dataclass(frozen=True)
class IndicatorRule:
    """Allowed unit and value range for one indicator."""

    unit_contains: str
    lo: float
    hi: float


@dataclass(frozen=True)
class DatasetSchema:
    """What a data/raw file must look like."""

    name: str
    indicators: dict[str, IndicatorRule]
    year_range: tuple[int, int] = (1960, 2050)
    year_required: bool = True
    columns: tuple[str, ...] = tuple(RAW_COLUMNS)
    key: tuple[str, ...] = ("entity", "indicator", "year", "source", "qualifier")


def _typed_columns(df: pd.DataFrame, schema: DatasetSchema, path: str) -> pd.DataFrame:
    """Check the columns are exactly the schema's and give them their dtypes."""
    columns = list(schema.columns)
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise DataError(f"{path}: missing columns {missing}; expected {columns}")
    extra = [c for c in df.columns if c not in columns]
    if extra:
        raise DataError(f"{path}: unexpected columns {extra}; expected {columns}")
    out = df[columns].copy()
    for col in columns:
        if col not in ("year", "value"):
            out[col] = out[col].astype(str).where(out[col].notna(), "")  # a column all empty is read as float
    try:
        out["year"] = pd.to_numeric(out["year"], errors="raise").astype("Int64")
        out["value"] = pd.to_numeric(out["value"], errors="raise").astype(float)
    except (ValueError, TypeError) as exc:
        raise DataError(f"{path}: non-numeric year or value ({exc})") from exc
    return out


def _findings(out: pd.DataFrame, schema: DatasetSchema) -> Iterator[tuple[str, pd.Series]]:
    """The rules of every tidy file in order, each yielding what is wrong and the mask of the rows that break it."""
    yield f"value_type not one of {sorted(VALUE_TYPES)}", ~out["value_type"].isin(VALUE_TYPES)
    yield f"qualifier not one of {sorted(QUALIFIERS)}", ~out["qualifier"].isin(QUALIFIERS)
    # a value is missing exactly when value_type says why
    missing_value, is_missing_type = out["value"].isna(), out["value_type"].isin(MISSING_VALUE_TYPES)
    yield f"missing value without a value_type in {sorted(MISSING_VALUE_TYPES)}", missing_value & ~is_missing_type
    yield "a value given although value_type says it is missing", ~missing_value & is_missing_type
    empty = (out["entity"] == "") | (out["indicator"] == "") | (out["source"] == "")
    yield "empty entity, indicator or source", empty
    if schema.year_required:  # only missing values and statements may lack a year
        no_year = out["year"].isna() & ~out["value_type"].isin(MISSING_VALUE_TYPES | {"statement"})
        yield "missing year", no_year
    lo_y, hi_y = schema.year_range
    yield f"year outside {lo_y}-{hi_y}", out["year"].notna() & ((out["year"] < lo_y) | (out["year"] > hi_y))
    yield f"indicator not one of {sorted(schema.indicators)}", ~out["indicator"].isin(schema.indicators)
    rules, values = out["indicator"].map(schema.indicators).tolist(), out["value"]  # every indicator known by now
    unit_bad = pd.Series([r.unit_contains not in u for r, u in zip(rules, out["unit"], strict=True)], index=out.index)
    range_bad = (values < [r.lo for r in rules]) | (values > [r.hi for r in rules])
    for ind, rule in schema.indicators.items():  # each row checked once above; a finding names its indicator
        mine = out["indicator"] == ind
        yield f"unit of '{ind}' does not contain '{rule.unit_contains}'", mine & unit_bad
        yield f"value of '{ind}' outside [{rule.lo}, {rule.hi}]", mine & range_bad
    key = list(schema.key)
    yield f"duplicate {key}", out.duplicated(key, keep=False) & out["value"].notna()


def validate_tidy(df: pd.DataFrame, schema: DatasetSchema, path: str) -> pd.DataFrame:
    """Check a tidy frame against ``schema`` and return it typed; a :class:`DataError` names ``path``, the rule and rows."""
    out = _typed_columns(df, schema, path)
    for what, broken in _findings(out, schema):  # the first rule that finds rows ends the check
        if broken.any():
            bad = out[broken]
            sample = bad.head(5)[["entity", "indicator", "year", "value", "unit"]].to_string(index=False)
            raise DataError(f"{path}: {what} in {len(bad)} row(s), for example:\n{sample}")
    return out


def valued(df: pd.DataFrame, indicator: str, **equal: Any) -> pd.DataFrame:
    """The rows of one indicator that have a value.

    Parameters
    ----------
    df : pandas.DataFrame
        A tidy frame: at least the columns ``indicator`` and ``value`` (:data:`RAW_COLUMNS`).
    indicator : str
        The indicator code.
    **equal
        Further columns and the value each must equal, e.g. ``entity="VNM"`` or ``year=2013``.

    Returns
    -------
    pandas.DataFrame
        The rows of ``indicator`` (and ``equal``) whose ``value`` is not missing, in their order in ``df``,
        with their index.
    """
    keep = (df["indicator"] == indicator) & df["value"].notna()
    for column, value in equal.items():
        keep &= df[column] == value
    return df[keep]


def first_valued(df: pd.DataFrame, indicator: str, **equal: Any) -> pd.Series | None:
    """The first of :func:`valued`'s rows, or None when there is none.

    Parameters
    ----------
    df, indicator, **equal
        As for :func:`valued`.

    Returns
    -------
    pandas.Series or None
        The first row with a value, or None.
    """
    rows = valued(df, indicator, **equal)
    return None if rows.empty else rows.iloc[0]


def read_yaml_checked(path: Path | str, schema: dict[str, Any], what: str) -> Any:
    """The YAML document in ``path`` checked against the JSON ``schema``; a :class:`DataError` naming ``what`` otherwise."""
    doc = read_data_yaml(path, what)
    # jsonschema imports rfc3987_syntax when installed (jupyter-events pulls it in) only to check "iri" formats,
    # which no r57 schema uses; that import builds dozens of Lark parsers, ~1 s of CPU in every kernel and r57
    # command. None in sys.modules makes it the ImportError jsonschema already ignores.
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[assignment]
    import jsonschema

    error = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(schema).iter_errors(doc))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "the top level"
        raise DataError(f"{what} {path}: {where}: {error.message}")
    return doc
