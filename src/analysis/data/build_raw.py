"""Build ``data/raw/`` from the compiled public figures in ``../shared/reference/``.

Run with ``r57 data build``. Every output row keeps its source and source detail;
indicators get project names with units; values the reference marks "not found"
or "not verified" stay missing with that ``value_type``. Re-running on the same
reference reproduces the committed files byte for byte (a test checks it).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import paths
from analysis.data.build_rankings import build_egdi_full, build_rank_file, build_vc
from analysis.data.datasets import DATASETS
from analysis.data.manifest import sha256_of, write_manifest
from analysis.data.schema import RAW_COLUMNS, validate_tidy
from analysis.data.wdi import WDI_LICENCE, read_bulk_csv
from analysis.errors import DataError, InputError, R57Error

SNAPSHOT_DATE = "2026-11-22"  # the day these snapshots were taken from shared/reference
MANIFEST_VERSION = "2026-11-22.1"
RETRIEVED_NOTE = (
    "Compiled into shared/reference from the pages and repositories named per row; the compiler "
    "recorded access dates only where source_detail gives one, so 'retrieved' is the snapshot date."
)


@dataclass(frozen=True)
class IndicatorMap:
    """How a reference indicator becomes a project indicator."""

    indicator: str
    unit: str
    value_type: str | None = None  # None: inferred (DERIVED marks -> derived, else default)


@dataclass
class RawFile:
    """One data/raw file: how it is built and what the manifest says about it."""

    file: str
    title: str
    producer: list[str]
    dataset: list[str]
    edition: str
    url: list[str]
    licence: str
    inputs: list[str]
    build: Callable[[Path], pd.DataFrame]
    retrieved: str = SNAPSHOT_DATE
    notes: str = ""
    extra: dict = field(default_factory=dict)


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
        raise DataError(f"reference file {path} not found; set R57_REFERENCE_DIR to the shared/reference folder")
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


# Rows the reference CSVs do not hold as rows: figures stated in shared/reference/rd/REPORT.md (with the
# page they come from) and the searches that found nothing, kept as not_found so reports can say so.
_VIETQ = "https://haiduongdost.gov.vn/hoat-dong-tc-dl-cl/doanh-nghip-vn-ngay-cang-tng-u-t-cho-khacn-8910.html"
FUNDING_EXTRA_ROWS = [
    (
        "gerd_soe_funded_vnd_bn",
        2013,
        4500.0,
        "billion VND",
        "reported",
        "at_least",
        "MOST national R&D survey (vietq.vn)",
        f"{_VIETQ} as summarised in shared/reference/rd/REPORT.md section 2: Viettel 2,500 bn and PetroVietnam 2,000 bn "
        "of the 5,352 bn business-funded R&D in 2013, both state-owned; other state-owned firms not itemised (at least)",
    ),
    (
        "gerd_state_budget_central_funded_vnd_bn",
        None,
        None,
        "billion VND",
        "not_found",
        "",
        "GERD financed by the central state budget",
        "no split of state-funded R&D between central and local budgets "
        "found in shared/reference (the seed 8,800 central + 3,291 local for 2023 S&T is not verified)",
    ),
    (
        "gerd_state_budget_local_funded_vnd_bn",
        None,
        None,
        "billion VND",
        "not_found",
        "",
        "GERD financed by local (provincial) budgets",
        "not found in shared/reference",
    ),
    (
        "gerd_private_domestic_funded_vnd_bn",
        None,
        None,
        "billion VND",
        "not_found",
        "",
        "GERD financed by private domestic firms",
        "no survey figure after 2013 found; EY's 2025 'private 20-30%' is a statement",
    ),
    (
        "gerd_fdi_funded_vnd_bn",
        None,
        None,
        "billion VND",
        "not_found",
        "",
        "GERD financed by foreign-invested firms in Viet Nam",
        "not found in shared/reference",
    ),
]


def _extra_rows(rows: list[tuple]) -> pd.DataFrame:
    out = pd.DataFrame(
        [
            {
                "entity": "VNM",
                "entity_name": "Viet Nam",
                "indicator": ind,
                "year": year,
                "value": value,
                "unit": unit,
                "value_type": vtype,
                "qualifier": qual,
                "source": src,
                "source_detail": detail,
            }
            for ind, year, value, unit, vtype, qual, src, detail in rows
        ],
        columns=RAW_COLUMNS,
    )
    out["year"] = pd.to_numeric(out["year"]).astype("Int64")
    return out


def build_vn_gerd_funding(ref_dir: Path) -> pd.DataFrame:
    base = _tidy_from_reference(_read_ref(ref_dir, "rd/vn_gerd_funding_sources.csv"), FUNDING_MAP)
    return pd.concat([base, _extra_rows(FUNDING_EXTRA_ROWS)], ignore_index=True)


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
    return pd.concat([out, _extra_rows(STATEMENTS_EXTRA_ROWS)], ignore_index=True)


STATEMENTS_EXTRA_ROWS = [
    (
        "target_real_gdp_growth_pct",
        2026,
        10.0,
        "% per year",
        "target",
        "at_least",
        "National Assembly Resolution 244/2025/QH15 on the 2026 socio-economic development plan (13 Nov 2025)",
        "https://baonghean.vn/en/quoc-hoi-chot-muc-tieu-tang-truong-nam-2026-tu-10-tro-len-gdp-binh-quan-dau-nguoi-khoang-5-400-5-500-usd-10311249.html ; "
        'https://xe.today/2025/11/29/2026-civil-servant-performance-evaluation-based-on-kpis ("GDP growth rate of 10% or higher"; '
        "first year of the 2026-2030 plan; CPI about 4.5%)",
    ),
    (
        "target_cpi_pct",
        2026,
        4.5,
        "% per year",
        "target",
        "approx",
        "National Assembly Resolution 244/2025/QH15 on the 2026 socio-economic development plan (13 Nov 2025)",
        "https://baonghean.vn/en/quoc-hoi-chot-muc-tieu-tang-truong-nam-2026-tu-10-tro-len-gdp-binh-quan-dau-nguoi-khoang-5-400-5-500-usd-10311249.html "
        '("average growth rate of the consumer price index (CPI) was about 4.5%")',
    ),
]


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


WDI_REPOS = {
    "GB.XPD.RSDV.GD.ZS": "github Zavvnr/Zavier-ISS-Presentation-Data data/API_GB.XPD.RSDV.GD.ZS_DS2_en_csv_v2_232.csv",
    "NY.GDP.PCAP.CD": "github Zavvnr/Zavier-ISS-Presentation-Data data/API_NY.GDP.PCAP.CD_DS2_en_csv_v2_33610.csv",
    "SP.POP.SCIE.RD.P6": "github Zavvnr/Zavier-ISS-Presentation-Data data/API_SP.POP.SCIE.RD.P6",
    "NY.GDP.MKTP.KD.ZG": "github Omelette719/UAS_VISDAT data/API_NY.GDP.MKTP.KD.ZG_DS2_en_csv_v2.csv",
}


def _wdi_file(file: str, code: str, title: str, edition: str, ref_name: str) -> RawFile:
    return RawFile(
        file=file,
        title=title,
        producer=["World Bank (World Development Indicators)"]
        + (["UNESCO Institute for Statistics"] if code in {"GB.XPD.RSDV.GD.ZS", "SP.POP.SCIE.RD.P6"} else []),
        dataset=[code],
        edition=f"WDI bulk CSV, Last Updated Date {edition}",
        url=[f"https://data.worldbank.org/indicator/{code}", WDI_REPOS[code]],
        licence=WDI_LICENCE,
        inputs=[f"rd/wdi/{ref_name}"],
        build=_wdi_builder(f"rd/wdi/{ref_name}"),
        retrieved="2026-08-25" if code == "GB.XPD.RSDV.GD.ZS" else SNAPSHOT_DATE,
        notes="All economies and WDI aggregates (see analysis.data.wdi.WDI_AGGREGATE_CODES); empty cells dropped.",
    )


PRESS_LICENCE = "Facts quoted from public statements and news reports; cite the source per row"
RANK_NOTES = (
    "Long format, one row per (index, edition, entity, indicator: rank, score, n_ranked); value_type keeps "
    "reported / derived_from_change / band / not_ranked / not_covered / not_found as compiled."
)


def _rank_file(
    file: str, title: str, producer: list[str], edition: str, url: list[str], rel: str, notes: str = ""
) -> RawFile:
    return RawFile(
        file=file,
        title=title,
        producer=producer,
        dataset=[title.split(":")[0]],
        edition=edition,
        url=url,
        licence="Ranks and scores quoted from the index publishers and news reports; cite the source per row",
        inputs=[rel],
        build=build_rank_file(rel),
        notes=(RANK_NOTES + " " + notes).strip(),
    )


RAW_FILES: list[RawFile] = [
    RawFile(
        file="vn_gerd.csv",
        title="Viet Nam gross domestic expenditure on R&D (GERD): % of GDP in two vintages, and VND totals",
        producer=[
            "World Bank WDI / UNESCO Institute for Statistics",
            "Viet Nam Ministry of Science and Technology (MOST)",
            "US NSF/NCSES",
        ],
        dataset=["GB.XPD.RSDV.GD.ZS", "MOST national R&D survey (Bo KHCN 2020)", "NCSES SEI RD-5, 4-5"],
        edition="WDI 2026-07-13; MOST survey as published 2020; NCSES 2020-2021",
        url=[
            "https://data.worldbank.org/indicator/GB.XPD.RSDV.GD.ZS",
            "http://online.flipbuilder.com/tgord/kbfx/files/basic-html/page426.html",
        ],
        licence=f"{WDI_LICENCE}; MOST and NCSES figures quoted with source",
        inputs=["rd/vn_gerd_pct_gdp.csv", "rd/vn_gerd_vnd_derived.csv"],
        build=build_vn_gerd,
        notes=(
            "gerd_pct_gdp (WDI/UIS) uses GSO's revised GDP; gerd_pct_gdp_ministry uses pre-revision GDP. "
            "The GERD totals agree; only the denominator differs. No data for 2020, 2022, 2024, 2025."
        ),
    ),
    RawFile(
        file="vn_gdp.csv",
        title="Viet Nam GDP (current and constant VND, current USD, real growth, per capita) and population",
        producer=["World Bank WDI", "General Statistics Office of Viet Nam (GSO/NSO)", "IMF WEO"],
        dataset=[
            "NY.GDP.MKTP.CN",
            "NY.GDP.MKTP.KN",
            "NY.GDP.MKTP.CD",
            "NY.GDP.MKTP.KD.ZG",
            "NY.GDP.PCAP.CD",
            "SP.POP.TOTL",
            "GSO annual GDP releases 2023-2025",
        ],
        edition="WDI 2025-03-24 (CN, KN), 2026-02-24 (CD), 2025-12-15 (KD.ZG), 2026-07-13 (PCAP); GSO releases Dec 2023, 6 Jan 2025, 5 Jan 2026",
        url=[
            "https://data.worldbank.org/indicator/NY.GDP.MKTP.CN?locations=VN",
            "https://www.vietnamplus.vn/kinh-te-viet-nam-2025-tang-truong-but-pha-gdp-tang-802-post1086760.vnp",
        ],
        licence=f"{WDI_LICENCE}; GSO figures quoted with source",
        inputs=["rd/vn_gdp_population.csv"],
        build=build_vn_gdp,
        notes="Series break 2009->2010 in current-price levels (GSO rebasing); use growth rates across it.",
    ),
    RawFile(
        file="vn_state_budget.csv",
        title="Viet Nam state-budget expenditure and science-and-technology spending",
        producer=[
            "National Assembly of Viet Nam",
            "Ministry of Finance",
            "Ministry of Science and Technology",
            "Government",
        ],
        dataset=["NA state budget resolutions 2023-2026", "MoF budget reports", "MOST Bang 8 (2008-2020)"],
        edition="NA resolutions of 11 Nov 2022, 10 Nov 2023, 13 Nov 2024, 13 Nov 2025; MOST 2013/2020",
        url=[
            "https://en.vietnamplus.vn/national-assembly-passes-resolution-on-state-budget-estimate-for-2026-post332458.vnp",
            "https://news.laodong.vn/thoi-su/nam-2026-danh-khoang-95000-ti-dong-ngan-sach-cho-khoa-hoc-cong-nghe-1609448.ldo",
        ],
        licence=PRESS_LICENCE,
        inputs=["rd/vn_state_budget_st.csv"],
        build=build_vn_state_budget,
        notes="S&T-only shares and the Resolution 57 S&T+innovation+digital-transformation share are different concepts; do not splice.",
    ),
    RawFile(
        file="vn_gerd_funding.csv",
        title="Viet Nam GERD by source of funds: everything found",
        producer=["MOST national R&D survey (via vietq.vn)", "OECD/World Bank", "EY Vietnam", "WIPO GII"],
        dataset=["MOST R&D survey 2014", "OECD/WB STI Review of Viet Nam 2014", "EY Vietnam 2025"],
        edition="various; see source_detail",
        url=[
            "https://haiduongdost.gov.vn/hoat-dong-tc-dl-cl/doanh-nghip-vn-ngay-cang-tng-u-t-cho-khacn-8910.html",
            "https://baomoi.net.vn/dau-tu-manh-cho-r-d-de-tang-truong-but-pha-c53235609.epi",
        ],
        licence=PRESS_LICENCE,
        inputs=["rd/vn_gerd_funding_sources.csv"],
        build=build_vn_gerd_funding,
        notes="The UIS GERD-by-source-of-funds series for Viet Nam was not found (kept as a not_found row).",
    ),
    RawFile(
        file="vn_rd_statements.csv",
        title="Resolution 57 targets and official statements on Viet Nam's R&D spending",
        producer=["Communist Party of Viet Nam Politburo", "Government and ministers of Viet Nam", "press"],
        dataset=[
            "Resolution 57-NQ/TW (22 Dec 2024)",
            "statements 2019-2025",
            "NA Resolution 244/2025/QH15 (2026 socio-economic plan: growth and CPI targets)",
        ],
        edition="statements dated 2019-2025",
        url=[
            "https://vietnambiz.vn/viet-nam-chi-khoang-05-gdp-cho-rd-cac-nuoc-khac-the-nao-va-bai-hoc-rut-ra-la-gi-202521910569704.htm"
        ],
        licence=PRESS_LICENCE,
        inputs=["rd/vn_rd_official_statements.csv"],
        build=build_vn_rd_statements,
    ),
    RawFile(
        file="gerd_pct_gdp_vintages.csv",
        title="GERD % of GDP for peer economies from releases other than WDI 2026-07-13 (cross-checks)",
        producer=["OECD MSTI via NSF/NCSES", "earlier WDI releases", "national sources"],
        dataset=["NCSES SEI SRD-1, RD-5, 4-5", "OECD STI Outlook 2006"],
        edition="OECD MSTI Sept 2023, Sept 2021, 2019/1; WDI 2025",
        url=["https://ncses.nsf.gov/indicators"],
        licence="Quoted with source (OECD, NSF/NCSES public tables)",
        inputs=["rd/peers_gerd_pct_gdp.csv"],
        build=build_gerd_vintages,
        notes="Korea's WDI 2026 values are systematically lower than OECD MSTI's (GDP revision); use one vintage at a time.",
    ),
    _rank_file(
        "rank_startupblink_countries.csv",
        "StartupBlink Global Startup Ecosystem Index: countries",
        ["StartupBlink"],
        "editions 2019-2025",
        ["https://www.startupblink.com/startup-ecosystem-rankings"],
        "rankings/startupblink_countries.csv",
        "About 100 countries ranked until 2024; 118 in 2025.",
    ),
    _rank_file(
        "rank_startupblink_cities.csv",
        "StartupBlink Global Startup Ecosystem Index: cities",
        ["StartupBlink"],
        "editions 2019-2025",
        ["https://www.startupblink.com/startup-ecosystem-rankings"],
        "rankings/startupblink_cities.csv",
        "1,000 cities ranked until 2024; 1,400+ in 2025 (Da Nang 766 of 1,400+).",
    ),
    _rank_file(
        "rank_startupblink_score_points.csv",
        "StartupBlink Global Startup Ecosystem Index: city (rank, score) points",
        ["StartupBlink"],
        "editions 2020-2023",
        ["https://www.online-documents.ru/report/2022/06/index/22/"],
        "rankings/startupblink_city_score_points.csv",
        "Scores are on each edition's own scale; fit editions separately.",
    ),
    _rank_file(
        "rank_gii.csv",
        "WIPO Global Innovation Index: Viet Nam and Southeast Asia",
        ["WIPO"],
        "editions 2011-2025",
        ["https://www.wipo.int/global_innovation_index/en/"],
        "rankings/gii.csv",
    ),
    _rank_file(
        "rank_un_egdi.csv",
        "UN E-Government Development Index: Southeast Asia",
        ["UN DESA"],
        "surveys 2010-2024 (biennial)",
        ["https://publicadministration.un.org/egovkb/en-us/Data-Center"],
        "rankings/un_egdi.csv",
    ),
    _rank_file(
        "rank_imd_wdcr.csv",
        "IMD World Digital Competitiveness Ranking: Southeast Asia",
        ["IMD World Competitiveness Center"],
        "editions 2017-2025",
        [
            "https://www.imd.org/centers/wcc/world-competitiveness-center/rankings/world-digital-competitiveness-ranking/"
        ],
        "rankings/imd_wdcr.csv",
        "Viet Nam is not covered by any edition (kept as not_covered rows).",
    ),
    _rank_file(
        "rank_startup_genome.csv",
        "Startup Genome GSER: Top 100 Emerging Ecosystems",
        ["Startup Genome"],
        "editions 2020-2025",
        ["https://startupgenome.com/reports"],
        "rankings/startup_genome_gser.csv",
        "Most ranks are published as bands (e.g. 61-70).",
    ),
    RawFile(
        file="rank_un_egdi_full.csv",
        title="UN E-Government Development Index, all 193 members, 2010-2018",
        producer=["UN DESA (E-Government Survey)"],
        dataset=["UN E-Government Survey data (EGDI, OSI, HCI, TII)"],
        edition="surveys 2010, 2012, 2014, 2016, 2018",
        url=[
            "https://publicadministration.un.org/egovkb/en-us/Data-Center",
            "github UNU-EGOV/datasets egdi/ (commit 3b9c435)",
        ],
        licence="UN DESA E-Government Survey data, quoted with source",
        inputs=[f"rankings/egdi/egdi-{y}.csv" for y in (2010, 2012, 2014, 2016, 2018)],
        build=build_egdi_full,
        notes=RANK_NOTES,
    ),
    RawFile(
        file="vn_vc_investment.csv",
        title="Viet Nam startup venture-capital totals and digital-economy GMV",
        producer=["NIC & Do Ventures", "Cento Ventures", "MOST", "Google, Temasek & Bain"],
        dataset=["Vietnam Innovation & Tech Investment Report", "e-Conomy SEA"],
        edition="reports 2019-2025",
        url=["https://vneconomy.vn/venture-capital-up-sharply-in-2021-and-still-rising.htm"],
        licence=PRESS_LICENCE,
        inputs=["rankings/vn_vc_investment.csv"],
        build=build_vc,
        notes="Sources use different scopes (VC only vs all private deals); do not splice series across sources.",
    ),
    _wdi_file(
        "wdi_gerd_pct_gdp.csv",
        "GB.XPD.RSDV.GD.ZS",
        "GERD as % of GDP, all economies (WDI/UIS)",
        "2026-07-13",
        "WDI_GB.XPD.RSDV.GD.ZS_20260713.csv",
    ),
    _wdi_file(
        "wdi_gdp_per_capita_usd.csv",
        "NY.GDP.PCAP.CD",
        "GDP per capita, current USD, all economies (WDI)",
        "2026-07-13",
        "WDI_NY.GDP.PCAP.CD_20260713.csv",
    ),
    _wdi_file(
        "wdi_gdp_real_growth.csv",
        "NY.GDP.MKTP.KD.ZG",
        "Real GDP growth, % per year, all economies (WDI)",
        "2025-12-15",
        "WDI_NY.GDP.MKTP.KD.ZG_20251215.csv",
    ),
    _wdi_file(
        "wdi_researchers_per_million.csv",
        "SP.POP.SCIE.RD.P6",
        "Researchers in R&D per million people, all economies (WDI/UIS)",
        "2026-07-13",
        "WDI_SP.POP.SCIE.RD.P6_20260713.csv",
    ),
]

from analysis.data.build_targets import raw_files as _target_raw_files  # noqa: E402 - needs RawFile, defined above

RAW_FILES += _target_raw_files(RawFile)  # the Resolution 57 targets tracker (issue 14)


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
    """Refuse a reference input that is missing, not a regular file, empty, binary or not UTF-8.

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
    if not path.is_file():
        return  # a missing file: the builder's own message says to set R57_REFERENCE_DIR
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


def _build_one(spec: RawFile, ref_dir: Path) -> pd.DataFrame:
    """``spec.build(ref_dir)`` after checking each input file; a layout the builder cannot read is a
    one-line :class:`ReferenceFileError` naming the file built and its inputs, not a traceback."""
    for rel in spec.inputs:
        check_reference_file(ref_dir / rel, spec.file)
    try:
        return spec.build(ref_dir)
    except R57Error:
        raise
    except (ValueError, KeyError, IndexError, TypeError, pd.errors.ParserError) as exc:
        inputs = ", ".join(str(ref_dir / rel) for rel in spec.inputs) or str(ref_dir)
        raise ReferenceFileError(
            f"cannot build data/raw/{spec.file} from {inputs}: {type(exc).__name__}: {str(exc)[:200]} "
            "(a column or value is not what the builder expects); nothing was written"
        ) from None


def build_all(ref_dir: Path | None = None, out_dir: Path | None = None) -> list[dict]:
    """Build every data/raw file and the manifest; return the manifest entries."""
    ref_dir = Path(ref_dir or paths.REFERENCE_DIR)
    out_dir = Path(out_dir or paths.RAW_DATA_DIR)
    out_dir.mkdir(parents=True, exist_ok=True)
    entries = []
    for spec in RAW_FILES:
        df = _build_one(spec, ref_dir)
        schema = DATASETS[spec.file.removesuffix(".csv")].schema
        validate_tidy(df, schema, spec.file)
        path = out_dir / spec.file
        write_tidy_csv(df, path, list(schema.columns), list(schema.key))
        entries.append(
            {
                "file": spec.file,
                "title": spec.title,
                "producer": spec.producer,
                "dataset": spec.dataset,
                "edition": spec.edition,
                "url": spec.url,
                "retrieved": spec.retrieved,
                "retrieved_note": RETRIEVED_NOTE
                if spec.retrieved == SNAPSHOT_DATE
                else "as recorded in shared/reference",
                "licence": spec.licence,
                "sha256": sha256_of(path),
                "bytes": path.stat().st_size,
                "rows": int(len(df)),
                "indicators": sorted(df["indicator"].unique().tolist()),
                "years": [int(df["year"].min()), int(df["year"].max())],
                "columns": list(schema.columns),
                "sources": sorted(df["source"].unique().tolist()),
                "built_from": [
                    {"path": f"shared/reference/{rel}", "sha256": sha256_of(ref_dir / rel)} for rel in spec.inputs
                ],
                "built_by": "analysis.data.build_raw",
                "notes": spec.notes,
            }
        )
    write_manifest(entries, MANIFEST_VERSION, out_dir / "manifest.yaml")
    return entries
