"""The vectorised scenario engine: 1,000,000 rd_paths scenarios over 2023-2030, and the speed-up
over evaluating the same scenarios one at a time through the single-scenario API.

Run: .venv/bin/python benchmarks/bench_engine.py   (or make bench)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from _common import header, median_time, verdict  # noqa: E402
from analysis.models import engine  # noqa: E402
from analysis.models.rd_model import RdInputs, rd_path, rd_summary  # noqa: E402
from analysis.reports import params
from analysis.reports.rd_paths import context_for  # noqa: E402

N = 1_000_000
N_SINGLE = 2_000  # the one-at-a-time loop is timed on a sample and scaled


def main() -> None:
    header("scenario engine")
    ctx, base = context_for(params.validate("rd_paths", {"base_year": 2023}))  # 2023-2030, as the README figures
    rng = np.random.default_rng(0)
    batch = dict(
        base,
        target_share_pct=rng.uniform(1, 3, N),
        path_shape=rng.integers(0, 4, N),
        real_gdp_growth_pct=rng.uniform(3, 10, N),
        nonstate_share_target_pct=rng.uniform(40, 80, N),
    )
    med, times = median_time(lambda: engine.evaluate(ctx, batch), repeat=7)
    print(
        f"   {N:,} scenarios x {len(ctx.years)} years ({ctx.base_year}-{ctx.target_year}), median of {len(times)}: "
        + verdict(med, 0.5)
    )

    shapes = list(engine.SHAPE_CODES)
    m = len(ctx.observed_real_growth_pct)
    t = time.perf_counter()
    for i in range(N_SINGLE):
        g = float(batch["real_gdp_growth_pct"][i])
        inp = RdInputs(
            ctx.base_year,
            ctx.target_year,
            float(base["base_share_pct"]),
            float(batch["target_share_pct"][i]),
            shapes[int(batch["path_shape"][i])],
            ctx.base_gdp_vnd_bn,
            ctx.base_vnd_per_usd,
            (0.0, *ctx.observed_real_growth_pct, *[g] * (len(ctx.years) - 1 - m)),
            (0.0, *ctx.observed_deflator_pct, *[base["gdp_deflator_pct"]] * (len(ctx.years) - 1 - m)),
            (0.0, *ctx.observed_depreciation_pct, *[base["vnd_depreciation_pct"]] * (len(ctx.years) - 1 - m)),
            base["nonstate_share_base_pct"],
            float(batch["nonstate_share_target_pct"][i]),
            base["budget_exp_pct_gdp"],
            base["science_budget_share_pct"],
        )
        rd_summary(rd_path(inp))
    per = (time.perf_counter() - t) / N_SINGLE
    print(f"   single-scenario API: {per * 1e3:.3f} ms per scenario ({N_SINGLE:,} timed) -> {per * N:,.0f} s for {N:,}")
    speedup = per * N / med
    print(f"   speed-up: {speedup:,.0f}x (target >= 100x: {'met' if speedup >= 100 else 'NOT met'})")


if __name__ == "__main__":
    main()
