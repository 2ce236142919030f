"""Who pays for R&D (the S&T budget line and the published shares, which do not agree), and the budget rule of
Resolution 57 (at least 3% of budget expenditure for S&T, innovation and digital transformation) as a
consistency question. *State* is the state budget, central or local; *non-budget* everything else, state-owned
enterprises' own funds included (where they count as state, the complement is the *non-state sector*).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.data.schema import first_valued, valued
from analysis.errors import DataError
from analysis.models import targets
from analysis.models.path_core import values_by_year


@dataclass(frozen=True)
class Fraction:
    """Share of state S&T money that funds R&D (fractions): low from 2011, high from 2013 (:func:`st_rd_fraction`)."""

    low: float
    central: float
    high: float


def st_rd_fraction(funding: pd.DataFrame, gerd: pd.DataFrame, budget: pd.DataFrame) -> Fraction:
    """Share of state S&T spending that is R&D, from the two years where both sides were published.

    - 2011: government 70% of GERD (OECD/World Bank 2014 review, reference year probably 2011) x MOST
      GERD 5,294 bn / total S&T spending 14,442 bn (MOST) = 25.7%.
    - 2013: the derived residual 57.7% of GERD (state budget plus non-profits and other, so an upper
      bound) x MOST GERD 13,390 bn / S&T spending from the budget 14,144 bn (MOST table) = 54.6%.

    Central: the mean of the two. Hand check: (0.7 x 5294 / 14442 + 0.577 x 13390 / 14144) / 2
    = (0.25660 + 0.54624) / 2 = 0.40142.
    """
    gov70 = first_valued(funding, "gerd_government_funded_share_pct", value_type="reported")
    resid = first_valued(funding, "gerd_government_funded_share_pct", year=2013)
    g11 = first_valued(gerd, "gerd_vnd_bn", year=2011, value_type="reported")
    g13 = first_valued(gerd, "gerd_vnd_bn", year=2013, value_type="reported")
    st11 = first_valued(budget, "st_spending_vnd_bn", year=2011)
    st13 = first_valued(budget, "st_recurrent_vnd_bn", year=2013)
    if any(x is None for x in (gov70, resid, g11, g13, st11, st13)):
        raise DataError("the 2011/2013 funding fragments needed for the R&D share of state S&T money are missing")
    lo = gov70["value"] / 100 * g11["value"] / st11["value"]
    hi = resid["value"] / 100 * g13["value"] / st13["value"]
    return Fraction(low=float(lo), central=float((lo + hi) / 2), high=float(hi))


@dataclass(frozen=True)
class BaseYearBudget:
    """What the budget data say about a base year."""

    year: int
    budget_exp_vnd_bn: float
    st_share_pct: float  # S&T (investment + recurrent) as % of budget expenditure, latest year measured
    st_share_year: int


def base_year_budget(budget: pd.DataFrame, year: int) -> BaseYearBudget:
    """Budget expenditure of ``year`` and the latest measured S&T share at or before it."""
    b = first_valued(budget, "budget_exp_vnd_bn", year=year)
    if b is None:
        raise DataError(f"no state-budget expenditure estimate for {year}")
    st = valued(budget, "st_share_of_budget_pct")
    st = st[st["year"] <= year]
    if st.empty:
        raise DataError(f"no S&T share of the budget at or before {year}")
    st = st.sort_values("year").iloc[-1]
    return BaseYearBudget(year, float(b["value"]), float(st["value"]), int(st["year"]))


# ----------------------------------------------------------------------------- the rule


def track_rule(
    budget: pd.DataFrame, budget_exp_vnd_bn: Mapping[int, float], floor_pct: float, since: int | None = None
) -> pd.DataFrame:
    """Allocations for S&T + innovation + digital transformation against the floor, every year from ``since`` (or
    the first year with data, if earlier) to the last year with data: a year between without data is a row too.

    The rule is a share of each year's own total budget expenditure, so the budget of a year is its own estimate
    where the data have one, else ``budget_exp_vnd_bn`` (the report's series): one budget, one floor and one plan
    share per year. Columns: that budget expenditure, the floor (``floor_pct``; the Resolution's is target T06 of
    the targets data) and its amount, the allocation planned for the year (missing = not found), its share of the
    year's own budget estimate, money added in the year, allocated of it, spent (always not found so far), and the
    rating of the plan (``met``, ``within rounding``, ``not met``; ``not known`` without a plan), as the tracker
    rates T06 (:func:`analysis.models.targets.annual_share`): one verdict for one fact across the reports.

    Hand check: 2025 floor 3% x 2,540,000 = 76,200 bn VND; 2026 floor 3% x 3,160,000 = 94,800, and the 95,000 bn
    plan is 95,000 / 3,160,000 = 3.006%, which the rounding of the published figures leaves 'within rounding'.
    """
    # each indicator's first value per year, found in one pass (the explorer resolves a scenario per control change)
    kept = budget.loc[budget["value"].notna(), ["indicator", "year", "value"]].drop_duplicates(["indicator", "year"])
    first_of = {(code, int(y)): float(v) for code, y, v in kept.to_numpy()}
    # the years with S&T, innovation and DX (stidx_) data: the span the rule rates
    years = [y for code, y in first_of if code.startswith("stidx_")]
    first = min(years) if since is None else min(int(since), min(years))
    own, plan, added, alloc = (
        {y: v for (c, y), v in first_of.items() if c == code}
        for code in ("budget_exp_vnd_bn", *(f"stidx_{k}_vnd_bn" for k in ("budget_plan", "additional", "allocated")))
    )
    rows = []
    for y in range(first, max(years) + 1):
        bexp = own.get(y, float(budget_exp_vnd_bn.get(y, np.nan)))
        planned = plan.get(y, np.nan)
        rows.append(
            {
                "year": y,
                "budget expenditure, bn VND": bexp,
                "floor_pct": floor_pct,
                "floor, bn VND": bexp * floor_pct / 100,
                "planned for S&T, innovation and DX, bn VND": planned,
                "planned, % of the year's own budget estimate": planned / bexp * 100 if y in own else np.nan,
                "added during the year, bn VND": added.get(y, np.nan),
                "of which allocated, bn VND": alloc.get(y, np.nan),
                "spent, bn VND": np.nan,
                "meets the floor": targets.annual_share(planned, bexp, floor_pct)["rating"]
                if y in plan and np.isfinite(bexp)
                else "not known",
            }
        )
    return pd.DataFrame(rows).set_index("year")


def unrated_years(rule: pd.DataFrame, years: Iterable[int]) -> np.ndarray:
    """For each of ``years``, whether the envelope fit is not rated there: a year up to the last of the rule table
    (:func:`track_rule`) that the table rates ``not known`` (no allocation planned, or no budget to take the floor
    of), whose envelope is only what the floor would give. Read from the table, so the two name the same years
    where the table starts at ``years``' first (``since``). One rule for the rd_paths page and the engine
    (``engine.Context.unrated_years``)."""
    years = np.asarray(list(years), dtype=int)
    rated = rule.index[rule["meets the floor"] != "not known"]
    return (years <= rule.index.max()) & ~np.isin(years, rated)


def floor_path(
    value: float | Mapping[int, float], years: list[int] | np.ndarray, name: str = "science_budget_share_pct"
) -> np.ndarray:
    """The floor (% of budget expenditure) for each year: a number, or {year: %} where a year left
    out keeps the previous value and years before the first one given take the first value.

    A path below the Resolution's floor (target T06 of the targets data,
    :func:`analysis.models.targets.target`) is the user's scenario and is allowed (the parameter's
    range says so), not corrected.
    """
    years = [int(y) for y in years]
    if isinstance(value, Mapping) and value and years and years[0] < min(int(k) for k in value):
        value = {years[0]: value[min(value, key=int)], **value}  # years before the first one given take its value
    return values_by_year(value, years, name)


# ----------------------------------------------------------------------------- two readings of who pays

ADD_UP_TOLERANCE_PP = 0.5  # published shares are rounded to whole points


@dataclass(frozen=True)
class Reading:
    """One reading of the share of GERD paid by the state budget, with the other two rows where it gives them.

    Shares are % of GERD as ``(low, high)``; ``nan`` where the reading does not give the row.
    """

    name: str
    year: int | None  # reference year (None: not stated)
    state_budget: tuple[float, float]
    soe_own: tuple[float, float]
    private_other: tuple[float, float]
    source: str

    @property
    def nonbudget(self) -> tuple[float, float]:
        """Non-budget share (funds from outside the state budget), % of GERD, ``(low, high)``."""
        return (100.0 - self.state_budget[1], 100.0 - self.state_budget[0])

    @property
    def adds_up(self) -> bool | None:
        """Whether the rows the reading gives can add up to 100%, within half a point of rounding (None when
        it gives only the state row). A row it does not give counts as nothing."""
        parts = [self.soe_own, self.private_other]
        if all(np.isnan(p[0]) for p in parts):
            return None
        lo = self.state_budget[0] + sum(0.0 if np.isnan(p[0]) else p[0] for p in parts)
        hi = self.state_budget[1] + sum(0.0 if np.isnan(p[1]) else p[1] for p in parts)
        return bool(lo - ADD_UP_TOLERANCE_PP <= 100.0 <= hi + ADD_UP_TOLERANCE_PP)


def published_readings(funding: pd.DataFrame, gerd_2013_vnd_bn: float) -> list[Reading]:
    """The published shares of GERD by source of funds, one :class:`Reading` each, from the data.

    - EY Vietnam 2025: state budget 70-80% of R&D investment, private 20-30% (state-owned firms not
      separated).
    - OECD/World Bank 2014 (reference year not stated, probably 2011): government 70%, private firms 15%,
      the rest higher education.
    - MOST survey 2013: business 5,352 bn VND of 13,390 (40%), of which at least 4,500 bn by two state-owned
      groups (33.6%); universities 110 bn, abroad 200 bn; the residual 57.7% is the state budget plus
      non-profits and other, so the state budget is at most 57.7%.
    """
    nan = float("nan")
    ey = valued(funding, "rd_state_budget_share_pct")
    ey_priv = valued(funding, "rd_private_share_pct")
    gov = first_valued(funding, "gerd_government_funded_share_pct", value_type="reported")
    biz = first_valued(funding, "gerd_business_funded_share_pct", value_type="reported")
    resid = first_valued(funding, "gerd_government_funded_share_pct", year=2013)
    biz13 = first_valued(funding, "gerd_business_funded_vnd_bn", year=2013)
    soe13 = first_valued(funding, "gerd_soe_funded_vnd_bn", year=2013)
    he13 = first_valued(funding, "gerd_he_funded_vnd_bn", year=2013)
    abroad13 = first_valued(funding, "gerd_abroad_funded_vnd_bn", year=2013)
    if ey.empty or ey_priv.empty or any(x is None for x in (gov, biz, resid, biz13, soe13, he13, abroad13)):
        raise DataError("the published shares of GERD by source of funds are missing from vn_gerd_funding")
    g = gerd_2013_vnd_bn
    soe = float(soe13["value"]) / g * 100
    other13 = (
        (float(biz13["value"]) - float(soe13["value"]) + float(he13["value"]) + float(abroad13["value"])) / g * 100
    )
    gov_v, biz_v = float(gov["value"]), float(biz["value"])
    return [
        Reading(
            "EY Vietnam 2025 (statement)",
            2025,
            (float(ey["value"].min()), float(ey["value"].max())),
            (nan, nan),
            (float(ey_priv["value"].min()), float(ey_priv["value"].max())),
            str(ey["source"].iloc[0]),
        ),
        Reading(
            "OECD/World Bank 2014 review",
            None,
            (gov_v, gov_v),
            (nan, nan),
            (biz_v, 100.0 - gov_v),  # private firms 15%; with higher education, the rest
            str(gov["source"]),
        ),
        Reading(
            "MOST R&D survey 2013",
            2013,
            (float(resid["value"]), float(resid["value"])),  # at most: the residual includes non-profits
            (soe, soe),
            (other13, other13),
            str(biz13["source"]),
        ),
    ]


def business_financing_rank(funding: pd.DataFrame) -> dict[str, object] | None:
    """The Global Innovation Index's rank of Viet Nam on GERD financed by business (``rank``, ``year``,
    ``source``): a rank among economies, not a share of GERD, so it enters no reading; None where the data lack it."""
    row = first_valued(funding, "gii_rank_gerd_business_financed")
    if row is None:
        return None
    return {"rank": int(row["value"]), "year": int(row["year"]), "source": str(row["source"])}


def budget_bound_state_share_pct(
    st_share_of_budget_pct: float, budget_exp_vnd_bn: float, gerd_vnd_bn: float, rd_fraction: float
) -> tuple[float, float]:
    """The S&T budget line's reading: state-budget R&D as % of GERD, ``(the line's R&D part, the whole line)``.

    The line is the budget's science-and-technology spending (investment + recurrent, the Ministry of Finance's
    share of budget expenditure); ``rd_fraction`` of it is R&D (2011: government R&D over total S&T spending of the
    same definition). Not a bound on state R&D: R&D paid through other budget lines (education, defence, the
    provinces) is outside it.

    Hand check for 2025 on GERD 53,260 bn: S&T 0.82% x 2,540,000 = 20,828; the whole line 20,828 / 53,260 = 39.1%;
    its R&D part 0.2566 x 20,828 / 53,260 = 10.0%.
    """
    st = st_share_of_budget_pct / 100.0 * budget_exp_vnd_bn
    return (rd_fraction * st / gerd_vnd_bn * 100.0, st / gerd_vnd_bn * 100.0)


def evidence_nonbudget_share_pct(readings: list[Reading]) -> tuple[float, float, float]:
    """Non-budget share of GERD from the published readings: (lowest, median of the midpoints, highest).

    Hand check on the data: EY 20-30 (mid 25), OECD/World Bank 30, survey 2013 42.3 -> (20, 30, 42.3).
    """
    lows = [r.nonbudget[0] for r in readings]
    highs = [r.nonbudget[1] for r in readings]
    mids = [(a + b) / 2 for a, b in zip(lows, highs, strict=True)]
    return (float(min(lows)), float(np.median(mids)), float(max(highs)))


# ----------------------------------------------------------------------------- the 3% rule as a consistency question


def state_rd_pct_of_envelope(
    gerd_pct_gdp: float | np.ndarray,
    nonbudget_pct: float | np.ndarray,
    floor_pct: float | np.ndarray,
    budget_exp_pct_gdp: float,
    rd_part_pct: float = 100.0,
) -> float | np.ndarray:
    """Budget-financed R&D as % of the envelope (``floor_pct`` of budget expenditure), or of its R&D part
    (``rd_part_pct`` of it; default the whole envelope). At most 100: GERD of ``gerd_pct_gdp`` fits.

    Known answer: 40% of 2% of GDP = 0.8% of GDP against 3% of a budget of 19.4% of GDP = 0.582% of GDP:
    0.8 / 0.582 = 137.5%.
    """
    state = np.asarray(gerd_pct_gdp) * (1 - np.asarray(nonbudget_pct) / 100.0)
    return state / (np.asarray(floor_pct) / 100.0 * budget_exp_pct_gdp) * 100.0 / (rd_part_pct / 100.0)


def consistency_at_floor(
    gerd_pct_gdp: float | np.ndarray,
    floor_pct: float | np.ndarray,
    budget_exp_pct_gdp: float | np.ndarray,
    rd_part_pct: float | np.ndarray,
    nonbudget_floor_pct: float,
) -> dict[str, float | np.ndarray]:
    """The target year's consistency figures of a scenario (scalars) or of many (arrays, one value each): budget
    R&D at the non-budget floor ``nonbudget_floor_pct`` as % of the envelope (``floor_pct`` of budget
    expenditure) and of budget expenditure, the smallest floor whose envelope, ``rd_part_pct`` of it for R&D,
    covers it, and the non-budget share at which budget R&D fits that part exactly (never below 0).

    Known answer: 2% of GDP, a 3% floor of a budget of 19.4% of GDP, the 60% floor: budget R&D 0.8% of GDP is
    0.8 / 0.582 = 137.5% of the envelope, 0.8 / 19.4 = 4.12% of budget expenditure; the smallest floor 4.12%
    (8.25% with half the envelope for R&D); non-budget share needed 1 - 0.582 / 2 = 70.9% (1 - 0.291 / 2 = 85.45%).
    """
    of_budget = gerd_pct_gdp * (1 - nonbudget_floor_pct / 100.0) / budget_exp_pct_gdp * 100.0
    needed = (1 - floor_pct / 100.0 * budget_exp_pct_gdp * rd_part_pct / 100.0 / gerd_pct_gdp) * 100.0
    return {
        "consistency_envelope_pct_at_floor": state_rd_pct_of_envelope(
            gerd_pct_gdp, nonbudget_floor_pct, floor_pct, budget_exp_pct_gdp
        ),
        "consistency_budget_pct_at_floor": of_budget,
        "consistency_min_floor_pct": of_budget / (rd_part_pct / 100.0),
        "consistency_nonbudget_needed_pct": np.maximum(0.0, needed),
    }
