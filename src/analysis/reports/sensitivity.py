"""One-at-a-time sensitivity of the rd_paths headline: each assumption at a low and a high value (the others at
the scenario's), all rows in one engine call; the values come from the data where the data give a range.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, partial
from typing import Any

import numpy as np
import pandas as pd

from analysis.data import observed
from analysis.i18n import N_, SOURCE_LANG, _, fmt, language
from analysis.models import engine
from analysis.reports import rd_paths
from analysis.reports.rd_paths import RdData, RdResolved, nonbudget_evidence, nonstate_floor_pct
from analysis.reports.tables import unmarked

OUTPUTS = tuple(rd_paths.SENS_OUTPUTS)  # the engine figures each case gives, named where the page shows them
# the bases of the two GDP-driver cases (English in the table's data, translated where shown: driver_basis)
DRIVER_BASIS = N_("averages implied by WDI {wdi_first:year}-{wdi_last:year} and GSO {gso_first:year}-{gso_last:year}")
DRIVER_BASIS_FX = N_(
    "averages implied by WDI {wdi_first:year}-{wdi_last:year} and GSO {gso_first:year}-{gso_last:year} (moves dollar "
    "figures only)"
)


@dataclass(frozen=True)
class Case:
    """One assumption's low and high setting: engine fields to override for each, and its words.

    ``assumption`` is English in the table's data (results.json, CSV) and translated where shown (its ``unit`` is
    marked where rd_paths declares it)."""

    assumption: str
    unit: str
    low: dict[str, Any]
    high: dict[str, Any]
    shown: Callable[[], tuple[str, str, str]]  # low value, high value and basis in the current language

    @cached_property
    def english(self) -> tuple[str, str, str]:
        """Low value, high value and basis in English: the table's data (results.json, CSV)."""
        with language(SOURCE_LANG):
            return tuple(unmarked(w) for w in self.shown())

    low_label = property(lambda self: self.english[0])
    high_label = property(lambda self: self.english[1])
    basis = property(lambda self: self.english[2])


def _case(
    assumption: str,
    unit: str,
    field: str | Callable[[float], dict[str, Any]],
    lo: float,
    hi: float,
    basis: Callable[[], str],
    digits: int | None = None,
) -> Case:
    """A case setting one number low and high: ``field`` names the engine field (or gives the fields for a value);
    the values are written with ``digits`` decimals, or as given (``:g``) when None."""
    fields = field if callable(field) else (lambda v: {field: v})

    def value(v: float) -> str:
        return fmt.sig(v) if digits is None else fmt.num(v, digits)

    return Case(assumption, unit, fields(lo), fields(hi), lambda: (value(lo), value(hi), basis()))


def cases(r: RdResolved, data: RdData, path: pd.DataFrame | None = None) -> list[Case]:
    """The assumptions varied, with low and high values taken from the data where it has them (``path``: r's path)."""
    inp, p, ev, st = r.inputs, r.params, r.evidence, r.start
    uplift = p["gdp_revision_uplift_pct"]
    if st.status == "estimate":
        lo, hi = st.low_pct, st.high_pct
        basis = partial(_, N_("nowcast range (every method, widened by the largest backtest error)"))
    else:
        lo, hi = inp.base_share_pct - ev.band_pp, inp.base_share_pct + ev.band_pp

        def basis() -> str:
            return _("+/- {band} pp, the largest change between surveys since 2017").format(band=fmt.num(ev.band_pp, 4))

    out = [_case(N_("starting level"), "% of GDP", "base_share_pct", lo, hi, basis, 3)]
    stated = float(p["target_share_pct"])
    pre = stated / (1 + uplift / 100)
    out.append(
        Case(
            N_("GDP basis of the target"),
            "",
            {"target_share_pct": stated},
            {"target_share_pct": pre},
            lambda: (
                _("revised GDP"),
                _("pre-revision GDP (= {share}% of revised)").format(share=fmt.num(pre, 2)),
                _("GSO revision uplift {uplift}%").format(uplift=fmt.sig(uplift)),
            ),
        )
    )
    tied, floor = r.nonstate_target_tied, nonstate_floor_pct()
    _readings, (ns_lo, _ns_central, ns_hi) = nonbudget_evidence(data)

    def ns(v: float) -> dict[str, float]:
        d = {"nonstate_share_base_pct": v}
        if tied:
            d["nonstate_share_target_pct"] = max(floor, v)
        return d

    def words(text: str) -> str:  # a basis in the language of the moment, the Resolution's threshold written in
        return _(text).format(floor=floor)

    basis = (
        N_("range of the published shares (target share follows: the larger of {floor:num}% and the base)")
        if tied
        else N_("range of the published shares")
    )
    out.append(_case(N_("non-budget share, base year"), "% of GERD", ns, ns_lo, ns_hi, partial(words, basis), 1))
    t_hi = min(100.0, max(90.0, inp.nonstate_share_base_pct))
    basis = partial(words, N_("the Resolution's threshold ({floor:num}%; it asks for more) and a high case"))
    out.append(_case(N_("non-budget share, target year"), "% of GERD", "nonstate_share_target_pct", floor, t_hi, basis))
    budget = rd_paths.budget_range(r, data, path)
    basis = partial(budget_basis, budget["years"], budget["next_year"])
    out.append(
        _case(N_("budget expenditure"), "% of GDP", "budget_exp_pct_gdp", budget["low"], budget["high"], basis, 1)
    )
    e_lo = round(float(ev.rd_fraction.low) * 100, 1)
    e_basis = N_(
        "low: the R&D share of state S&T spending (2011 survey, before its change in coverage of 2011-13); high: "
        "the whole envelope"
    )
    out.append(
        Case(
            N_("R&D share of the envelope"),
            "% of the envelope",
            {"envelope_rd_share_pct": e_lo},
            {"envelope_rd_share_pct": 100.0},
            lambda: (fmt.num(e_lo, 1), fmt.num(100.0, 0), _(e_basis)),
        )
    )
    g_hi = ev.official_growth_target_pct or 10.0
    basis = partial(
        _,
        N_(
            "low: about the low end of 2014-2024 outside the pandemic; high: the National Assembly's target for "
            "2026 (Resolution 244/2025/QH15), held to the target year"
        ),
    )
    out.append(_case(N_("real GDP growth"), "% a year", "real_gdp_growth_pct", 5.0, g_hi, basis))
    means = observed.driver_means(data.gdp_table)  # low: the WDI years' mean, high: the GSO years'
    for assumption, field, column, basis in (
        (N_("inflation (GDP deflator)"), "gdp_deflator_pct", "deflator_pct", DRIVER_BASIS),
        (N_("exchange rate (VND depreciation)"), "vnd_depreciation_pct", "vnd_depreciation_pct", DRIVER_BASIS_FX),
    ):
        d_lo, d_hi = (float(v) for v in means[column])
        out.append(_case(assumption, "% a year", field, d_lo, d_hi, partial(driver_basis, basis), 1))
    return out


def driver_basis(text: str) -> str:
    """A GDP-driver case's basis (``text``) in the current language, naming :data:`observed.DRIVER_WINDOWS`."""
    (wdi_first, wdi_last), (gso_first, gso_last) = observed.DRIVER_WINDOWS
    return _(text).format(wdi_first=wdi_first, wdi_last=wdi_last, gso_first=gso_first, gso_last=gso_last)


def budget_basis(years: list[int], next_year: int | None) -> str:
    """Where :func:`rd_paths.budget_range` takes its range from, in the current language."""
    shown = ", ".join(fmt.year(y) for y in years)
    if next_year is None:
        return _("budget over official GDP, {years}").format(years=shown)
    return _("budget over official GDP, {years}; high: the {next} estimate over projected {next} GDP").format(
        years=shown, next=fmt.year(next_year)
    )


def sensitivity_table(r: RdResolved, data: RdData, varied: list[Case] | None = None) -> pd.DataFrame:
    """One row per assumption with its low and high value and the outputs each gives (``varied``: r's :func:`cases`)."""
    ctx, base = rd_paths.engine_inputs(r)  # the scenario as resolved, not resolved again
    cs = cases(r, data) if varied is None else varied
    n = 1 + 2 * len(cs)
    batch = {k: np.array(v) for k, v in engine.as_arrays(base, n)[0].items()}  # one row per case end, writable
    for i, c in enumerate(cs):
        for j, over in ((1 + 2 * i, c.low), (2 + 2 * i, c.high)):
            for k, v in over.items():
                batch[k][j] = v
    res = engine.evaluate(ctx, batch, workers=1)
    rows = []
    for i, c in enumerate(cs):
        lo, hi = res.iloc[1 + 2 * i], res.iloc[2 + 2 * i]
        row = {"assumption": c.assumption, "unit": c.unit, "low value": c.low_label, "high value": c.high_label}
        for key in OUTPUTS:
            row[f"{key} at low"] = float(lo[key])
            row[f"{key} at high"] = float(hi[key])
        row["swing_gerd_growth_pp"] = abs(float(hi["gerd_nominal_cagr_pct"]) - float(lo["gerd_nominal_cagr_pct"]))
        row["swing_envelope_pp"] = abs(
            float(hi["state_gerd_pct_envelope_target"]) - float(lo["state_gerd_pct_envelope_target"])
        )
        row["basis"] = c.basis
        rows.append(row)
    out = pd.DataFrame(rows)
    out.attrs["central"] = {key: float(res.iloc[0][key]) for key in OUTPUTS}
    return out.sort_values(
        ["swing_gerd_growth_pp", "swing_envelope_pp"], ascending=False, kind="mergesort"
    ).reset_index(drop=True)
