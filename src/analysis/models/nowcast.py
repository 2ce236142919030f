"""A nowcast of GERD (% of GDP) for the years after the last survey, and the gap to date.

The last international observation of Viet Nam's R&D spending is for 2023 (UNESCO UIS via the
World Bank); the path to 2% of GDP must start from today's evidence instead. For every year after
the last observation up to ``through_year`` this module gives a low-central-high estimate, built
from named inputs:

1. **The flat trend (persistence).** The UIS share has been flat since 2017 (0.419, 0.417, 0.425,
   0.415% of GDP). The central estimate carries the last observation forward: persistence is the
   naive forecast, and no trend model is fitted because the flat series gives it nothing to beat.
   The band is the largest change between two consecutive surveys since 2017, either way.
2. **The budget top-up.** In 2025 the state added money for science, technology, innovation and
   digital transformation; by December 2025 only part of it had been allocated (16,716 of 25,000 bn
   VND). The R&D it can have paid for in that year is at most the allocated amount times the share
   of state S&T money that funds R&D (:func:`analysis.models.funding.st_rd_fraction`); at least nothing
   (allocation at the year's end, spending the next year); the central estimate is half-way.
3. **Statements** ("about 0.5% of GDP", ministers, 2025; "below 0.7%") are not inputs: their
   reference year and GDP basis are not given. They are shown beside the range as a check, converted
   to the revised-GDP basis as well.

Every estimate is labelled ``estimate``; it is never a row of observed data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.errors import DataError
from analysis.i18n import N_, _, fmt, keep

# statements_check's "bound" and "consistent with the range" values: codes in the data, words where shown
STATEMENT_WORDS = (N_("upper bound"), N_("level"), N_("yes"), N_("no"))
# who made the statements in data/raw/vn_rd_statements.csv, as the "source" column shows them (translated where
# shown; a statement added to the data shows its English source until it is listed here)
STATEMENT_SOURCES = (
    N_("PM via tu-do.com (RSS)"),
    N_("tincongnghe.net / baomoi.net.vn (AVSE VRDF 2025)"),
    N_("VietNamNet (experts)"),
    N_("MOST Deputy Minister Hoang Minh (interview, republished)"),
    N_("Minister of Information & Communications Nguyen Manh Hung, National Assembly session"),
    N_("baomoi.net.vn / VietNamNet 2025"),
)

FLAT_SINCE = 2017  # first year of the flat UIS period the band is measured on


@dataclass(frozen=True)
class TopUp:
    """Budget money for S&T, innovation and digital transformation added within a year (bn VND)."""

    year: int
    allocated_vnd_bn: float  # allocated to agencies within the year (what could have been spent)
    source: str


def flat_band_pp(series: pd.Series, since: int = FLAT_SINCE) -> float:
    """Largest absolute change between consecutive observations from ``since`` on (percentage points).

    >>> round(flat_band_pp(pd.Series({2017: 0.41895, 2019: 0.41652, 2021: 0.42494, 2023: 0.41456})), 5)
    0.01038
    """
    s = series.loc[since:].dropna().sort_index()
    if len(s) < 2:
        raise DataError(f"the GERD series has fewer than two observations from {since}; no band can be measured")
    return float(s.diff().abs().max())


def nowcast_share(
    last_year: int,
    last_pct: float,
    band_pp: float,
    gdp_vnd_bn: Mapping[int, float],
    through_year: int,
    topups: Mapping[int, TopUp] | None = None,
    rd_fraction: tuple[float, float, float] = (0.0, 0.0, 0.0),
) -> pd.DataFrame:
    """Low-central-high GERD % of GDP for every year after ``last_year`` up to ``through_year``.

    ``rd_fraction`` is the (low, central, high) share of state S&T money that funds R&D (fractions).
    For year y: trend = ``last_pct`` (low/high: minus/plus ``band_pp``); budget addition in bn VND:
    low 0, high = allocated x rd_fraction[high], central = half of allocated x rd_fraction[central]
    (half: the money came late in the year); share = trend + addition / GDP x 100.
    """
    topups = topups or {}
    rows = []
    for y in range(last_year + 1, through_year + 1):
        if y not in gdp_vnd_bn or not np.isfinite(gdp_vnd_bn[y]):
            raise DataError(f"no GDP for {y}: the nowcast needs GDP in VND for every estimated year")
        gdp = float(gdp_vnd_bn[y])
        t = topups.get(y)
        alloc = t.allocated_vnd_bn if t else 0.0
        add_lo, add_c, add_hi = 0.0, 0.5 * alloc * rd_fraction[1], alloc * rd_fraction[2]
        trend_lo, trend_c, trend_hi = last_pct - band_pp, last_pct, last_pct + band_pp
        inputs = [
            f"UIS {last_year} observation {last_pct:.5g}% carried forward (flat since {FLAT_SINCE})",
            f"band +/-{band_pp:.4f} pp (largest change between surveys since {FLAT_SINCE})",
        ]
        # the same inputs in the language in use when the nowcast is built, for the shown table (English: the data)
        shown = [
            _("UIS {year} observation {share}% carried forward (flat since {since})").format(
                year=fmt.year(last_year),
                share=fmt.localize_number_text(f"{last_pct:.5g}"),
                since=fmt.year(FLAT_SINCE),
            ),
            _("band +/-{band} pp (largest change between surveys since {since})").format(
                band=fmt.num(band_pp, 4), since=fmt.year(FLAT_SINCE)
            ),
        ]
        if t:
            inputs.append(
                f"{y} budget top-up allocated {alloc:,.0f} bn VND ({t.source}) x share of state S&T money "
                f"funding R&D {rd_fraction[0] * 100:.0f}-{rd_fraction[2] * 100:.0f}%"
            )
            shown.append(
                _(
                    "{year} budget top-up allocated {allocated} bn VND ({source}) x share of state S&T money "
                    "funding R&D {low}-{high}%"
                ).format(
                    year=fmt.year(y),
                    allocated=fmt.num(alloc),
                    source=keep(t.source),  # an organisation code (MOST/MOF), as written
                    low=fmt.num(rd_fraction[0] * 100),
                    high=fmt.num(rd_fraction[2] * 100),
                )
            )
        rows.append(
            {
                "year": y,
                "low_pct": trend_lo + add_lo / gdp * 100.0,
                "central_pct": trend_c + add_c / gdp * 100.0,
                "high_pct": trend_hi + add_hi / gdp * 100.0,
                "trend_pct": trend_c,
                "budget_addition_vnd_bn": add_c,
                "budget_addition_high_vnd_bn": add_hi,
                "gdp_vnd_bn": gdp,
                "status": "estimate",
                "inputs": "; ".join(inputs),
                "inputs_shown": "; ".join(shown),
            }
        )
    cols = [
        "low_pct",
        "central_pct",
        "high_pct",
        "trend_pct",
        "budget_addition_vnd_bn",
        "budget_addition_high_vnd_bn",
        "gdp_vnd_bn",
        "status",
        "inputs",
        "inputs_shown",
    ]
    out = pd.DataFrame(rows, columns=["year", *cols]).set_index("year")
    out["gerd_vnd_bn"] = out["central_pct"] / 100.0 * out["gdp_vnd_bn"]
    return out


def statements_check(statements: pd.DataFrame, nowcast: pd.DataFrame, uplift_pct: float) -> pd.DataFrame:
    """Officials' and the press's statements on the current level beside the nowcast range.

    Each statement's value is shown as said and converted to revised GDP (divided by 1 + uplift),
    since the basis is never given; ``inside`` says whether either reading falls in the range of
    the statement's year (or the latest nowcast year).
    """
    rows = statements[(statements["indicator"] == "rd_pct_gdp_statement") & statements["value"].notna()]
    rows = rows[rows["year"] >= nowcast.index.min()] if len(nowcast) else rows.iloc[0:0]
    out = []
    for _index, r in rows.iterrows():
        y = int(r["year"]) if int(r["year"]) in nowcast.index else int(nowcast.index.max())
        lo, hi = float(nowcast.loc[y, "low_pct"]), float(nowcast.loc[y, "high_pct"])
        as_said, revised = float(r["value"]), float(r["value"]) / (1 + uplift_pct / 100.0)
        upper = r["qualifier"] == "at_most"
        inside = (lo <= as_said or lo <= revised) if upper else (lo <= as_said <= hi or lo <= revised <= hi)
        out.append(
            {
                "year": int(r["year"]),
                "statement, % of GDP": as_said,
                "bound": "upper bound" if upper else "level",
                "on revised GDP if said on pre-revision GDP, %": revised,
                "compared with nowcast year": y,
                "consistent with the range": "yes" if inside else "no",
                "source": r["source"],
            }
        )
    return pd.DataFrame(out)


def gap_to_date(
    observed: pd.Series,
    nowcast: pd.DataFrame,
    required: pd.Series,
) -> pd.DataFrame:
    """Observed or estimated share against what a path from the last observation required, year by year.

    ``observed``: the observed share for the last observation year (one or more years); ``nowcast``:
    :func:`nowcast_share`; ``required``: the share a path from the last observation to the target
    gives in each year. ``gap_pp`` = central (or observed) minus required; negative means behind.
    """
    rows = []
    for y, v in observed.items():
        rows.append(
            {"year": int(y), "status": "observed", "central_pct": float(v), "low_pct": float(v), "high_pct": float(v)}
        )
    for y, r in nowcast.iterrows():
        rows.append(
            {
                "year": int(y),
                "status": "estimate",
                "central_pct": float(r["central_pct"]),
                "low_pct": float(r["low_pct"]),
                "high_pct": float(r["high_pct"]),
            }
        )
    out = pd.DataFrame(rows).set_index("year").sort_index()
    out["required_pct"] = required.reindex(out.index).to_numpy(dtype=float)
    out["gap_pp"] = out["central_pct"] - out["required_pct"]
    return out
