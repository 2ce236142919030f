# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     notebook_metadata_filter: voila
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (r57)
#     language: python
#     name: r57
#   voila:
#     template: r57-explorer
# ---

# %%
from analysis.run.explore_ui import ExplorerUI

ExplorerUI().show()  # English or Vietnamese: the page's selector; R57_LANG=vi starts in Vietnamese
