# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (r57)
#     language: python
#     name: r57
# ---

# %% [markdown]
# # R&D path explorer
#
# Move a control and the R&D share path, the spending by who pays, the budget-envelope test, the key figures and the two-way map follow at once (the vectorised engine, no report run). Every control is a parameter of the `rd_paths` report, checked exactly as `r57 run rd_paths` checks it; *Save as scenario* writes `scenarios/<name>.yaml`, which `make reports` publishes. This notebook is not a report: `r57 run-all` does not run it. As a standalone page: `make explore`.

# %%
from analysis.run.explore_ui import ExplorerUI

ExplorerUI().show()
