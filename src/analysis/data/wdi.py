"""World Bank World Development Indicators (WDI): bulk CSVs and API pulls into the tidy format."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.data.manifest import read_manifest
from analysis.data.schema import RAW_COLUMNS
from analysis.errors import DataError

# WDI regional and income aggregates (not economies). Classification, not data. A recorded copy,
# for offline use, of the 49 codes the API's country list marks as aggregates (region "Aggregates");
# `r57 data refresh` records the API's current list in the manifest and aggregate_codes() prefers it.
WDI_AGGREGATE_CODES: frozenset[str] = frozenset(
    """AFE AFW ARB CEB CSS EAP EAR EAS ECA ECS EMU EUU FCS HIC HPC IBD IBT IDA IDB IDX
    INX LAC LCN LDC LIC LMC LMY LTE MEA MIC MNA NAC OED OSS PRE PSS PST SAS SSA SSF
    SST TEA TEC TLA TMN TSA TSS UMC WLD""".split()
)


def aggregate_codes(data_dir: Path | None = None) -> frozenset[str]:
    """The WDI aggregate codes as last recorded by ``r57 data refresh`` in the manifest, else :data:`WDI_AGGREGATE_CODES`."""
    try:
        entries = read_manifest(Path(data_dir) / "manifest.yaml" if data_dir else None).entries
    except (DataError, OSError):
        return WDI_AGGREGATE_CODES
    recorded = [e["aggregates"] for e in entries.values() if e.get("aggregates")]
    return frozenset(recorded[0]) if recorded else WDI_AGGREGATE_CODES


WDI_LICENCE = "CC BY 4.0 (World Bank Open Data terms of use)"
WDI_SOURCE = "World Bank WDI"
# the source of the UNESCO UIS GERD rows of WDI's 2026-07-13 release (vn_gerd.csv, refreshed by r57 data refresh)
UIS_SOURCE = "World Bank WDI GB.XPD.RSDV.GD.ZS (UNESCO UIS SDG 9.5.1 / BDDS)"


@dataclass(frozen=True)
class WdiIndicator:
    """What the project calls a WDI series and the unit of its tidy values; ``source`` (default
    ``World Bank WDI <code>``) is the rows' ``source``, on which readers select.
    """

    code: str
    indicator: str
    unit: str
    scale: float = 1.0  # multiply the WDI value by this to get ``unit``
    source: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "source", self.source or f"{WDI_SOURCE} {self.code}")


# The WDI series this project uses, keyed by WDI code.
WDI_SERIES: dict[str, WdiIndicator] = {
    s.code: s
    for s in (
        WdiIndicator("GB.XPD.RSDV.GD.ZS", "gerd_pct_gdp", "% of GDP"),
        WdiIndicator("NY.GDP.PCAP.CD", "gdp_per_capita_usd", "current USD per person"),
        WdiIndicator("NY.GDP.MKTP.KD.ZG", "gdp_real_growth_pct", "% per year"),
        WdiIndicator("SP.POP.SCIE.RD.P6", "researchers_per_million", "researchers in R&D per million people"),
        WdiIndicator("NY.GDP.MKTP.CN", "gdp_vnd_bn", "billion local currency (current)", 1e-9),
        WdiIndicator("NY.GDP.MKTP.KN", "gdp_const_lcu_bn", "billion local currency (constant)", 1e-9),
        # Resolution 57 targets tracker (issue 14)
        WdiIndicator("IP.PAT.RESD", "patent_applications_residents", "patent applications by residents"),
        WdiIndicator("IP.PAT.NRES", "patent_applications_nonresidents", "patent applications by non-residents"),
        WdiIndicator(
            "IP.JRN.ARTC.SC", "journal_articles", "scientific and technical journal articles (fractional count)"
        ),
        WdiIndicator("TX.VAL.TECH.MF.ZS", "hightech_exports_pct_manufactured", "% of manufactured exports"),
        WdiIndicator("TX.VAL.TECH.CD", "hightech_exports_usd_mn", "million current USD", 1e-6),
        WdiIndicator("TX.VAL.MRCH.CD.WT", "merchandise_exports_usd_mn", "million current USD", 1e-6),
    )
}


@dataclass(frozen=True)
class WdiBulk:
    """A parsed WDI bulk CSV: tidy rows plus the edition it carries."""

    code: str
    last_updated: str
    data: pd.DataFrame


def tidy_wdi(
    long: pd.DataFrame, entity: pd.Series, entity_name: pd.Series, spec: WdiIndicator, detail: str
) -> pd.DataFrame:
    """Tidy rows of a melted WDI table (``year``, ``value``; a bulk CSV, a wide pull or the API) of series ``spec``,
    sorted by entity and year; empty values dropped, values scaled to ``spec.unit``."""
    value = pd.to_numeric(long["value"], errors="coerce")
    tidy = pd.DataFrame(
        {
            "entity": entity,
            "entity_name": entity_name,
            "indicator": spec.indicator,
            "year": long["year"].astype(int),
            "value": (value * spec.scale).round(10),
            "unit": spec.unit,
            "value_type": "reported",
            "qualifier": "",
            "source": spec.source,
            "source_detail": detail,
        }
    )[value.notna()]
    return tidy.sort_values(["entity", "year"]).reset_index(drop=True)[RAW_COLUMNS]


def parse_bulk_csv(text: str) -> WdiBulk:
    """Parse a WDI bulk CSV's text into tidy rows; a :class:`DataError` if it is not the layout or holds several indicators."""
    text = text.lstrip("\ufeff")
    lines = text.splitlines()
    last_updated = ""
    header_at = None
    for i, line in enumerate(lines[:10]):
        row = next(csv.reader([line])) if line.strip() else []
        if row and row[0] == "Last Updated Date":
            last_updated = row[1]
        if row[:4] == ["Country Name", "Country Code", "Indicator Name", "Indicator Code"]:
            header_at = i
            break
    if header_at is None or not last_updated:
        raise DataError("not a WDI bulk CSV: expected 'Last Updated Date' and a 'Country Name' header")
    wide = pd.read_csv(io.StringIO("\n".join(lines[header_at:])), dtype=str)
    wide = wide.loc[:, [c for c in wide.columns if not c.startswith("Unnamed")]]
    codes = wide["Indicator Code"].dropna().unique()
    if len(codes) != 1:
        raise DataError(f"WDI bulk CSV holds {len(codes)} indicators; expected exactly one")
    code = str(codes[0])
    spec = WDI_SERIES.get(code, WdiIndicator(code, code.lower().replace(".", "_"), "as published"))
    year_cols = [c for c in wide.columns if c.isdigit()]
    long = wide.melt(id_vars=["Country Name", "Country Code"], value_vars=year_cols, var_name="year")
    detail = f"WDI bulk CSV, Last Updated Date {last_updated}"
    tidy = tidy_wdi(long, long["Country Code"].astype(str), long["Country Name"].astype(str), spec, detail)
    return WdiBulk(code=code, last_updated=last_updated, data=tidy)


def read_bulk_csv(path: Path) -> WdiBulk:
    """Read and parse a WDI bulk CSV file."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise DataError(f"cannot read WDI file {path}: {exc}") from exc
    return parse_bulk_csv(text)


def read_api_wide_csv(path: Path, code: str, edition: str, names: dict[str, str] | None = None) -> pd.DataFrame:
    """Tidy rows from a wide WDI API pull (``country_code,2003,...``): ``edition`` goes into ``source_detail``,
    ``names`` (ISO3 -> name) fills ``entity_name`` (the code if unknown).
    """
    try:
        wide = pd.read_csv(path, dtype=str)
    except OSError as exc:
        raise DataError(f"cannot read WDI file {path}: {exc}") from exc
    if wide.columns[0] != "country_code" or not all(c.isdigit() for c in wide.columns[1:]):
        raise DataError(f"{path}: not a wide WDI API pull (expected 'country_code' then year columns)")
    long = wide.melt(id_vars=["country_code"], var_name="year")
    codes, names = long["country_code"].astype(str), names or {}
    return tidy_wdi(long, codes, codes.map(lambda c: names.get(c, c)), WDI_SERIES[code], edition)
