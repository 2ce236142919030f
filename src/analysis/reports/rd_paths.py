"""The R&D-to-2%-of-GDP scenario: its parameters and how they meet the data.

This module registers the ``rd_paths`` notebook's parameters and turns a validated
parameter dict plus the data snapshots into :class:`analysis.models.rd_model.RdInputs`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from analysis import i18n
from analysis.data import datasets, observed
from analysis.data.labels import label
from analysis.errors import DataError, ParameterError
from analysis.i18n import N_, _, fmt
from analysis.models import engine, funding, nowcast
from analysis.models.path_core import PATH_SHAPES, cagr_pct, values_by_year
from analysis.models.rd_model import RdInputs, rd_path, rd_summary
from analysis.reports.params import KeyFigure, NotebookSpec, ParamSpec, register

FIRST_BASE_YEAR = 2010  # GSO's rebased GDP starts here; earlier levels are not comparable
LAST_BASE_YEAR = 2025  # latest complete year, with official GDP (GSO, Jan 2026); GERD for it is a nowcast
NONSTATE_FLOOR_PCT = 60.0  # Resolution 57-NQ/TW: more than 60% of R&D funding from outside the state budget
NOWCAST_LEVELS = ("low", "central", "high")
MEMO_LIMIT = 1_000  # entries RdData.memo keeps before it starts again
GDP_BASES = ("revised", "pre_revision")

# one whole sentence per nowcast level, so that a translator sees the level's word in its place
NOWCAST_LEVEL_NOTES = {
    "low": N_(
        "No survey measures {year}: the base share, {share}% of GDP, is the low nowcast (range {low}-{high}%), "
        "an estimate, not an observation."
    ),
    "central": N_(
        "No survey measures {year}: the base share, {share}% of GDP, is the central nowcast (range {low}-{high}%), "
        "an estimate, not an observation."
    ),
    "high": N_(
        "No survey measures {year}: the base share, {share}% of GDP, is the high nowcast (range {low}-{high}%), "
        "an estimate, not an observation."
    ),
}


# ``x`` as the user gave it (``:g``) with the current language's separators (one formatter: analysis.i18n)
general = fmt.general


RD_PARAMS: tuple[ParamSpec, ...] = (
    ParamSpec(
        "base_year",
        "int",
        2025,
        "year",
        N_(
            "Year the path starts from. Years after the last GERD survey (2023) start from the nowcast, an "
            "estimate with a range; 2023 (the last observation) and earlier survey years stay selectable."
        ),
        "2025 is the latest complete year: the path must start from today's evidence, not from 2023, or the "
        "two years already past would be drawn as if R&D had grown on the path.",
        lo=FIRST_BASE_YEAR,
        hi=LAST_BASE_YEAR,
        label=N_("Start year"),
        group="data",
    ),
    ParamSpec(
        "base_share_pct",
        "float",
        None,
        "% of GDP (revised GDP)",
        N_("GERD as % of (revised, official) GDP in the base year."),
        "Empty means the observed value of the chosen series in the base year, or the nowcast for a year "
        "after the last survey (about 0.44% for 2025).",
        lo=0.01,
        hi=10.0,
        nullable=True,
        null_means="the observed value of gerd_series in base_year, else the nowcast at nowcast_level",
        label=N_("R&D share of GDP in the start year"),
        group="data",
    ),
    ParamSpec(
        "nowcast_level",
        "str",
        "central",
        "",
        N_(
            "Which point of the nowcast range starts the path when base_year has no observation: 'low', "
            "'central' or 'high'."
        ),
        "The central estimate: the method with the smallest backtest error on the surveys since 2013 (the flat "
        "share, 0.41% for 2025). The range is reported beside it and in the sensitivity table.",
        choices=NOWCAST_LEVELS,
        label=N_("Estimate used where no survey exists"),
        group="data",
    ),
    ParamSpec(
        "gerd_series",
        "str",
        "uis",
        "",
        N_(
            "Which GERD-to-GDP series sets the base share: 'uis' (UNESCO/World Bank, on revised GDP) or "
            "'ministry' (Ministry of Science and Technology survey, on pre-revision GDP; converted to revised GDP "
            "with gdp_revision_uplift_pct)."
        ),
        "The UIS series is the international standard and uses the GDP the rest of the model uses.",
        choices=tuple(observed.GERD_SERIES),
        label=N_("R&D statistics used"),
        group="data",
    ),
    ParamSpec(
        "target_share_pct",
        "float",
        2.0,
        "% of GDP",
        N_("GERD as % of GDP to reach in the target year, on the GDP basis given by target_gdp_basis."),
        "Resolution 57-NQ/TW: R&D spending of 2% of GDP by 2030.",
        lo=0.05,
        hi=10.0,
        label=N_("R&D target, share of GDP"),
        group="target",
    ),
    ParamSpec(
        "target_gdp_basis",
        "str",
        "revised",
        "",
        N_(
            "The GDP the target is a share of: 'revised' (official GDP since the statistics office's 2019 "
            "re-assessment, the GDP this model uses) or 'pre_revision' (the GDP the science ministry's own R&D "
            "ratios still divide by). A pre-revision target is converted to revised GDP: 2% of pre-revision GDP is "
            "about 1.6% of revised GDP."
        ),
        "The Resolution says '2% of GDP' and official GDP is the revised series; the ministry basis is the "
        "alternative reading and is shown in the report and the sensitivity table.",
        choices=GDP_BASES,
        label=N_("GDP the target is measured on"),
        group="target",
    ),
    ParamSpec(
        "gdp_revision_uplift_pct",
        "float",
        None,
        "% of pre-revision GDP",
        N_("How much the 2019 re-assessment raised GDP: revised GDP = pre-revision GDP x (1 + uplift)."),
        "Empty means the statistics office's figure, 25.4% a year on average over 2010-2017 (data/raw "
        "vn_rd_statements.csv); the ministry's and UNESCO's ratios for 2019 imply 27%.",
        lo=0.0,
        hi=60.0,
        nullable=True,
        null_means="the GSO figure in the data (25.4%)",
        label=N_("GDP revision uplift"),
        group="data",
    ),
    ParamSpec(
        "target_year",
        "int",
        2030,
        "year",
        N_("Year the target share is reached."),
        "Resolution 57-NQ/TW sets the 2% target for 2030.",
        lo=2011,
        hi=2060,
        label=N_("Year the target is reached"),
        group="target",
    ),
    ParamSpec(
        "path_shape",
        "str",
        "geometric",
        "",
        # the shapes' descriptions as in PATH_SHAPES, written out so the catalogue holds one whole sentence
        # (tests/test_i18n_rd_paths.py checks it matches)
        N_(
            "How the share moves between base and target: linear: the share rises by the same number of "
            "percentage points every year; geometric: the share grows at a constant annual rate (same % increase "
            "every year); logistic: an S-curve: slow start, fastest in the middle years, slow finish; back_loaded: "
            "slow at first, most of the rise in the last years (power curve)."
        ),
        "Constant annual growth of the share is the neutral benchmark: it gives one required growth rate.",
        choices=tuple(PATH_SHAPES),
        label=N_("Shape of the path to the target"),
        group="target",
    ),
    ParamSpec(
        "logistic_steepness",
        "float",
        8.0,
        "",
        N_("Steepness of the logistic (S-curve) path; higher is more abrupt. Used only when path_shape='logistic'."),
        "8 puts about 90% of the rise in the middle two-thirds of the period.",
        lo=0.5,
        hi=30.0,
        label=N_("Steepness of the S-curve"),
        group="target",
    ),
    ParamSpec(
        "back_loaded_exponent",
        "float",
        2.0,
        "",
        N_("Exponent of the back-loaded path (2 = quadratic). Used only when path_shape='back_loaded'."),
        "2 puts three-quarters of the rise in the second half of the period.",
        lo=1.0,
        hi=6.0,
        label=N_("Strength of the late rise"),
        group="target",
    ),
    ParamSpec(
        "real_gdp_growth_pct",
        "float_or_year_map",
        6.5,
        "% per year",
        N_(
            "Real GDP growth in the projection years: one number, or {year: value} (a year left out keeps "
            "the previous value)."
        ),
        "Assumption, not a forecast: between the 2014-2024 average of 6.2% (World Bank WDI) and the "
        "7.1% and 8.0% GSO reported for 2024 and 2025. The official target (10% or more for 2026, NA "
        "Resolution 244/2025/QH15) is a named case in the sensitivity table.",
        lo=-10.0,
        hi=20.0,
        label=N_("Real GDP growth"),
        group="growth",
    ),
    ParamSpec(
        "gdp_deflator_pct",
        "float_or_year_map",
        3.0,
        "% per year",
        N_("GDP deflator inflation in the projection years (number or {year: value})."),
        "Assumption: above the 2015-2023 average of 2.3% implied by WDI nominal and real GDP, below the "
        "5.2% implied by GSO's 2024 figures.",
        lo=-10.0,
        hi=50.0,
        label=N_("Inflation (GDP deflator)"),
        group="growth",
    ),
    ParamSpec(
        "vnd_depreciation_pct",
        "float_or_year_map",
        2.0,
        "% per year",
        N_("Depreciation of the dong against the US dollar (positive = more VND per USD)."),
        "Assumption: between the 2015-2023 average of 1.3% (implied by WDI GDP in VND and USD) and the "
        "2.5% a year of 2023-2025 (GSO).",
        lo=-20.0,
        hi=50.0,
        label=N_("Depreciation of the dong against the US dollar"),
        group="growth",
    ),
    ParamSpec(
        "use_observed_gdp",
        "bool",
        True,
        "",
        N_(
            "Use GSO's official GDP for years after the base year that already have it (2024, 2025) instead "
            "of the growth assumptions."
        ),
        "Known outcomes beat assumptions.",
        label=N_("Use official GDP where published"),
        group="growth",
    ),
    ParamSpec(
        "nonstate_share_base_pct",
        "float",
        None,
        "% of GERD",
        N_(
            "Non-budget share of GERD in the base year: funds from outside the state budget (central and local), "
            "including state-owned enterprises' own funds, private and foreign-invested firms, funds from abroad "
            "and universities' own revenue."
        ),
        "Empty means the published evidence: the median of EY Vietnam 2025 (non-budget 20-30%), OECD/World "
        "Bank 2014 (30%) and the 2013 survey (42%), i.e. 30%, range 20-42%. The UIS source-of-funds series "
        "for Viet Nam was not found; the budget-bound reading, which contradicts these, is shown beside them.",
        lo=0.0,
        hi=100.0,
        nullable=True,
        null_means="the median of the published shares (30%)",
        affects=("nonstate_share_target_pct",),  # its default: the larger of the Resolution's 60% and this
        label=N_("Non-budget share of R&D in the start year"),
        group="funding",
    ),
    ParamSpec(
        "nonstate_share_target_pct",
        "float",
        None,
        "% of GERD",
        N_("Non-budget share of GERD in the target year (same definition as the base share)."),
        "Resolution 57-NQ/TW asks that funds from society be more than 60% ('kinh phi tu xa hoi chiem hon "
        "60%'). Empty means 60%, or the base-year share if it is already higher: the path does not assume "
        "the non-budget share falls.",
        lo=0.0,
        hi=100.0,
        nullable=True,
        null_means="the larger of 60% and the base-year share",
        label=N_("Non-budget share of R&D in the target year"),
        group="funding",
    ),
    ParamSpec(
        "soe_funds_as",
        "str",
        "non-budget",
        "",
        N_(
            "What the two shares count state-owned enterprises' own R&D funds as: 'non-budget' (funds from outside "
            "the state budget) or 'state' (then the complement is the non-state sector)."
        ),
        "The Resolution's 'funds from society' is read as non-budget; the rd-soe-funding scenario counts "
        "state-owned firms as state. Wording only: the shares given decide the figures.",
        choices=("non-budget", "state"),
    ),
    ParamSpec(
        "budget_exp_pct_gdp",
        "float",
        None,
        "% of GDP",
        N_("Total state-budget expenditure as % of GDP, held constant over the projection."),
        "Empty means the mean of the latest years with a budget outturn or estimate and official GDP "
        "(2023-2025: 20.3, 18.2 and 19.8%, mean about 19.4%); the 2026 estimate (about 22% of projected "
        "GDP) is a sensitivity case.",
        lo=5.0,
        hi=60.0,
        nullable=True,
        null_means="the mean of the latest budget years with official GDP (2023-2025)",
        label=N_("State budget spending, share of GDP"),
        group="budget",
    ),
    ParamSpec(
        "science_budget_share_pct",
        "float_or_year_map",
        3.0,
        "% of budget expenditure",
        N_(
            "The floor of the budget rule: share of state-budget expenditure for science, technology, "
            "innovation and digital transformation. One number, or a rising path {year: %} (a year left out "
            "keeps the previous value; years before the first one given take its value)."
        ),
        "Resolution 57-NQ/TW: at least 3% of annual budget expenditure, rising over time; the 2026 plan "
        "(about 95,000 bn VND) is 3.0% of the budget estimate. How fast it rises is not set, so 3% is kept.",
        lo=0.0,
        hi=30.0,
        label=N_("Science share of the state budget (floor)"),
        group="budget",
    ),
    ParamSpec(
        "envelope_rd_share_pct",
        "float",
        100.0,
        "% of the envelope",
        N_(
            "Share of the S&T + innovation + digital-transformation envelope that funds R&D. State-funded R&D is "
            "checked against this part of the envelope, so the check compares like with like."
        ),
        "Not published. 100% (R&D may use the whole envelope) is the most generous reading: if budget-financed "
        "R&D does not fit the whole envelope, it fits no part of it. The consistency table shows other parts.",
        lo=0.1,
        hi=100.0,
        label=N_("R&D part of the science envelope"),
        group="budget",
    ),
)


def _check_rd(p: dict[str, Any]) -> None:
    if p["target_year"] <= p["base_year"]:
        raise ParameterError(
            "target_year",
            f"{p['target_year']} is not after base_year {p['base_year']}",
            f"a year from {p['base_year'] + 1} to 2060",
        )
    if p["target_year"] - p["base_year"] > 40:
        raise ParameterError(
            "target_year", "paths longer than 40 years are not modelled", f"at most {p['base_year'] + 40}"
        )
    if p["base_share_pct"] is not None and p["base_share_pct"] > p["target_share_pct"] * 10:
        raise ParameterError(
            "base_share_pct", "is more than ten times the target share", "a share below 10 x target_share_pct"
        )
    for name in ("real_gdp_growth_pct", "gdp_deflator_pct", "vnd_depreciation_pct", "science_budget_share_pct"):
        if name not in p:
            continue
        value = p[name]
        if isinstance(value, dict):
            first = p["base_year"] if name == "science_budget_share_pct" else p["base_year"] + 1
            outside = [y for y in value if not first <= y <= p["target_year"]]
            if outside:
                raise ParameterError(
                    name,
                    f"year {outside[0]} is outside the projection",
                    f"years from {first} to {p['target_year']}",
                )


@dataclass(frozen=True)
class RdData:
    """The data snapshots the scenario reads, already validated."""

    gerd: pd.DataFrame
    gdp: pd.DataFrame
    budget: pd.DataFrame
    funding: pd.DataFrame | None = None
    statements: pd.DataFrame | None = None

    @classmethod
    def load(cls) -> RdData:
        return cls(
            datasets.load("vn_gerd"),
            datasets.load("vn_gdp"),
            datasets.load("vn_state_budget"),
            datasets.load("vn_gerd_funding"),
            datasets.load("vn_rd_statements"),
        )

    @cached_property
    def gdp_table(self) -> pd.DataFrame:
        """Viet Nam's GDP table (observed.gdp_table), built once per RdData."""
        return observed.gdp_table(self.gdp)

    @cached_property
    def gdp_drivers(self) -> pd.DataFrame:
        """Official GDP drivers by year (observed.gdp_drivers), rows with a missing rate dropped; built once."""
        rates = ["real_growth_pct", "deflator_pct", "vnd_depreciation_pct"]
        return observed.gdp_drivers(self.gdp_table).dropna(subset=rates)

    @cached_property
    def budget_exp_pct_gdp(self) -> pd.DataFrame:
        """Budget expenditure estimates over GDP by year (observed.budget_exp_pct_gdp), built once."""
        return observed.budget_exp_pct_gdp(self.budget, self.gdp_table)

    @cached_property
    def gerd_vnd(self) -> pd.DataFrame:
        """GERD in VND by year (observed.gerd_vnd_series), built once."""
        return observed.gerd_vnd_series(self.gerd)

    @cached_property
    def _memo(self) -> dict[Any, Any]:
        return {}

    def memo(self, key: tuple[Any, ...], build: Callable[[], Any]) -> Any:
        """``build()``, built once per ``key`` for these data (a refusal is not kept).

        A batch of scenarios resolves the data many times (analysis.reports.rd_sweep); what depends on the data
        and a few settings is built once. What it returns is shared: read it, never change it."""
        if key not in self._memo:
            if len(self._memo) > MEMO_LIMIT:
                self._memo.clear()
            self._memo[key] = build()
        return self._memo[key]

    def gerd_share(self, series: str) -> pd.Series:
        """The GERD-to-GDP series ``series`` (observed.gerd_share_series), built once per series."""
        return self.memo(("gerd_share", series), lambda: observed.gerd_share_series(self.gerd, series))

    def base_year_budget(self, year: int) -> funding.BaseYearBudget | None:
        """The budget of ``year`` (funding.base_year_budget), None where the data have no estimate; built once."""

        def build() -> funding.BaseYearBudget | None:
            try:
                return funding.base_year_budget(self.budget, year)
            except DataError:  # no budget estimate for the year: the account cannot be built
                return None

        return self.memo(("budget", year), build)

    @cached_property
    def evidence(self) -> Evidence:
        """The nowcast and the inputs of the funding account, built once per RdData."""
        return build_evidence(self)


@dataclass(frozen=True)
class Evidence:
    """What the data say about the years after the last GERD observation and about who pays."""

    uis: pd.Series  # observed UIS share by year
    last_year: int
    last_pct: float
    band_pp: float
    rd_fraction: funding.Fraction
    nowcast: pd.DataFrame  # nowcast.nowcast_share through LAST_BASE_YEAR
    backtest: pd.DataFrame  # each survey held out and nowcast from the surveys before it (nowcast.backtest)
    backtest_scores: pd.DataFrame  # each method's errors over the held-out surveys
    uplift_pct: float  # GSO's GDP revision uplift (data)
    official_growth_target_pct: float | None  # NA Resolution 244/2025: real GDP growth 2026 (at least)
    official_cpi_target_pct: float | None


def _statement(st: pd.DataFrame | None, indicator: str) -> float | None:
    if st is None:
        return None
    rows = st[(st["indicator"] == indicator) & st["value"].notna()]
    return None if rows.empty else float(rows["value"].iloc[0])


def build_evidence(data: RdData) -> Evidence:
    funding_df = data.funding if data.funding is not None else datasets.load("vn_gerd_funding")
    uis = observed.gerd_share_series(data.gerd, "uis")
    last_year = int(uis.index.max())
    frac = funding.st_rd_fraction(funding_df, data.gerd, data.budget)
    nc, bt, scores = nowcast.nowcast_share(uis, data.gdp_table["gdp_vnd_bn"].dropna().to_dict(), LAST_BASE_YEAR)
    uplift = _statement(data.statements, "gdp_revision_uplift_pct")
    return Evidence(
        uis=uis,
        last_year=last_year,
        last_pct=float(uis.iloc[-1]),
        band_pp=nowcast.flat_band_pp(uis),
        rd_fraction=frac,
        nowcast=nc,
        backtest=bt,
        backtest_scores=scores,
        uplift_pct=uplift if uplift is not None else 25.4,
        official_growth_target_pct=_statement(data.statements, "target_real_gdp_growth_pct"),
        official_cpi_target_pct=_statement(data.statements, "target_cpi_pct"),
    )


@dataclass(frozen=True)
class Start:
    """Where the path starts: the base share, its status and range, and the base year's funding account."""

    status: str  # observed, estimate or user
    share_pct: float  # on revised GDP
    low_pct: float
    high_pct: float
    gerd_vnd_bn: tuple[float, float, float]  # low, central, high: the start's range on the base year's GDP
    budget: funding.BaseYearBudget | None


@dataclass(frozen=True)
class RdResolved:
    """A scenario ready to compute: numeric inputs, the parameters as resolved, and notes for readers."""

    inputs: RdInputs
    params: dict[str, Any]
    notes: tuple[str, ...]
    start: Start | None = None
    evidence: Evidence | None = None
    target_share_revised_pct: float | None = None  # the target on revised GDP (what the path ends at)
    nonstate_target_tied: bool = False  # the target non-state share was left empty (60% or the base share)


def _with_defaults(params: dict[str, Any]) -> dict[str, Any]:
    """Parameters a caller did not give (e.g. a report that shares only some of them) take their defaults."""
    return {spec.name: spec.default for spec in RD_PARAMS} | dict(params)


def _start(p: dict[str, Any], data: RdData, ev: Evidence, gdp_b: float, notes: list[str]) -> Start:
    base = p["base_year"]
    series = data.gerd_share(p["gerd_series"])
    uplift = p["gdp_revision_uplift_pct"]
    if p["base_share_pct"] is not None:
        status, share = "user", float(p["base_share_pct"])
        lo = hi = share
        notes.append(_("Base share {share}% of GDP was set by the user.").format(share=general(share)))
    elif base in series.index:
        status, share = "observed", float(series.loc[base])
        if p["gerd_series"] == "ministry":
            share = share / (1 + uplift / 100.0)
            notes.append(
                _(
                    "The ministry's {year} ratio, {ratio}% of pre-revision GDP, is {share}% of revised GDP "
                    "(divided by 1 + {uplift}%), the GDP this model uses."
                ).format(
                    year=fmt.year(base),
                    ratio=general(float(series.loc[base]), ".3g"),
                    share=general(share, ".3g"),
                    uplift=general(uplift),
                )
            )
        else:
            notes.append(
                _("The base share, {share}%, is the observed value for {year} in the {series} series.").format(
                    share=general(share, ".5g"),
                    year=fmt.year(base),
                    series=label("gerd_series", p["gerd_series"]),
                )
            )
        lo = hi = share
    elif base in ev.nowcast.index:
        sp = nowcast.resolve_start(ev.uis, ev.nowcast, base)  # the one start every R&D report uses
        status = sp.status
        share = {"low": sp.low_pct, "central": sp.level_pct, "high": sp.high_pct}[p["nowcast_level"]]
        lo, hi = sp.low_pct, sp.high_pct
        level_note = NOWCAST_LEVEL_NOTES[p["nowcast_level"]]
        notes.append(
            _(level_note).format(year=fmt.year(base), share=fmt.num(share, 3), low=fmt.num(lo, 3), high=fmt.num(hi, 3))
        )
    else:
        raise ParameterError(
            "base_year",
            f"the {p['gerd_series']!r} GERD series has no value for {base} and no nowcast covers it; give base_share_pct "
            "or pick a year it covers",
            ", ".join(str(y) for y in [*series.index, *ev.nowcast.index] if FIRST_BASE_YEAR <= y <= LAST_BASE_YEAR),
        )
    # GERD in bn VND (low, central, high): the start's range on the base year's GDP
    gerd = (lo / 100 * gdp_b, share / 100 * gdp_b, hi / 100 * gdp_b)
    try:
        bb = funding.base_year_budget(data.budget, base)
    except DataError:  # no budget estimate for the year: no budget-bound reading
        bb = None
    return Start(status, share, lo, hi, gerd, bb)


_START_KEYS = ("base_year", "base_share_pct", "gerd_series", "nowcast_level", "gdp_revision_uplift_pct")


def _start_once(p: dict[str, Any], data: RdData, ev: Evidence, gdp_b: float, notes: list[str]) -> Start:
    """:func:`_start`, built once per data, settings it reads and language: the scenarios of a batch
    (analysis.reports.rd_sweep) or the explorer's map mostly share one start."""
    added: list[str] = []

    def build() -> tuple[Start, tuple[str, ...]]:
        return _start(p, data, ev, gdp_b, added), tuple(added)

    start, said = data.memo(("start", i18n.current(), i18n.marking(), *(p[k] for k in _START_KEYS)), build)
    notes.extend(said)
    return start


def _base_gdp_vnd_bn(gdp_tab: pd.DataFrame, base: int) -> float:
    """GDP of the base year, checked to have both figures the path starts from.

    Parameters
    ----------
    gdp_tab : pandas.DataFrame
        GDP by year (:attr:`RdData.gdp_table`) with ``gdp_vnd_bn`` (bn VND, current prices) and ``vnd_per_usd``
        (VND per USD).
    base : int
        The base year.

    Returns
    -------
    float
        GDP of ``base`` in bn VND, current prices.

    Raises
    ------
    ParameterError
        ``base_year``, when the table lacks GDP in VND or the exchange rate for that year.
    """
    needed = gdp_tab.loc[gdp_tab.index.isin([base]), ["gdp_vnd_bn", "vnd_per_usd"]].dropna()
    if needed.empty:
        raise ParameterError("base_year", f"no GDP in VND and USD for {base}", f"{FIRST_BASE_YEAR} to {LAST_BASE_YEAR}")
    return float(gdp_tab.loc[base, "gdp_vnd_bn"])


def _target_share_revised_pct(p: dict[str, Any], base_share_pct: float, notes: list[str]) -> float:
    """The target share on revised GDP (the GDP the model uses), whatever GDP basis the target was given on.

    Parameters
    ----------
    p : dict
        The parameters being resolved: ``target_share_pct`` (% of GDP), ``target_gdp_basis`` ('revised' or
        'pre_revision') and ``gdp_revision_uplift_pct`` (%, already filled).
    base_share_pct : float
        The base year's share, % of revised GDP, checked against the target.
    notes : list of str
        Notes for readers; the conversion is explained here when one is made.

    Returns
    -------
    float
        The target, % of revised GDP.

    Raises
    ------
    ParameterError
        ``base_share_pct``, when the base share is ten times the target or more.
    """
    target_revised = float(p["target_share_pct"])
    if p["target_gdp_basis"] == "pre_revision":
        target_revised = p["target_share_pct"] / (1 + p["gdp_revision_uplift_pct"] / 100.0)
        notes.append(
            _("The target, {stated}% of pre-revision GDP, is {revised}% of revised GDP.").format(
                stated=general(p["target_share_pct"]), revised=fmt.num(target_revised, 3)
            )
        )
    if base_share_pct >= target_revised * 10:
        raise ParameterError(
            "base_share_pct", "is more than ten times the target share", "a share below 10 x the target"
        )
    return target_revised


def _observed_gdp_years(p: dict[str, Any], drivers: pd.DataFrame, years: list[int], notes: list[str]) -> list[int]:
    """The years after the base year, in a row, whose GDP is official (used as observed, not assumed).

    Parameters
    ----------
    p : dict
        The parameters being resolved: ``use_observed_gdp`` and the growth assumptions ``real_gdp_growth_pct``,
        ``gdp_deflator_pct`` and ``vnd_depreciation_pct`` (% a year, a number or ``{year: %}``).
    drivers : pandas.DataFrame
        Official GDP drivers by year (``observed.gdp_drivers``), rows with a missing rate dropped.
    years : list of int
        The path's years, base year first.
    notes : list of str
        Notes for readers; which years are official is said here.

    Returns
    -------
    list of int
        The official years (none when ``use_observed_gdp`` is false).

    Raises
    ------
    ParameterError
        Naming the growth assumption that gives a value for an official year.
    """
    if not p["use_observed_gdp"]:
        return []
    observed_years: list[int] = []
    for y in years[1:]:
        if y not in drivers.index:
            break
        observed_years.append(y)
    for name in ("real_gdp_growth_pct", "gdp_deflator_pct", "vnd_depreciation_pct"):
        clash = sorted(set(p[name]) & set(observed_years)) if isinstance(p[name], dict) else []
        if clash:
            raise ParameterError(
                name,
                f"gives {clash[0]}, which has official GDP figures",
                "years after the last observed year, or set use_observed_gdp to false",
            )
    if observed_years:
        notes.append(
            _("GDP for {years} is official (World Bank WDI / GSO); the growth assumptions apply from {first}.").format(
                years=", ".join(fmt.year(y) for y in observed_years), first=fmt.year(observed_years[-1] + 1)
            )
        )
    return observed_years


def _gdp_rates(
    p: dict[str, Any], data: RdData, years: list[int], notes: list[str]
) -> tuple[list[int], np.ndarray, np.ndarray, np.ndarray]:
    """The GDP basis of the path: official rates for the observed years, the assumptions after them.

    Parameters
    ----------
    p : dict
        The parameters being resolved (see :func:`_observed_gdp_years`).
    data : RdData
        The data; :attr:`RdData.gdp_drivers` gives the official rates.
    years : list of int
        The path's years, base year first.
    notes : list of str
        Notes for readers.

    Returns
    -------
    observed_years : list of int
        The years whose GDP is official.
    growth, deflator, depreciation : numpy.ndarray
        Real GDP growth, GDP deflator and VND depreciation against the USD, % a year, one value per year of
        ``years`` (0 for the base year).
    """
    drivers = data.gdp_drivers
    observed_years = _observed_gdp_years(p, drivers, years, notes)
    projected = years[1 + len(observed_years) :]
    assumed = {
        name: values_by_year(p[name], projected, name)
        for name in ("real_gdp_growth_pct", "gdp_deflator_pct", "vnd_depreciation_pct")
    }
    seen = drivers.reindex(observed_years)
    growth = np.concatenate([[0.0], seen["real_growth_pct"].to_numpy(), assumed["real_gdp_growth_pct"]])
    defl = np.concatenate([[0.0], seen["deflator_pct"].to_numpy(), assumed["gdp_deflator_pct"]])
    dep = np.concatenate([[0.0], seen["vnd_depreciation_pct"].to_numpy(), assumed["vnd_depreciation_pct"]])
    return observed_years, growth, defl, dep


BUDGET_MEAN_YEARS = 3  # budget expenditure: the mean of the latest three years with a budget figure and official GDP


def budget_years_pct_gdp(data: RdData) -> pd.Series:
    """Budget expenditure (outturn or estimate), % of official GDP, for the latest :data:`BUDGET_MEAN_YEARS`
    years that have both: the one budget series every R&D report uses."""
    b = observed.budget_exp_pct_gdp(data.budget, data.gdp_table)["pct_gdp"].dropna()
    if b.empty:
        raise DataError("no year has both a state-budget expenditure figure and official GDP")
    return b.iloc[-BUDGET_MEAN_YEARS:]


def _budget_exp_pct_gdp_default(data: RdData, notes: list[str]) -> float:
    """Budget expenditure as a share of GDP when the user gave none: the mean of :func:`budget_years_pct_gdp`.

    Hand check: 2,070,000 / 10,221,800 = 20.25%; 2,100,000 / 11,511,900 = 18.24%; 2,540,000 / 12,847,600 =
    19.77%; mean 19.42%.

    Parameters
    ----------
    data : RdData
        The data; ``budget`` gives the budget figures (bn VND), ``gdp_table`` the GDP (bn VND).
    notes : list of str
        Notes for readers; the years used are named here.

    Returns
    -------
    float
        Budget expenditure, % of GDP, rounded to 4 decimals.
    """
    b = budget_years_pct_gdp(data)
    pct = float(b.mean())
    notes.append(
        _(
            "Budget expenditure {pct}% of GDP is the mean of the budget figures for {first}-{last} over official "
            "GDP; the {next} estimate is a sensitivity case."
        ).format(
            pct=fmt.num(pct, 1),
            first=fmt.year(int(b.index[0])),
            last=fmt.year(int(b.index[-1])),
            next=fmt.year(int(b.index[-1]) + 1),
        )
    )
    return round(pct, 4)


def nonbudget_evidence(data: RdData) -> tuple[list[funding.Reading], tuple[float, float, float]]:
    """The published readings of who pays and the non-budget share (low, central, high) they support."""
    funding_df = data.funding if data.funding is not None else datasets.load("vn_gerd_funding")
    g13 = observed.gerd_vnd_series(data.gerd)
    readings = funding.published_readings(funding_df, float(g13.loc[2013, "gerd_vnd_bn"]))
    return readings, funding.evidence_nonbudget_share_pct(readings)


def _nonstate_share_base_default(data: RdData, base: int, notes: list[str]) -> float:
    """The non-budget share of R&D funding in the base year when the user gave none: the published evidence.

    Parameters
    ----------
    data : RdData
        The data (``funding``: the published shares).
    base : int
        The base year.
    notes : list of str
        Notes for readers; where the value comes from is said here.

    Returns
    -------
    float
        Non-budget share of GERD, %, rounded to one decimal.
    """
    _readings, (lo, c, hi) = nonbudget_evidence(data)
    share = round(c, 1)
    notes.append(
        _(
            "Funds from outside the state budget pay {share}% of R&D in {year} (range {low}-{high}%): the median "
            "of the published shares (EY Vietnam 2025, OECD/World Bank 2014, the 2013 survey)."
        ).format(share=fmt.num(share, 0), year=fmt.year(base), low=fmt.num(lo, 0), high=fmt.num(hi, 0))
    )
    return share


def resolve(params: dict[str, Any], data: RdData | None = None) -> RdResolved:
    """Fill data-dependent defaults and check the combination against the data.

    ``params`` must come from :func:`analysis.reports.params.validate` (parameters it lacks take their defaults).
    """
    data = data or RdData.load()
    p = _with_defaults(params)
    notes: list[str] = []
    gdp_tab = data.gdp_table
    ev = data.evidence
    base, target = p["base_year"], p["target_year"]
    if p["gdp_revision_uplift_pct"] is None:
        p["gdp_revision_uplift_pct"] = ev.uplift_pct
    gdp_b = data.memo(("gdp_b", base), lambda: _base_gdp_vnd_bn(gdp_tab, base))

    start = _start_once(p, data, ev, gdp_b, notes)
    p["base_share_pct"] = start.share_pct if start.status != "user" else p["base_share_pct"]
    target_revised = _target_share_revised_pct(p, start.share_pct, notes)

    years = list(range(base, target + 1))
    observed_years, growth, defl, dep = _gdp_rates(p, data, years, notes)
    if p["budget_exp_pct_gdp"] is None:
        p["budget_exp_pct_gdp"] = _budget_exp_pct_gdp_default(data, notes)

    floor = funding.floor_path(p["science_budget_share_pct"], years)
    if p["nonstate_share_base_pct"] is None:
        p["nonstate_share_base_pct"] = _nonstate_share_base_default(data, base, notes)
    tied = p["nonstate_share_target_pct"] is None
    if tied:
        p["nonstate_share_target_pct"] = max(NONSTATE_FLOOR_PCT, float(p["nonstate_share_base_pct"]))

    inputs = RdInputs(
        base_year=base,
        target_year=target,
        base_share_pct=float(start.share_pct),
        target_share_pct=float(target_revised),
        path_shape=p["path_shape"],
        base_gdp_vnd_bn=gdp_b,
        base_vnd_per_usd=float(gdp_tab.loc[base, "vnd_per_usd"]),
        real_growth_pct=tuple(float(x) for x in growth),
        deflator_pct=tuple(float(x) for x in defl),
        depreciation_pct=tuple(float(x) for x in dep),
        nonstate_share_base_pct=float(p["nonstate_share_base_pct"]),
        nonstate_share_target_pct=float(p["nonstate_share_target_pct"]),
        budget_exp_pct_gdp=float(p["budget_exp_pct_gdp"]),
        science_budget_share_pct=float(floor[0])
        if not isinstance(p["science_budget_share_pct"], dict)
        else tuple(float(x) for x in floor),
        logistic_steepness=float(p["logistic_steepness"]),
        back_loaded_exponent=float(p["back_loaded_exponent"]),
        observed_years=tuple(observed_years),
        envelope_rd_share_pct=float(p["envelope_rd_share_pct"]),
    )
    return RdResolved(
        inputs=inputs,
        params=p,
        notes=tuple(notes),
        start=start,
        evidence=ev,
        target_share_revised_pct=target_revised,
        nonstate_target_tied=tied,
    )


def run(params: dict[str, Any], data: RdData | None = None) -> tuple[RdResolved, pd.DataFrame, dict[str, Any]]:
    """Resolve, compute the path and summarise: what the notebook and the tests call."""
    resolved = resolve(params, data)
    path = rd_path(resolved.inputs)
    summary = rd_summary(path)
    st = resolved.start
    summary.update(
        start_status=st.status,
        share_base_low_pct=st.low_pct,
        share_base_high_pct=st.high_pct,
        last_observation_year=resolved.evidence.last_year,
        last_observation_pct=resolved.evidence.last_pct,
        target_share_stated_pct=float(resolved.params["target_share_pct"]),
        target_gdp_basis=resolved.params["target_gdp_basis"],
        target_share_revised_pct=resolved.target_share_revised_pct,
        target_share_pre_revision_pct=resolved.target_share_revised_pct
        * (1 + resolved.params["gdp_revision_uplift_pct"] / 100),
        envelope_rd_share_pct=resolved.inputs.envelope_rd_share_pct,
        start_flag=nowcast.FLAGS[st.status],
    )
    summary.update(consistency_summary(resolved, path, data or RdData.load()))
    return resolved, path, summary


def consistency_summary(r: RdResolved, path: pd.DataFrame, data: RdData) -> dict[str, Any]:
    """The 3% rule as a consistency question for the target year, at the Resolution's non-budget floor (60%).

    Budget-financed R&D only is compared with the envelope. Returns: budget R&D as % of the whole envelope
    and of budget expenditure at 60%; the smallest floor covering it (R&D taking the whole envelope, or the
    scenario's part); the non-budget share needed at the scenario's floor; the growth of non-budget R&D
    that implies from the base year (at the base year's non-budget share); the evidence range of the base
    share and the budget years.
    """
    inp = r.inputs
    gerd_t = float(inp.target_share_pct)
    bexp = float(inp.budget_exp_pct_gdp)
    floor_t = float(np.atleast_1d(inp.science_budget_share_pct)[-1])
    part = float(inp.envelope_rd_share_pct)
    needed = funding.nonbudget_needed_pct(gerd_t, floor_t, bexp, part)
    b, t = path.iloc[0], path.iloc[-1]
    n = int(path.index[-1] - path.index[0])
    nonbudget_base = float(b["gerd_vnd_bn"]) * inp.nonstate_share_base_pct / 100
    nonbudget_needed = float(t["gerd_vnd_bn"]) * needed / 100
    _readings, (ev_lo, _ev_c, ev_hi) = nonbudget_evidence(data)
    years = budget_years_pct_gdp(data).index
    return {
        "consistency_envelope_pct_at_floor": float(
            funding.state_rd_pct_of_envelope(gerd_t, NONSTATE_FLOOR_PCT, floor_t, bexp)
        ),
        "consistency_budget_pct_at_floor": funding.state_rd_pct_of_budget(gerd_t, NONSTATE_FLOOR_PCT, bexp),
        "consistency_min_floor_pct": funding.min_floor_pct(gerd_t, NONSTATE_FLOOR_PCT, bexp, part),
        "consistency_nonbudget_needed_pct": needed,
        "consistency_nonbudget_growth_pct": float(cagr_pct(nonbudget_base, nonbudget_needed, n))
        if nonbudget_base > 0
        else float("nan"),
        "nonbudget_share_base_low_pct": ev_lo,
        "nonbudget_share_base_high_pct": ev_hi,
        "budget_years": f"{int(years[0])}-{int(years[-1])}",
    }


NONBUDGET_GRID = tuple(range(30, 95, 5))  # non-budget shares the consistency table covers, % of GERD
FLOOR_GRID = (3.0, 4.0, 5.0, 6.0, 8.0)  # budget floors it covers, % of budget expenditure


def consistency_table(r: RdResolved) -> pd.DataFrame:
    """Budget R&D in the target year as % of the envelope's R&D part: non-budget shares (rows) by floors
    (columns), for the scenario's GERD target, budget expenditure and R&D part of the envelope."""
    inp = r.inputs
    grid = funding.consistency_grid(
        float(inp.target_share_pct),
        float(inp.budget_exp_pct_gdp),
        NONBUDGET_GRID,
        FLOOR_GRID,
        [float(inp.envelope_rd_share_pct)],
    )
    return grid.pivot(index="nonbudget_pct", columns="floor_pct", values="pct_of_rd_part")


def context_for(params: dict[str, Any], data: RdData | None = None) -> tuple[engine.Context, dict[str, Any]]:
    """The engine context and the scalar scenario fields of a validated rd_paths parameter set."""
    return engine_inputs(resolve(params, data))


def engine_inputs(r: RdResolved) -> tuple[engine.Context, dict[str, Any]]:
    """The engine context and the scalar scenario fields of a resolved scenario (see :func:`context_for`)."""
    inp = r.inputs
    m = len(inp.observed_years)
    ctx = engine.Context(
        inp.base_year,
        inp.target_year,
        inp.base_gdp_vnd_bn,
        inp.base_vnd_per_usd,
        inp.real_growth_pct[1 : 1 + m],
        inp.deflator_pct[1 : 1 + m],
        inp.depreciation_pct[1 : 1 + m],
    )
    base = {f: r.params[f] for f in engine.SCENARIO_FIELDS}
    for f in ("real_gdp_growth_pct", "gdp_deflator_pct", "vnd_depreciation_pct"):
        if isinstance(base[f], dict):  # a year mapping becomes one column per projection year
            base[f] = values_by_year(base[f], list(inp.years[1 + m :]), f)[None, :]
    # the resolved numbers (data-dependent defaults filled, the target on the model's GDP basis)
    for f in (
        "base_share_pct",
        "target_share_pct",
        "budget_exp_pct_gdp",
        "nonstate_share_base_pct",
        "nonstate_share_target_pct",
        "envelope_rd_share_pct",
    ):
        base[f] = getattr(inp, f)
    floor = inp.science_budget_share_pct
    base["science_budget_share_pct"] = np.asarray(floor, dtype=float)[None, :] if np.ndim(floor) == 1 else floor
    return ctx, base


# every dataset rd_paths reads, in its preflight or its kernel (checked before a kernel starts)
RD_DATASETS = ("vn_gdp", "vn_gerd", "vn_gerd_funding", "vn_rd_statements", "vn_state_budget")

RD_SPEC = register(
    NotebookSpec(
        name="rd_paths",
        notebook="01_rd_paths.ipynb",
        title=N_("The path to R&D spending of 2% of GDP by 2030"),
        params=RD_PARAMS,
        check=_check_rd,
        preflight=lambda p: resolve(p),
        description=N_(
            "What Viet Nam's R&D spending must do to reach the Resolution 57 target, who pays, and whether the "
            "budget rule covers the state's part."
        ),
        key_figures=(
            KeyFigure("base_year", N_("Path starts in"), N_("year"), "year"),
            KeyFigure(
                "share_base_pct",
                N_("R&D at the start, % of GDP (an estimate after the last survey year)"),
                N_("% of GDP"),
                2,
            ),
            KeyFigure("gerd_nominal_cagr_pct", N_("R&D growth needed, % a year (nominal VND)"), N_("% a year"), 1),
            KeyFigure("max_gerd_growth_pct", N_("R&D growth needed in the steepest year, %"), N_("% a year"), 1),
            KeyFigure("gerd_target_usd_bn", N_("R&D in the target year, USD bn"), N_("billion USD"), 1),
            KeyFigure(
                "consistency_envelope_pct_at_floor",
                N_("At the 60% non-budget floor, state R&D in the target year needs this % of the whole 3% envelope"),
                N_("% of the envelope"),
                0,
            ),
            KeyFigure(
                "consistency_budget_pct_at_floor",
                N_("At the 60% non-budget floor, state R&D in the target year, % of budget expenditure"),
                N_("% of budget expenditure"),
                1,
            ),
            KeyFigure(
                "consistency_nonbudget_needed_pct",
                N_("Non-budget share of R&D needed for state R&D to fit the 3% envelope"),
                N_("% of GERD"),
                0,
            ),
        ),
        datasets=RD_DATASETS,
        section=N_("R&D spending paths to 2% of GDP"),
        order=20,
    )
)
