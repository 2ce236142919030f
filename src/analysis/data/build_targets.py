"""Data for the Resolution 57 targets tracker (issue 14): built into ``data/raw/`` by ``r57 data build``.

From ``shared/reference/targets/``:

- ``r57_targets.csv``: the 23 quantitative targets as written (Vietnamese wording, English gloss,
  where the wording was read), one row per target in the tidy format plus five target columns.
- ``vn_r57_indicators.csv``: every measured value the compiler found for those targets (Viet Nam and
  peers), with sources; "not found" rows stay as ``not_found`` with the reason in ``source_detail``.
  A value for a period ("2016-2019") becomes indicator ``<name>_period`` with the period's first year.
- ``wdi_*.csv`` for six World Bank series (patents, journal articles, high-technology and merchandise
  exports), all economies, refreshed by ``r57 data refresh`` like the other WDI files.

:data:`BUILDERS` says how each file is built; ``build_raw`` adds them to its own. What the manifest says of
each file is in ``datasets.yaml``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.data.schema import RAW_COLUMNS
from analysis.data.wdi import read_api_wide_csv, read_bulk_csv
from analysis.errors import DataError

TARGET_EXTRA_COLUMNS = ["target_id", "text_vi", "text_en", "comparator", "text_provenance"]
# added from WORDING.md (issue 23): the section of the Resolution, its comparator word as written, whether the wording
# was confirmed on an official or press copy or only in a transcription, and the Government documents quantifying it
WORDING_COLUMNS = ["section", "comparator_vi", "wording_status", "government_docs"]
TARGET_COLUMNS = RAW_COLUMNS + TARGET_EXTRA_COLUMNS + WORDING_COLUMNS

REF = "targets"
WORDING_FILE = f"{REF}/WORDING.md"
S1 = (
    "Resolution 57-NQ/TW section II as transcribed in github.com/thetrungdtt/VNMasterplan NQ07/bangoc.md "
    "(commit 928e4c9, 2025-01-12), WORDING.md S1"
)
S1_URL = "https://github.com/thetrungdtt/VNMasterplan/blob/928e4c9ffd287ff80548a76f3d2ee5497f892ac8/NQ07/bangoc.md"
NQ03 = "NQ 03/NQ-CP (9 Jan 2025) Phụ lục I row {row}: {value} (transcription, WORDING.md S6)"

# WORDING.md section 7 (corrections to targets.csv) and section 3 (section, comparator word, confirmation), by id:
# text_vi (None: keep), text_en (None: keep), comparator (None: keep), section, comparator_vi, wording_status,
# government_docs, text_provenance (None: keep)
WORDING: dict[str, tuple] = {
    "T01a": (
        None,
        None,
        None,
        "II.1",
        "nhóm 3",
        "confirmed (official: hdll.vn)",
        NQ03.format(row=4, value="≤ 3 Đông Nam Á"),
        S1 + "; hdll.vn",
    ),
    "T01b": (
        None,
        None,
        None,
        "II.1",
        "nhóm 50",
        "confirmed (official: hdll.vn)",
        NQ03.format(row=4, value="≤ 50 Thế giới"),
        S1 + "; hdll.vn",
    ),
    "T01c": (
        None,
        None,
        None,
        "II.1",
        "nhóm 3",
        "confirmed (official: hdll.vn)",
        NQ03.format(row=5, value="≤ 3 Đông Nam Á"),
        S1 + "; hdll.vn",
    ),
    "T01d": (
        None,
        None,
        None,
        "II.1",
        "nhóm 50",
        "confirmed (official: hdll.vn)",
        NQ03.format(row=5, value="≤ 50 Thế giới"),
        S1 + "; hdll.vn",
    ),
    "T02": (
        None,
        None,
        None,
        "II.1",
        "nhóm 3",
        "confirmed (official: hdll.vn)",
        NQ03.format(row=6, value="≤ 3 Đông Nam Á"),
        None,
    ),
    "T03": (
        "Tối thiểu có 5 doanh nghiệp công nghệ số ngang tầm các nước tiên tiến.",
        None,
        None,
        "II.1",
        "tối thiểu",
        "confirmed (S1 and the VNA text)",
        NQ03.format(row=7, value="≥ 5"),
        S1 + "; VNA text (S3)",
    ),
    "T04": (None, None, None, "II.1", "đạt", "confirmed (S1 and commentary)", NQ03.format(row=15, value="2"), None),
    "T05": (
        "trong đó kinh phí từ xã hội chiếm hơn 60%",
        None,
        "more_than",
        "II.1",
        "hơn",
        "transcription only (S1), supported by NQ 03 and MOST wording",
        NQ03.format(row=16, value="> 60"),
        S1,
    ),
    "T06": (
        "bố trí ít nhất 3% tổng chi ngân sách hằng năm cho phát triển khoa học, công nghệ, đổi mới sáng tạo, chuyển đổi số quốc gia và tăng dần theo yêu cầu phát triển",
        None,
        None,
        "II.1",
        "ít nhất",
        "confirmed in substance; punctuation from S1 only",
        NQ03.format(row=17, value="≥ 3% và tăng dần theo yêu cầu phát triển"),
        S1,
    ),
    "T07": (
        "Nguồn nhân lực nghiên cứu khoa học, phát triển công nghệ, đổi mới sáng tạo đạt 12 người trên một vạn dân",
        None,
        None,
        "II.1",
        "đạt",
        "transcription (S1) and the official English translation (Nhân Dân)",
        NQ03.format(row=18, value="12"),
        S1,
    ),
    "T08": (
        "có từ 40 - 50 tổ chức khoa học và công nghệ được xếp hạng khu vực và thế giới",
        None,
        None,
        "II.1",
        "từ 40 - 50",
        "transcription (S1) and the official English translation (Nhân Dân)",
        NQ03.format(row=19, value="40 - 50"),
        S1,
    ),
    "T09": (
        None,
        None,
        None,
        "II.1",
        "tăng trung bình",
        "transcription only (S1)",
        NQ03.format(row=20, value="10"),
        None,
    ),
    "T10": (
        "số lượng đơn đăng ký sáng chế, văn bằng bảo hộ sáng chế tăng trung bình 16 - 18%/năm",
        None,
        None,
        "II.1",
        "tăng trung bình 16 - 18",
        "transcription only (S1)",
        NQ03.format(row=21, value="16 - 18"),
        S1,
    ),
    "T11": (
        "tỉ lệ khai thác thương mại đạt 8 - 10%",
        None,
        None,
        "II.1",
        "đạt 8 - 10",
        "transcription only (S1)",
        NQ03.format(row=22, value="8 - 10"),
        S1,
    ),
    "T12": (
        "Tỉ lệ doanh nghiệp có hoạt động đổi mới sáng tạo đạt trên 40% trong tổng số doanh nghiệp.",
        "share of enterprises with innovation activities above 40%",
        "more_than",
        "II.1",
        "trên",
        "confirmed (official: hdll.vn)",
        NQ03.format(row=13, value="≥ 40"),
        S1 + "; hdll.vn",
    ),
    "T13": (None, None, None, "II.1", "trên", "confirmed (VNA text)", NQ03.format(row=8, value="≥ 55"), None),
    "T14": (None, None, None, "II.1", "tối thiểu", "confirmed (VNA text)", NQ03.format(row=9, value="≥ 50"), None),
    "T15": (
        None,
        None,
        None,
        "II.1",
        "tối thiểu",
        "confirmed (official: hdll.vn)",
        NQ03.format(row=10, value="≥ 30"),
        None,
    ),
    "T16": (
        "Tỉ lệ sử dụng dịch vụ công trực tuyến của người dân và doanh nghiệp đạt trên 80%",
        None,
        "more_than",
        "II.1",
        "trên",
        "confirmed (official: hdll.vn, spelt 'Tỷ lệ')",
        NQ03.format(row="11.1", value="≥ 80") + "; NQ 71/NQ-CP: Bộ Nội vụ plan 'từ 80% trở lên' (press, unconfirmed)",
        S1 + "; hdll.vn",
    ),
    "T17": (
        "Thu hút thêm ít nhất 3 tổ chức, doanh nghiệp công nghệ hàng đầu thế giới đặt trụ sở, đầu tư nghiên cứu, sản xuất tại Việt Nam.",
        "attract at least 3 more leading world technology organisations/enterprises to locate, invest in R&D and produce in Vietnam",
        None,
        "II.1",
        "ít nhất (thêm)",
        "transcription only (S1): UNCONFIRMED (official)",
        NQ03.format(row=25, value="≥ 3"),
        S1,
    ),
    "T18": (
        "Việt Nam có quy mô kinh tế số đạt tối thiểu 50% GDP",
        None,
        None,
        "II.2",
        "tối thiểu",
        "confirmed (official: hdll.vn)",
        NQ03.format(row=36, value="≥ 50"),
        S1 + "; hdll.vn",
    ),
    "T19": (
        "thuộc nhóm 30 nước dẫn đầu thế giới về đổi mới sáng tạo, chuyển đổi số",
        None,
        None,
        "II.2",
        "nhóm 30",
        "confirmed (official: hdll.vn)",
        NQ03.format(row=37, value="≤ 30 (Chỉ số đổi mới sáng tạo toàn cầu)"),
        S1 + "; hdll.vn",
    ),
    "T20": (
        "thuộc nhóm 30 nước dẫn đầu thế giới về đổi mới sáng tạo, chuyển đổi số",
        None,
        None,
        "II.2",
        "nhóm 30",
        "confirmed (official: hdll.vn)",
        "NQ 03/NQ-CP Phụ lục I: no digital-transformation index for 2045 (WORDING.md S6)",
        S1 + "; hdll.vn",
    ),
}

# WORDING.md section 4: the Resolution's quantitative targets missing from targets.csv
NEW_TARGETS: list[dict[str, str]] = [
    {
        "target_id": "T21",
        "text_vi": "giao dịch không dùng tiền mặt đạt 80%",
        "text_en": "cashless transactions reach 80%",
        "indicator": "cashless_transactions_share",
        "target_value": "80",
        "unit": "% of transactions",
        "target_year": "2030",
        "comparator": "at_least",
        "section": "II.1",
        "comparator_vi": "đạt",
        "wording_status": "confirmed (official: hdll.vn)",
        "government_docs": NQ03.format(row=12, value="≥ 80 (Ngân hàng Nhà nước)"),
    },
    {
        "target_id": "T22",
        "text_vi": "đóng góp vào chỉ số phát triển con người (HDI) duy trì trên 0,7",
        "text_en": "the Human Development Index (HDI) maintained above 0.7",
        "indicator": "hdi",
        "target_value": "0.7",
        "unit": "index (0-1)",
        "target_year": "2030",
        "comparator": "more_than",
        "section": "II.1",
        "comparator_vi": "trên",
        "wording_status": "transcription (S1) and the official English translation (Nhân Dân)",
        "government_docs": NQ03.format(row=14, value="> 0,7"),
    },
    {
        "target_id": "T23",
        "text_vi": "Phủ sóng 5G toàn quốc.",
        "text_en": "nationwide 5G coverage",
        "indicator": "coverage_5g_pct_population",
        "target_value": "99",
        "unit": "% of population (NQ 03 operationalisation of 'nationwide')",
        "target_year": "2030",
        "comparator": "at_least",
        "section": "II.1",
        "comparator_vi": "toàn quốc",
        "wording_status": "transcription only (S1): UNCONFIRMED (official)",
        "government_docs": NQ03.format(row="23.4", value="99% dân số"),
    },
    {
        "target_id": "T24",
        "text_vi": "Tỉ lệ doanh nghiệp công nghệ số tương đương các nước phát triển",
        "text_en": "by 2045 the share of digital-technology enterprises equal to developed countries",
        "indicator": "digital_tech_enterprises_per_1000",
        "target_value": "1",
        "unit": "digital-technology enterprises per 1,000 people (NQ 03 operationalisation)",
        "target_year": "2045",
        "comparator": "at_least",
        "section": "II.2",
        "comparator_vi": "tương đương",
        "wording_status": "transcription only (S1): UNCONFIRMED (official)",
        "government_docs": NQ03.format(row=38, value="1 doanh nghiệp/1000 dân")
        + "; NQ 71/NQ-CP may have moved it to 2030 (press, unconfirmed)",
    },
    {
        "target_id": "T25",
        "text_vi": "tối thiểu có 10 doanh nghiệp công nghệ số ngang tầm các nước tiên tiến",
        "text_en": "by 2045 at least 10 digital-technology enterprises on a par with those of advanced countries",
        "indicator": "digital_tech_enterprises_at_par_advanced",
        "target_value": "10",
        "unit": "enterprises",
        "target_year": "2045",
        "comparator": "at_least",
        "section": "II.2",
        "comparator_vi": "tối thiểu",
        "wording_status": "transcription only (S1): UNCONFIRMED (official)",
        "government_docs": NQ03.format(row=39, value="≥ 10"),
    },
    {
        "target_id": "T26",
        "text_vi": "Thu hút thêm ít nhất 5 tổ chức, doanh nghiệp công nghệ hàng đầu thế giới đặt trụ sở, đầu tư nghiên "
        "cứu, sản xuất tại Việt Nam.",
        "text_en": "by 2045 attract at least 5 more leading world technology organisations/enterprises to locate, "
        "invest in R&D and produce in Vietnam",
        "indicator": "global_tech_leaders_hq_rd_in_vn",
        "target_value": "5",
        "unit": "organisations/enterprises",
        "target_year": "2045",
        "comparator": "at_least",
        "section": "II.2",
        "comparator_vi": "ít nhất (thêm)",
        "wording_status": "transcription only (S1): UNCONFIRMED (official)",
        "government_docs": NQ03.format(row=40, value="≥ 5"),
    },
]

# comparator in targets.csv -> qualifier of the target value
COMPARATOR_QUALIFIER = {"top_n": "at_most", "at_least": "at_least", "more_than": "at_least"}

WDI_DIR = f"{REF}/wdi"
NAMES_FILE = "rd/wdi/WDI_NY.GDP.PCAP.CD_20260713.csv"  # economy names for the API pulls (which carry ISO3 only)


def _read(ref_dir: Path, rel: str) -> pd.DataFrame:
    path = Path(ref_dir) / rel
    if not path.exists():
        raise DataError(f"reference file {path} not found; set R57_REFERENCE_DIR to the shared/reference folder")
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _read_text(ref_dir: Path, rel: str) -> str:
    path = Path(ref_dir) / rel
    if not path.exists():
        raise DataError(f"reference file {path} not found; set R57_REFERENCE_DIR to the shared/reference folder")
    return path.read_text(encoding="utf-8")


def build_r57_targets(ref_dir: Path) -> pd.DataFrame:
    """The target list: value = the target (lower bound of a range), year = the target year."""
    ref = _read(ref_dir, f"{REF}/targets.csv")
    _read_text(ref_dir, WORDING_FILE)  # the corrections below come from it: fail when it is gone
    rows = []
    records = []
    for r in ref.to_dict(orient="records"):
        if r["target_id"] not in WORDING:
            raise DataError(f"targets.csv: {r['target_id']} has no entry in the wording corrections (WORDING.md)")
        text_vi, text_en, comp, section, comp_vi, status, docs, prov = WORDING[r["target_id"]]
        r = dict(r) | {
            "text_vi": text_vi or r["text_vi"],
            "text_en": text_en or r["text_en"],
            "comparator": comp or r["comparator"],
            "section": section,
            "comparator_vi": comp_vi,
            "wording_status": status,
            "government_docs": docs,
            "text_provenance": prov or r["text_provenance"],
        }
        records.append(r)
    for r in NEW_TARGETS:
        records.append(r | {"source_url": S1_URL, "text_provenance": S1})
    for r in records:
        comp = r["comparator"]
        qualifier = "range_low" if comp.startswith("between_") else COMPARATOR_QUALIFIER.get(comp)
        if qualifier is None:
            raise DataError(f"targets.csv: unknown comparator {comp!r} for {r['target_id']}")
        rows.append(
            {
                "entity": "VNM",
                "entity_name": "Viet Nam",
                "indicator": r["indicator"],
                "year": int(r["target_year"]),
                "value": float(r["target_value"]),
                "unit": r["unit"],
                "value_type": "target",
                "qualifier": qualifier,
                "source": "Resolution 57-NQ/TW (22 Dec 2024), wording as read in the sources named",
                "source_detail": r["source_url"],
                **{c: r[c] for c in TARGET_EXTRA_COLUMNS + WORDING_COLUMNS},
            }
        )
    out = pd.DataFrame(rows, columns=TARGET_COLUMNS)
    out["year"] = out["year"].astype("Int64")
    return out


def _period_end(year: str) -> tuple[int | None, str]:
    """'2019' -> (2019, ''); '2016-2019' -> (2016, '2016-2019'); '' -> (None, '')."""
    year = year.strip()
    if not year:
        return None, ""
    if "-" in year:
        a, b = year.split("-", 1)
        if not (a.isdigit() and b.isdigit()):
            raise DataError(f"vn_indicators.csv: cannot read period {year!r}")
        return int(a), year
    if not year.isdigit():
        raise DataError(f"vn_indicators.csv: cannot read year {year!r}")
    return int(year), ""


def build_vn_r57_indicators(ref_dir: Path) -> pd.DataFrame:
    """Measured values for the targets (Viet Nam and peers) in the tidy format, sources kept."""
    ref = _read(ref_dir, f"{REF}/vn_indicators.csv")
    rows = []
    for r in ref.to_dict(orient="records"):
        year, period = _period_end(r["year"])
        indicator = r["indicator"].lower() + ("_period" if period else "")
        vtype = r["value_type"]
        value = np.nan if vtype == "not_found" else float(r["value"].replace(",", ""))
        detail = " | ".join(
            x
            for x in (
                f"period {period}" if period else "",
                r["qualifier"],
                r["source_detail"],
                f"target {r['target_id']}" if r["target_id"] else "",
            )
            if x
        )
        qualifier = "at_least" if "lower bound" in r["unit"] else ""
        rows.append(
            {
                "entity": r["entity"],
                "entity_name": r["entity_name"],
                "indicator": indicator,
                "year": year,
                "value": value,
                "unit": r["unit"],
                "value_type": vtype,
                "qualifier": qualifier,
                "source": r["source"] or "searched by the compiler of shared/reference/targets (nothing found)",
                "source_detail": detail,
            }
        )
    out = pd.DataFrame(rows, columns=RAW_COLUMNS)
    out["year"] = pd.array(out["year"], dtype="Int64")
    return out


def _names(ref_dir: Path) -> dict[str, str]:
    df = read_bulk_csv(Path(ref_dir) / NAMES_FILE).data
    return dict(zip(df["entity"], df["entity_name"], strict=False))


API_PULL = "njf0/frankenstein resources/wdi/{code}.csv (World Bank API pull; file last changed {date})"


def _api_builder(code: str, file: str, date: str, newer_extract: str | None = None) -> Callable[[Path], pd.DataFrame]:
    """A whole-world API pull; where a newer bulk extract has a value for the same economy and year, it wins."""

    def build(ref_dir: Path) -> pd.DataFrame:
        edition = f"WDI API pull, file commit {date} ({API_PULL.format(code=code, date=date)})"
        out = read_api_wide_csv(Path(ref_dir) / WDI_DIR / file, code, edition, _names(ref_dir))
        if newer_extract:
            new = read_bulk_csv(Path(ref_dir) / WDI_DIR / newer_extract).data
            new["source_detail"] = new["source_detail"] + " (extract: Viet Nam, ASEAN peers and a few others)"
            keep = ~out.set_index(["entity", "year"]).index.isin(new.set_index(["entity", "year"]).index)
            out = pd.concat([out[keep], new], ignore_index=True)
        out["year"] = out["year"].astype("Int64")
        return out

    return build


def _bulk_builder(file: str) -> Callable[[Path], pd.DataFrame]:
    def build(ref_dir: Path) -> pd.DataFrame:
        return read_bulk_csv(Path(ref_dir) / WDI_DIR / file).data

    return build


# how each file is built from its inputs (what the manifest says of it is in datasets.yaml)
BUILDERS: dict[str, Callable[[Path], pd.DataFrame]] = {
    "r57_targets": build_r57_targets,
    "vn_r57_indicators": build_vn_r57_indicators,
    "wdi_patent_applications_residents": _bulk_builder("WDI_IP.PAT.RESD_20260128.csv"),
    "wdi_patent_applications_nonresidents": _api_builder(
        "IP.PAT.NRES", "WDIAPI_IP.PAT.NRES_commit20250507.csv", "2025-05-07"
    ),
    "wdi_journal_articles": _api_builder("IP.JRN.ARTC.SC", "WDIAPI_IP.JRN.ARTC.SC_commit20250507.csv", "2025-05-07"),
    "wdi_hightech_exports_pct_manufactured": _api_builder(
        "TX.VAL.TECH.MF.ZS",
        "WDIAPI_TX.VAL.TECH.MF.ZS_commit20250530.csv",
        "2025-05-30",
        "WDI_TX.VAL.TECH.MF.ZS_20260408_EXTRACT.csv",
    ),
    "wdi_hightech_exports_usd": _api_builder(
        "TX.VAL.TECH.CD",
        "WDIAPI_TX.VAL.TECH.CD_commit20250530.csv",
        "2025-05-30",
        "WDI_TX.VAL.TECH.CD_20260408_EXTRACT.csv",
    ),
    "wdi_merchandise_exports_usd": _api_builder(
        "TX.VAL.MRCH.CD.WT", "WDIAPI_TX.VAL.MRCH.CD.WT_commit20250507.csv", "2025-05-07"
    ),
}
