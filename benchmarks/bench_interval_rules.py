"""The two interval rules measured on both case sets: the tracker's conformal widening (an interval widened by the
split-conformal factor of its backtest's interval scores; withheld where too few cases give that factor) and the
rankings' withholding (an interval printed as the model gives it at a horizon whose backtest coverage is within
rankings.MAX_COVERAGE_SHORTFALL points of nominal, withheld otherwise).

Each case set is the chosen method's backtest cases: per index of the rankings report (editions ahead), per series
of the tracker (years ahead). Each rule is calibrated on the cases whose outcome was published by a cut year and
judged on the cases forecast from the cut year on (out of sample: what a reader of a projection gets), and, as the
pages report it, in sample (calibrated and judged on every case). Printed per case set and rule: cases judged,
the share given an interval, its coverage against nominal, and the mean width as a multiple of the model's own.

Run: .venv/bin/python benchmarks/bench_interval_rules.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))
from _common import header  # noqa: E402
from analysis.models import backtest as bt  # noqa: E402
from analysis.models import rankings as rk  # noqa: E402
from analysis.models import targets as tg  # noqa: E402
from analysis.reports import resolution_targets as rt  # noqa: E402
from analysis.reports.params import validate  # noqa: E402

CUT_SHARE = 2 / 3  # the cut year: this share of a case set's outcome years lies at or before it


def rank_case_sets(p: dict) -> dict[str, pd.DataFrame]:
    """The chosen method's backtest cases of every index."""
    out = {}
    for index in rk.INDICES:
        b = rk.index_backtest(index, p)
        if not b.cases.empty:
            out[index] = b.cases[b.cases["method"] == b.choice.method]
    return out


def series_case_sets(p: dict) -> dict[str, pd.DataFrame]:
    """The chosen method's backtest cases of every series the tracker measures a target with."""
    d = rt.TargetsData.load()
    out = {}
    for t in d.targets:
        for i, m in enumerate(rt.measures(d).get(t.target_id, [])):
            s = m.series.dropna().sort_index()
            s = s[s.index <= p["as_of_year"]]
            if m.kind != "series" or len(s) < 3:
                continue
            kw = tg.series_options(t, p)
            horizon = p["backtest_horizon_years"]
            choice = bt.choose_method(s, "auto", horizon=horizon, min_pairs=p["min_backtest_pairs"], **kw)
            cases = bt.series_cases(s, (choice.method,), horizon=horizon, **kw)
            if len(cases):
                out[f"{t.target_id}/{i}"] = cases
    return out


def conformal(calib: pd.DataFrame, judged: pd.DataFrame, nominal: float) -> pd.DataFrame:
    """Each judged case under the tracker's rule: shown (a factor exists), covered, width as a multiple of the raw."""
    factor = bt.conformal_factor(calib["score"].dropna(), nominal)
    shown = pd.Series(factor is not None, index=judged.index)
    return pd.DataFrame({"shown": shown, "covered": judged["score"] <= (factor or 0), "width": factor or np.nan})


def withholding(calib: pd.DataFrame, judged: pd.DataFrame, nominal: float) -> pd.DataFrame:
    """Each judged case under the rankings' rule: shown where its horizon's calibration coverage is close enough."""
    cov = calib.groupby("horizon")["covered"].mean() * 100.0
    ok = cov >= nominal - rk.MAX_COVERAGE_SHORTFALL
    shown = judged["horizon"].map(ok).fillna(False).astype(bool)
    return pd.DataFrame({"shown": shown, "covered": judged["covered"] == 1.0, "width": 1.0})


def judge(sets: dict[str, pd.DataFrame], rule, nominal: float, out_of_sample: bool) -> dict[str, float]:
    parts = []
    for cases in sets.values():
        cases = cases.dropna(subset=["score"])
        if out_of_sample:
            cut = np.quantile(cases["edition"], CUT_SHARE)
            calib, judged = cases[cases["edition"] <= cut], cases[cases["origin"] >= cut]
        else:
            calib = judged = cases
        if len(judged):
            parts.append(rule(calib, judged, nominal))
    r = pd.concat(parts)
    shown = r[r["shown"]]
    return {
        "cases": len(r),
        "shown_pct": 100.0 * len(shown) / len(r),
        "coverage_pct": 100.0 * shown["covered"].mean() if len(shown) else np.nan,
        "width_x": shown["width"].mean() if len(shown) else np.nan,
    }


def main() -> None:
    header("The two interval rules on both case sets")
    rank_p = validate("ecosystem_rankings", {})
    series_p = validate("resolution_targets", {})
    sets = {"rank cases": (rank_case_sets(rank_p), rank_p), "series cases": (series_case_sets(series_p), series_p)}
    print(f"   {'case set':<13} {'rule':<12} {'judged':<14} cases  shown  coverage (nominal)  width x model's")
    for name, (cases, p) in sets.items():
        nominal = float(p["interval_pct"])
        for rule_name, rule in (("conformal", conformal), ("withholding", withholding)):
            for oos in (True, False):
                f = judge(cases, rule, nominal, oos)
                print(
                    f"   {name:<13} {rule_name:<12} {'out of sample' if oos else 'in sample':<14} {f['cases']:>5} "
                    f"{f['shown_pct']:>5.0f}% {f['coverage_pct']:>8.1f}% ({nominal:.0f}%) {f['width_x']:>12.2f}"
                )


if __name__ == "__main__":
    main()
