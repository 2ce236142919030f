"""The repository stands alone: the inputs of `r57 data build` are in data/external with their sources and
checksums, the targets' wording is data (data/external/targets/wording.yaml) checked on load, and each
target's Vietnamese text is the Resolution's own sentence as docs/sources/WORDING.md section 2 gives it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from analysis import paths
from analysis.data import datasets
from analysis.data.build_targets import WORDING_FILE, build_r57_targets
from analysis.data.manifest import read_manifest, sha256_of
from analysis.errors import DataError

WORDING_MD = paths.PROJECT_ROOT / "docs" / "sources" / "WORDING.md"


def test_the_inputs_default_to_data_external_inside_the_checkout():
    env = {k: v for k, v in os.environ.items() if k not in ("R57_REFERENCE_DIR", "R57_PROJECT_ROOT")}
    out = subprocess.run(
        [sys.executable, "-c", "from analysis import paths; print(paths.REFERENCE_DIR)"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert Path(out) == paths.PROJECT_ROOT / "data" / "external"


def test_every_input_is_in_the_repository_with_its_source_and_checksum():
    external = paths.PROJECT_ROOT / "data" / "external"
    m = read_manifest(external / "manifest.yaml")
    on_disk = {p.relative_to(external).as_posix() for p in external.rglob("*") if p.is_file()} - {"manifest.yaml"}
    assert set(m.entries) == on_disk
    needed = {rel for spec in datasets.DATASETS.values() for rel in spec.meta["inputs"]}
    assert needed <= on_disk
    for folder in ("rd", "rankings", "targets"):  # each folder's account of its sources travels with it
        assert f"{folder}/REPORT.md" in on_disk
    for rel, e in m.entries.items():
        assert e["sha256"] == sha256_of(external / rel), rel
        assert e["bytes"] == (external / rel).stat().st_size, rel
        for field in ("title", "producer", "dataset", "edition", "url", "licence"):
            assert e[field] not in (None, "", []), (rel, field)
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(e["retrieved"])), rel


def _wording_copy(tmp_path: Path, change) -> Path:
    """A copy of data/external/targets (targets.csv, wording.yaml) with ``change`` applied to the wording."""
    folder = tmp_path / "targets"
    folder.mkdir()
    (folder / "targets.csv").write_bytes((paths.REFERENCE_DIR / "targets" / "targets.csv").read_bytes())
    doc = yaml.safe_load((paths.REFERENCE_DIR / WORDING_FILE).read_text(encoding="utf-8"))
    change(doc["targets"])
    (tmp_path / WORDING_FILE).write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t["T05"].update(section="II.3"), r"wording.yaml: targets/T05/section: 'II.3' is not one of"),
        (lambda t: t["T16"].pop("text_vi"), r"wording.yaml: targets/T16: 'text_vi' is a required property"),
        (
            lambda t: t["T21"].pop("indicator"),
            r"wording.yaml: T21 is not in targets.csv, so its entry must give indicator",
        ),
        (lambda t: t.pop("T03"), r"wording.yaml: target T03 of targets.csv has no entry"),
        (lambda t: t["T04"].update(comparator="about"), r"targets/T04/comparator: 'about' does not match"),
        (lambda t: t["T21"].update(unit_kind="percent"), r"targets/T21/unit_kind: 'percent' is not one of"),
    ],
    ids=["section", "no-text", "new-target-incomplete", "target-without-wording", "comparator", "unit-kind"],
)
def test_a_wording_entry_that_breaks_the_schema_is_refused_naming_file_and_entry(tmp_path, change, message):
    ref = _wording_copy(tmp_path, change)
    with pytest.raises(DataError, match=message) as err:
        build_r57_targets(ref)
    assert str(ref / WORDING_FILE) in str(err.value) and "\n" not in str(err.value)


def _section_2() -> str:
    """The Resolution's section II as WORDING.md section 2 quotes it, on one line."""
    text = WORDING_MD.read_text(encoding="utf-8").split("## 2.")[1].split("## 3.")[0]
    return " ".join(text.replace(">", " ").split())


def test_each_target_reads_as_the_resolution_words_it_with_its_section():
    section_2 = _section_2()
    t = datasets.load("r57_targets").set_index("target_id")
    for tid, row in t.iterrows():
        text = row["text_vi"].rstrip(".")
        assert text in section_2 or text[0].lower() + text[1:] in section_2, (tid, text)
        assert row["section"] == ("II.2" if row["year"] == 2045 else "II.1"), tid
    # the defects the Vietnamese reader found (issue 25): no placeholder, lead-in, maths symbol or paraphrase
    assert t.at["T05", "text_vi"] == "trong đó kinh phí từ xã hội chiếm hơn 60%"
    assert t.at["T03", "text_vi"] == "Tối thiểu có 5 doanh nghiệp công nghệ số ngang tầm các nước tiên tiến."
    assert (
        t.at["T12", "text_vi"].endswith("đạt trên 40% trong tổng số doanh nghiệp.")
        and t.at["T12", "comparator"] == "more_than"
    )
    assert t.at["T16", "text_vi"].startswith("Tỉ lệ sử dụng dịch vụ công trực tuyến")
    assert t.at["T17", "text_vi"].startswith("Thu hút thêm ít nhất 3 tổ chức")
    assert not t["text_vi"].str.contains("not retrieved|chưa tìm được|Mục tiêu hướng đến|≥|đầu tư xã hội").any()
    assert "binance" not in t.at["T17", "source_detail"] and "github.com/thetrungdtt" in t.at["T17", "source_detail"]
    assert "hdll.vn" in t.at["T16", "source_detail"]


def test_an_input_without_a_manifest_entry_is_refused_and_a_new_entry_is_signed_by_accept(tmp_path):
    from analysis.data.manifest import input_changes, resign

    external = tmp_path / "external"
    shutil.copytree(paths.REFERENCE_DIR, external)
    doc = yaml.safe_load((external / "manifest.yaml").read_text(encoding="utf-8"))
    entry = next(e for e in doc["files"] if e["file"] == "rankings/gii.csv")
    doc["files"].remove(entry)
    (external / "manifest.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(
        DataError, match=r"rankings/gii.csv is read by `r57 data build` but not listed in .*add an entry"
    ):
        input_changes(external, ["rankings/gii.csv"])
    # the entry written by hand, sources only: shown as new, then signed
    sources = {k: v for k, v in entry.items() if k not in ("sha256", "bytes", "rows")}
    doc["files"].append(sources)
    (external / "manifest.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    sha = sha256_of(external / "rankings" / "gii.csv")
    assert input_changes(external, ["rankings/gii.csv"]) == [("rankings/gii.csv", "none (a new entry)", sha)]
    resign(external, ["rankings/gii.csv"])
    assert input_changes(external, ["rankings/gii.csv"]) == []
    signed = read_manifest(external / "manifest.yaml").entry("rankings/gii.csv")
    assert (signed["sha256"], signed["bytes"]) == (entry["sha256"], entry["bytes"])
