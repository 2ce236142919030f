"""Sample values of every rd_paths parameter the sweep varies (``analysis.reports.rd_sweep.PARAM_NAMES``, the
spec's parameters less the presentation ones), the one table the sweep and API tests draw from.

Each value is allowed on its own; some are refused together (a target year before a year of a growth mapping, a
base share ten times the target, a base year no series covers with the ministry's). The first two of each are
swept together, four parameters at a time in the spec's order, in ``test_sweep.EVERY_PARAMETER_SWEPT``: none of
those scenarios is refused. A new parameter fails ``test_sweep.test_every_parameter_has_values_here`` until it
has values here.
"""

from __future__ import annotations

VALUES: dict[str, list] = {
    "base_year": [2024, 2025, 2020, 2023],
    "base_share_pct": [None, 0.5, 1.2],
    "nowcast_level": ["low", "high", "central"],
    "gerd_series": ["uis", "ministry"],
    "target_share_pct": [1.5, 3.0, 0.05, 2.0],
    "target_gdp_basis": ["revised", "pre_revision"],
    "gdp_revision_uplift_pct": [None, 30.0, 20.0],
    "target_year": [2030, 2035, 2028],
    "path_shape": ["logistic", "back_loaded", "linear", "geometric"],
    "logistic_steepness": [4.0, 12.0, 8.0],
    "back_loaded_exponent": [1.5, 3.0, 2.0],
    "real_gdp_growth_pct": [5.0, 8.0, {2027: 7.0, 2029: 5.0}],
    "gdp_deflator_pct": [2.0, 4.0],
    "vnd_depreciation_pct": [0.0, 3.0],
    "use_observed_gdp": [True, False],
    "nonstate_share_base_pct": [None, 75.0, 40.0],
    "nonstate_share_target_pct": [None, 70.0, 50.0],
    "budget_exp_pct_gdp": [None, 25.0, 18.0],
    "science_budget_share_pct": [3.0, {2026: 3.0, 2028: 5.0}, 4.5],
    "envelope_rd_share_pct": [10.0, 40.0, None],
}
