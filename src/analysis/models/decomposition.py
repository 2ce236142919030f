"""Where the required growth of R&D spending comes from: two exact log decompositions.

GERD = GDP x intensity, and GDP (current VND) = real GDP x price level, so over any span

    ln(GERD_T / GERD_0) = ln(real GDP ratio) + ln(price ratio) + ln(intensity ratio)

and, with researchers R = density (per million people) x population / 1e6 and spending per
researcher S = GERD / R,

    ln(GERD_T / GERD_0) = ln(population ratio) + ln(density ratio) + ln(real S ratio) + ln(price ratio).

Log growth adds exactly; annual rates in % are exp(log points / years) - 1 and do not add.
Researchers are full-time-equivalent researchers (UNESCO UIS via WDI SP.POP.SCIE.RD.P6); the
Resolution's "12 per 10,000 people" does not state the basis (see the rd_feasibility report).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.errors import ParameterError


def log_rate(start: float, end: float, years: float) -> float:
    """Average log growth per year (log points, 0.1 = about 10.5%)."""
    if start <= 0 or end <= 0 or years <= 0:
        raise ParameterError(
            "decomposition", f"log growth needs positive levels and years (got {start}, {end}, {years})"
        )
    return float(np.log(end / start) / years)


def pct(log_points: float) -> float:
    """Annual log growth as a compound rate in %."""
    return float(np.expm1(log_points) * 100.0)


TOTAL = "gerd"  # the row each decomposition's parts add up to: R&D spending (GERD, current VND)


def decompose(
    years: float,
    gdp_real_ratio: float,
    price_ratio: float,
    share_ratio: float,
    population_ratio: float,
    density_ratio: float,
) -> pd.DataFrame:
    """Both decompositions of GERD growth over ``years`` from ratios (end / start) of each factor.

    Rows: decomposition (``gdp_x_intensity`` or ``researchers_x_spending``: researchers x spending per
    researcher), component (a code; :data:`TOTAL` the total), log_points_per_year, pct_per_year,
    share_of_total_pct (of the total log growth). The components of each decomposition add up to the total row
    exactly in log points.
    """
    total = np.log(gdp_real_ratio * price_ratio * share_ratio)
    spr_real_ratio = gdp_real_ratio * share_ratio / (population_ratio * density_ratio)
    parts = {
        "gdp_x_intensity": [("real_gdp", gdp_real_ratio), ("gdp_prices", price_ratio), ("intensity", share_ratio)],
        "researchers_x_spending": [
            ("population", population_ratio),
            ("researcher_density", density_ratio),
            ("real_spending_per_researcher", spr_real_ratio),
            ("gdp_prices", price_ratio),
        ],
    }
    rows = []
    for dec, components in parts.items():
        for comp, log_ratio in [(c, np.log(r)) for c, r in components] + [(TOTAL, total)]:
            lp = float(log_ratio / years)
            share = 100.0 if comp == TOTAL else float(log_ratio / total * 100.0) if total != 0 else float("nan")
            rows.append((dec, comp, lp, pct(lp), share))
    columns = ["decomposition", "component", "log_points_per_year", "pct_per_year", "share_of_total_pct"]
    return pd.DataFrame(rows, columns=columns)


def density_path(
    observed: pd.Series, base_year: int, target_year: int, target_value: float, target_by: int, trend_years: int
) -> pd.DataFrame:
    """Researchers per million people, year by year from the last observation to ``target_year``.

    A base year between two surveys gets a log-linear interpolation (an *estimate*). Years up to
    ``base_year`` after the last observation are an *estimate* too: the last observation grown at its trend (average log growth over the observations of the last ``trend_years``
    years). From the base year the path is *required*: constant growth to ``target_value`` in
    ``target_by``, flat after it (the Resolution's level held). Columns: year, value, status.
    """
    observed = observed.dropna().sort_index()
    if observed.empty:
        raise ParameterError("researchers", "no observation of researchers per million")
    last_y, last_v = int(observed.index.max()), float(observed.iloc[-1])
    window = observed[observed.index >= last_y - trend_years]
    if len(window) < 2:
        raise ParameterError(
            "researchers_trend_years",
            f"fewer than two observations in the {trend_years} years to {last_y}",
            "a longer trend window",
        )
    trend = log_rate(float(window.iloc[0]), last_v, int(window.index[-1] - window.index[0]))
    rows = [{"year": int(y), "value": float(v), "status": "observed"} for y, v in observed.items() if y <= base_year]
    if base_year <= last_y:
        if base_year in observed.index:
            start_v = float(observed.loc[base_year])
        elif base_year < observed.index.min():
            raise ParameterError(
                "base_year",
                f"researchers per million start in {int(observed.index.min())}",
                f"{int(observed.index.min())} or later",
            )
        else:  # between two surveys: log-linear interpolation, an estimate
            start_v = float(
                np.exp(
                    np.interp(base_year, observed.index.to_numpy(dtype=float), np.log(observed.to_numpy(dtype=float)))
                )
            )
            rows.append({"year": base_year, "value": start_v, "status": "estimate"})
        start_y = base_year
    else:
        for y in range(last_y + 1, base_year + 1):
            rows.append({"year": y, "value": last_v * float(np.exp(trend * (y - last_y))), "status": "estimate"})
        start_y, start_v = base_year, rows[-1]["value"]
    end_by = max(target_by, start_y + 1)
    g = log_rate(start_v, target_value, end_by - start_y) if target_value > 0 else 0.0
    for y in range(start_y + 1, target_year + 1):
        v = start_v * float(np.exp(g * (min(y, end_by) - start_y)))
        rows.append({"year": y, "value": v, "status": "required"})
    return pd.DataFrame(rows).drop_duplicates("year", keep="last").sort_values("year").reset_index(drop=True)


def history_rates(
    gerd_vnd: pd.Series, density: pd.Series, population: pd.Series, deflator_index: pd.Series, first: int, last: int
) -> dict[str, float]:
    """Average annual growth (%) between two observed years of researchers per person, researchers,
    R&D spending (current VND) and real spending per researcher."""
    n = last - first
    researchers = density * population / 1e6
    spr_real = gerd_vnd / researchers / deflator_index
    return {
        "years": f"{first}-{last}",
        "density_pct": pct(log_rate(density[first], density[last], n)),
        "researchers_pct": pct(log_rate(researchers[first], researchers[last], n)),
        "gerd_vnd_pct": pct(log_rate(gerd_vnd[first], gerd_vnd[last], n)),
        "real_spending_per_researcher_pct": pct(log_rate(spr_real[first], spr_real[last], n)),
        "researchers_first": float(researchers[first]),
        "researchers_last": float(researchers[last]),
    }


def population_path(observed: pd.Series, to_year: int, growth_pct: float) -> dict[int, float]:
    """People by year: the observations, then the last one grown ``growth_pct`` % a year to ``to_year``."""
    last = int(observed.index.max())
    out = {int(y): float(v) for y, v in observed.items()}
    out |= {y: float(observed[last]) * (1 + growth_pct / 100) ** (y - last) for y in range(last + 1, to_year + 1)}
    return out


# the units (the API's) of the frames researchers_and_spending returns, by frame and column
RESEARCHERS = "researchers (FTE)"
FRAME_UNITS = {
    "decomposition": {
        "log_points_per_year": "log points a year",
        "pct_per_year": "% a year",
        "share_of_total_pct": "% of the total",
    },
    "researchers": {"value": "researchers per million people", "population": "people", "researchers": RESEARCHERS},
    "spending_per_researcher": {
        "researchers": RESEARCHERS,
        "mn_vnd_per_researcher": "million current VND",
        "mn_vnd_per_researcher_base_prices": "million VND at base-year prices",
    },
}


def researchers_and_spending(
    path: pd.DataFrame,
    density_observed: pd.Series,
    population_observed: pd.Series,
    gerd_vnd_observed: pd.Series,
    deflator_index: pd.Series,
    *,
    population_growth_pct: float,
    target_per_million: float,
    target_by: int,
    trend_years: int,
) -> dict[str, object]:
    """Researchers (observed, estimated, required), the two decompositions of the required growth of
    ``path`` (a year-indexed R&D path: ``real_index``, ``price_index``, ``share_pct``, ``gerd_vnd_bn``),
    the history they are compared with, and spending per researcher year by year.

    Parameters
    ----------
    density_observed, population_observed, gerd_vnd_observed, deflator_index : pandas.Series
        Year-indexed researchers per million, people, R&D spending (bn current VND) and a GDP price index.
    population_growth_pct : float
        Growth of the population after its last observation, % a year.
    target_per_million, target_by, trend_years
        As :func:`density_path`.

    Returns
    -------
    dict
        ``decomposition`` (:func:`decompose`), ``researchers`` (:func:`density_path` with population and
        researchers), ``history`` (:func:`history_rates` over the surveys of the trend window, empty with
        fewer than two), ``spending_per_researcher`` (year, gerd_vnd_bn, researchers, price_index
        (base year = 1), status, mn_vnd_per_researcher, mn_vnd_per_researcher_base_prices), and the
        numbers of researchers and spending per researcher (million VND) in the base and last years.
    """
    base, last = int(path.index[0]), int(path.index[-1])
    pop = population_path(population_observed, last, population_growth_pct)
    dens = density_path(density_observed, base, last, target_per_million, target_by, trend_years)
    dens["population"] = dens["year"].map(pop)
    dens["researchers"] = dens["value"] * dens["population"] / 1e6
    on_path = dens.set_index("year").loc[base:last]
    b, t = path.iloc[0], path.iloc[-1]
    decomp = decompose(
        last - base,
        t["real_index"] / b["real_index"],
        t["price_index"] / b["price_index"],
        t["share_pct"] / b["share_pct"],
        pop[last] / pop[base],
        on_path.loc[last, "value"] / on_path.loc[base, "value"],
    )
    researchers_base, researchers_target = (float(on_path.loc[y, "researchers"]) for y in (base, last))
    # history: the surveys in the trend window that have every series
    first_survey = int(density_observed.index.max()) - trend_years
    common = set(gerd_vnd_observed.index) & set(population_observed.index) & set(deflator_index.index)
    hist = [int(y) for y in density_observed.index if y >= first_survey and y in common]
    history = (
        history_rates(gerd_vnd_observed, density_observed, population_observed, deflator_index, hist[0], hist[-1])
        if len(hist) >= 2
        else {}
    )
    # spending per researcher: the observed survey years before the base year, then the path
    base_price = float(deflator_index.get(base, np.nan))
    observed = pd.DataFrame({"year": [y for y in hist if y < base]}, dtype=int)
    observed["gerd_vnd_bn"] = observed["year"].map(gerd_vnd_observed)
    observed["researchers"] = observed["year"].map(lambda y: density_observed[y] * population_observed[y] / 1e6)
    observed["price_index"] = observed["year"].map(lambda y: deflator_index.get(y, np.nan) / base_price)
    observed["status"] = "observed"
    base_status = "observed" if on_path.loc[base, "status"] == "observed" else "estimate"
    spr = pd.concat(
        [
            observed,
            pd.DataFrame(
                {
                    "year": path.index.astype(int),
                    "gerd_vnd_bn": path["gerd_vnd_bn"].to_numpy(),
                    "researchers": on_path["researchers"].reindex(path.index).to_numpy(),
                    "price_index": (path["price_index"] / path["price_index"].iloc[0]).to_numpy(),
                    "status": [base_status if y == base else "required" for y in path.index],
                }
            ),
        ],
        ignore_index=True,
    )
    spr["mn_vnd_per_researcher"] = spr["gerd_vnd_bn"] * 1e3 / spr["researchers"]
    spr["mn_vnd_per_researcher_base_prices"] = spr["mn_vnd_per_researcher"] / spr["price_index"]
    return {
        "decomposition": decomp,
        "researchers": dens,
        "history": history,
        "spending_per_researcher": spr,
        "researchers_base": researchers_base,
        "researchers_target": researchers_target,
        "spr_base": float(b["gerd_vnd_bn"]) * 1e3 / researchers_base,  # million VND per researcher
        "spr_target": float(t["gerd_vnd_bn"]) * 1e3 / researchers_target,
    }
