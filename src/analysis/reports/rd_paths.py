"""The R&D-to-2%-of-GDP scenario: its parameters and how they meet the data.

This module registers the ``rd_paths`` notebook's parameters and turns a validated
parameter dict plus the data snapshots into :class:`analysis.models.rd_model.RdInputs`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from functools import cached_property
from itertools import takewhile
from typing import Any

import numpy as np
import pandas as pd

from analysis import i18n
from analysis.data import datasets, observed
from analysis.data.labels import LABELS, label
from analysis.data.schema import first_valued, valued
from analysis.errors import DataError, ParameterError
from analysis.i18n import N_, _, fmt, ngettext, pgettext
from analysis.models import engine, feasibility, funding, nowcast
from analysis.models import targets as tg
from analysis.models.path_core import PATH_SHAPES, cagr_pct, values_by_year
from analysis.models.rd_model import RATE_COLUMNS, RdInputs, rd_path, rd_summary, share_path
from analysis.reports.params import KeyFigure, NotebookSpec, ParamSpec, register
from analysis.reports.render import fixed, frame_records, results_record

FIRST_BASE_YEAR = 2010  # GSO's rebased GDP starts here; earlier levels are not comparable
LAST_BASE_YEAR = 2025  # latest complete year, with official GDP (GSO, Jan 2026); GERD for it is a nowcast


def nonstate_floor_pct() -> float:
    """The Resolution's floor for R&D funded from outside the state budget, % of GERD (target T05 of the data)."""
    return tg.target("T05").value


def resolution_floors() -> dict[str, float]:
    """The Resolution's two floors by the names messages write them with: non-budget R&D, % of GERD (T05), and
    S&T, innovation and digital transformation, % of budget expenditure (T06)."""
    budget = tg.target("T06").value
    return {"resolution_nonstate_pct": nonstate_floor_pct(), "resolution_budget_pct": budget}


def tied_nonstate_target(base_share_pct: float) -> float:
    """The target non-budget share when it is left empty: the Resolution's floor, or the base share if higher
    (a target is never below where funding starts)."""
    return max(nonstate_floor_pct(), float(base_share_pct))


NOWCAST_LEVELS = ("low", "central", "high")
MEMO_LIMIT = 1_000  # entries RdData.memo keeps before it starts again
_KEPT: list[RdData] = []  # RdData.kept's last data
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


# The parameters (ParamSpec), in the order the notebook, ``r57 params`` and the explorer list them: the shape of
# each (kind, default, unit, the explorer's group or "" for none, then its range or choices and what else it has),
# what an empty value means where one is allowed, and the words (the explorer's label, the help, why the default).
_TIED_TO_BASE = ("nonstate_share_target_pct",)  # its default: the larger of 60% and nonstate_share_base_pct
PER_YEAR, VND_BN, USD_BN = N_("% a year"), N_("billion current VND"), N_("billion current USD")  # units said once
OF_ENVELOPE = N_("% of the envelope")
_RD_SHAPES: dict[str, tuple[Any, ...]] = {
    "base_year": ("int", LAST_BASE_YEAR, "year", "data", dict(lo=FIRST_BASE_YEAR, hi=LAST_BASE_YEAR)),
    "base_share_pct": ("float", None, "% of GDP (revised GDP)", "data", dict(lo=0.01, hi=10.0)),
    "nowcast_level": ("str", "central", "", "data", dict(choices=NOWCAST_LEVELS)),
    "gerd_series": ("str", "uis", "", "data", dict(choices=tuple(observed.GERD_SERIES))),
    "target_share_pct": ("float", 2.0, "% of GDP", "target", dict(lo=0.05, hi=10.0)),
    "target_gdp_basis": ("str", "revised", "", "target", dict(choices=GDP_BASES)),
    "gdp_revision_uplift_pct": ("float", None, "% of pre-revision GDP", "data", dict(lo=0.0, hi=60.0)),
    "target_year": ("int", 2030, "year", "target", dict(lo=2011, hi=2060)),
    "path_shape": ("str", "geometric", "", "target", dict(choices=tuple(PATH_SHAPES))),
    "logistic_steepness": ("float", RdInputs.logistic_steepness, "", "target", dict(lo=0.5, hi=30.0)),
    "back_loaded_exponent": ("float", RdInputs.back_loaded_exponent, "", "target", dict(lo=1.0, hi=6.0)),
    "real_gdp_growth_pct": ("float_or_year_map", 6.5, PER_YEAR, "growth", dict(lo=-10.0, hi=20.0)),
    "gdp_deflator_pct": ("float_or_year_map", 3.0, PER_YEAR, "growth", dict(lo=-10.0, hi=50.0)),
    "vnd_depreciation_pct": ("float_or_year_map", 2.0, PER_YEAR, "growth", dict(lo=-20.0, hi=50.0)),
    "use_observed_gdp": ("bool", True, "", "growth", {}),
    "nonstate_share_base_pct": ("float", None, "% of GERD", "funding", dict(lo=0.0, hi=100.0, affects=_TIED_TO_BASE)),
    "nonstate_share_target_pct": ("float", None, "% of GERD", "funding", dict(lo=0.0, hi=100.0)),
    "soe_funds_as": ("str", "non-budget", "", "", dict(choices=("non-budget", "state"))),
    "budget_exp_pct_gdp": ("float", None, "% of GDP", "budget", dict(lo=5.0, hi=60.0)),
    "science_budget_share_pct": ("float_or_year_map", 3.0, "% of budget expenditure", "budget", dict(lo=0.0, hi=30.0)),
    "envelope_rd_share_pct": ("float", RdInputs.envelope_rd_share_pct, OF_ENVELOPE, "budget", dict(lo=0.1, hi=100.0)),
}
_RD_NULL_MEANS = {  # what an empty value means, for the parameters that may be left empty
    "base_share_pct": "the observed value of gerd_series in base_year, else the nowcast at nowcast_level",
    "gdp_revision_uplift_pct": "the GSO figure in the data (25.4%)",
    "nonstate_share_base_pct": "the median of the published shares (30%)",
    "nonstate_share_target_pct": "the larger of 60% and the base-year share",
    "budget_exp_pct_gdp": "the mean of the latest budget years with official GDP (2023-2025)",
}
_RD_WORDS = {
    "base_year": (
        N_("Start year"),
        N_(
            "Year the path starts from. Years after the last GERD survey (2023) start from the nowcast, an "
            "estimate with a range; 2023 (the last observation) and earlier survey years stay selectable."
        ),
        "2025 is the latest complete year: the path must start from today's evidence, not from 2023, or the "
        "two years already past would be drawn as if R&D had grown on the path.",
    ),
    "base_share_pct": (
        N_("R&D share of GDP in the start year"),
        N_("GERD as % of (revised, official) GDP in the base year."),
        "Empty means the observed value of the chosen series in the base year, or the nowcast for a year "
        "after the last survey (about 0.41% for 2025, the central nowcast; range 0.35-0.48%).",
    ),
    "nowcast_level": (
        N_("Estimate used where no survey exists"),
        N_(
            "Which point of the nowcast range starts the path when base_year has no observation: 'low', "
            "'central' or 'high'."
        ),
        "The central estimate: the method with the smallest backtest error on the surveys since 2013 (the flat "
        "share, 0.41% for 2025). The range is reported beside it and in the sensitivity table.",
    ),
    "gerd_series": (
        N_("R&D statistics used"),
        N_(
            "Which GERD-to-GDP series sets the base share: 'uis' (UNESCO/World Bank, on revised GDP) or "
            "'ministry' (Ministry of Science and Technology survey, on pre-revision GDP; converted to revised GDP "
            "with gdp_revision_uplift_pct)."
        ),
        "The UIS series is the international standard and uses the GDP the rest of the model uses.",
    ),
    "target_share_pct": (
        N_("R&D target, share of GDP"),
        N_("GERD as % of GDP to reach in the target year, on the GDP basis given by target_gdp_basis."),
        "Resolution 57-NQ/TW: R&D spending of 2% of GDP by 2030.",
    ),
    "target_gdp_basis": (
        N_("GDP the target is measured on"),
        N_(
            "The GDP the target is a share of: 'revised' (official GDP since the statistics office's 2019 "
            "re-assessment, the GDP this model uses) or 'pre_revision' (the GDP the science ministry's own R&D "
            "ratios still divide by). A pre-revision target is converted to revised GDP: 2% of pre-revision GDP is "
            "about 1.6% of revised GDP."
        ),
        "The Resolution says '2% of GDP' and official GDP is the revised series; the ministry basis is the "
        "alternative reading and is shown in the report and the sensitivity table.",
    ),
    "gdp_revision_uplift_pct": (
        N_("GDP revision uplift"),
        N_("How much the 2019 re-assessment raised GDP: revised GDP = pre-revision GDP x (1 + uplift)."),
        "Empty means the statistics office's figure, 25.4% a year on average over 2010-2017 (data/raw "
        "vn_rd_statements.csv); the ministry's and UNESCO's ratios for 2019 imply 27%.",
    ),
    "target_year": (
        N_("Year the target is reached"),
        N_("Year the target share is reached."),
        "Resolution 57-NQ/TW sets the 2% target for 2030.",
    ),
    "path_shape": (
        N_("Shape of the path to the target"),
        # every shape of PATH_SHAPES described (tests/test_i18n_rd_paths.py checks each is)
        N_(
            "How the share moves between base and target: linear: the share rises by the same number of "
            "percentage points every year; geometric: the share grows at a constant annual rate (same % increase "
            "every year); logistic: an S-curve: slow start, fastest in the middle years, slow finish; back_loaded: "
            "slow at first, most of the rise in the last years (power curve)."
        ),
        "Constant annual growth of the share is the neutral benchmark: it gives one required growth rate.",
    ),
    "logistic_steepness": (
        N_("Steepness of the S-curve"),
        N_("Steepness of the logistic (S-curve) path; higher is more abrupt. Used only when path_shape='logistic'."),
        "8 puts about 90% of the rise in the middle two-thirds of the period.",
    ),
    "back_loaded_exponent": (
        N_("Strength of the late rise"),
        N_("Exponent of the back-loaded path (2 = quadratic). Used only when path_shape='back_loaded'."),
        "2 puts three-quarters of the rise in the second half of the period.",
    ),
    "real_gdp_growth_pct": (
        N_("Real GDP growth"),
        N_(
            "Real GDP growth in the projection years: one number, or {year: value} (a year left out keeps "
            "the previous value)."
        ),
        "Assumption, not a forecast: between the 2014-2024 average of 6.2% (World Bank WDI) and the "
        "7.1% and 8.0% GSO reported for 2024 and 2025. The official target (10% or more for 2026, NA "
        "Resolution 244/2025/QH15) is a named case in the sensitivity table.",
    ),
    "gdp_deflator_pct": (
        N_("Inflation (GDP deflator)"),
        N_("GDP deflator inflation in the projection years (number or {year: value})."),
        "Assumption: above the 2015-2023 average of 2.3% implied by WDI nominal and real GDP, below the "
        "5.2% implied by GSO's 2024 figures.",
    ),
    "vnd_depreciation_pct": (
        N_("Depreciation of the dong against the US dollar"),
        N_("Depreciation of the dong against the US dollar (positive = more VND per USD)."),
        "Assumption: between the 2015-2023 average of 1.3% (implied by WDI GDP in VND and USD) and the "
        "2.5% a year of 2023-2025 (GSO).",
    ),
    "use_observed_gdp": (
        N_("Use official GDP where published"),
        N_(
            "Use GSO's official GDP for years after the base year that already have it (2024, 2025) instead "
            "of the growth assumptions."
        ),
        "Known outcomes beat assumptions.",
    ),
    "nonstate_share_base_pct": (
        N_("Non-budget share of R&D in the start year"),
        N_(
            "Non-budget share of GERD in the base year: funds from outside the state budget (central and local), "
            "including state-owned enterprises' own funds, private and foreign-invested firms, funds from abroad "
            "and universities' own revenue."
        ),
        "Empty means the published evidence: the median of EY Vietnam 2025 (non-budget 20-30%), OECD/World "
        "Bank 2014 (30%) and the 2013 survey (42%), i.e. 30%, range 20-42%. The UIS source-of-funds series "
        "for Viet Nam was not found; the S&T budget line's reading, which contradicts these, is shown beside them.",
    ),
    "nonstate_share_target_pct": (
        N_("Non-budget share of R&D in the target year"),
        N_("Non-budget share of GERD in the target year (same definition as the base share)."),
        "Resolution 57-NQ/TW asks that funds from society be more than 60% ('kinh phi tu xa hoi chiem hon "
        "60%'). Empty means 60%, or the base-year share if it is already higher: the path does not assume "
        "the non-budget share falls.",
    ),
    "soe_funds_as": (
        "",
        N_(
            "What the two shares count state-owned enterprises' own R&D funds as: 'non-budget' (funds from outside "
            "the state budget) or 'state' (then the complement is the non-state sector)."
        ),
        "The Resolution's 'funds from society' is read as non-budget; the rd-soe-funding scenario counts "
        "state-owned firms as state. Wording only: the shares given decide the figures.",
    ),
    "budget_exp_pct_gdp": (
        N_("State budget spending, share of GDP"),
        N_("Total state-budget expenditure as % of GDP, held constant over the projection."),
        "Empty means the mean of the latest years with a budget outturn or estimate and official GDP "
        "(2023-2025: 20.3, 18.2 and 19.8%, mean about 19.4%); the 2026 estimate (about 22% of projected "
        "GDP) is a sensitivity case.",
    ),
    "science_budget_share_pct": (
        N_("Science share of the state budget (floor)"),
        N_(
            "The floor of the budget rule: share of state-budget expenditure for science, technology, "
            "innovation and digital transformation. One number, or a rising path {year: %} (a year left out "
            "keeps the previous value; years before the first one given take its value)."
        ),
        "Resolution 57-NQ/TW: at least 3% of annual budget expenditure, rising over time; the 2026 plan "
        "(about 95,000 bn VND) is 3.0% of the budget estimate. How fast it rises is not set, so 3% is kept.",
    ),
    "envelope_rd_share_pct": (
        N_("R&D part of the science envelope"),
        N_(
            "Share of the S&T + innovation + digital-transformation envelope that funds R&D. State-funded R&D is "
            "checked against this part of the envelope, so the check compares like with like."
        ),
        "Not published. 100% (R&D may use the whole envelope) is the most generous reading: if budget-financed "
        "R&D does not fit the whole envelope, it fits no part of it. The consistency table shows other parts.",
    ),
}

RD_PARAMS: tuple[ParamSpec, ...] = tuple(
    ParamSpec(
        name,
        kind,
        default,
        unit,
        _RD_WORDS[name][1],
        _RD_WORDS[name][2],
        label=_RD_WORDS[name][0],
        group=group,
        nullable=name in _RD_NULL_MEANS,
        null_means=_RD_NULL_MEANS.get(name, ""),
        **more,
    )
    for name, (kind, default, unit, group, more) in _RD_SHAPES.items()
)


def check_rd(p: dict[str, Any]) -> None:
    """The rules between rd_paths' parameters (its spec's ``check``, also rd_feasibility's): a ParameterError."""
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
    for name in (*engine.GROWTH_FIELDS, "science_budget_share_pct"):
        if isinstance(value := p.get(name), dict):
            first = p["base_year"] if name == "science_budget_share_pct" else p["base_year"] + 1
            outside = [y for y in value if not first <= y <= p["target_year"]]
            if outside:
                raise ParameterError(
                    name,
                    f"year {outside[0]} is outside the projection",
                    f"years from {first} to {p['target_year']}",
                )


_RD_FILES = ("vn_gerd", "vn_gdp", "vn_state_budget", "vn_gerd_funding", "vn_rd_statements")  # RdData's, in order


@dataclass(frozen=True)
class RdData:
    """The data snapshots the scenario reads, already validated."""

    gerd: pd.DataFrame
    gdp: pd.DataFrame
    budget: pd.DataFrame
    funding: pd.DataFrame
    statements: pd.DataFrame

    @classmethod
    def load(cls) -> RdData:
        return cls(*map(datasets.load, _RD_FILES))

    @classmethod
    def kept(cls) -> RdData:
        """:meth:`load`'s data, one instance while they read the same: the preflights build its evidence once."""
        data = cls.load()
        if not _KEPT or not all(getattr(_KEPT[0], f.name).equals(getattr(data, f.name)) for f in fields(cls)):
            _KEPT[:] = [data]
        return _KEPT[0]

    @cached_property
    def budget_floor_pct(self) -> float:
        """The Resolution's floor for S&T, innovation and digital transformation, % of budget expenditure (target
        T06), read once: :func:`resolve` rates the 3% rule with it for every scenario the explorer resolves."""
        return tg.target("T06").value

    @cached_property
    def gdp_table(self) -> pd.DataFrame:
        """Viet Nam's GDP table (observed.gdp_table), built once per RdData."""
        return observed.gdp_table(self.gdp)

    @cached_property
    def gdp_drivers(self) -> pd.DataFrame:
        """Official GDP drivers by year (observed.gdp_drivers), rows with a missing rate dropped; built once."""
        return observed.gdp_drivers(self.gdp_table).dropna(subset=list(RATE_COLUMNS))

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


def build_evidence(data: RdData) -> Evidence:
    uis = observed.gerd_share_series(data.gerd, "uis")
    last_year = int(uis.index.max())
    frac = funding.st_rd_fraction(data.funding, data.gerd, data.budget)
    nc, bt, scores = nowcast.nowcast_share(uis, data.gdp_table["gdp_vnd_bn"].dropna().to_dict(), LAST_BASE_YEAR)
    uplift = first_valued(data.statements, "gdp_revision_uplift_pct")
    growth_target = first_valued(data.statements, "target_real_gdp_growth_pct")
    return Evidence(
        uis=uis,
        last_year=last_year,
        last_pct=float(uis.iloc[-1]),
        band_pp=nowcast.flat_band_pp(uis),
        rd_fraction=frac,
        nowcast=nc,
        backtest=bt,
        backtest_scores=scores,
        uplift_pct=float(uplift["value"]) if uplift is not None else 25.4,
        official_growth_target_pct=None if growth_target is None else float(growth_target["value"]),
    )


@dataclass(frozen=True)
class Start:
    """Where the path starts: the base share, its status and range, and the base year's funding account."""

    status: str  # observed, estimate or user
    share_pct: float  # on revised GDP
    low_pct: float
    high_pct: float
    gerd_vnd_bn: float  # GERD at the start, bn VND: the share of the base year's GDP
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
    unrated_years: tuple[int, ...] = ()  # path years whose envelope fit is not rated (funding.unrated_years)
    rule: pd.DataFrame | None = None  # the budget rule year by year from the base year (funding.track_rule)
    path: pd.DataFrame | None = None  # the required R&D path (rd_path), computed once: the rule's budget reads it


def _start(p: dict[str, Any], data: RdData, ev: Evidence, gdp_b: float, notes: list[str]) -> Start:
    base = p["base_year"]
    series = data.gerd_share(p["gerd_series"])
    uplift = p["gdp_revision_uplift_pct"]
    if p["base_share_pct"] is not None:
        status, share = "user", float(p["base_share_pct"])
        lo = hi = share
        notes.append(_("Base share {share}% of GDP was set by the user.").format(share=fmt.sig(share)))
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
                    ratio=fmt.sig(float(series.loc[base]), 3),
                    share=fmt.sig(share, 3),
                    uplift=fmt.sig(uplift),
                )
            )
        else:
            notes.append(
                _("The base share, {share}%, is the observed value for {year} in the {series} series.").format(
                    share=fmt.sig(share, 5),
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
    return Start(status, share, lo, hi, share / 100 * gdp_b, data.base_year_budget(base))


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
    """GDP of the base year (bn VND), refused (``base_year``) when the table lacks it or the exchange rate."""
    needed = gdp_tab.loc[gdp_tab.index.isin([base]), ["gdp_vnd_bn", "vnd_per_usd"]].dropna()
    if needed.empty:
        raise ParameterError("base_year", f"no GDP in VND and USD for {base}", f"{FIRST_BASE_YEAR} to {LAST_BASE_YEAR}")
    return float(gdp_tab.loc[base, "gdp_vnd_bn"])


def _target_share_revised_pct(p: dict[str, Any], base_share_pct: float, notes: list[str]) -> float:
    """The target share on revised GDP whatever basis it was given on (the conversion explained in ``notes``);
    refused (``base_share_pct``) when the base share is ten times the target or more."""
    target_revised = float(p["target_share_pct"])
    if p["target_gdp_basis"] == "pre_revision":
        target_revised = p["target_share_pct"] / (1 + p["gdp_revision_uplift_pct"] / 100.0)
        notes.append(
            _("The target, {stated}% of pre-revision GDP, is {revised}% of revised GDP.").format(
                stated=fmt.sig(p["target_share_pct"]), revised=fmt.num(target_revised, 3)
            )
        )
    if base_share_pct >= target_revised * 10:
        raise ParameterError(
            "base_share_pct", "is more than ten times the target share", "a share below 10 x the target"
        )
    return target_revised


def _observed_gdp_years(p: dict[str, Any], drivers: pd.DataFrame, years: list[int], notes: list[str]) -> list[int]:
    """The years after the base year, in a row, whose GDP is official (none unless ``use_observed_gdp``); a growth
    assumption giving a value for one of them is refused, naming it."""
    if not p["use_observed_gdp"]:
        return []
    observed_years = list(takewhile(lambda y: y in drivers.index, years[1:]))
    for name in engine.GROWTH_FIELDS:
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
) -> tuple[list[int], tuple[float, ...], tuple[float, ...], tuple[float, ...]]:
    """The official years and, one value per path year (0 for the base year), real growth, deflator and VND
    depreciation in % a year (:data:`RATE_COLUMNS`): official rates for the observed years, the assumptions after
    them."""
    observed_years = _observed_gdp_years(p, data.gdp_drivers, years, notes)
    projected = years[1 + len(observed_years) :]
    seen = data.gdp_drivers.reindex(observed_years)
    rates = [
        np.concatenate([[0.0], seen[column].to_numpy(), values_by_year(p[name], projected, name)])
        for name, column in zip(engine.GROWTH_FIELDS, RATE_COLUMNS, strict=True)
    ]
    return observed_years, *(tuple(r.tolist()) for r in rates)


BUDGET_MEAN_YEARS = 3  # budget expenditure: the mean of the latest three years with a budget figure and official GDP


def budget_years_pct_gdp(data: RdData) -> pd.Series:
    """Budget expenditure (outturn or estimate), % of official GDP, for the latest :data:`BUDGET_MEAN_YEARS`
    years that have both: the one budget series every R&D report uses."""
    b = data.budget_exp_pct_gdp["pct_gdp"].dropna()
    if b.empty:
        raise DataError("no year has both a state-budget expenditure figure and official GDP")
    return b.iloc[-BUDGET_MEAN_YEARS:]


def _budget_exp_pct_gdp_default(data: RdData, notes: list[str]) -> float:
    """Budget expenditure, % of GDP (4 decimals), when the user gave none: the mean of
    :func:`budget_years_pct_gdp`, the years named in ``notes``.

    Hand check: 2,070,000 / 10,221,800 = 20.25%; 2,100,000 / 11,511,900 = 18.24%; 2,540,000 / 12,847,600 =
    19.77%; mean 19.42%.
    """
    b = budget_years_pct_gdp(data)
    pct = float(b.mean())
    notes.append(
        _(
            "Budget expenditure {pct:num.1}% of GDP is the mean of the budget figures for {first:year}-{last:year} "
            "over official GDP; the {next:year} estimate is a sensitivity case."
        ).format(pct=pct, first=b.index[0], last=b.index[-1], next=b.index[-1] + 1)
    )
    return round(pct, 4)


def nonbudget_evidence(data: RdData) -> tuple[list[funding.Reading], tuple[float, float, float]]:
    """The published readings of who pays and the non-budget share (low, central, high) they support, built once."""

    def build() -> tuple[list[funding.Reading], tuple[float, float, float]]:
        readings = funding.published_readings(data.funding, float(data.gerd_vnd.loc[2013, "gerd_vnd_bn"]))
        return readings, funding.evidence_nonbudget_share_pct(readings)

    return data.memo(("nonbudget evidence",), build)


def _nonstate_share_base_default(data: RdData, base: int, notes: list[str]) -> float:
    """The non-budget share of GERD (%, one decimal) in the base year when the user gave none: the median of the
    published shares, said in ``notes``."""
    _readings, (lo, c, hi) = nonbudget_evidence(data)
    share = round(c, 1)
    notes.append(
        _(
            "Funds from outside the state budget pay {share}% of R&D in {year} (range {low}-{high}%): the median "
            "of the published shares (EY Vietnam 2025, OECD/World Bank 2014, the 2013 survey)."
        ).format(share=fmt.num(share, 0), year=fmt.year(base), low=fmt.num(lo, 0), high=fmt.num(hi, 0))
    )
    return share


def budget_series(data: RdData, inp: RdInputs, path_gdp: pd.Series) -> dict[int, float]:
    """Budget expenditure (bn VND) by year, the one series of the report: the path's share of GDP times the
    path's GDP, or official GDP for a year before the path."""
    gdp = data.gdp_table["gdp_vnd_bn"].dropna().to_dict() | path_gdp.to_dict()
    return {int(y): float(v) * inp.budget_exp_pct_gdp / 100 for y, v in gdp.items()}


def resolve(params: dict[str, Any], data: RdData | None = None) -> RdResolved:
    """Fill data-dependent defaults and check the combination against the data.

    ``params`` must come from :func:`analysis.reports.params.validate` (parameters it lacks take their defaults).
    """
    data = data or RdData.load()
    p = RD_SPEC.defaults() | dict(params)  # what a caller did not give (a report sharing some of them): the defaults
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
        p["nonstate_share_target_pct"] = tied_nonstate_target(p["nonstate_share_base_pct"])

    inputs = RdInputs(
        base_year=base,
        target_year=target,
        base_share_pct=float(start.share_pct),
        target_share_pct=float(target_revised),
        path_shape=p["path_shape"],
        base_gdp_vnd_bn=gdp_b,
        base_vnd_per_usd=float(gdp_tab.loc[base, "vnd_per_usd"]),
        real_growth_pct=growth,
        deflator_pct=defl,
        depreciation_pct=dep,
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
    # the budget rule on the report's budget series, from the base year: the table and the rated years read one frame
    path = rd_path(inputs)
    series = budget_series(data, inputs, path["gdp_vnd_bn"])
    rule = funding.track_rule(data.budget, series, data.budget_floor_pct, inputs.base_year)
    return RdResolved(
        inputs=inputs,
        params=p,
        notes=tuple(notes),
        start=start,
        evidence=ev,
        target_share_revised_pct=target_revised,
        nonstate_target_tied=tied,
        unrated_years=tuple(int(y) for y in inputs.years[funding.unrated_years(rule, inputs.years)]),
        rule=rule,
        path=path,
    )


def run(params: dict[str, Any], data: RdData | None = None) -> tuple[RdResolved, pd.DataFrame, dict[str, Any]]:
    """Resolve, compute the path and summarise: what the notebook and the tests call."""
    data = data or RdData.load()
    resolved = resolve(params, data)
    path = resolved.path.copy()
    summary = rd_summary(path, resolved.unrated_years)
    if params.get("nonstate_share_base_pct") is None:
        path = with_funding_range(resolved, path, data)
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
    summary.update(consistency_summary(resolved, path, data))
    return resolved, path, summary


def budget_line_reading(r: RdResolved) -> tuple[float, float] | None:
    """The S&T budget line's reading of the base year: state R&D as % of GERD, ``(the line's R&D part, the whole
    line)`` (:func:`funding.budget_bound_state_share_pct`), on the report's one budget series; None without the
    base year's S&T share. Not a bound on state R&D: R&D paid through other budget lines is outside the line."""
    bb = r.start.budget
    if bb is None:
        return None
    budget = r.inputs.base_gdp_vnd_bn * r.inputs.budget_exp_pct_gdp / 100
    return funding.budget_bound_state_share_pct(
        bb.st_share_pct, budget, r.start.gerd_vnd_bn, r.evidence.rd_fraction.low
    )


def budget_line_shares(r: RdResolved) -> dict[str, float]:
    """The non-budget shares (% of GERD) :func:`budget_line_reading` implies, as the results name them
    (``_low`` from the whole line, ``_high`` from its R&D part); empty without that reading."""
    if (bound := budget_line_reading(r)) is None:
        return {}
    return {
        "nonbudget_share_budget_bound_low_pct": 100 - bound[1],
        "nonbudget_share_budget_bound_high_pct": 100 - bound[0],
    }


def with_funding_range(r: RdResolved, path: pd.DataFrame, data: RdData) -> pd.DataFrame:
    """``path`` with the range of who pays carried along (issue 22): the share and state-funded R&D at the low and
    high base share (each moving to the target-year share, the larger of 60% and the base share where the target
    was left empty); low and high are each column's bounds, so state R&D is low at the high non-budget share. The
    base-year range covers both readings: the published shares and the whole S&T budget line
    (:func:`budget_line_reading`) as state R&D, whichever leaves the state less."""
    _readings, (lo, _c, hi) = nonbudget_evidence(data)
    if (line := budget_line_reading(r)) is not None:
        hi = max(hi, 100 - line[1])
    out = path.copy()
    alt = {}
    for share in (lo, hi):
        target = tied_nonstate_target(share) if r.nonstate_target_tied else r.inputs.nonstate_share_target_pct
        alt[share] = rd_path(replace(r.inputs, nonstate_share_base_pct=share, nonstate_share_target_pct=target))
    out["nonstate_share_low_pct"] = alt[lo]["nonstate_share_pct"]
    out["nonstate_share_high_pct"] = alt[hi]["nonstate_share_pct"]
    out["state_gerd_low_vnd_bn"] = alt[hi]["state_gerd_vnd_bn"]
    out["state_gerd_high_vnd_bn"] = alt[lo]["state_gerd_vnd_bn"]
    return out


def budget_range(r: RdResolved, data: RdData, path: pd.DataFrame | None = None) -> dict[str, Any]:
    """Budget expenditure's range, % of GDP, each end the data's or the scenario's share, whichever lies further out:
    ``low``, the lowest of the budget years over official GDP (``years``); ``high``, the next year's budget estimate
    over the GDP the scenario projects for it (``next_year``; None when there is none, and then the highest year).
    ``path``: the scenario's :func:`rd_path` where the caller has it."""
    inp = r.inputs
    ratios = budget_years_pct_gdp(data)
    path = rd_path(inp) if path is None else path
    est = data.budget_exp_pct_gdp
    nxt = [int(y) for y in est.index if y > int(ratios.index[-1]) and y in path.index]
    top = ratios.max()
    if nxt:
        top = est.loc[nxt[0], "budget_exp_vnd_bn"] / path.loc[nxt[0], "gdp_vnd_bn"] * 100
    return {
        "low": float(min(ratios.min(), inp.budget_exp_pct_gdp)),
        "high": float(max(top, inp.budget_exp_pct_gdp)),
        "years": [int(y) for y in ratios.index],
        "next_year": nxt[0] if nxt else None,
    }


# the state's part against the whole envelope at each end of budget spending's range (:func:`consistency_summary`)
ENVELOPE_ENDS = ("consistency_envelope_pct_at_floor_at_budget_high", "consistency_envelope_pct_at_floor_at_budget_low")


def consistency_summary(r: RdResolved, path: pd.DataFrame, data: RdData) -> dict[str, Any]:
    """The 3% rule as a consistency question for the target year, at the Resolution's non-budget threshold (60%):
    only budget-financed R&D is compared with the envelope (or the scenario's R&D part of it), at the scenario's
    budget spending and at each end of its range (:func:`budget_range`; ``_at_budget_high``/``_low`` name the
    end); the growth of non-budget R&D is from the base year's non-budget share to the
    share needed at the scenario's budget floor; whether R&D's part is the whole envelope."""
    inp = r.inputs
    floor_t = np.atleast_1d(inp.science_budget_share_pct)[-1]
    budget = budget_range(r, data, path)
    spending = np.array([inp.budget_exp_pct_gdp, budget["high"], budget["low"]])
    at = funding.consistency_at_floor(
        inp.target_share_pct, floor_t, spending, inp.envelope_rd_share_pct, nonstate_floor_pct()
    )
    needed, envelope = at["consistency_nonbudget_needed_pct"][0], at["consistency_envelope_pct_at_floor"]
    b, t = path.iloc[0], path.iloc[-1]
    n = int(path.index[-1] - path.index[0])
    nonbudget_base = float(b["gerd_vnd_bn"]) * inp.nonstate_share_base_pct / 100
    nonbudget_needed = float(t["gerd_vnd_bn"]) * needed / 100
    _readings, (ev_lo, _ev_c, ev_hi) = nonbudget_evidence(data)
    years = budget["years"]
    return {
        **{k: float(v[0]) for k, v in at.items()},
        "consistency_nonbudget_growth_pct": float(cagr_pct(nonbudget_base, nonbudget_needed, n))
        if nonbudget_base > 0
        else float("nan"),
        "nonbudget_share_base_low_pct": ev_lo,
        "nonbudget_share_base_high_pct": ev_hi,
        "budget_years": f"{years[0]}-{years[-1]}",
        "budget_exp_pct_gdp_low": budget["low"],
        "budget_exp_pct_gdp_high": budget["high"],
        "consistency_envelope_pct_at_floor_at_budget_high": float(envelope[1]),
        "consistency_envelope_pct_at_floor_at_budget_low": float(envelope[2]),
        "whole_envelope": bool(inp.envelope_rd_share_pct >= 100),
    }


NONBUDGET_GRID = tuple(range(30, 95, 5))  # non-budget shares the consistency table covers, % of GERD
FLOOR_GRID = (3.0, 4.0, 5.0, 6.0, 8.0)  # budget floors it covers, % of budget expenditure


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
        r.unrated_years,
    )
    # the resolved numbers (data-dependent defaults filled, the target on the model's GDP basis), the growth as given
    base = {f: r.params[f] if f in engine.GROWTH_FIELDS else getattr(inp, f) for f in engine.SCENARIO_FIELDS}
    for f in engine.GROWTH_FIELDS:
        if isinstance(base[f], dict):  # a year mapping becomes one column per projection year
            base[f] = values_by_year(base[f], list(inp.years[1 + m :]), f)[None, :]
    floor = inp.science_budget_share_pct
    base["science_budget_share_pct"] = np.asarray(floor, dtype=float)[None, :] if np.ndim(floor) == 1 else floor
    return ctx, base


# every dataset rd_paths reads, in its preflight or its kernel (checked before a kernel starts)
RD_DATASETS = tuple(sorted(("r57_targets", *_RD_FILES)))

# a scenario's headline figures as the engine gives them (engine.SUMMARY_COLUMNS, in the order the explorer shows
# them): label, unit and decimals written once, for the index (the key figures below), the explorer, the comparison
# pages and the API's units
ENGINE_FIGURES = (
    KeyFigure("share_cagr_pct", N_("R&D share of GDP must grow, % a year"), PER_YEAR, 1),
    KeyFigure("gerd_nominal_cagr_pct", N_("R&D growth needed, % a year (nominal VND)"), PER_YEAR, 1),
    KeyFigure("gerd_real_cagr_pct", N_("R&D spending must grow, % a year (after inflation)"), PER_YEAR, 1),
    KeyFigure("max_gerd_growth_pct", N_("R&D growth needed in the steepest year, %"), PER_YEAR, 1),
    KeyFigure("gerd_target_vnd_bn", N_("R&D spending in the target year, bn VND"), VND_BN, 0),
    KeyFigure("gerd_target_usd_bn", N_("R&D in the target year, USD bn"), USD_BN, 1),
    KeyFigure("gdp_target_vnd_bn", N_("GDP in the target year, bn VND"), VND_BN, 0),
    KeyFigure("state_gerd_target_vnd_bn", N_("State-funded R&D in the target year, bn VND"), VND_BN, 0),
    KeyFigure("nonstate_gerd_target_vnd_bn", N_("Non-budget R&D in the target year, bn VND"), VND_BN, 0),
    KeyFigure("nonstate_gerd_nominal_cagr_pct", N_("Non-budget R&D must grow, % a year (current VND)"), PER_YEAR, 1),
    KeyFigure(
        "state_gerd_pct_budget_target",
        N_("State R&D in the target year, % of budget expenditure"),
        N_("% of budget expenditure"),
        2,
    ),
    KeyFigure(
        "state_gerd_pct_envelope_target",
        N_("State R&D in the target year, % of the budget envelope"),
        OF_ENVELOPE,
        0,
    ),
    KeyFigure(
        "state_gerd_pct_rd_envelope_target",
        N_("State R&D in the target year, % of the envelope's R&D part"),
        N_("% of the envelope's R&D part"),
        0,
    ),
    KeyFigure("max_share_growth_pct", N_("Fastest single-year growth of the R&D share, %"), PER_YEAR, 1),
    KeyFigure(
        "first_year_not_fitting",
        N_("First year state R&D exceeds the envelope"),
        N_("year (-1: every rated year fits)"),
        "year",
    ),
    KeyFigure(
        "envelope_fits_all_years",
        N_(
            "State R&D fits the envelope's R&D part every year (where that part is 100%: only if the whole envelope "
            "went to R&D)"
        ),
        N_("true/false"),
        "yesno",
    ),
)
FIGURES = {f.name: f for f in ENGINE_FIGURES}

RD_SPEC = register(
    NotebookSpec(
        name="rd_paths",
        notebook="01_rd_paths.ipynb",
        title=N_("The path to R&D spending of 2% of GDP by 2030"),
        params=RD_PARAMS,
        check=check_rd,
        preflight=lambda p: resolve(p, RdData.kept()),
        findings=("rd_history", "rd_headline", "rd_funders", "rd_rule", "rd_consistency"),
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
                3,
            ),
            FIGURES["gerd_nominal_cagr_pct"],
            FIGURES["max_gerd_growth_pct"],
            FIGURES["gerd_target_usd_bn"],
            KeyFigure(
                "consistency_envelope_pct_at_floor",
                N_(
                    "At the {resolution_nonstate_pct:num}% non-budget threshold (the Resolution asks for more), state "
                    "R&D in the target year needs this % of the whole {resolution_budget_pct:num}% envelope"
                ),
                OF_ENVELOPE,
                0,
            ),
            KeyFigure(
                "consistency_budget_pct_at_floor",
                N_(
                    "At the {resolution_nonstate_pct:num}% non-budget threshold (the Resolution asks for more), state "
                    "R&D in the target year, % of budget expenditure"
                ),
                N_("% of budget expenditure"),
                1,
            ),
            KeyFigure(
                "consistency_nonbudget_needed_pct",
                N_("Non-budget share of R&D needed for state R&D to fit the {resolution_budget_pct:num}% envelope"),
                N_("% of GERD"),
                1,
            ),
        ),
        datasets=(*RD_DATASETS, "wdi_gerd_pct_gdp"),  # the feasibility report's analogues, on the first screen
        section=N_("R&D spending paths to 2% of GDP"),
        order=20,
        messages=("src/analysis/reports/sensitivity.py",),
        baseline="rd-baseline",
        compare_charts=(
            ("share_pct", N_("R&D spending, % of GDP"), N_("% of GDP"), 1.0),
            ("gerd_vnd_bn", N_("R&D spending, trillion current VND"), N_("trillion VND"), 1000.0),
            (
                "state_gerd_vnd_bn",
                N_("State-funded R&D (in the start year too, the scenario's assumed split, not data), trillion VND"),
                N_("trillion VND"),
                1000.0,
            ),
            (
                "state_gerd_pct_budget",
                N_("State-funded R&D (in the start year too, the scenario's assumed split, not data), % of budget"),
                N_("% of budget expenditure"),
                1.0,
            ),
        ),
    )
)


# ----------------------------------------------------------------------------- what the page shows
# Table shaping and chart drawing for notebooks/01_rd_paths: each function takes the computed scenario
# (:class:`Page`) and returns a frame with its caption (``Report.table(**spec)``), a figure with its caption
# (``Report.figure(**spec)``) or a sentence, worded in the current language; the notebook shows each under
# ``render.both`` so that both editions come from one execution.


@dataclass(frozen=True)
class Page:
    """One rd_paths scenario computed once: the parameters as given, the resolution, the path and its summary."""

    params: dict[str, Any]
    resolved: RdResolved
    path: pd.DataFrame
    summary: dict[str, Any]
    data: RdData

    @classmethod
    def build(cls, params: dict[str, Any], data: RdData | None = None) -> Page:
        """The scenario computed (:func:`run`: its envelope figures over the rated years only)."""
        data = data or RdData.load()
        return cls(params, *run(params, data), data)

    @property
    def inp(self) -> RdInputs:
        return self.resolved.inputs

    @property
    def ev(self) -> Evidence:
        return self.resolved.evidence

    @property
    def start(self) -> Start:
        return self.resolved.start

    @property
    def soe_as_state(self) -> bool:
        """The rd-soe-funding reading: state-owned firms' funds count as state, the complement is the non-state sector."""
        return self.resolved.params["soe_funds_as"] == "state"

    def notes(self) -> tuple[str, ...]:
        """The resolution's notes in the current language (resolving again is memoised per language)."""
        return resolve(self.params, self.data).notes

    @cached_property
    def from_last(self) -> pd.Series:
        """The share a path from the last survey to the target would have required, year by year."""
        ev, inp = self.ev, self.inp
        years = list(range(ev.last_year, inp.target_year + 1))
        return share_path(
            years,
            ev.last_pct,
            self.resolved.target_share_revised_pct,
            inp.path_shape,
            inp.logistic_steepness,
            inp.back_loaded_exponent,
        )

    @cached_property
    def gap(self) -> pd.DataFrame | None:
        """The gap to date (nowcast.gap_to_date), None when the path starts at the last survey or before."""
        ev, b = self.ev, self.inp.base_year
        if b <= ev.last_year:
            return None
        last = pd.Series({ev.last_year: ev.last_pct})
        return nowcast.gap_to_date(last, ev.nowcast.loc[:b], self.from_last)

    @cached_property
    def row_status(self) -> np.ndarray:
        """Each path row's status: the start (observed or estimate), then required."""
        start = "observed" if self.start.status == "observed" else "estimate"
        return np.where(self.path.index == self.inp.base_year, start, "required")

    @property
    def rule(self) -> pd.DataFrame:
        """The budget rule year by year on the path's budget series (:func:`funding.track_rule`, from :func:`resolve`)."""
        return self.resolved.rule

    @cached_property
    def unallocated(self) -> np.ndarray:
        """For each path row, whether its envelope fit is not rated (:func:`engine.rated_mask`, as the engine)."""
        return ~engine.rated_mask(self.path.index, self.resolved.unrated_years)

    @cached_property
    def gii(self) -> dict[str, object] | None:
        """The GII's rank of Viet Nam on business-financed GERD (:func:`funding.business_financing_rank`)."""
        return funding.business_financing_rank(self.data.funding)

    def budget_series(self) -> dict[int, float]:
        """Budget expenditure (bn VND) by year on the path (:func:`budget_series`)."""
        return budget_series(self.data, self.inp, self.path["gdp_vnd_bn"])

    @cached_property
    def consistency(self) -> pd.DataFrame:
        """Budget R&D in the target year as % of the envelope's R&D part: non-budget shares (rows) by floors
        (columns), for the scenario's GERD target, budget expenditure and R&D part of the envelope."""
        inp = self.inp
        shares = pd.Index(NONBUDGET_GRID, dtype=float, name="nonbudget_pct")
        floors = pd.Index(FLOOR_GRID, dtype=float, name="floor_pct")
        pct = funding.state_rd_pct_of_envelope(
            inp.target_share_pct,
            shares.to_numpy()[:, None],
            floors.to_numpy(),
            inp.budget_exp_pct_gdp,
            inp.envelope_rd_share_pct,
        )
        return pd.DataFrame(pct, index=shares, columns=floors)

    @cached_property
    def facts(self) -> dict[str, Any]:
        """The summary and the resolved inputs (these where both name one) by name: what the sentences write as
        typed fields (``{gerd_target_usd_bn:num.1}``), and the Resolution's two floors (``resolution_*_pct``)."""
        return self.summary | {f.name: getattr(self.inp, f.name) for f in fields(self.inp)} | resolution_floors()


def _table(df: pd.DataFrame, labels: dict[str, str] | None = None, **spec: Any) -> dict[str, Any]:
    """A ``Report.table`` spec; a named index becomes the first column. Every header is shown in the reader's
    language (columns are named by N_-marked English words), ``labels`` for those worded otherwise."""
    df = df.reset_index() if df.index.name else df
    return {"df": df, "index": False, "labels": {c: _(c) for c in df.columns} | (labels or {}), **spec}


def sources() -> dict[str, str]:
    """The source lines the page repeats, in the current language."""
    uis = _("UNESCO UIS via World Bank WDI (GB.XPD.RSDV.GD.ZS, release 2026-07-13)")
    return {
        "uis": uis,
        "most": _("Ministry of Science and Technology R&D survey (Bo KHCN 2020)"),
        "gdp": _("World Bank WDI (2025-03-24) and GSO/NSO releases to 5 Jan 2026"),
        "budget": _("National Assembly budget resolutions 2023-2026; Ministry of Finance; MOST"),
        "model": _("r57 R&D path model, parameters listed at the end of this report"),
        "nowcast": _(
            "r57 nowcast from {uis}: the method chosen by backtest on the surveys from 2013; an estimate (flag e), not "
            "an observation"
        ).format(uis=uis),
    }


def title(pg: Page) -> str:
    return _("The path to R&D spending of {target}% of GDP by {year}").format(
        target=fmt.sig(pg.params["target_share_pct"]), year=fmt.year(pg.inp.target_year)
    )


def shape_word(pg: Page) -> str:
    return label("shape", pg.inp.path_shape)  # "back-loaded", not back_loaded


# ----------------------------------------------------------------------------- where Viet Nam stands


def standing_text(pg: Page) -> str:
    ev, data = pg.ev, pg.data
    most = data.gerd_share("ministry")
    gerd_last = data.gerd_vnd["gerd_vnd_bn"].iloc[-1]
    return _(
        "The latest measurement puts Viet Nam's R&D spending at **{share} of GDP in {year}** ({source}), about "
        "{amount}. The share has hardly moved since 2017 ({share_2017}). The science ministry's own survey "
        "reported **{most} for {most_year}**: the spending total is the same, but the ministry divides by GDP as "
        "measured before the statistics office's 2019 revision: official GDP for {most_year} is about {most_uplift:num}% "
        "larger (the revision raised GDP by about {uplift}% on average). No survey measures {years}; the estimates "
        "below (the *nowcast*) fill those years, with a range, and are never shown as observations."
    ).format(
        share=fmt.pct(ev.uis.iloc[-1], 2),
        year=fmt.year(ev.last_year),
        source=sources()["uis"],
        amount=_("{bn} (about {tn})").format(bn=fmt.vnd_bn(gerd_last), tn=fmt.vnd_tn(gerd_last)),
        share_2017=fmt.pct(ev.uis.loc[2017], 2),
        most=fmt.pct(most.iloc[-1], 2),
        most_year=fmt.year(most.index.max()),
        most_uplift=(most.iloc[-1] / ev.uis.loc[most.index.max()] - 1) * 100,  # one total over two GDPs
        uplift=fmt.sig(pg.resolved.params["gdp_revision_uplift_pct"]),
        years=", ".join(fmt.year(y) for y in ev.nowcast.index),
    )


BLUE, ORANGE = "#4C72B0", "#DD8452"


def _chart(ylabel: str, title: str, xlabel: str | None = None) -> tuple[Any, Any]:
    """A new figure and its axes, ``ylabel`` and ``title`` set, and ``xlabel`` (default: years along the x axis)."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.set(xlabel=xlabel or _("Year"), ylabel=ylabel, title=title)
    return fig, ax


def history_chart(pg: Page) -> dict[str, Any]:
    """GERD % of GDP: both survey series, the nowcast with its range, the path a start at the survey would have
    required, and the target line."""
    ev, inp, src = pg.ev, pg.inp, sources()
    nc, b, t = ev.nowcast, inp.base_year, inp.target_year
    most = pg.data.gerd_share("ministry")
    fig, ax = _chart(_("R&D spending, % of GDP"), _("Viet Nam's R&D spending as a share of GDP"))
    ax.plot(ev.uis.index, ev.uis.values, "o-", color=BLUE, label=_("UNESCO UIS / World Bank, observed (revised GDP)"))
    ax.plot(
        most.index, most.values, "s-", color=ORANGE, label=_("Science ministry survey, observed (pre-revision GDP)")
    )
    err = [nc["central_pct"] - nc["low_pct"], nc["high_pct"] - nc["central_pct"]]
    name = _("Nowcast: estimate with its range")
    ax.errorbar(nc.index, nc["central_pct"], err, fmt="o", mfc="white", mec=BLUE, color=BLUE, capsize=4, label=name)
    later = b > ev.last_year  # the gap to date: what a path from the last survey would already have required
    if later:
        req, name = pg.from_last.loc[:b], _("Required by a path from {year}").format(year=fmt.year(ev.last_year))
        ax.plot(req.index, req.values, "x:", color="black", label=name)
    ax.axhline(inp.target_share_pct, color="firebrick", ls="--", lw=1)
    ax.annotate(
        _("Target: {share}% of GDP by {year}").format(share=fmt.sig(inp.target_share_pct, 3), year=fmt.year(t)),
        (2002, inp.target_share_pct),
        xytext=(0, 4),
        textcoords="offset points",
        color="firebrick",
    )
    ax.set(ylim=(0, max(2.2, inp.target_share_pct * 1.1)))
    ax.legend(title=None, loc="center left", fontsize=9)
    alt = (
        _(
            "Line chart: Viet Nam's R&D spending rose from about 0.15% of GDP in 2011 to about 0.42% in 2017 and stayed "
            "there to {last_year:year}; hollow markers with range bars show the estimates for {years} ({central_pct:num.2}% "
            "in {nowcast_year:year}, range {low_pct:num.2}-{high_pct:num.2}%); a dotted line shows the {required:num.2}% a "
            "path from {last_year:year} would have required by {base_year:year}. The {target}% target line lies far above."
        )
        if later
        else _(
            "Line chart: Viet Nam's R&D spending rose from about 0.15% of GDP in 2011 to about 0.42% in 2017 and stayed "
            "there to {last_year:year}; hollow markers with range bars show the estimates for {years} ({central_pct:num.2}% "
            "in {nowcast_year:year}, range {low_pct:num.2}-{high_pct:num.2}%). The {target}% target line lies far above."
        )
    ).format_map(
        dict(nc.iloc[-1])
        | dict(
            last_year=ev.last_year,
            years=", ".join(fmt.year(y) for y in nc.index),
            nowcast_year=nc.index.max(),
            target=fmt.sig(inp.target_share_pct, 3),
            required=pg.from_last.loc[b] if later else None,
            base_year=b,
        )
    )
    return {
        "fig": fig,
        "chart_id": "history",
        "title": _(
            "R&D spending (GERD), % of GDP: surveys 2002-{last_year:year}, estimates {first:year}-{last:year}, and the "
            "{year:year} target"
        ).format(last_year=ev.last_year, first=nc.index.min(), last=nc.index.max(), year=t),
        "alt": alt,
        "source": _("{uis}; {most}; estimates: {nowcast}. The R&D survey is every two years.").format_map(src),
    }


NC_COLUMNS = {
    "status": N_("status"),
    "low_pct": N_("low, % of GDP"),
    "central_pct": N_("central, % of GDP"),
    "high_pct": N_("high, % of GDP"),
    "gerd_vnd_bn": N_("central, bn VND"),
    "flag": N_("flag"),
    "method": N_("central method"),
} | {f"{m}_pct": LABELS["nowcast_method"][m] for m in nowcast.METHODS}  # each method's value, % of GDP


def nowcast_table(pg: Page) -> dict[str, Any]:
    return _table(
        pg.ev.nowcast[list(NC_COLUMNS)].rename(columns=NC_COLUMNS),
        table_id="nowcast",
        title=_("Estimates for the years after the last survey (nowcast)"),
        source=sources()["nowcast"],
        note=_(
            "Estimates, not data (flag e). Central: the method with the smallest mean absolute backtest error (table "
            "below) over the surveys every method could nowcast, {backtest_from:year}-{backtest_to:year}; low and "
            "high: the central value minus and plus that method's largest error there ({method_error_pp:num.3} pp), or "
            "the lowest or highest method where that lies further out. Each method's value, % of GDP, is given beside "
            "the range. R&D is counted when it is performed: money allocated in December 2025 is not R&D of 2025."
        ).format_map(dict(pg.ev.nowcast.iloc[-1])),
        formats={
            "year": fmt.year,
            "status": _,
            "flag": i18n.keep,  # e, p, b: the OECD MSTI codes, as written
            "central, bn VND": fixed(0),
            "central method": lambda code: label("nowcast_method", code),
        }
        | {NC_COLUMNS[k]: fixed(3) for k in ("low_pct", "central_pct", "high_pct")}
        | {LABELS["nowcast_method"][m]: fixed(3) for m in nowcast.METHODS},
    )


def backtest_table(pg: Page) -> dict[str, Any]:
    ev = pg.ev
    columns = {"known_to": N_("nowcast from"), "observed_pct": N_("observed, % of GDP")}
    methods = LABELS["nowcast_method"]  # English headers: the CSV's
    columns |= {f"{m}_error_pp": methods[m] for m in nowcast.METHODS}
    bt = ev.backtest[list(columns)].rename(columns=columns)
    bt.index.name = N_("held-out survey")
    scores = ev.backtest_scores
    return _table(
        bt,
        table_id="nowcast_backtest",
        title=_("Backtest of the nowcast methods: each survey held out and nowcast from the surveys before it"),
        source=_("r57 nowcast backtest on {uis}").format(uis=sources()["uis"]),
        note=_(
            "Errors are nowcast minus observed, percentage points of GDP. Mean absolute error over the surveys every "
            "method could nowcast: {scores}. The central nowcast uses the smallest: {method}."
        ).format(
            scores="; ".join(
                f"{label('nowcast_method', m)} {fmt.num(scores.loc[m, 'mean_abs_error_pp'], 3)}"
                for m in nowcast.METHODS
            ),
            method=label("nowcast_method", ev.nowcast["method"].iloc[-1]),
        ),
        formats={"held-out survey": fmt.year, "nowcast from": fmt.year, "observed, % of GDP": fixed(3)}
        | {methods[m]: fixed(3) for m in nowcast.METHODS},
    )


STATEMENT_COLUMNS = {  # the statement check's columns: header (translated where shown) and format
    "year": (N_("year"), fmt.year),
    "statement_pct": (N_("statement, % of GDP"), fixed(2)),
    "bound": (N_("bound"), lambda code: label("statement_bound", code)),
    "as_said_consistent": (N_("as said: consistent with the range"), lambda v: _("yes") if v else _("no")),
    "revised_pct": (N_("on revised GDP if said on pre-revision GDP, %"), fixed(2)),
    "revised_consistent": (N_("on revised GDP: consistent with the range"), lambda v: _("yes") if v else _("no")),
    "nowcast_year": (N_("compared with nowcast year"), fmt.year),
    "source": (N_("source"), _),
}


def data_texts() -> list[str]:
    """The data's texts the page shows translated, catalogued from the data (:mod:`analysis.reports.messages`): who
    made each statement the statement check can show, and the published funding readings' sources."""
    data = RdData.load()  # the statements nowcast.statements_check compares: those with a value
    said = valued(data.statements, "rd_pct_gdp_statement")["source"]
    return list(dict.fromkeys([*said, *(r.source for r in nonbudget_evidence(data)[0])]))


def statements(pg: Page) -> pd.DataFrame:
    return nowcast.statements_check(pg.data.statements, pg.ev.nowcast, pg.resolved.params["gdp_revision_uplift_pct"])


def statements_table(pg: Page) -> dict[str, Any]:
    headers = {k: header for k, (header, _f) in STATEMENT_COLUMNS.items()}
    checks = statements(pg)[list(headers)].rename(columns=headers)
    return _table(
        checks,
        table_id="statement_check",
        title=_("What officials and the press said, beside the estimates"),
        source=_("Published statements (reference year and GDP basis not given)"),
        formats=dict(STATEMENT_COLUMNS.values()),
        note=_("Statements are a check, not an input: their reference year and GDP basis are not given."),
    )


def statements_text(pg: Page) -> str:
    """The first 'about x%' statement against the range, each reading's position as the table rates it."""
    checks = statements(pg)
    level = checks[checks["bound"] == "level"]
    if level.empty:
        return ""
    r = level.iloc[0]
    y = int(r["nowcast_year"])
    where = {
        "below": pgettext("range", "below the range"),
        "inside": pgettext("range", "inside the range"),
        "above": pgettext("range", "above the range"),
    }
    return _(
        "Ministers' 'about {said}% of GDP', read on official GDP, lies {official_reading} estimated for "
        "{nowcast_year:year} ({low_pct:num.2}-{high_pct:num.2}%); read on the ministry's pre-revision GDP "
        "({revised_pct:num.2}% of official GDP) it lies {ministry_reading}. Neither reading comes near what a path "
        "started at the last survey would already have needed ({required:num.2}% in {nowcast_year:year})."
    ).format_map(
        dict(r)
        | dict(pg.ev.nowcast.loc[y])
        | dict(
            said=fmt.sig(r["statement_pct"]),
            nowcast_year=y,
            official_reading=where[r["as_said_position"]],
            ministry_reading=where[r["revised_position"]],
            required=pg.from_last.loc[y],
        )
    )


def gap_table(pg: Page) -> dict[str, Any] | None:
    gap, last = pg.gap, pg.ev.last_year
    if gap is None:
        return None
    tab = gap[["status", "central_pct", "low_pct", "high_pct", "required_pct", "gap_pp"]].copy()
    required_col = f"required by a path from {last}, % of GDP"
    tab.columns = ["status", N_("observed or estimated, % of GDP"), N_("low"), N_("high"), required_col, N_("gap, pp")]
    tab.insert(1, "flag", [nowcast.FLAGS[s] for s in gap["status"]])  # OECD MSTI-style: e estimate
    b, src = pg.inp.base_year, sources()
    return _table(
        tab,
        table_id="gap_to_date",
        title=_("The gap to date: {first}-{base} against a path that started in {first}").format(
            first=fmt.year(last), base=fmt.year(b)
        ),
        source=f"{src['uis']}; {src['nowcast']}; {src['model']}",
        formats={"year": fmt.year, "status": _, "flag": i18n.keep} | {c: fixed(3) for c in tab.columns[2:]},
        labels={required_col: _("required by a path from {year}, % of GDP").format(year=fmt.year(last))},
        note=_(
            "A {shape} path from the {survey_year:year} survey would already have needed {required_pct:num.2}% of GDP "
            "in {base_year:year}; the estimate is {central_pct:num.2}%."
        ).format_map(pg.facts | dict(gap.iloc[-1]) | {"shape": shape_word(pg), "survey_year": last}),
    )


def start_text(pg: Page) -> str:
    """The gap to date in a sentence (when the path starts after the last survey), then where the path starts."""
    gap, inp = pg.gap, pg.inp
    out = []
    if gap is not None:
        last = gap.iloc[-1]
        out.append(
            (
                _(
                    "**The gap to date.** Had the climb started from the {survey_year:year} survey, R&D would have had "
                    "to reach {required_pct:num.2}% of GDP in {base_year:year}; the estimate is {central_pct:num.2}% "
                    "(range {low_pct:num.2}-{high_pct:num.2}%), {gap:num.2} points behind. The years already past "
                    "cannot be put back on the path, so the path below starts in {base_year:year}."
                )
                if last["gap_pp"] < 0
                else _(
                    "**The gap to date.** Had the climb started from the {survey_year:year} survey, R&D would have had "
                    "to reach {required_pct:num.2}% of GDP in {base_year:year}; the estimate is {central_pct:num.2}% "
                    "(range {low_pct:num.2}-{high_pct:num.2}%), {gap:num.2} points ahead. The years already past "
                    "cannot be put back on the path, so the path below starts in {base_year:year}."
                )
            ).format_map(pg.facts | dict(last) | {"survey_year": pg.ev.last_year, "gap": abs(last["gap_pp"])})
            + "\n\n"
        )
    out.append(
        _("This report starts from **{share}% of GDP in {year}** ({status}).").format(
            share=fmt.sig(inp.base_share_pct, 3),
            year=fmt.year(inp.base_year),
            status=label("start_status", pg.start.status),
        )
    )
    return "".join(out) + " " + " ".join(pg.notes())


# ----------------------------------------------------------------------------- what the path requires


def requirement_text(pg: Page) -> str:
    """The headline: from the start to the target, the pace in share and in dong, and the amount (a callout)."""
    s, p = pg.summary, pg.params
    target = (
        _("{target}%").format(target=fmt.sig(p["target_share_pct"]))
        if p["target_gdp_basis"] == "revised"
        else _("{target}% of pre-revision GDP ({revised}% of official GDP)").format(
            target=fmt.sig(p["target_share_pct"]), revised=fmt.num(pg.resolved.target_share_revised_pct, 2)
        )
    )
    steepness = (
        _("(the same every year)")
        if s["max_share_growth_pct"] - s["share_cagr_pct"] < 0.05
        else _("({max_share_growth_pct:num.1}% in the steepest year, {steepest_year:year})").format_map(s)
    )
    text = _(
        "<strong>To go from {base}% of GDP in {base_year:year} ({status}) to {target} in {target_year:year}</strong>, "
        "R&D spending must rise by {share_increase_pp:num.2} percentage points of GDP, {share_multiple:num.1} times "
        "its share in {base_year:year}. With the {shape} path the share grows {share_cagr_pct:num.1}% a year on "
        "average {steepness}; spending in dong must grow <strong>{gerd_nominal_cagr_pct:num.1}% a year from "
        "{base_year:year}</strong> ({gerd_real_cagr_pct:num.1}% a year after inflation; {max_gerd_growth_pct:num.1}% "
        "in the steepest year), reaching <strong>{gerd_target_vnd_bn:num} bn VND, about USD {gerd_target_usd_bn:num.1} "
        "bn, in {target_year:year}</strong>: {gerd_multiple:num.1} times the {base_year:year} amount."
    ).format_map(
        pg.facts
        | dict(
            base=fmt.sig(s["share_base_pct"], 3),
            status=label("start_status", pg.start.status),
            target=target,
            shape=shape_word(pg),
            steepness=steepness,
        )
    )
    return f"<div class='r57-callout'><p>{text}</p></div>"


def shape_paths(pg: Page) -> dict[str, pd.Series]:
    """The share path of every shape (:data:`PATH_SHAPES`) between the scenario's start and target."""
    inp = pg.inp
    tgt = pg.resolved.target_share_revised_pct
    return {
        s: share_path(inp.years, inp.base_share_pct, tgt, s, inp.logistic_steepness, inp.back_loaded_exponent)
        for s in PATH_SHAPES
    }


SHAPE_COLUMNS = (
    N_("share in the middle year, %"),
    N_("average growth of the share, % a year"),
    N_("steepest year's growth of the share, %"),
    N_("largest one-year rise, pp"),
)


def shape_frame(paths: dict[str, pd.Series]) -> pd.DataFrame:
    """One row per shape: the share in the middle year, the average and steepest growth, the largest rise.

    Hand check, geometric from 0.5 to 2 over 4 years: middle (year 2) 1.0; average growth 4 ^ (1/4) - 1 = 41.42%.
    """
    rows = {}
    for shape, sp in paths.items():
        n = int(sp.index[-1] - sp.index[0])
        rows[label("shape", shape)] = (
            float(sp.iloc[len(sp) // 2]),
            float(((sp.iloc[-1] / sp.iloc[0]) ** (1 / n) - 1) * 100),
            float(sp.pct_change().iloc[1:].max() * 100),
            float(sp.diff().max()),
        )
    out = pd.DataFrame(rows, index=list(SHAPE_COLUMNS)).T
    out.index.name = N_("path shape")
    return out


def shapes_chart(pg: Page) -> dict[str, Any]:
    inp, st, path = pg.inp, pg.start, pg.path
    b, t, tgt = inp.base_year, inp.target_year, pg.resolved.target_share_revised_pct
    status = label("start_status", st.status)
    title = _("Four ways to reach {share}% of GDP by {year}").format(share=fmt.sig(tgt, 3), year=fmt.year(t))
    fig, ax = _chart(_("R&D spending, % of GDP"), title)
    for shape, sp in shape_paths(pg).items():
        if shape != inp.path_shape:
            ax.plot(sp.index, sp.values, alpha=0.45, label=label("shape", shape))
    share, base = path["share_pct"], inp.base_share_pct
    name = _("{shape} (this scenario), required").format(shape=shape_word(pg))
    ax.plot(share.index[1:], share.iloc[1:], "o-", color="black", lw=2.5, label=name)
    ax.plot(share.index[:2], share.iloc[:2], color="black", lw=2.5)
    name, fill = (
        _("{year}: {status}").format(year=fmt.year(b), status=status),
        "black" if st.status == "observed" else "white",
    )
    ax.plot([b], [base], "o", ms=9, mfc=fill, mec="black", label=name)
    if st.status == "estimate":
        ax.errorbar([b], [base], [[base - st.low_pct], [st.high_pct - base]], color="black", capsize=4, ls="none")
    ax.legend(title=_("Path shape"), fontsize=9)
    src = sources()
    return {
        "fig": fig,
        "chart_id": "share_paths",
        "title": _(
            "R&D spending as % of GDP, {base_year:year}-{target_year:year}: the chosen path and the alternatives"
        ).format_map(pg.facts),
        "alt": _(
            "Line chart of four paths from {base_share_pct:num.2}% in {base_year:year} ({status}, hollow marker with "
            "its range) to {target_share_pct:num.2}% in {target_year:year}. Linear rises evenly, geometric and "
            "back-loaded rise slowly first, logistic is S-shaped. The chosen {shape} path is drawn in black."
        ).format_map(pg.facts | {"status": status, "shape": shape_word(pg)}),
        "source": _("{model}; start: {start}").format_map(
            src | {"start": src["nowcast"] if st.status == "estimate" else src["uis"]}
        ),
    }


def shape_table(pg: Page) -> dict[str, Any]:
    tab = shape_frame(shape_paths(pg))
    return _table(
        tab,
        table_id="shape_comparison",
        title=_("How the path shapes differ"),
        source=sources()["model"],
        formats={"path shape": _} | {c: fixed(2) for c in tab.columns},
        note=_(
            "Every shape has the same average growth; a back-loaded or S-shaped path postpones effort but needs a "
            "bigger jump in its steepest year."
        ),
    )


def path_frame(pg: Page) -> pd.DataFrame:
    """The year-by-year path as the table shows it: status, flag and GDP basis, then one value per column (the
    split's words follow ``soe_funds_as``)."""
    cols = {
        "share_pct": N_("R&D, % of GDP"),
        "gdp_vnd_bn": N_("GDP, bn VND"),
        "gdp_usd_bn": N_("GDP, bn USD"),
        "gerd_vnd_bn": N_("R&D, bn VND"),
        "gerd_usd_bn": N_("R&D, bn USD"),
        "nonstate_share_pct": N_("non-budget share, %"),
        "nonstate_share_low_pct": N_("non-budget share, low, %"),
        "nonstate_share_high_pct": N_("non-budget share, high, %"),
        "state_gerd_vnd_bn": N_("state-funded R&D, bn VND"),
        "state_gerd_low_vnd_bn": N_("state-funded R&D, low, bn VND"),
        "state_gerd_high_vnd_bn": N_("state-funded R&D, high, bn VND"),
        "nonstate_gerd_vnd_bn": N_("non-budget R&D, bn VND"),
    }
    if pg.soe_as_state:
        cols |= {
            "nonstate_share_pct": N_("non-state sector share, %"),
            "nonstate_share_low_pct": N_("non-state sector share, low, %"),
            "nonstate_share_high_pct": N_("non-state sector share, high, %"),
            "state_gerd_vnd_bn": N_("state R&D (budget and state-owned firms), bn VND"),
            "state_gerd_low_vnd_bn": N_("state R&D (budget and state-owned firms), low, bn VND"),
            "state_gerd_high_vnd_bn": N_("state R&D (budget and state-owned firms), high, bn VND"),
            "nonstate_gerd_vnd_bn": N_("non-state sector R&D, bn VND"),
        }
    cols = {k: v for k, v in cols.items() if k in pg.path.columns}
    tab = pg.path[list(cols)].rename(columns=cols)
    tab.insert(0, N_("R&D status"), pg.row_status)
    tab.insert(1, "flag", [nowcast.FLAGS[s] for s in pg.row_status])  # OECD MSTI-style: e estimate
    tab.insert(2, N_("GDP"), np.where(pg.path["gdp_observed"], "official", "projected"))
    return tab


def path_range_note(pg: Page) -> str:
    """What the path's low and high columns are (:func:`with_funding_range`); empty without them."""
    if "nonstate_share_low_pct" not in pg.path.columns:
        return ""
    line = budget_line_reading(pg.resolved)
    if line is None or 100 - line[1] <= pg.summary["nonbudget_share_base_high_pct"]:
        return " " + _(
            "Low and high: the range of the published non-budget shares in the start year "
            "({nonbudget_share_base_low_pct:num}-{nonbudget_share_base_high_pct:num}%), moving to the same "
            "target-year share."
        ).format_map(pg.summary)
    return " " + _(
        "Low and high: in the start year, both readings of who pays: the published non-budget shares "
        "({nonbudget_share_base_low_pct:num}-{nonbudget_share_base_high_pct:num}%) and the whole S&T budget line as "
        "state R&D ({line_bn:num} bn VND, {line_pct:num}% non-budget), so the split of who pays in "
        "{base_year:year} is an assumption, not data; each end moves to its target-year share (never below where it "
        "starts when the target is left empty)."
    ).format_map(pg.facts | {"line_pct": 100 - line[1], "line_bn": line[1] / 100 * pg.start.gerd_vnd_bn})


def path_table(pg: Page) -> dict[str, Any]:
    tab, src, st = path_frame(pg), sources(), pg.start.status
    decimals = {"R&D, % of GDP": 3, "GDP, bn USD": 1, "R&D, bn USD": 2}
    shares = [c for c in tab.columns if "share" in c]
    return _table(
        tab,
        table_id="path",
        title=_("The {shape} path to {share}% of GDP in {year}").format(
            shape=shape_word(pg),
            share=fmt.sig(pg.resolved.target_share_revised_pct, 3),
            year=fmt.year(pg.inp.target_year),
        ),
        note=_(
            "The first row is the {base_year:year} starting point ({status}); later rows are what the target "
            "requires, not forecasts."
        ).format_map(pg.facts | {"status": label("start_status", st)})
        + path_range_note(pg),
        source=_("{model}; start: {start}; GDP: {gdp}").format_map(
            src | {"start": src["nowcast"] if st == "estimate" else (src["uis"] if st == "observed" else _("the user"))}
        ),
        formats={"year": fmt.year, "R&D status": _, "flag": i18n.keep, "GDP": _}
        | {c: fixed(decimals.get(c, 1 if c in shares else 0)) for c in tab.columns[3:]},
    )


# ----------------------------------------------------------------------------- the GDP it rides on

GDP_ASSUMPTIONS = (
    N_("real GDP growth, % a year"),
    N_("GDP deflator, % a year"),
    N_("VND depreciation against USD, % a year"),
)


def gdp_assumptions_table(pg: Page) -> dict[str, Any]:
    """The scenario's GDP assumptions (mean over its projected years) beside the 2015-2023 and 2024-2025 record."""
    inp, ev = pg.inp, pg.ev
    cols = list(RATE_COLUMNS)
    means = observed.driver_means(pg.data.gdp_table)[cols]  # over observed.DRIVER_WINDOWS: WDI's years, GSO's
    proj = [y for y in inp.years[1:] if y not in inp.observed_years]
    tab = pd.DataFrame(
        {
            N_("2015-2023 average (WDI)"): means.iloc[0],
            N_("2024-2025 (GSO)"): means.iloc[1],
            # NaN where every year after the base has official GDP (no year projected)
            f"this scenario, {proj[0] if proj else '-'}-{inp.target_year}": pg.path.loc[proj, cols].mean(),
        }
    ).set_axis(pd.Index(GDP_ASSUMPTIONS, name=N_("assumption")))
    return _table(
        tab,
        table_id="gdp_assumptions",
        title=_("GDP assumptions beside the record"),
        source=_("{gdp}; deflator and depreciation implied by nominal, real and dollar GDP").format_map(sources()),
        formats={"assumption": _} | {c: fixed(2) for c in tab.columns},
        labels={
            tab.columns[2]: _("this scenario, {first}-{last}").format(
                first=fmt.year(proj[0]) if proj else "-", last=fmt.year(inp.target_year)
            )
        },
        note=_(
            "The National Assembly's target for 2026 is real growth of {growth}% or more (Resolution 244/2025/QH15); "
            "the sensitivity section runs it as a named case."
        ).format(growth=fmt.sig(ev.official_growth_target_pct))
        if ev.official_growth_target_pct
        else "",
    )


def gdp_chart(pg: Page) -> dict[str, Any]:
    path = pg.path
    fig, ax = _chart(_("GDP, billion current USD"), _("GDP path: official (dark) and projected (light)"))
    ax.bar(path.index, path["gdp_usd_bn"], color=np.where(path["gdp_observed"], "#4C72B0", "#A1C4E8"))
    src = sources()
    return {
        "fig": fig,
        "chart_id": "gdp_path",
        "title": _("Viet Nam's GDP, billion current US dollars, {base_year:year}-{target_year:year}").format_map(
            pg.facts
        ),
        "alt": _(
            "Bar chart: GDP rises from USD {first:num} bn in {base_year:year} to USD {gdp_target_usd_bn:num} bn in "
            "{target_year:year}; official years are dark, projected years light."
        ).format_map(pg.facts | {"first": path["gdp_usd_bn"].iloc[0]}),
        "source": _("{gdp}; projection: {model}").format_map(src),
    }


# ----------------------------------------------------------------------------- who pays

# the readings of the split (translated where shown)
READING_NAMES = (
    N_("S&T budget line (all of it as R&D; R&D paid through other budget lines is outside it)"),
    N_("EY Vietnam 2025 (statement)"),
    N_("OECD/World Bank 2014 review"),
    N_("MOST R&D survey 2013"),
)
# what each published reading's figures are: said, derived or a residual (issue 22: never a published figure it is not)
READING_NOTES = {
    "EY Vietnam 2025 (statement)": N_(
        "A statement, not a survey: state budget 70-80% of R&D investment, private sector 20-30%; state-owned "
        "firms not separated."
    ),
    "OECD/World Bank 2014 review": N_(
        "Published: government 70%, private firms 15%, the rest higher education (about 15%). Higher education's "
        "share is not published as non-budget funding; non-budget 30% is the complement of the government's 70%."
    ),
    "MOST R&D survey 2013": N_(
        "The state budget's share is not published: about 58% is a residual derived from the survey's totals "
        "(GERD 13,390 bn minus business 5,352, universities 110 and abroad 200), so it also holds non-profits and "
        "other sources and is an upper bound. State-owned firms: at least 4,500 bn (Viettel, PetroVietnam)."
    ),
}


def _reading_row(
    name: str, year: int | None, shares: tuple[tuple[float, float], ...], adds_up: str, what: str, source: str
) -> dict[str, Any]:
    """One row of the readings table: each of :data:`SHARES` as two columns, ``<share>, low %`` and ``<share>,
    high %`` (NaN: not given)."""
    ends = {
        f"{share}, {end} %": v
        for share, lo_hi in zip(SHARES, shares, strict=True)
        for end, v in zip(("low", "high"), lo_hi, strict=True)
    }
    row = {N_("reading"): name, "year": year, **ends, N_("adds up"): adds_up, N_("what the figures are"): what}
    return row | {"source": source}


def readings_table(pg: Page) -> dict[str, Any]:
    readings, _range = nonbudget_evidence(pg.data)
    b, bound, rows = pg.inp.base_year, budget_line_reading(pg.resolved), []
    if bound is not None:
        bb, src = pg.start.budget, sources()
        rows.append(
            _reading_row(
                _(READING_NAMES[0]),
                b,
                (bound, (np.nan, np.nan), (np.nan, np.nan), (100 - bound[1], 100 - bound[0])),
                _("not given"),
                _(
                    "Derived, not published: S&T {st_share}% of budget expenditure ({st_year}, Ministry of Finance) x "
                    "{budget} bn VND ({year}, {bexp}% of GDP); R&D share of state S&T spending {frac}%, derived from "
                    "the 2011 survey (government 70% of GERD x GERD / total S&T spending), before the survey's change "
                    "in coverage of 2011-13 (0.15% to 0.30% of GDP); the 2013 survey gives only an upper value "
                    "({frac_high}%: its state share is a residual and its S&T spending excludes investment); GERD "
                    "{gerd} bn VND"
                ).format(
                    st_share=fmt.sig(bb.st_share_pct),
                    st_year=fmt.year(bb.st_share_year),
                    budget=fmt.num(pg.budget_series()[b]),
                    year=fmt.year(b),
                    bexp=fmt.num(pg.inp.budget_exp_pct_gdp, 2),
                    frac=fmt.num(pg.ev.rd_fraction.low * 100, 1),
                    frac_high=fmt.num(pg.ev.rd_fraction.high * 100, 1),
                    gerd=fmt.num(pg.start.gerd_vnd_bn),
                ),
                src["budget"],
            )
        )
    for r in readings:
        shares = (r.state_budget, r.soe_own, r.private_other, r.nonbudget)
        adds_up = _("not given") if r.adds_up is None else (_("yes") if r.adds_up else _("no"))
        rows.append(_reading_row(_(r.name), r.year, shares, adds_up, _(READING_NOTES[r.name]), _(r.source)))
    tab = pd.DataFrame(rows).set_index("reading")
    return _table(
        tab,
        table_id="funding_readings",
        title=_("Who pays for R&D: two readings side by side (% of GERD)"),
        source=_("{budget}; MOST 2013 survey, OECD/World Bank 2014, EY Vietnam 2025").format_map(sources()),
        formats={"year": lambda y: fmt.year(y) if pd.notna(y) else _("not stated")}
        | {c: lambda v: f"{fmt.num(v, 0)}%" for c in tab.columns if c.endswith(" %")},
        labels={
            f"{share}, {end} %": _("{share}, {end}, %").format(share=_(share), end=_(end))
            for share in SHARES
            for end in ("low", "high")
        },
        note=(
            _(
                "The readings do not agree: every published state share is above the budget's whole S&T line. No "
                "residual is filled in; the path's range for the start year covers both readings. For the S&T budget "
                "line, the state budget's low value is the line's R&D part and its high value the whole line; R&D paid "
                "through other budget lines (education, defence, the provinces) is outside both, so the line is not a "
                "bound on state-funded R&D. An empty cell is a share the reading does not give."
            )
            if bound is not None
            else _("An empty cell is a share the reading does not give.")
        ),
    )


SHARES = (  # the shares of GERD each funding reading gives, a low and a high column each
    N_("state budget"),
    N_("state-owned enterprises' own funds"),
    N_("private, foreign and other"),
    N_("non-budget"),
)


def readings_text(pg: Page) -> str:
    readings, (lo, c, hi) = nonbudget_evidence(pg.data)
    bound = budget_line_reading(pg.resolved)
    own = ""  # a scenario that sets its own split says so, rather than being described by the default's
    if pg.soe_as_state or abs(pg.inp.nonstate_share_base_pct - c) > 0.05:
        own = " " + (
            _(
                "This scenario counts them as state: the non-state sector pays {nonstate_share_base_pct:num.1}% in "
                "{base_year:year} and {nonstate_share_target_pct:num.1}% in {target_year:year}."
            )
            if pg.soe_as_state
            else _(
                "This scenario sets the non-budget share at {nonstate_share_base_pct:num.1}% in {base_year:year} and "
                "{nonstate_share_target_pct:num.1}% in {target_year:year}."
            )
        ).format_map(pg.facts)
    return (
        _(
            "The two readings contradict each other. The budget's whole science and technology line came to about "
            "{most}% of R&D in {base_year:year}, yet the published shares put the state budget at {pub_lo:num}% or "
            "more; R&D paid through other budget lines (education, defence, the provinces) is outside that line, so "
            "it is not a bound. Until a survey splits R&D by source of funds, the default path starts from the "
            "published shares: **{central:num}% non-budget** (range {low:num}-{high:num}%), the median of the three "
            "sources, and **{resolution_nonstate_pct:num}%** in {target_year:year} (the Resolution asks for more); "
            "its range for {base_year:year} also covers the S&T line's reading. State-owned enterprises' own funds "
            "are non-budget; where they are counted as state (a scenario of its own), the rest is the non-state "
            "sector."
        ).format_map(
            pg.facts
            | dict(
                most=fmt.num(bound[1], 0) if bound is not None else "?",
                pub_lo=min(r.state_budget[0] for r in readings),
                central=c,
                low=lo,
                high=hi,
            )
        )
        + gii_text(pg)
        + own
    )


def gii_text(pg: Page) -> str:
    """The GII reading, said beside the table it does not fit (a rank, not a share of GERD); empty without it."""
    if pg.gii is None:
        return ""
    return " " + _(
        "The Global Innovation Index {year:year} puts Viet Nam at rank {rank:num} in the world for R&D financed by "
        "business. That is a rank among economies, not a share of R&D; the share behind it is not in the source, so "
        "it enters no reading."
    ).format_map(pg.gii)


def _growth_words(pct: float, bold: bool = True) -> str:
    if np.isnan(pct):
        return _("grow from nothing (no annual rate applies)")
    if bold:
        return _("grow **{growth}% a year**").format(growth=fmt.num(pct, 1))
    return _("grow {growth}% a year").format(growth=fmt.num(pct, 1))


def split_text(pg: Page) -> str:
    inp, s, soe = pg.inp, pg.summary, pg.soe_as_state
    if abs(inp.nonstate_share_base_pct - inp.nonstate_share_target_pct) < 1e-9:
        lead = (
            _("With the non-state sector's share held at {nonstate_share_base_pct:num.1}%")
            if soe
            else _("With the non-budget share held at {nonstate_share_base_pct:num.1}%")
        )
    else:
        lead = (
            _(
                "With the non-state sector's share moving from {nonstate_share_base_pct:num.1}% to "
                "{nonstate_share_target_pct:num.1}%"
            )
            if soe
            else _(
                "With the non-budget share moving from {nonstate_share_base_pct:num.1}% to "
                "{nonstate_share_target_pct:num.1}%"
            )
        )
    text = (
        _(
            "{split_words}, the non-state sector's R&D must {nonstate_growth} to {nonstate_gerd_target_vnd_bn:num} bn "
            "VND (USD {nonstate_gerd_target_usd_bn:num.1} bn) in {target_year:year}, and state R&D (budget and "
            "state-owned firms' own funds) must {state_growth} to {state_gerd_target_vnd_bn:num} bn VND. For "
            "comparison, EY Vietnam put the private R&D that the target implies at about USD 9 bn by 2030."
        )
        if soe
        else _(
            "{split_words}, non-budget R&D must {nonstate_growth} to {nonstate_gerd_target_vnd_bn:num} bn VND (USD "
            "{nonstate_gerd_target_usd_bn:num.1} bn) in {target_year:year}, and state-funded R&D must {state_growth} "
            "to {state_gerd_target_vnd_bn:num} bn VND. For comparison, EY Vietnam put the private R&D that the target "
            "implies at about USD 9 bn by 2030."
        )
    )
    return text.format_map(
        pg.facts
        | dict(
            split_words=lead.format_map(pg.facts),
            nonstate_growth=_growth_words(s["nonstate_gerd_nominal_cagr_pct"]),
            state_growth=_growth_words(s["state_gerd_nominal_cagr_pct"], bold=False),
        )
    )


def split_chart(pg: Page) -> dict[str, Any]:
    names = (
        (N_("State (budget and state-owned firms' own funds)"), N_("Non-state sector"))
        if pg.soe_as_state
        else (N_("State budget"), N_("Non-budget (incl. state-owned firms' own funds)"))
    )
    split = pg.path[["state_gerd_usd_bn", "nonstate_gerd_usd_bn"]].set_axis([_(n) for n in names], axis=1)
    fig, ax = _chart(_("R&D spending, billion current USD"), _("R&D spending by who pays"))
    # pandas labels the x axis with the index's name ("year") unless given one
    split.plot(kind="bar", stacked=True, ax=ax, color=["#DD8452", "#55A868"], width=0.75, xlabel=ax.get_xlabel())
    ax.legend(title=None)
    ax.tick_params(axis="x", rotation=0)
    return {
        "fig": fig,
        "chart_id": "funding_split",
        "title": _(
            "State-budget and non-budget R&D, billion current US dollars, {base_year:year} ({status}) and required to "
            "{target_year:year}"
        ).format_map(pg.facts | {"status": label("start_status", pg.start.status)}),
        "alt": _(
            "Stacked bar chart: total R&D grows from USD {gerd_base_usd_bn:num.1} bn in {base_year:year} to USD "
            "{gerd_target_usd_bn:num.1} bn in {target_year:year}; the non-budget part goes from "
            "{nonstate_share_base_pct:num}% to {nonstate_share_target_pct:num}% of it."
        ).format_map(pg.facts),
        "source": _(
            "{model}; split: the published shares above (median) and Resolution 57 for the target year"
        ).format_map(sources()),
    }


# ----------------------------------------------------------------------------- the budget rule

N_("spent, bn VND")  # the one column of funding.track_rule no line below names (shown translated, like the others)
RULE_FLOOR = N_("{floor}% floor, bn VND")  # the floor column's header, the floor worded


def rule_frame(pg: Page) -> pd.DataFrame:
    """The budget rule as the CSV and results.json name it: the floor in the floor column's English name."""
    floor = pg.rule["floor_pct"].iloc[0]
    return pg.rule.drop(columns="floor_pct").rename(columns={"floor, bn VND": RULE_FLOOR.format(floor=f"{floor:g}")})


def rule_table(pg: Page) -> dict[str, Any]:
    rule, floor = rule_frame(pg), pg.rule["floor_pct"].iloc[0]
    unplanned = rule[rule[N_("planned for S&T, innovation and DX, bn VND")].isna()]
    return _table(
        rule,
        table_id="budget_rule",
        title=_(
            "The {resolution_budget_pct:num}% rule, year by year: allocations for S&T, innovation and digital "
            "transformation"
        ).format_map(pg.facts),
        source=_("{budget}; 2026 plan: PM's conclusion, 15 Nov 2025").format_map(sources()),
        formats={"year": fmt.year, N_("meets the floor"): lambda code: label("rule_verdict", code)}
        | {c: fixed(0) for c in rule.columns if "bn VND" in c}
        | {c: fixed(2) for c in rule.columns if "% of" in c},
        labels={RULE_FLOOR.format(floor=f"{floor:g}"): _(RULE_FLOOR).format(floor=fmt.sig(floor))},
        note=_(
            "Budget expenditure is each year's own estimate (the National Assembly's budget resolution) where there "
            "is one, else the report's budget series ({budget_exp_pct_gdp:num.2}% of GDP, the mean of {budget_years}, "
            "times the year's GDP on the path): the rule is a share of the year's own budget, so the floor and the "
            "plan's share are taken of it. Blank cells were searched for and not found: no total allocation for "
            "{unplanned} and no figure for what was spent in any year has been published in the sources."
        ).format_map(pg.facts | {"unplanned": ", ".join(fmt.year(y) for y in unplanned.index)}),
    )


def rule_text(pg: Page) -> str:
    """The last year topped up and the last year planned, as the budget data give them (:attr:`Page.rule`)."""
    rule = pg.rule
    topped = rule.dropna(subset=[N_("added during the year, bn VND"), N_("of which allocated, bn VND")])
    planned = rule.dropna(subset=[N_("planned, % of the year's own budget estimate")])
    if topped.empty or planned.empty:
        return ""
    top, plan = topped.iloc[-1], planned.iloc[-1]
    return _(
        "For {added_year:year} only the top-up is known: {added:num} bn VND added from {revenue_year:year}'s extra "
        "revenue, of which {allocated:num} bn had been allocated by December {added_year:year}; what was spent is not "
        "published, and money allocated in December is R&D of the year it is spent, not of {added_year:year}. For "
        "{plan_year:year} the plan of about {planned:num} bn VND is {own:num.2}% of the {plan_year:year} budget "
        "estimate, at {resolution_budget_pct:num}% only within the rounding of its inputs, as the tracker rates it "
        "(row T06)."
    ).format_map(
        pg.facts
        | {
            "added_year": top.name,
            "revenue_year": top.name - 1,  # a year's extra revenue is spent in the next
            "added": top["added during the year, bn VND"],
            "allocated": top["of which allocated, bn VND"],
            "plan_year": plan.name,
            "planned": plan[N_("planned for S&T, innovation and DX, bn VND")],
            "own": plan["planned, % of the year's own budget estimate"],
        }
    )


BUDGET_COLUMNS = {
    "budget_exp_vnd_bn": N_("budget expenditure, bn VND"),
    "science_budget_share_pct": N_("floor, % of budget"),
    "envelope_vnd_bn": N_("envelope, bn VND"),
    "rd_envelope_vnd_bn": "R&D part, bn VND",
    "state_gerd_vnd_bn": N_("state-funded R&D, bn VND"),
    "state_gerd_pct_envelope": N_("state R&D, % of the envelope"),
    "state_gerd_pct_rd_envelope": N_("state R&D, % of the R&D part"),
    "fits_envelope": N_("fits?"),
}


def budget_table(pg: Page) -> dict[str, Any]:
    inp, whole = pg.inp, pg.summary["whole_envelope"]
    rd_col = f"R&D part ({inp.envelope_rd_share_pct:.1f}%), bn VND"
    cols = BUDGET_COLUMNS | {"rd_envelope_vnd_bn": rd_col}
    tab = pg.path[list(cols)].rename(columns=cols)
    tab["fits?"] = np.select(
        [pg.unallocated, pg.path["fits_envelope"]],
        [
            N_("not rated: no allocation found, the envelope is hypothetical"),
            N_("yes, only if the whole envelope went to R&D") if whole else N_("yes"),
        ],
        N_("NO: exceeds the R&D part"),
    )
    return _table(
        tab,
        table_id="budget_check",
        title=_(
            "State-funded R&D against the R&D part of the budget envelope, {base_year:year}-{target_year:year}"
        ).format_map(pg.facts),
        source=_(
            "{model}; budget expenditure {budget_exp_pct_gdp:num.2}% of GDP (mean of {budget_years} unless set by the "
            "user); R&D part: {envelope_rd_share_pct:num.1}% of the envelope"
        ).format_map(pg.facts | sources()),
        note=_(
            "Budget expenditure here is the path's budget series, {budget_exp_pct_gdp:num.1}% of GDP in every year, so "
            "the {base_year:year} row differs from that year's own estimate, which the year-by-year "
            "{resolution_budget_pct:num}% rule table uses. Only budget-financed R&D is compared with the envelope. "
            "Each envelope is the floor applied to this series: a rated row says whether the path "
            "fits if the floor holds, not what was allocated."
        ).format_map(pg.facts)
        + unallocated_note(pg),
        formats={"year": fmt.year, "floor, % of budget": fixed(2), "fits?": _}
        | {c: fixed(0) for c in tab.columns if c not in ("floor, % of budget", "fits?")},
        labels={rd_col: _("R&D part ({share}%), bn VND").format(share=fmt.num(inp.envelope_rd_share_pct, 1))}
        | ({"fits?": _("fits the envelope?")} if whole else {}),
    )


def unallocated_note(pg: Page) -> str:
    """What a row without a known allocation shows (:attr:`Page.unallocated`); empty where every row has one."""
    years = pg.path.index[pg.unallocated]
    if not len(years):
        return ""
    return " " + ngettext(
        "No allocation was found for {years}: the envelope there is what the floor would give, not money allocated, "
        "so the row is not rated.",
        "No allocation was found for {years}: the envelope there is what the floor would give, not money allocated, "
        "so the rows are not rated.",
        len(years),
    ).format(years=", ".join(fmt.year(y) for y in years))


SOE_AS_STATE_CAVEAT = N_(
    "In this scenario state R&D also counts state-owned firms' own funds, which the budget does not pay: what is "
    "compared with the envelope here, and in the consistency figures below, is an upper bound on budget-financed R&D."
)


WHOLE_ENVELOPE_CAVEAT = N_(
    "A year that fits does so only if the whole envelope went to R&D: the envelope also pays for innovation and "
    "digital transformation, and R&D's part of it is not published (the sensitivity table varies it)."
)


def budget_text(pg: Page) -> str:
    """Whether state R&D fits the envelope in the rated years (:func:`analysis.models.rd_model.rd_summary`), and how many were not."""
    misfits, unrated = pg.summary["years_not_fitting"], pg.summary["envelope_years_not_rated"]
    caveat = (" " + _(SOE_AS_STATE_CAVEAT)) if pg.soe_as_state else ""
    if pg.summary["whole_envelope"] and len(misfits) < pg.summary["envelope_years_rated"]:
        caveat = " " + _(WHOLE_ENVELOPE_CAVEAT) + caveat
    not_rated = ""
    if unrated:
        not_rated = " ({})".format(
            ngettext(
                "{n:num} year not rated: no allocation found", "{n:num} years not rated: no allocation found", unrated
            ).format(n=unrated)
        )
    if not pg.summary["envelope_years_rated"]:
        return _("No year of this path is rated{not_rated}.").format(not_rated=not_rated) + caveat
    if not misfits:
        return (
            _(
                "The state's part fits the R&D part of the envelope in every rated year{not_rated}. In "
                "{target_year:year} it takes {state_gerd_pct_envelope_target:num}% of the whole envelope "
                "({state_gerd_pct_rd_envelope_target:num}% of the R&D part)."
            ).format_map(pg.facts | {"not_rated": not_rated})
            + caveat
        )
    return (
        ngettext(
            "**Budget-financed R&D outgrows its part of the envelope ({envelope_rd_share_pct:num}%) in {n:num} of "
            "{envelope_years_rated:num} rated year: {years}{not_rated}.** In {target_year:year} it would need "
            "**{state_gerd_pct_envelope_target:num}% of the whole envelope** ({state_gerd_pct_rd_envelope_target:num}% "
            "of that part). Either the floor rises above {floor}% year by year, non-budget funding grows even faster, "
            "or the target slips.",
            "**Budget-financed R&D outgrows its part of the envelope ({envelope_rd_share_pct:num}%) in {n:num} of "
            "{envelope_years_rated:num} rated years: {years}{not_rated}.** In {target_year:year} it would need "
            "**{state_gerd_pct_envelope_target:num}% of the whole envelope** ({state_gerd_pct_rd_envelope_target:num}% "
            "of that part). Either the floor rises above {floor}% year by year, non-budget funding grows even faster, "
            "or the target slips.",
            pg.summary["envelope_years_rated"],
        ).format_map(
            pg.facts
            | {
                "n": len(misfits),
                "years": ", ".join(fmt.year(y) for y in misfits),
                "not_rated": not_rated,
                "floor": fmt.sig(pg.summary["science_budget_share_target_pct"]),
            }
        )
        + caveat
    )


def envelope_chart(pg: Page) -> dict[str, Any]:
    path, misfits = pg.path, pg.summary["years_not_fitting"]
    series = {
        "state_gerd_vnd_bn": _("State-funded R&D ({base_year:year} {status}, then required)").format_map(
            pg.facts | {"status": label("start_status", pg.start.status)}
        ),
        "rd_envelope_vnd_bn": _("R&D part of the envelope"),
        "envelope_vnd_bn": _("Whole envelope (S&T, innovation, DX)"),
    }
    fig, ax = _chart(_("Trillion VND (current prices)"), _("State-funded R&D against the budget envelope"))
    for (key, name), marker in zip(series.items(), "osD", strict=True):
        ax.plot(path.index, path[key] / 1000, marker=marker, label=name)
    ax.legend(title=None)
    src = sources()
    return {
        "fig": fig,
        "chart_id": "budget_envelope",
        "title": _(
            "State-funded R&D, the R&D part of the envelope and the whole envelope, trillion VND, "
            "{base_year:year}-{target_year:year}"
        ).format_map(pg.facts),
        "alt": _(
            "Line chart: state-funded R&D rises above the R&D part of the envelope from {first:year} and reaches "
            "{state_gerd_pct_envelope_target:num}% of the whole envelope in {target_year:year}."
        ).format_map(pg.facts | {"first": misfits[0]})
        if misfits
        else _("Line chart: state-funded R&D stays below the R&D part of the envelope in every year."),
        "source": f"{src['model']}; {src['budget']}",
    }


# ----------------------------------------------------------------------------- do the three targets fit together?


def consistency_text(pg: Page) -> str:
    return _(
        "**At the {resolution_nonstate_pct:num}% non-budget threshold (the Resolution asks for more), state R&D in {target_year:year} needs {consistency_envelope_pct_at_floor:num}% of the "
        "whole {floor}% envelope, {consistency_budget_pct_at_floor:num.1}% of budget expenditure.** The smallest "
        "floor that covers it is **{consistency_min_floor_pct:num.1}%** of budget expenditure (R&D taking "
        "{envelope_rd_share_pct:num}% of the envelope); at a {floor}% floor the non-budget share must reach "
        "**{consistency_nonbudget_needed_pct:num}%**, so non-budget R&D must grow **{consistency_nonbudget_growth_pct:num.1}% "
        "a year** from {base_year:year} (budget expenditure {budget_exp_pct_gdp:num.1}% of GDP, the mean of {budget_years})."
    ).format_map(pg.facts | {"floor": fmt.sig(pg.summary["science_budget_share_target_pct"])})


def consistency_table_spec(pg: Page) -> dict[str, Any]:
    cons = pg.consistency
    tab = cons.copy()
    tab.columns = [f"floor {fmt.sig(c)}%" for c in cons.columns]
    tab.index.name = "non-budget share, %"
    return _table(
        tab,
        table_id="consistency",
        title=_(
            "Budget-financed R&D in {target_year:year} as % of the envelope's R&D part ({envelope_rd_share_pct:num}%), "
            "by non-budget share and floor"
        ).format_map(pg.facts),
        source=_(
            "{model}; GERD {target_share_pct:num.2}% of GDP; budget expenditure {budget_exp_pct_gdp:num.1}% of GDP "
            "(mean of {budget_years})"
        ).format_map(pg.facts | sources()),
        note=_(
            "At most 100: the three targets fit together. The Resolution's point is {resolution_nonstate_pct:num}% "
            "non-budget (it asks for more) and a {resolution_budget_pct:num}% floor."
        ).format_map(pg.facts),
        formats={"non-budget share, %": fixed(0)} | {c: fixed(0) for c in tab.columns},
        labels={f"floor {fmt.sig(c)}%": _("floor {floor}%").format(floor=fmt.sig(c)) for c in cons.columns},
    )


RESOLUTION_POINT = N_("Resolution: {resolution_nonstate_pct:num}%, {resolution_budget_pct:num}%")  # its mark


def consistency_chart(pg: Page) -> dict[str, Any]:
    cons, inp, s = pg.consistency, pg.inp, pg.summary
    fig, ax = _chart(
        _("% of the envelope's R&D part"), _("Where 2% of GDP fits the budget rule"), _("Non-budget share of R&D, %")
    )
    nb = np.linspace(0, 100, 201)
    for fl in cons.columns:
        pct = funding.state_rd_pct_of_envelope(
            inp.target_share_pct, nb, fl, inp.budget_exp_pct_gdp, inp.envelope_rd_share_pct
        )
        ax.plot(nb, pct, label=_("floor {floor}%").format(floor=fmt.sig(fl)))
    ax.axhline(100, color="black", lw=1)
    point = s["consistency_envelope_pct_at_floor"] / (inp.envelope_rd_share_pct / 100)
    at, label = pg.facts["resolution_nonstate_pct"], _(RESOLUTION_POINT).format_map(pg.facts)
    ax.plot([at], [point], "ko")
    ax.annotate(label, (at, point), textcoords="offset points", xytext=(6, 6))
    ax.set(ylim=(0, 400))
    ax.legend(title=None)
    src = sources()
    return {
        "fig": fig,
        "chart_id": "consistency",
        "title": _(
            "Budget-financed R&D in {target_year:year} against the envelope, by non-budget share and floor"
        ).format_map(pg.facts),
        "alt": _(
            "Line chart: one line per floor; the targets fit below the 100% line. At {resolution_nonstate_pct:num}% "
            "non-budget and a {resolution_budget_pct:num}% floor the "
            "point is at {consistency_envelope_pct_at_floor:num}%; the {resolution_budget_pct:num}% line crosses 100% at "
            "{consistency_nonbudget_needed_pct:num}% non-budget."
        ).format_map(pg.facts),
        "source": f"{src['model']}; {src['budget']}",
    }


# ----------------------------------------------------------------------------- the GDP basis of the target


def basis_frame(target_pct: float, uplift_pct: float, gdp_target_vnd_bn: float, year: int) -> pd.DataFrame:
    """The target read on official and on pre-revision GDP: each reading's share on both bases and the money.

    Hand check: 2% with an uplift of 25.4%: on pre-revision GDP 2 x 1.254 = 2.508%; 2% of pre-revision GDP is
    2 / 1.254 = 1.595% of official GDP.
    """
    k = 1 + uplift_pct / 100
    return pd.DataFrame(
        {
            N_("target on official (revised) GDP, %"): [target_pct, target_pct / k],
            N_("same money on pre-revision GDP, %"): [target_pct * k, target_pct],
            f"R&D in {year}, bn VND": [target_pct / 100 * gdp_target_vnd_bn, target_pct / k / 100 * gdp_target_vnd_bn],
        },
        index=pd.Index(
            [N_("official (revised) GDP"), N_("pre-revision GDP")],
            name=N_("reading of the target"),
        ),
    )


def basis_table(pg: Page) -> dict[str, Any]:
    p, t = pg.params, pg.inp.target_year
    uplift = pg.resolved.params["gdp_revision_uplift_pct"]
    tab = basis_frame(p["target_share_pct"], uplift, pg.path["gdp_vnd_bn"].iloc[-1], t)
    stated = fmt.sig(p["target_share_pct"])
    return _table(
        tab,
        table_id="target_basis",
        title=_("What {target}% of GDP means on each GDP basis").format(target=stated),
        source=_("GSO GDP revision uplift {uplift}%; {model}").format(uplift=fmt.sig(uplift), model=sources()["model"]),
        formats={"reading of the target": _} | {c: fixed(0 if "bn VND" in c else 2) for c in tab.columns},
        labels={tab.columns[2]: _("R&D in {year}, bn VND").format(year=fmt.year(t))},
        note=(
            _("This report reads the target on official (revised) GDP.")
            if p["target_gdp_basis"] == "revised"
            else _("This report reads the target on pre-revision GDP.")
        ),
    )


def basis_text(pg: Page) -> str:
    uplift = pg.resolved.params["gdp_revision_uplift_pct"]
    target, k = pg.params["target_share_pct"], 1 + uplift / 100
    return _(
        "The statistics office's 2019 re-assessment raised GDP by about {uplift}%. The science ministry still divides "
        "R&D by the old GDP, so on its basis {target}% of GDP is {official:num.2}% of official GDP, about {less:num}% "
        "less money. Which reading the Resolution intends is not stated; the sensitivity table shows both."
    ).format(uplift=fmt.sig(uplift), target=fmt.sig(target), official=target / k, less=(1 - 1 / k) * 100)


# ----------------------------------------------------------------------------- which assumptions matter

SENS_OUTPUTS = {  # the sensitivity frame's outputs as the table names them ({year}: the target year)
    "gerd_nominal_cagr_pct": N_("R&D growth, % a year"),
    "share_cagr_pct": N_("share growth, % a year"),
    "state_gerd_pct_envelope_target": N_("state R&D, % of envelope {year}"),
    "state_gerd_pct_rd_envelope_target": N_("state R&D, % of R&D part {year}"),
    "gerd_target_usd_bn": N_("R&D {year}, USD bn"),
}
SENS_ENDS = {"at low": N_("{output} at low"), "at high": N_("{output} at high")}


def tornado_chart(pg: Page, table: pd.DataFrame, cases: list[Any]) -> dict[str, Any]:
    """The sensitivity (``table``: sensitivity.sensitivity_table; ``cases``: sensitivity.cases, worded in the
    current language) as a two-panel tornado chart."""
    import matplotlib.pyplot as plt

    central, t = table.attrs["central"], fmt.year(pg.inp.target_year)
    shown = {c.assumption: c.shown() for c in cases}
    fig, axes = plt.subplots(1, 2, figsize=(10, 5.2), sharey=True)
    rows = table.iloc[::-1]
    y = np.arange(len(rows))
    for ax, key, xlabel in (
        (axes[0], "gerd_nominal_cagr_pct", _("R&D growth needed, % a year")),
        (axes[1], "state_gerd_pct_envelope_target", _("State R&D, % of envelope, {year}").format(year=t)),
    ):
        c0 = central[key]
        ax.barh(y, rows[f"{key} at low"].to_numpy() - c0, left=c0, color="#4C72B0", label=_("low value"))
        ax.barh(y, rows[f"{key} at high"].to_numpy() - c0, left=c0, color="#DD8452", label=_("high value"))
        ax.axvline(c0, color="black", lw=1)
        ax.set(xlabel=xlabel)
    axes[0].set_yticks(
        y,
        [
            _("{assumption}\n({low} / {high})").format(assumption=_(a), low=shown[a][0], high=shown[a][1])
            for a in rows["assumption"]
        ],
        fontsize=7,
    )
    axes[1].legend(fontsize=8, loc="lower right")
    fig.suptitle(_("What moves the answer: each assumption at its low and high value"), fontweight="bold")
    top, src = table.iloc[0], sources()
    return {
        "fig": fig,
        "chart_id": "tornado",
        "title": _(
            "Sensitivity of the required growth of R&D spending, {base_year:year}-{target_year:year}, to each assumption"
        ).format_map(pg.facts),
        "alt": _(
            "Tornado chart around the central {central}% a year: {assumption} moves it most, from {low}% to {high}%; "
            "the funding shares and the envelope move only the right-hand panel, the state's share of the budget "
            "envelope."
        ).format(
            central=fmt.num(central["gerd_nominal_cagr_pct"], 1),
            assumption=_(top["assumption"]),
            low=fmt.num(top["gerd_nominal_cagr_pct at low"], 1),
            high=fmt.num(top["gerd_nominal_cagr_pct at high"], 1),
        ),
        "source": _(
            "r57 vectorised scenario engine; ranges from {nowcast}, the funding account, {budget} and {gdp}"
        ).format_map(src),
    }


def sensitivity_table_spec(pg: Page, table: pd.DataFrame, cases: list[Any]) -> dict[str, Any]:
    """The sensitivity table: one row per assumption, its outputs named in English words with the target year
    (``state R&D, % of envelope 2030 at low``, the CSV's) and shown translated; the swings left out (the rows are
    sorted by them)."""
    t = pg.inp.target_year
    names, headers = {}, {}
    for key, name in SENS_OUTPUTS.items():
        for end, words_ in SENS_ENDS.items():
            english = names[f"{key} {end}"] = f"{name.format(year=t)} {end}"
            headers[english] = _(words_).format(output=_(name).format(year=fmt.year(t)))
    swings = ["swing_gerd_growth_pp", "swing_envelope_pp"]
    tab = table.drop(columns=swings).set_index("assumption").rename(columns=names)
    shown = {  # the English value (the CSV's) -> the same value as shown
        "low value": {c.low_label: c.shown()[0] for c in cases},
        "high value": {c.high_label: c.shown()[1] for c in cases},
        N_("basis"): {c.basis: c.shown()[2] for c in cases},
    }
    central = table.attrs["central"]
    return _table(
        tab,
        table_id="sensitivity",
        title=_("Sensitivity: one row per assumption, low and high value and what each gives"),
        source=_("r57 vectorised scenario engine (one call for all rows)"),
        formats={"assumption": _, N_("unit"): lambda u: _(u) if u else ""}
        | {c: fixed(1) for c in headers}
        | {col: (lambda v, m=m: m.get(v, v)) for col, m in shown.items()},
        labels=headers,
        note=_(
            "Central: R&D growth {gerd_nominal_cagr_pct:num.1}% a year, share growth {share_cagr_pct:num.1}% a year, "
            "state R&D {state_gerd_pct_envelope_target:num}% of the envelope in {target_year:year}."
        ).format_map(central | {"target_year": t}),
    )


# ----------------------------------------------------------------------------- results.json


def consistency_curve(inp: RdInputs, floor_pct: float) -> list[dict[str, float]]:
    """Budget R&D in the target year as % of the envelope's R&D part at ``floor_pct``, for non-budget shares 0, 5,
    ..., 100%: the curve the comparison page overlays (run/compare.py). 60%, 3%, 19.421%: 137.3%."""
    pct = funding.state_rd_pct_of_envelope(
        inp.target_share_pct, np.arange(0, 101, 5), floor_pct, inp.budget_exp_pct_gdp, inp.envelope_rd_share_pct
    )
    return [
        {"nonbudget_pct": float(nb), "pct_of_rd_part": float(v)} for nb, v in zip(range(0, 101, 5), pct, strict=True)
    ]


def screen_facts(pg: Page) -> dict[str, Any]:
    """The figures the key findings answer the three targets with, beside the summary's: the feasibility report's
    analogue count for this scenario (its start threshold, :func:`analysis.models.feasibility.analogue_windows`),
    the S&T budget line's non-budget range, the latest rated budget plan and the GII rank."""
    below = feasibility.LOW_START_PCT
    window = pg.inp.target_year - pg.inp.base_year
    counts = feasibility.analogue_windows(window, pg.summary["share_increase_pp"], below)[2]
    out = {
        "window_years": window,
        "start_share_below_pct": below,
        **{k: counts[k] for k in ("low_start_economies", "low_start_economies_reaching")},
        "max_low_start_increase_pp": counts["max_low_start_rise_pp"],
        "nonstate_share_base_default": pg.params.get("nonstate_share_base_pct") is None,
        "gii_rank_gerd_business_financed": pg.gii,
    }
    out |= budget_line_shares(pg.resolved)
    rated = pg.rule[pg.rule["meets the floor"] != "not known"]
    if len(rated):
        last = rated.iloc[-1]
        out |= {
            "budget_rule_year": int(rated.index[-1]),
            "budget_rule_plan_pct": float(
                last["planned for S&T, innovation and DX, bn VND"] / last["budget expenditure, bn VND"] * 100
            ),
            "budget_rule_rating": last["meets the floor"],
        }
    return out


def page_facts(params: dict[str, Any], data: RdData | None = None) -> dict[str, Any]:
    """Every figure the page states beyond the path model's (:func:`run`): its summary and :func:`screen_facts`."""
    pg = Page.build(params, data)
    return pg.summary | screen_facts(pg)


def results(pg: Page, sens: pd.DataFrame) -> dict[str, Any]:
    """The report's results.json (without the charts and tables, which the notebook's Report adds)."""
    ev, gap, readings = pg.ev, pg.gap, nonbudget_evidence(pg.data)[0]
    path = pg.path.drop(columns=[*RATE_COLUMNS, "real_index", "price_index"])
    path = path.assign(
        status=pg.row_status,
        flag=[nowcast.FLAGS[s] for s in pg.row_status],
        gdp_status=np.where(path["gdp_observed"], "official", "projected"),
        envelope_hypothetical=pg.unallocated,  # no allocation found: fits_envelope is not rated (null)
        fits_envelope=path["fits_envelope"].astype(object).where(~pg.unallocated, None),
    )
    fields = {
        **pg.summary,
        **screen_facts(pg),
        "notes": list(pg.resolved.notes),
        "nowcast": frame_records(ev.nowcast.drop(columns="gdp_vnd_bn")),
        "gap_to_date": [] if gap is None else frame_records(gap.rename(columns={"central_pct": "share_pct"})),
        "funding_readings": [
            {
                "reading": r.name,
                "year": r.year,
                "state_budget_pct": list(r.state_budget),
                "soe_own_funds_pct": list(r.soe_own),
                "private_foreign_other_pct": list(r.private_other),
                "nonbudget_pct": list(r.nonbudget),
                "adds_up": r.adds_up,
                "source": r.source,
            }
            for r in readings
        ],
        "nowcast_backtest": frame_records(ev.backtest),
        "consistency": frame_records(pg.consistency.stack().rename("pct_of_rd_part").to_frame()),
        "consistency_curve": consistency_curve(pg.inp, pg.summary["science_budget_share_target_pct"]),
        "budget_rule": frame_records(rule_frame(pg)),
        "sensitivity": sens.to_dict(orient="records"),
        "sensitivity_central": sens.attrs["central"],
        "path": frame_records(path),
    }
    return results_record(RD_SPEC, pg.resolved.params, fields, lambda: title(pg))
