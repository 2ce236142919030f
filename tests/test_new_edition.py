"""Adding a new edition (docs/adding-an-edition.md), step by step on a copy of the repository's data folders:
edit one input file in data/external, `r57 data build` shows the change and refuses to write, `--accept`
writes it and re-signs both manifests, and the rankings model then reads the new edition.

The edition row added here is fabricated and says so in its source and note; it is only ever written to the
temporary copy, never to the real data."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from analysis import cli, paths
from analysis.data import datasets
from analysis.data.manifest import read_manifest, sha256_of
from analysis.models import rankings as rk

TEST_ROW = (
    "WIPO Global Innovation Index,2026,Vietnam,country,Vietnam,40,38.5,139,"
    "TEST ROW: fabricated by tests/test_new_edition.py (not a real edition),not a source,reported,TEST ONLY\n"
)


@pytest.fixture()
def copies(tmp_path, monkeypatch) -> tuple[Path, Path]:
    """Copies of data/external and data/raw that the data commands and loaders read instead of the real ones."""
    external, raw = tmp_path / "external", tmp_path / "raw"
    shutil.copytree(paths.REFERENCE_DIR, external)
    shutil.copytree(paths.RAW_DATA_DIR, raw)
    for var, attr, value in (
        ("R57_REFERENCE_DIR", "REFERENCE_DIR", external),
        ("R57_RAW_DATA_DIR", "RAW_DATA_DIR", raw),
    ):
        monkeypatch.setenv(var, str(value))
        monkeypatch.setattr(paths, attr, value)
    monkeypatch.setattr(paths, "MANIFEST_PATH", raw / "manifest.yaml")
    return external, raw


def _bytes(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_a_new_gii_edition_is_shown_refused_without_accept_then_adopted(copies, capsys):
    external, raw = copies
    gii = external / "rankings" / "gii.csv"
    old_sha = sha256_of(gii)
    assert rk.rank_series(rk.load_index("gii"), "VNM").index.max() == 2025  # the last real edition
    before = {"external": _bytes(external), "raw": _bytes(raw)}

    # 1. edit one source file: the new edition's row for Viet Nam
    with open(gii, "a", encoding="utf-8") as fh:
        fh.write(TEST_ROW)

    # 2. `r57 data build` shows the change (the input, its checksums, the dataset and its rows) and writes nothing
    assert cli.main(["data", "build"]) == 1
    out = capsys.readouterr()
    signed = read_manifest(external / "manifest.yaml").version
    assert f"input {gii}: sha256 {sha256_of(gii)}; {external / 'manifest.yaml'} version {signed} records {old_sha}" in (
        out.out
    )
    assert "rank_gii.csv:\n  3 row(s) added, 0 removed, 0 changed" in out.out  # rank, score, n_ranked
    assert "+ added index_name=gii, entity=VNM, indicator=rank, year=2026" in out.out
    assert "value '40'" in out.out and "rank_gii.csv" in out.err and "--accept" in out.err
    after = {"external": _bytes(external), "raw": _bytes(raw)}
    assert after["raw"] == before["raw"]  # nothing written, nothing re-signed
    assert after["external"] == before["external"] | {"rankings/gii.csv": gii.read_bytes()}

    # 3. `--accept` writes rank_gii.csv and re-signs both manifests under one new version: the edited compilation
    # and what is built from it are a state neither old version named
    built, since = read_manifest(raw / "manifest.yaml").version, date.today().isoformat()
    assert cli.main(["data", "build", "--accept"]) == 0
    assert "re-signed" in capsys.readouterr().out
    compilation = read_manifest(external / "manifest.yaml")
    assert compilation.entry("rankings/gii.csv")["sha256"] == sha256_of(gii)
    version = read_manifest(raw / "manifest.yaml").version
    assert compilation.version == version and version not in (signed, built)
    assert version.split(".")[0] in (since, date.today().isoformat()) and ".build" in version
    assert {k for k, v in _bytes(raw).items() if before["raw"][k] != v} == {"rank_gii.csv", "manifest.yaml"}
    assert datasets.verify_all(raw, external) == []
    accepted = {"external": _bytes(external), "raw": _bytes(raw)}
    assert cli.main(["data", "build", "--accept"]) == 0  # accepted: nothing left to review, no new version
    assert "nothing changed" in capsys.readouterr().out
    assert {"external": _bytes(external), "raw": _bytes(raw)} == accepted

    # 4. what the reports read: the dataset and the rankings model carry the new edition
    gii_rows = datasets.load("rank_gii")
    new = gii_rows[(gii_rows["year"] == 2026) & (gii_rows["entity"] == "VNM")].set_index("indicator")["value"]
    assert new.to_dict() == {"rank": 40.0, "score": 38.5, "n_ranked": 139.0}
    series = rk.rank_series(rk.load_index("gii"), "VNM")
    assert series.index.max() == 2026 and series.loc[2026, "rank"] == 40.0


def test_an_input_edited_by_mistake_is_named_with_both_checksums(copies, capsys):
    external, raw = copies
    target = external / "rd" / "vn_gdp_population.csv"
    recorded = read_manifest(external / "manifest.yaml").entry("rd/vn_gdp_population.csv")["sha256"]
    target.write_bytes(target.read_bytes()[:-200])  # truncated: a corrupt copy
    assert cli.main(["data", "verify"]) == 1
    err = capsys.readouterr().err
    assert str(target) in err and recorded in err and sha256_of(target) in err
    before = _bytes(raw)
    assert cli.main(["data", "build"]) != 0  # the truncated file is refused or shown, never adopted silently
    assert _bytes(raw) == before


def test_a_fresh_build_is_labelled_with_the_compilations_version(copies, tmp_path):
    """A folder built from nothing names the compilation it came from, not a version fixed in the code (which
    named every state the compilation ever had)."""
    external, raw = copies
    text = (external / "manifest.yaml").read_text(encoding="utf-8")
    (external / "manifest.yaml").write_text(
        re.sub(r"^version: .*$", "version: 2030-01-01.1", text, count=1, flags=re.M)
    )
    fresh = tmp_path / "fresh" / "raw"
    assert cli.main(["data", "build", "--data-dir", str(fresh), "--accept"]) == 0
    assert read_manifest(fresh / "manifest.yaml").version == "2030-01-01.1"
    assert read_manifest(external / "manifest.yaml").version == "2030-01-01.1"  # unchanged files: not re-signed
    assert {k: v for k, v in _bytes(fresh).items() if k != "manifest.yaml"} == {
        k: v for k, v in _bytes(raw).items() if k != "manifest.yaml"
    }
