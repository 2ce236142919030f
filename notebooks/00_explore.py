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

# %%
from analysis.run.explore_ui import ExplorerUI

ExplorerUI().show()  # English or Vietnamese: the page's selector; R57_LANG=vi starts in Vietnamese
