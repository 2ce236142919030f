"""Build ``data/raw/`` from the compiled public figures in ``data/external/`` (``R57_REFERENCE_DIR``).

Run with ``r57 data build``. Every output row keeps its source and source detail;
indicators get project names with units; values the reference marks "not found"
or "not verified" stay missing with that ``value_type``. Re-running on the same
reference reproduces the committed files byte for byte (a test checks it).
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import paths
from analysis.data.build_rankings import build_egdi_full, build_rank_file, build_vc
from analysis.data.build_targets import BUILDERS as TARGET_BUILDERS
from analysis.data.datasets import DATASETS
from analysis.data.manifest import sha256_of, write_manifest
from analysis.data.schema import RANK_COLUMNS, RAW_COLUMNS, validate_tidy
from analysis.data.wdi import read_bulk_csv
from analysis.errors import DataError, InputError, R57Error

SNAPSHOT_DATE = "2026-11-22"  # the day these snapshots were taken from the compiled reference figures
MANIFEST_VERSION = "2026-11-22.1"
RETRIEVED_NOTE = (
    "Compiled into data/external from the pages and repositories named per row; the compiler "
    "recorded access dates only where source_detail gives one, so 'retrieved' is the snapshot date."
)


@dataclass(frozen=True)
class IndicatorMap:
    """How a reference indicator becomes a project indicator."""

    indicator: str
    unit: str
    value_type: str | None = None  # None: inferred (DERIVED marks -> derived, else default)


# ----------------------------------------------------------------------------- value parsing

_NUM = r"[-+]?\d+(?:\.\d+)?"


def parse_value(raw: object) -> list[tuple[float, str, str | None]]:
    """Parse a reference value cell into [(value, qualifier, missing_type)].

    ``"2070000 (approx; ...)"`` -> approx; ``">2100000"``, ``">=3"`` -> at_least;
    ``"~3160000"`` -> approx; ``"70-80"`` -> two rows (range_low, range_high);
    ``"not found"`` / ``"not verified"`` -> missing with that value type.
    """
    if raw is None or (isinstance(raw, float) and np.isnan(raw)):
        return [(np.nan, "", "not_found")]
    text = str(raw).strip()
    low = text.lower()
    if low.startswith("not verified"):
        return [(np.nan, "", "not_verified")]
    if low.startswith("not found") or low == "":
        return [(np.nan, "", "not_found")]
    m = re.fullmatch(rf"({_NUM})\s*-\s*({_NUM})", text)
    if m:
        return [(float(m.group(1)), "range_low", None), (float(m.group(2)), "range_high", None)]
    qualifier = ""
    if text.startswith(">"):
        qualifier = "at_least"
    elif text.startswith("<"):
        qualifier = "at_most"
    elif text.startswith("~") or "approx" in low:
        qualifier = "approx"
    m = re.search(_NUM, text.replace(",", ""))
    if not m:
        raise DataError(f"cannot read a number from reference value {text!r}")
    return [(float(m.group(0)), qualifier, None)]


def _tidy_from_reference(
    ref: pd.DataFrame,
    mapping: dict[str, IndicatorMap],
    *,
    default_type: str = "reported",
    row_filter: Callable[[pd.Series], bool] | None = None,
) -> pd.DataFrame:
    rows = []
    for _, r in ref.iterrows():
        if row_filter is not None and not row_filter(r):
            continue
        if r["indicator"] not in mapping:
            raise DataError(f"reference indicator {r['indicator']!r} has no mapping in build_raw")
        m = mapping[r["indicator"]]
        detail = str(r.get("source_detail", "") or "")
        ref_unit = str(r.get("unit", "") or "")
        for prefix, other in UNIT_SPLITS.get(r["indicator"], ()):  # one reference indicator, two measures
            if ref_unit.startswith(prefix):
                m = other
        if ref_unit and ref_unit != m.unit:
            detail = f"{detail} | unit as compiled: {ref_unit}"
        is_derived = any("DERIVED" in str(r.get(c, "")) for c in ("indicator", "unit", "source"))
        for value, qualifier, missing in parse_value(r["value"]):
            if "rounded" in str(r.get("source", "")).lower() or "(rounded)" in ref_unit:
                qualifier = qualifier or "rounded"
            vtype = missing or ("derived" if is_derived else (m.value_type or default_type))
            rows.append(
                {
                    "entity": r["country_iso3"],
                    "entity_name": r["country"],
                    "indicator": m.indicator,
                    "year": r["year"],
                    "value": value,
                    "unit": m.unit,
                    "value_type": vtype,
                    "qualifier": qualifier,
                    "source": str(r["source"]).strip(),
                    "source_detail": detail.strip(),
                }
            )
    out = pd.DataFrame(rows, columns=RAW_COLUMNS)
    out["year"] = pd.to_numeric(out["year"]).astype("Int64")
    return out


def _read_ref(ref_dir: Path, rel: str) -> pd.DataFrame:
    path = ref_dir / rel
    if not path.exists():
        raise DataError(f"reference file {path} not found (R57_REFERENCE_DIR names another folder than data/external?)")
    return pd.read_csv(path, dtype={"value": str})


# ----------------------------------------------------------------------------- builders

GERD_MAP = {
    "GERD_pct_GDP": IndicatorMap("gerd_pct_gdp", "% of GDP"),
    "GERD_pct_GDP_MOST_reported": IndicatorMap("gerd_pct_gdp_ministry", "% of GDP (pre-2019-revision GDP)"),
    "GERD_total_MOST": IndicatorMap("gerd_vnd_bn", "billion VND (current)"),
    "GERD_VND_DERIVED": IndicatorMap("gerd_vnd_bn", "billion VND (current)"),
    "GERD_PPP_USD": IndicatorMap("gerd_ppp_usd_mn", "million current PPP USD"),
}


def build_vn_gerd(ref_dir: Path) -> pd.DataFrame:
    a = _tidy_from_reference(_read_ref(ref_dir, "rd/vn_gerd_pct_gdp.csv"), GERD_MAP)
    b = _tidy_from_reference(_read_ref(ref_dir, "rd/vn_gerd_vnd_derived.csv"), GERD_MAP)
    return pd.concat([a, b], ignore_index=True)


GDP_MAP = {
    "GDP_current_LCU": IndicatorMap("gdp_vnd_bn", "billion VND (current)"),
    "GDP_constant_2010_LCU": IndicatorMap("gdp_const2010_vnd_bn", "billion VND (constant 2010 prices)"),
    "GDP_current_USD": IndicatorMap("gdp_usd_bn", "billion USD (current)"),
    "GDP_per_capita_current_USD": IndicatorMap("gdp_per_capita_usd", "USD per person (current)"),
    "GDP_real_growth": IndicatorMap("gdp_real_growth_pct", "% per year"),
    "Population": IndicatorMap("population", "persons"),
}


def build_vn_gdp(ref_dir: Path) -> pd.DataFrame:
    return _tidy_from_reference(_read_ref(ref_dir, "rd/vn_gdp_population.csv"), GDP_MAP)


# reference indicators that hold two measures told apart by their unit: (unit prefix, the other indicator)
UNIT_SPLITS: dict[str, tuple[tuple[str, IndicatorMap], ...]] = {
    # VietnamPlus/VNA 2012-14 "% of government spending" is not MoF's "% of total state budget expenditure"
    # (2017-23): two indicators, never one spliced series
    "ST_spending_share_of_state_budget": (
        ("% of government spending", IndicatorMap("st_share_of_govt_spending_pct", "% of government spending")),
    ),
}

BUDGET_MAP = {
    "State_budget_total_expenditure_estimate": IndicatorMap("budget_exp_vnd_bn", "billion VND"),
    "Central_budget_total_expenditure_estimate": IndicatorMap("central_budget_exp_vnd_bn", "billion VND"),
    "ST_spending_share_of_state_budget": IndicatorMap("st_share_of_budget_pct", "% of state budget expenditure"),
    "ST_investment_spending_share_of_state_budget": IndicatorMap(
        "st_investment_share_of_budget_pct", "% of state budget expenditure"
    ),
    "ST_regular_spending_share_of_state_budget": IndicatorMap(
        "st_recurrent_share_of_budget_pct", "% of state budget expenditure"
    ),
    "ST_recurrent_spending_share_of_state_budget": IndicatorMap(
        "st_recurrent_share_of_budget_pct", "% of state budget expenditure"
    ),
    "ST_RD_spending_plan": IndicatorMap("st_rd_plan_vnd_bn", "billion VND"),
    "ST_spending_total": IndicatorMap("st_spending_vnd_bn", "billion VND"),
    "ST_state_budget_investment": IndicatorMap("st_investment_vnd_bn", "billion VND"),
    "ST_recurrent_spending_state_budget": IndicatorMap("st_recurrent_vnd_bn", "billion VND"),
    "ST_Innov_DX_additional_allocation": IndicatorMap("stidx_additional_vnd_bn", "billion VND"),
    "ST_Innov_DX_allocated_to_agencies": IndicatorMap("stidx_allocated_vnd_bn", "billion VND"),
    "ST_Innov_DX_additional_planned": IndicatorMap("stidx_additional_planned_vnd_bn", "billion VND"),
    "ST_Innov_DX_budget_planned": IndicatorMap("stidx_budget_plan_vnd_bn", "billion VND"),
    "ST_Innov_DX_share_of_state_budget_DERIVED": IndicatorMap(
        "stidx_share_of_budget_pct", "% of state budget expenditure"
    ),
    "ST_budget_2023_seed_12091_(8800_central+3291_local)": IndicatorMap("st_budget_vnd_bn", "billion VND"),
}


def build_vn_state_budget(ref_dir: Path) -> pd.DataFrame:
    return _tidy_from_reference(_read_ref(ref_dir, "rd/vn_state_budget_st.csv"), BUDGET_MAP)


FUNDING_MAP = {
    "GERD_funded_by_business": IndicatorMap("gerd_business_funded_vnd_bn", "billion VND"),
    "GERD_funded_by_business_share": IndicatorMap("gerd_business_funded_share_pct", "% of GERD"),
    "GERD_funded_by_higher_education": IndicatorMap("gerd_he_funded_vnd_bn", "billion VND"),
    "GERD_funded_by_rest_of_world": IndicatorMap("gerd_abroad_funded_vnd_bn", "billion VND"),
    "GERD_funded_by_rest_of_world_share": IndicatorMap("gerd_abroad_funded_share_pct", "% of GERD"),
    "GERD_funded_by_government_share_DERIVED": IndicatorMap("gerd_government_funded_share_pct", "% of GERD"),
    "GERD_funded_by_government_share": IndicatorMap("gerd_government_funded_share_pct", "% of GERD"),
    "ST_investment_state_budget_share": IndicatorMap("st_investment_state_share_pct", "% of S&T investment"),
    "RD_investment_state_budget_share_range": IndicatorMap(
        "rd_state_budget_share_pct", "% of R&D investment", "statement"
    ),
    "RD_investment_private_share_range": IndicatorMap("rd_private_share_pct", "% of R&D investment", "statement"),
    "ST_funding_state_budget": IndicatorMap("st_state_funding_usd_mn", "million USD per year", "statement"),
    "GII_rank_GERD_financed_by_business": IndicatorMap("gii_rank_gerd_business_financed", "rank"),
    "UIS_GERD_by_source_of_funds_series": IndicatorMap("uis_gerd_by_source_of_funds", "% of GERD"),
}


# Rows the reference CSVs do not hold as rows (figures stated in rd/REPORT.md, searches that found nothing, the
# 2026 plan targets): rd/vn_rd_extra_rows.csv, its column ``builds`` naming the dataset each row belongs to
EXTRA_ROWS_FILE = "rd/vn_rd_extra_rows.csv"


def _extra_rows(ref_dir: Path, dataset: str) -> pd.DataFrame:
    ref = _read_ref(ref_dir, EXTRA_ROWS_FILE)
    out = ref.loc[ref["builds"] == dataset, RAW_COLUMNS].fillna({"qualifier": ""}).reset_index(drop=True)
    out["value"] = pd.to_numeric(out["value"])
    out["year"] = pd.to_numeric(out["year"]).astype("Int64")
    return out


def build_vn_gerd_funding(ref_dir: Path) -> pd.DataFrame:
    base = _tidy_from_reference(_read_ref(ref_dir, "rd/vn_gerd_funding_sources.csv"), FUNDING_MAP)
    return pd.concat([base, _extra_rows(ref_dir, "vn_gerd_funding")], ignore_index=True)


STATEMENTS_MAP = {
    "RD_pct_GDP_statement": IndicatorMap("rd_pct_gdp_statement", "% of GDP", "statement"),
    "RD_pct_GDP_statement_upper_bound": IndicatorMap("rd_pct_gdp_statement", "% of GDP", "statement"),
    "Target_RD_pct_GDP": IndicatorMap("target_gerd_pct_gdp", "% of GDP", "target"),
    "Target_RD_nonstate_share": IndicatorMap("target_nonstate_share_pct", "% of R&D funding", "target"),
    "Target_ST_Innov_DX_share_of_budget": IndicatorMap(
        "target_stidx_share_of_budget_pct", "% of state budget expenditure", "target"
    ),
    "Target_private_RD_2030": IndicatorMap("private_rd_needed_usd_bn", "billion USD", "statement"),
    "Published_required_RD_growth_rate": IndicatorMap("published_required_rd_growth_pct", "% per year"),
    "GDP_revision_avg_uplift_2010_2017": IndicatorMap("gdp_revision_uplift_pct", "% of pre-revision GDP", "statement"),
}


def build_vn_rd_statements(ref_dir: Path) -> pd.DataFrame:
    out = _tidy_from_reference(
        _read_ref(ref_dir, "rd/vn_rd_official_statements.csv"), STATEMENTS_MAP, default_type="statement"
    )
    upper = out["source_detail"].str.contains("chua dat 0,7", regex=False)
    out.loc[upper, "qualifier"] = "at_most"
    return pd.concat([out, _extra_rows(ref_dir, "vn_rd_statements")], ignore_index=True)


WDI_2026_SOURCE = "World Bank WDI GB.XPD.RSDV.GD.ZS (UNESCO UIS SDG 9.5.1 / BDDS)"

VINTAGES_MAP = {
    "GERD_pct_GDP": IndicatorMap("gerd_pct_gdp", "% of GDP"),
    "GERD_pct_GDP_reached_2pct_year": IndicatorMap("gerd_pct_gdp_first_reached", "% of GDP (threshold first reached)"),
}


def build_gerd_vintages(ref_dir: Path) -> pd.DataFrame:
    """Peers' GERD % of GDP from releases other than WDI 2026-07-13 (cross-checks)."""
    ref = _read_ref(ref_dir, "rd/peers_gerd_pct_gdp.csv")
    return _tidy_from_reference(ref, VINTAGES_MAP, row_filter=lambda r: r["source"] != WDI_2026_SOURCE)


def _wdi_builder(rel: str) -> Callable[[Path], pd.DataFrame]:
    def build(ref_dir: Path) -> pd.DataFrame:
        path = ref_dir / rel
        if not path.exists():
            raise DataError(f"reference file {path} not found")
        return read_bulk_csv(path).data

    return build


# how each file is built from its inputs; what the manifest says of it is in datasets.yaml
BUILDERS: dict[str, Callable[[Path], pd.DataFrame]] = {
    "vn_gerd": build_vn_gerd,
    "vn_gdp": build_vn_gdp,
    "vn_state_budget": build_vn_state_budget,
    "vn_gerd_funding": build_vn_gerd_funding,
    "vn_rd_statements": build_vn_rd_statements,
    "gerd_pct_gdp_vintages": build_gerd_vintages,
    "rank_un_egdi_full": build_egdi_full,
    "vn_vc_investment": build_vc,
    **TARGET_BUILDERS,
}


def builder(name: str) -> Callable[[Path], pd.DataFrame]:
    """How dataset ``name`` is built: its own builder, else a rank file or a WDI bulk file read from its input."""
    if name in BUILDERS:
        return BUILDERS[name]
    spec = DATASETS[name]
    if spec.schema.columns == tuple(RANK_COLUMNS):
        return build_rank_file(spec.meta["inputs"][0])
    if name.startswith("wdi_"):
        return _wdi_builder(spec.meta["inputs"][0])
    raise DataError(f"no builder for dataset {name}: add one to analysis.data.build_raw.BUILDERS")


def write_tidy_csv(
    df: pd.DataFrame, path: Path, columns: list[str] | None = None, key: list[str] | None = None
) -> None:
    """Write tidy rows in the canonical, diff-stable form (sorted, LF, %.10g values)."""
    columns = columns or RAW_COLUMNS
    key = key or ["entity", "indicator", "year", "source", "qualifier"]
    out = df[columns].sort_values(key, na_position="first", kind="mergesort")
    out.to_csv(path, index=False, float_format="%.10g", lineterminator="\n")


class ReferenceFileError(DataError, InputError):
    """A reference file that cannot be read as text: empty, binary, not UTF-8, or not the layout its
    builder expects. The message names the file and the data/raw file built from it."""


def check_reference_file(path: Path, builds: str) -> None:
    """Refuse a reference input that is not a regular file (a FIFO, a device, a folder; links are followed),
    empty, binary or not UTF-8. A missing file is left to the builder's own message.

    Parameters
    ----------
    path : Path
        The reference file.
    builds : str
        The data/raw file built from it, for the message.

    Raises
    ------
    ReferenceFileError
        Naming ``path``, what is wrong and what to do.
    """
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return  # a missing file: the builder's own message says to set R57_REFERENCE_DIR
    except OSError as exc:
        raise ReferenceFileError(
            f"reference file {path} cannot be read: {exc.strerror or exc} (it builds data/raw/{builds}); "
            "nothing was written"
        ) from None
    if not stat.S_ISREG(mode):  # a FIFO would make the builder wait forever, /dev/zero fill the memory
        kind = "a folder" if stat.S_ISDIR(mode) else "a FIFO" if stat.S_ISFIFO(mode) else "a device or socket"
        raise ReferenceFileError(
            f"reference file {path} is {kind}, not a regular file (it builds data/raw/{builds}); nothing was written"
        )
    raw = path.read_bytes()
    problem = None
    if not raw.strip():
        problem = "is empty"
    elif b"\0" in raw:
        problem = "is a binary file, not CSV text"
    else:
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            problem = f"is not UTF-8 text (byte {exc.start} cannot be read; Latin-1?); save it as UTF-8"
    if problem:
        raise ReferenceFileError(f"reference file {path} {problem} (it builds data/raw/{builds}); nothing was written")


def _build_one(name: str, ref_dir: Path) -> pd.DataFrame:
    """Dataset ``name`` built from ``ref_dir`` after checking each input file; a layout the builder cannot
    read is a one-line :class:`ReferenceFileError` naming the file built and its inputs, not a traceback."""
    spec = DATASETS[name]
    inputs = list(spec.meta.get("inputs") or [])
    for rel in inputs:
        check_reference_file(ref_dir / rel, spec.file)
    shown = ", ".join(str(ref_dir / rel) for rel in inputs) or str(ref_dir)
    try:
        df = builder(name)(ref_dir)
        validate_tidy(df, spec.schema, spec.file)
        return df
    except ReferenceFileError:
        raise
    except DataError as exc:  # a value the builder or the dataset's schema refuses: name the inputs too
        raise ReferenceFileError(
            f"cannot build data/raw/{spec.file} from {shown}: {exc}; nothing was written"
        ) from None
    except R57Error:
        raise
    except (ValueError, KeyError, IndexError, TypeError, pd.errors.ParserError) as exc:
        raise ReferenceFileError(
            f"cannot build data/raw/{spec.file} from {shown}: {type(exc).__name__}: {str(exc)[:200]} "
            "(a column or value is not what the builder expects); nothing was written"
        ) from None


def build_all(ref_dir: Path | None = None, out_dir: Path | None = None) -> list[dict]:
    """Build every data/raw file and the manifest; return the manifest entries."""
    ref_dir = Path(ref_dir or paths.REFERENCE_DIR)
    out_dir = Path(out_dir or paths.RAW_DATA_DIR)
    out_dir.mkdir(parents=True, exist_ok=True)
    ref_dir = ref_dir.resolve()
    label = (
        ref_dir.relative_to(paths.PROJECT_ROOT).as_posix() if ref_dir.is_relative_to(paths.PROJECT_ROOT) else ref_dir
    )
    entries = []
    for name, spec in DATASETS.items():
        df = _build_one(name, ref_dir)
        schema, meta = spec.schema, spec.meta
        path = out_dir / spec.file
        write_tidy_csv(df, path, list(schema.columns), list(schema.key))
        entries.append(
            {
                "file": spec.file,
                **{k: meta[k] for k in ("title", "producer", "dataset", "edition", "url", "retrieved")},
                "retrieved_note": RETRIEVED_NOTE
                if meta["retrieved"] == SNAPSHOT_DATE
                else "as recorded in data/external/manifest.yaml",
                "licence": meta["licence"],
                "sha256": sha256_of(path),
                "bytes": path.stat().st_size,
                "rows": int(len(df)),
                "indicators": sorted(df["indicator"].unique().tolist()),
                "years": [int(df["year"].min()), int(df["year"].max())],
                "columns": list(schema.columns),
                "sources": sorted(df["source"].unique().tolist()),
                "built_from": [{"path": f"{label}/{rel}"} for rel in meta["inputs"]],  # checksums: its manifest
                "built_by": "analysis.data.build_raw",
                "notes": meta.get("notes", ""),
            }
        )
    write_manifest(entries, MANIFEST_VERSION, out_dir / "manifest.yaml")
    return entries
