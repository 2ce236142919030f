"""A small Vietnamese report page built without a kernel, for the font, browser and PDF tests.

Until every report is translated this gives those tests Vietnamese text of their own: a Markdown cell
with the Resolution's wording, a matplotlib chart with Vietnamese title, axis labels and decimal
tick labels, a table and the provenance footer, exported by the same ``export_html`` as every report.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib
import pandas as pd
from matplotlib.figure import Figure
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from analysis import i18n
from analysis.reports import render
from analysis.run.runner import export_html

SENTENCE = "Nghị quyết 57-NQ/TW: tổng chi quốc gia cho nghiên cứu và phát triển đạt 2% GDP"
CHART_TITLE = "Tổng chi quốc gia cho R&D, % GDP"
TITLE = "Báo cáo thử: lộ trình chi cho nghiên cứu và phát triển"


# the house style's settings that matter here, within a test (render.setup_plotting would set them for the
# whole test process)
CHART_RC = {"svg.fonttype": "none", "svg.hashsalt": "r57", "axes.titleweight": "bold"}


def build(folder: Path) -> Path:
    """Write ``folder/report.html`` (a Vietnamese page) and return its path."""
    shown: list[str] = []
    real = render._display_html
    render._display_html = shown.append
    try:
        with i18n.language("vi"), matplotlib.rc_context(CHART_RC):
            report = render.Report()
            fig = Figure(figsize=(6, 3.2), layout="constrained")
            ax = fig.add_subplot()
            ax.plot([2023, 2025, 2030], [0.41, 0.44, 2.0], marker="o", label="Lộ trình cần đạt")
            ax.set_title(CHART_TITLE)
            ax.set_xlabel("Năm")
            ax.set_ylabel("% GDP")
            ax.legend(title="Kịch bản cơ sở")
            report.figure(
                fig,
                chart_id="vi-chart",
                title=CHART_TITLE,
                alt="Biểu đồ đường: tỷ lệ chi cho nghiên cứu và phát triển tăng từ 0,41% GDP năm 2023 lên 2% năm 2030",
                source="Cục Thống kê; Bộ Khoa học và Công nghệ",
            )
            table = pd.DataFrame({"Chỉ tiêu": ["Tổng chi cho R&D", "Khu vực ngoài nhà nước"], "Giá trị": [0.41, 79.3]})
            report.table(
                table,
                table_id="vi-table",
                title="Các chỉ tiêu chính",
                source="Tổng cục Thống kê",
                index=False,
                formats={"Giá trị": i18n.fmt.pct},
            )
            report.footer(
                {"lang": "vi", "target_year": 2030},
                {
                    "code_version": {"package": "0.0", "commit": "abc1234", "dirty": False},
                    "run_at_utc": "2026-11-23T12:00:00",
                    "data_manifest_version": "1",
                    "libraries": {"pandas": "2"},
                    "data_versions": {"vn_gdp.csv": "0123456789ab"},
                },
                {"vn_gdp.csv": "GDP của Việt Nam, giá hiện hành"},
            )
    finally:
        render._display_html = real
    nb = new_notebook()
    nb.cells.append(new_markdown_cell(f"# {TITLE}\n\n{SENTENCE}. *Ước tính* cho năm 2025; **mục tiêu** năm 2030."))
    cell = new_code_cell("pass")
    cell.outputs = [new_output("display_data", data={"text/html": html}) for html in shown]
    nb.cells.append(cell)
    folder.mkdir(parents=True, exist_ok=True)
    page = folder / "report.html"
    page.write_text(export_html(nb, TITLE, "vi"), encoding="utf-8")
    return page
