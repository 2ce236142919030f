"""Structural benchmark: the R&D intensity a country's income level predicts.

Model (statsmodels OLS): log(GERD % of GDP) = a + b log(GDP per capita, current USD)
[+ c log(GDP per capita)^2] + year effects + e, standard errors clustered by country
(each country contributes many correlated years). The log-log form gives an elasticity (b, or
b + 2c log(income) at an income level in the quadratic form),
keeps predictions positive and matches the strong curvature of R&D intensity in income;
year effects absorb global shifts (and the USD price level, since income is in current
dollars). Predictions for a future year use the latest well-covered year's effect.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.errors import ParameterError

MIN_COUNTRIES_PER_YEAR = 60  # a year effect needs a broad cross-section behind it


@dataclass(frozen=True)
class StructuralFit:
    spec: str
    result: object  # statsmodels RegressionResultsWrapper
    data: pd.DataFrame  # entity, entity_name, year, gerd_pct_gdp, gdp_pc_usd, log_gerd, log_gdppc
    reference_year: int  # whose year effect future predictions use

    def elasticity(self, gdp_pc_usd: float) -> float:
        """Income elasticity of R&D intensity at an income level (USD per person).

        d log(share) / d log(income) = b1 (+ 2 b2 log(income) in the log-quadratic form); the
        log-linear form has one slope at every income.
        """
        return elasticity_at(self.result.params, gdp_pc_usd)


def elasticity_at(params, gdp_pc_usd: float) -> float:
    """b1 + 2 b2 log(income): the slope of log share in log income at ``gdp_pc_usd``."""
    b2 = float(params["lgdp2"]) if "lgdp2" in params else 0.0
    return float(params["log_gdppc"]) + 2.0 * b2 * float(np.log(gdp_pc_usd))


def build_panel(gerd: pd.DataFrame, gdppc: pd.DataFrame, first_year: int = 1996) -> pd.DataFrame:
    """Join country panels (entity, entity_name, year, value) of GERD % and GDP per capita."""
    g = gerd.rename(columns={"value": "gerd_pct_gdp"})
    y = gdppc[["entity", "year", "value"]].rename(columns={"value": "gdp_pc_usd"})
    d = g.merge(y, on=["entity", "year"], how="inner")
    d = d[(d["year"] >= first_year) & (d["gerd_pct_gdp"] > 0) & (d["gdp_pc_usd"] > 0)].copy()
    d["log_gerd"] = np.log(d["gerd_pct_gdp"])
    d["log_gdppc"] = np.log(d["gdp_pc_usd"])
    return d.reset_index(drop=True)


def fit(panel: pd.DataFrame, quadratic: bool = False) -> StructuralFit:
    """Fit the benchmark with year effects and country-clustered standard errors."""
    import statsmodels.formula.api as smf  # here, not at import: see backtest._forecast

    counts = panel.groupby("year")["entity"].nunique()
    well = counts[counts >= MIN_COUNTRIES_PER_YEAR]
    if well.empty or panel["entity"].nunique() < 20:
        raise ParameterError("structural", "too few countries to fit the benchmark", "a panel of 20+ countries")
    data = panel[panel["year"].isin(well.index)].copy()
    data["lgdp2"] = data["log_gdppc"] ** 2
    spec = "log_gerd ~ log_gdppc" + (" + lgdp2" if quadratic else "") + " + C(year)"
    groups = pd.factorize(data["entity"])[0]
    res = smf.ols(spec, data=data).fit(cov_type="cluster", cov_kwds={"groups": groups})
    return StructuralFit(spec=spec, result=res, data=data, reference_year=int(well.index.max()))


def predict_share(
    sf: StructuralFit, gdp_pc_usd: float | np.ndarray, year: int | None = None, interval_pct: float = 80.0
) -> pd.DataFrame:
    """Predicted GERD % of GDP at an income level, with the mean's confidence interval and a
    prediction interval for one country (both from the log scale, exponentiated).

    ``year`` outside the sample uses the reference year's effect.
    """
    from scipy import stats

    year = year if year in set(sf.data["year"]) else sf.reference_year
    x = np.atleast_1d(np.asarray(gdp_pc_usd, dtype=float))
    new = pd.DataFrame({"log_gdppc": np.log(x), "year": year})
    new["lgdp2"] = new["log_gdppc"] ** 2
    alpha = 1 - interval_pct / 100
    pr = sf.result.get_prediction(new).summary_frame(alpha=alpha)
    # Prediction interval: parameter uncertainty (cluster-robust) plus residual variance.
    resid_var = float(sf.result.mse_resid)
    se_obs = np.sqrt(pr["mean_se"].to_numpy() ** 2 + resid_var)
    z = stats.t.ppf(1 - alpha / 2, df=sf.result.df_resid)
    mean = pr["mean"].to_numpy()
    return pd.DataFrame(
        {
            "gdp_pc_usd": x,
            "share_pct": np.exp(mean),
            "mean_lo_pct": np.exp(pr["mean_ci_lower"].to_numpy()),
            "mean_hi_pct": np.exp(pr["mean_ci_upper"].to_numpy()),
            "pred_lo_pct": np.exp(mean - z * se_obs),
            "pred_hi_pct": np.exp(mean + z * se_obs),
        }
    )


def residual(sf: StructuralFit, entity: str, year: int) -> float | None:
    """Observed minus predicted log share for ``entity`` in ``year`` (None if not in the sample)."""
    row = sf.data[(sf.data["entity"] == entity) & (sf.data["year"] == year)]
    if row.empty:
        return None
    return float(sf.result.resid.loc[row.index[0]])


def diagnostics(sf: StructuralFit, gdp_pc_usd: float) -> dict[str, float | int | str]:
    """Fit measures, one value each; the income elasticity (and its 95% CI) is the one at ``gdp_pc_usd``
    (Viet Nam's income), not the linear coefficient, which is the elasticity at USD 1 a person."""
    r = sf.result
    weights = pd.Series(0.0, index=r.params.index)
    weights["log_gdppc"] = 1.0
    if "lgdp2" in r.params:
        weights["lgdp2"] = 2.0 * float(np.log(gdp_pc_usd))
    ci = r.t_test(weights.to_numpy()[None, :]).conf_int(alpha=0.05)[0]
    out = {
        "specification": sf.spec,
        "observations": int(r.nobs),
        "countries": int(sf.data["entity"].nunique()),
        "first year": int(sf.data["year"].min()),
        "last year": int(sf.data["year"].max()),
        "income elasticity at Viet Nam's income": sf.elasticity(gdp_pc_usd),
        "elasticity 95% CI, low": float(ci[0]),
        "elasticity 95% CI, high": float(ci[1]),
        "R-squared": float(r.rsquared),
        "residual s.d. (log points)": float(np.sqrt(r.mse_resid)),
        "AIC": float(r.aic),
    }
    if "lgdp2" in r.params:
        out["squared term"] = float(r.params["lgdp2"])
        out["squared term p-value"] = float(r.pvalues["lgdp2"])
    return out


def choose(linear: StructuralFit, quadratic: StructuralFit, spec: str = "aic") -> tuple[StructuralFit, StructuralFit]:
    """(headline, alternative) for ``spec``: ``log_linear``, ``log_quadratic`` or ``aic``, the form with the lower
    AIC (the criterion the growth model chooses its order by; the log-linear form on a tie)."""
    if spec == "aic":
        spec = "log_quadratic" if float(quadratic.result.aic) < float(linear.result.aic) else "log_linear"
    if spec not in ("log_linear", "log_quadratic"):
        raise ParameterError("structural_spec", f"{spec!r} is not a benchmark form", "aic, log_linear or log_quadratic")
    return (linear, quadratic) if spec == "log_linear" else (quadratic, linear)
