"""Monte Carlo of the feasibility report: 100,000 GDP growth paths to 2030 (fitted with statsmodels,
simulated with numpy) through the GDP arithmetic, against statsmodels' own simulate().

Run: .venv/bin/python benchmarks/bench_montecarlo.py   (or make bench)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import header, median_time, verdict  # noqa: E402
from analysis.data import observed  # noqa: E402
from analysis.models import growth_sim  # noqa: E402
from analysis.models.growth_sim import simulate_gdp  # noqa: E402
from analysis.reports import params  # noqa: E402
from analysis.reports.rd_paths import RdData, resolve  # noqa: E402

N = 100_000


def main() -> None:
    header("Monte Carlo of GDP growth")
    data = RdData.load()
    rd = resolve(params.validate("rd_paths", {}), data)
    hist = observed.gdp_table(data.gdp)["real_growth_pct"].loc[2000:]
    model = growth_sim.fit_growth_model(hist, order=1)  # AR(1): the case with state to carry
    horizon = rd.inputs.target_year - (
        rd.inputs.observed_years[-1] if rd.inputs.observed_years else rd.inputs.base_year
    )
    med, times = median_time(lambda: simulate_gdp(rd.inputs, model, N, seed=1), repeat=7)
    print(
        f"   {N:,} AR(1) paths, {horizon} simulated years + GDP/GERD arithmetic, median of {len(times)}: "
        + verdict(med, 0.25)
    )
    t = time.perf_counter()
    model.result.simulate(horizon, repetitions=N, anchor="end")
    print(f"   statsmodels simulate(repetitions={N:,}) for comparison: {time.perf_counter() - t:.2f} s")
    ours = growth_sim.simulate_growth(model, horizon, N, seed=2)
    print(
        f"   check: mean growth in the last year {ours[:, -1].mean():.3f}% (model mean {model.mean_pct:.3f}%), "
        f"s.d. {ours[:, -1].std():.3f}"
    )


if __name__ == "__main__":
    main()
