"""Dataset registry and validated loaders for ``data/raw/``.

``load("vn_gdp")`` returns the tidy frame after checking its checksum against the
manifest and its schema (columns, dtypes, indicators, units, value ranges).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.data.build_targets import TARGET_COLUMNS
from analysis.data.manifest import read_manifest, sha256_of, verify_file
from analysis.data.schema import RANK_COLUMNS, DatasetSchema, validate_tidy
from analysis.data.schema import IndicatorRule as R
from analysis.errors import DataError

BIG = 1e15


@dataclass(frozen=True)
class Dataset:
    name: str
    description: str
    schema: DatasetSchema

    @property
    def file(self) -> str:
        return f"{self.name}.csv"


def _ds(name: str, description: str, indicators: dict[str, R], **kw) -> Dataset:
    return Dataset(name, description, DatasetSchema(name, indicators, **kw))


def _rank_ds(name: str, description: str, score_hi: float = 1000.0, n_hi: float = 2000.0) -> Dataset:
    return _ds(
        name,
        description,
        {"rank": R("rank", 1.0, 2000.0), "score": R("score", 0.0, score_hi), "n_ranked": R("ranked", 5.0, n_hi)},
        year_range=(2009, 2030),
        columns=tuple(RANK_COLUMNS),
        key=("index_name", "entity", "indicator", "year", "source", "qualifier"),
    )


DATASETS: dict[str, Dataset] = {
    d.name: d
    for d in [
        _ds(
            "vn_gerd",
            "Viet Nam GERD, % of GDP (UIS and ministry vintages) and VND totals",
            {
                "gerd_pct_gdp": R("% of GDP", 0.0, 5.0),
                "gerd_pct_gdp_ministry": R("% of GDP", 0.0, 5.0),
                "gerd_vnd_bn": R("billion VND", 0.0, 1e7),
                "gerd_ppp_usd_mn": R("PPP USD", 0.0, 1e6),
            },
            year_range=(1990, 2030),
        ),
        _ds(
            "vn_gdp",
            "Viet Nam GDP and population (WDI, GSO, IMF)",
            {
                "gdp_vnd_bn": R("billion VND", 1e4, 1e9),
                "gdp_const2010_vnd_bn": R("billion VND", 1e4, 1e9),
                "gdp_usd_bn": R("billion USD", 1.0, 1e5),
                "gdp_per_capita_usd": R("USD", 50.0, 2e5),
                "gdp_real_growth_pct": R("% per year", -30.0, 30.0),
                "population": R("persons", 1e7, 1e9),
            },
            year_range=(1960, 2030),
        ),
        _ds(
            "vn_state_budget",
            "Viet Nam state-budget expenditure and S&T spending",
            {
                "budget_exp_vnd_bn": R("billion VND", 1e5, 1e8),
                "central_budget_exp_vnd_bn": R("billion VND", 1e5, 1e8),
                "st_share_of_budget_pct": R("% of state budget", 0.0, 20.0),
                "st_share_of_govt_spending_pct": R("% of government spending", 0.0, 20.0),
                "st_investment_share_of_budget_pct": R("% of state budget", 0.0, 20.0),
                "st_recurrent_share_of_budget_pct": R("% of state budget", 0.0, 20.0),
                "st_rd_plan_vnd_bn": R("billion VND", 0.0, 1e7),
                "st_spending_vnd_bn": R("billion VND", 0.0, 1e7),
                "st_investment_vnd_bn": R("billion VND", 0.0, 1e7),
                "st_recurrent_vnd_bn": R("billion VND", 0.0, 1e7),
                "stidx_additional_vnd_bn": R("billion VND", 0.0, 1e7),
                "stidx_allocated_vnd_bn": R("billion VND", 0.0, 1e7),
                "stidx_additional_planned_vnd_bn": R("billion VND", 0.0, 1e7),
                "stidx_budget_plan_vnd_bn": R("billion VND", 0.0, 1e7),
                "stidx_share_of_budget_pct": R("% of state budget", 0.0, 20.0),
                "st_budget_vnd_bn": R("billion VND", 0.0, 1e7),
            },
            year_range=(2000, 2030),
        ),
        _ds(
            "vn_gerd_funding",
            "Viet Nam GERD by source of funds (fragments)",
            {
                "gerd_business_funded_vnd_bn": R("billion VND", 0.0, 1e7),
                "gerd_business_funded_share_pct": R("% of GERD", 0.0, 100.0),
                "gerd_he_funded_vnd_bn": R("billion VND", 0.0, 1e7),
                "gerd_abroad_funded_vnd_bn": R("billion VND", 0.0, 1e7),
                "gerd_abroad_funded_share_pct": R("% of GERD", 0.0, 100.0),
                "gerd_government_funded_share_pct": R("% of GERD", 0.0, 100.0),
                "st_investment_state_share_pct": R("% of S&T investment", 0.0, 100.0),
                "rd_state_budget_share_pct": R("% of R&D investment", 0.0, 100.0),
                "rd_private_share_pct": R("% of R&D investment", 0.0, 100.0),
                "st_state_funding_usd_mn": R("million USD", 0.0, 1e5),
                "gii_rank_gerd_business_financed": R("rank", 1.0, 200.0),
                "uis_gerd_by_source_of_funds": R("% of GERD", 0.0, 100.0),
                "gerd_soe_funded_vnd_bn": R("billion VND", 0.0, 1e7),
                "gerd_state_budget_central_funded_vnd_bn": R("billion VND", 0.0, 1e7),
                "gerd_state_budget_local_funded_vnd_bn": R("billion VND", 0.0, 1e7),
                "gerd_private_domestic_funded_vnd_bn": R("billion VND", 0.0, 1e7),
                "gerd_fdi_funded_vnd_bn": R("billion VND", 0.0, 1e7),
            },
            year_required=False,
        ),
        _ds(
            "vn_rd_statements",
            "Resolution 57 targets and official statements",
            {
                "rd_pct_gdp_statement": R("% of GDP", 0.0, 5.0),
                "target_gerd_pct_gdp": R("% of GDP", 0.0, 10.0),
                "target_nonstate_share_pct": R("% of R&D funding", 0.0, 100.0),
                "target_stidx_share_of_budget_pct": R("% of state budget", 0.0, 100.0),
                "private_rd_needed_usd_bn": R("billion USD", 0.0, 1e3),
                "published_required_rd_growth_pct": R("% per year", -100.0, 1000.0),
                "gdp_revision_uplift_pct": R("% of pre-revision GDP", 0.0, 100.0),
                "target_real_gdp_growth_pct": R("% per year", -10.0, 30.0),
                "target_cpi_pct": R("% per year", -10.0, 50.0),
            },
            year_required=False,
        ),
        _ds(
            "gerd_pct_gdp_vintages",
            "Peers' GERD % of GDP from other releases (cross-checks)",
            {
                "gerd_pct_gdp": R("% of GDP", 0.0, 10.0),
                "gerd_pct_gdp_first_reached": R("% of GDP", 0.0, 10.0),
            },
            year_range=(1980, 2030),
        ),
        _rank_ds("rank_startupblink_countries", "StartupBlink startup-ecosystem ranks, countries"),
        _rank_ds("rank_startupblink_cities", "StartupBlink startup-ecosystem ranks, cities"),
        _rank_ds("rank_startupblink_score_points", "StartupBlink city (rank, score) points"),
        _rank_ds("rank_gii", "Global Innovation Index ranks", score_hi=100.0),
        _rank_ds("rank_un_egdi", "UN E-Government Development Index, Southeast Asia", score_hi=1.0),
        _rank_ds("rank_un_egdi_full", "UN E-Government Development Index, all members 2010-2018", score_hi=1.0),
        _rank_ds("rank_imd_wdcr", "IMD World Digital Competitiveness ranks", score_hi=100.0),
        _rank_ds("rank_startup_genome", "Startup Genome emerging-ecosystem ranks and bands"),
        _ds(
            "vn_vc_investment",
            "Viet Nam startup venture capital and digital-economy size",
            {
                "vc_investment_usd_mn": R("USD million", 0.0, 1e5),
                "private_funding_usd_mn": R("USD million", 0.0, 1e5),
                "sea_venture_funding_share_pct": R("%", 0.0, 100.0),
                "cumulative_startup_funding_usd_mn": R("USD million", 0.0, 1e5),
                "digital_economy_gmv_usd_bn": R("USD billion", 0.0, 1e4),
            },
            year_range=(2010, 2030),
        ),
        _ds("wdi_gerd_pct_gdp", "GERD % of GDP, all economies (WDI)", {"gerd_pct_gdp": R("% of GDP", 0.0, 10.0)}),
        _ds(
            "wdi_gdp_per_capita_usd",
            "GDP per capita, current USD, all economies (WDI)",
            {"gdp_per_capita_usd": R("USD", 10.0, 1e6)},
        ),
        _ds(
            "wdi_gdp_real_growth",
            "Real GDP growth, all economies (WDI)",
            {"gdp_real_growth_pct": R("% per year", -100.0, 200.0)},
        ),
        _ds(
            "wdi_researchers_per_million",
            "Researchers in R&D per million people (WDI)",
            {"researchers_per_million": R("per million", 0.0, 50000.0)},
        ),
        # ---- the Resolution 57 targets tracker (issue 14; built by build_targets)
        _ds(
            "r57_targets",
            "Resolution 57-NQ/TW quantitative targets as written",
            {
                "digital_competitiveness_rank_SEA": R("rank", 1.0, 11.0),
                "digital_competitiveness_rank_world": R("rank", 1.0, 200.0),
                "egdi_rank_SEA": R("rank", 1.0, 11.0),
                "egdi_rank_world": R("rank", 1.0, 193.0),
                "ai_rd_rank_SEA": R("rank", 1.0, 11.0),
                "digital_tech_enterprises_at_par_advanced": R("enterprises", 1.0, 1000.0),
                "gerd_pct_gdp": R("% of GDP", 0.0, 10.0),
                "gerd_nonstate_share": R("% of GERD", 0.0, 100.0),
                "budget_share_sti_dx": R("% of total state-budget", 0.0, 100.0),
                "rd_personnel_per_10000": R("per 10,000", 0.0, 1000.0),
                "st_organisations_ranked": R("organisations", 1.0, 1000.0),
                "intl_publications_growth": R("% per year", 0.0, 100.0),
                "patent_applications_and_grants_growth": R("% per year", 0.0, 100.0),
                "patent_commercialisation_rate": R("%", 0.0, 100.0),
                "innovating_enterprises_share": R("% of enterprises", 0.0, 100.0),
                "tfp_contribution_to_gdp_growth": R("% of GDP growth", 0.0, 100.0),
                "hightech_exports_pct_goods_exports": R("% of total goods exports", 0.0, 100.0),
                "digital_economy_share_gdp": R("% of GDP", 0.0, 100.0),
                "online_public_service_usage_rate": R("%", 0.0, 100.0),
                "global_tech_leaders_hq_rd_in_vn": R("organisations", 1.0, 1000.0),
                "gii_rank": R("rank", 1.0, 200.0),
                "digital_transformation_rank_world": R("rank", 1.0, 200.0),
            },
            year_range=(2025, 2050),
            columns=tuple(TARGET_COLUMNS),
            key=("target_id",),
        ),
        _ds(
            "vn_r57_indicators",
            "Measured values for the Resolution 57 targets, Viet Nam and peers",
            {
                "ai_rd_rank_sea": R("rank", 1.0, 11.0),
                "digital_competitiveness_rank": R("rank", 1.0, 200.0),
                "digital_economy_share_gdp_mic": R("% of GDP", 0.0, 100.0),
                "digital_economy_share_gdp_policy_estimate": R("% of GDP", 0.0, 100.0),
                "digital_economy_va_share_gdp": R("% of GDP", 0.0, 100.0),
                "digital_economy_va_share_gdp_period": R("% of GDP", 0.0, 100.0),
                "digital_economy_va_usd": R("billion US$", 0.0, 1e4),
                "digital_tech_enterprises_at_par_advanced": R("enterprises", 0.0, 1e3),
                "digital_tech_enterprises_count": R("enterprises", 0.0, 1e7),
                "digital_transformation_world_rank": R("rank", 1.0, 200.0),
                "global_tech_leaders_hq_rd_in_vn": R("organisations", 0.0, 1e3),
                "gov_ai_readiness_rank": R("rank", 1.0, 200.0),
                "gov_ai_readiness_rank_asean": R("rank", 1.0, 11.0),
                "gov_ai_readiness_rank_asean_derived": R("rank", 1.0, 11.0),
                "gov_ai_readiness_score": R("score", 0.0, 100.0),
                "hightech_exports_pct_goods_exports_official": R("% of total goods exports", 0.0, 100.0),
                "hightech_exports_pct_goods_exports_statement": R("% of total", 0.0, 100.0),
                "hightech_exports_pct_manufactured_exports": R("% of manufactured exports", 0.0, 100.0),
                "hightech_exports_pct_merchandise_exports_derived": R("% of merchandise exports", 0.0, 100.0),
                "hightech_exports_usd": R("US$", 0.0, 1e13),
                "innovating_enterprises_share": R("% of enterprises", 0.0, 100.0),
                "international_publications_scopus_total_period": R("articles", 0.0, 1e7),
                "international_publications_statement_period": R("articles per year", 0.0, 1e7),
                "itu_global_cybersecurity_index_rank": R("rank", 1.0, 200.0),
                "nation_brand_value": R("billion US$", 0.0, 1e5),
                "nation_brand_value_rank": R("rank", 1.0, 200.0),
                "online_dossiers_fully_online_pct": R("% of", 0.0, 100.0),
                "online_dossiers_fully_online_pct_ministries": R("% of dossiers", 0.0, 100.0),
                "online_dossiers_fully_online_pct_provinces": R("% of dossiers", 0.0, 100.0),
                "online_public_service_usage_rate_people_business": R("%", 0.0, 100.0),
                "patent_applications_nonresidents": R("applications", 0.0, 1e7),
                "patent_applications_residents": R("applications", 0.0, 1e7),
                "patent_applications_residents_cagr_derived_period": R("% per year", -100.0, 1000.0),
                "patent_applications_vietnamese": R("applications", 0.0, 1e6),
                "patent_applications_vietnamese_avg_growth_period": R("% per year", -100.0, 1000.0),
                "patent_commercialisation_rate": R("%", 0.0, 100.0),
                "patent_grants_vietnamese_holders": R("granted", 0.0, 1e6),
                "patent_grants_vietnamese_holders_avg_growth_period": R("% per year", -100.0, 1000.0),
                "patent_grants_vietnamese_holders_cagr_derived_period": R("% per year", -100.0, 1000.0),
                "rd_personnel_headcount": R("persons", 0.0, 1e7),
                "researchers_fte": R("persons (FTE)", 0.0, 1e7),
                "researchers_fte_per_10000": R("per 10,000", 0.0, 1000.0),
                "researchers_fte_per_10000_derived": R("per 10,000", 0.0, 1000.0),
                "scientific_articles_cagr_derived_period": R("% per year", -100.0, 1000.0),
                "scientific_articles_growth_derived": R("% per year", -100.0, 1000.0),
                "scientific_technical_journal_articles": R("articles", 0.0, 1e7),
                "soft_power_index_rank": R("rank", 1.0, 200.0),
                "st_organisations_ranked_regionally_globally": R("organisations", 0.0, 1e3),
                "sti_innovation_dx_share_gdp_statement": R("% of GDP", 0.0, 100.0),
                "tfp_contribution_to_gdp_growth": R("% of GDP growth", -100.0, 200.0),
                "tfp_contribution_to_gdp_growth_period": R("% of GDP growth", -100.0, 200.0),
                "universities_in_qs_wur": R("institutions", 0.0, 1e3),
                "universities_in_the_wur": R("institutions", 0.0, 1e3),
            },
            year_range=(1990, 2030),
            year_required=False,
        ),
        _ds(
            "wdi_patent_applications_residents",
            "Patent applications by residents (WDI)",
            {"patent_applications_residents": R("applications", 0.0, 1e8)},
        ),
        _ds(
            "wdi_patent_applications_nonresidents",
            "Patent applications by non-residents (WDI)",
            {"patent_applications_nonresidents": R("applications", 0.0, 1e8)},
        ),
        _ds(
            "wdi_journal_articles",
            "Scientific and technical journal articles (WDI)",
            {"journal_articles": R("articles", 0.0, 1e8)},
        ),
        _ds(
            "wdi_hightech_exports_pct_manufactured",
            "High-technology exports, % of manufactured exports (WDI)",
            {"hightech_exports_pct_manufactured": R("% of manufactured exports", 0.0, 100.0)},
        ),
        _ds(
            "wdi_hightech_exports_usd",
            "High-technology exports, million current USD (WDI)",
            {"hightech_exports_usd_mn": R("million current USD", 0.0, 1e8)},
        ),
        _ds(
            "wdi_merchandise_exports_usd",
            "Merchandise exports, million current USD (WDI)",
            {"merchandise_exports_usd_mn": R("million current USD", 0.0, 1e9)},
        ),
    ]
}


def _spec(name: str) -> Dataset:
    try:
        return DATASETS[name]
    except KeyError:
        raise DataError(f"unknown dataset {name!r}; known: {', '.join(sorted(DATASETS))}") from None


@cache
def _load_cached(name: str, data_dir: str, sha: str) -> pd.DataFrame:
    spec = _spec(name)
    path = Path(data_dir) / spec.file
    df = pd.read_csv(path, dtype={"qualifier": str, "source_detail": str}, keep_default_na=True)
    df["qualifier"] = df["qualifier"].fillna("")
    return validate_tidy(df, spec.schema, str(path))


def load(name: str, data_dir: Path | None = None, fresh: bool = False) -> pd.DataFrame:
    """Load dataset ``name`` from data/raw, verified against the manifest and its schema.

    Returns a copy, so callers may modify it freely. The checksum is computed once per
    process for an unchanged file (same modification time and size); ``fresh`` forces it.
    """
    data_dir = Path(data_dir or paths.RAW_DATA_DIR)
    manifest = read_manifest(data_dir / "manifest.yaml")
    spec = _spec(name)
    verify_file(spec.file, manifest, data_dir, fresh=fresh)
    return _load_cached(name, str(data_dir), manifest.entry(spec.file)["sha256"]).copy()


def verify_inputs(manifest, reference_dir: Path | None = None) -> list[tuple[str, str]]:
    """Check the recorded checksums of the reference files each dataset was built from (``built_from``
    in the manifest), for those present on this machine; return [(input, problem)]."""
    reference_dir = Path(reference_dir or paths.REFERENCE_DIR)
    problems = []
    for file, entry in sorted(manifest.entries.items()):
        for item in entry.get("built_from") or []:
            rel, expected = str(item.get("path", "")), str(item.get("sha256") or "")
            if not rel.startswith("shared/reference/") or not expected:
                continue  # e.g. fetched from an API: nothing on disk to compare
            src = reference_dir / rel.removeprefix("shared/reference/")
            if not src.is_file():
                continue  # the reference folder is not beside this checkout
            actual = sha256_of(src)
            if actual != expected:
                problems.append(
                    (
                        rel,
                        f"input of {file} changed since data/raw was built: manifest says sha256 "
                        f"{expected}, file has {actual}. Run `r57 data build` to see what it changes, "
                        "then `r57 data build --accept` to adopt it",
                    )
                )
    return problems


def verify_all(data_dir: Path | None = None, reference_dir: Path | None = None) -> list[tuple[str, str]]:
    """Check every dataset and every manifest entry, and the reference inputs they were built from
    when present; return [(file, problem)] (empty = all good)."""
    data_dir = Path(data_dir or paths.RAW_DATA_DIR)
    problems: list[tuple[str, str]] = []
    try:
        manifest = read_manifest(data_dir / "manifest.yaml")
    except DataError as exc:
        return [("manifest.yaml", str(exc))]
    for name, spec in DATASETS.items():
        try:
            df = load(name, data_dir, fresh=True)
            rows = manifest.entry(spec.file)["rows"]
            if len(df) != rows:
                problems.append((spec.file, f"{len(df)} rows, manifest says {rows}"))
        except DataError as exc:
            problems.append((spec.file, str(exc)))
    known = {d.file for d in DATASETS.values()} | {"manifest.yaml", "ARCHIVED.yaml"}  # ARCHIVED: see refresh
    for file in manifest.entries:
        if file not in known:
            problems.append((file, "listed in the manifest but not a known dataset"))
    for path in sorted(data_dir.glob("*")):
        if path.name not in known and not path.name.startswith("."):
            problems.append((path.name, "file in data/raw without a manifest entry"))
    return problems + verify_inputs(manifest, reference_dir)
