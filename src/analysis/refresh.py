"""``r57 data refresh``: fetch the World Bank series the project uses from the WDI API.

The documented REST endpoint ``https://api.worldbank.org/v2/country/all/indicator/{code}
?format=json&per_page=20000&page=N`` returns ``[page_info, records]``; each record has
``countryiso3code``, ``country.value``, ``date`` and ``value``, and ``page_info`` carries
``lastupdated``, the edition. The refreshed files use the same tidy format and
validation as the snapshots built from ``shared/reference``.

Nothing is changed unless every series downloads and validates. Before a refreshed
file replaces the current one, the whole current ``data/raw`` (files and manifest) is
copied to ``data/archive/<manifest version>/`` so any report can be regenerated on
the earlier vintage (``R57_RAW_DATA_DIR=data/archive/<version> r57 run ...``).
"""

from __future__ import annotations

import json
import shutil
import urllib.error
import urllib.request
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pandas as pd
import yaml

from . import paths
from .datasets import DATASETS
from .errors import R57Error
from .manifest import read_manifest, sha256_of, write_manifest
from .schema import RAW_COLUMNS, validate_tidy
from .wdi import WDI_LICENCE, WDI_SERIES

API = "https://api.worldbank.org/v2/country/all/indicator/{code}?format=json&per_page=20000&page={page}"
REFRESHED_FILES = {
    "wdi_gerd_pct_gdp.csv": "GB.XPD.RSDV.GD.ZS",
    "wdi_gdp_per_capita_usd.csv": "NY.GDP.PCAP.CD",
    "wdi_gdp_real_growth.csv": "NY.GDP.MKTP.KD.ZG",
    "wdi_researchers_per_million.csv": "SP.POP.SCIE.RD.P6",
    # the Resolution 57 targets tracker (issue 14)
    "wdi_patent_applications_residents.csv": "IP.PAT.RESD",
    "wdi_patent_applications_nonresidents.csv": "IP.PAT.NRES",
    "wdi_journal_articles.csv": "IP.JRN.ARTC.SC",
    "wdi_hightech_exports_pct_manufactured.csv": "TX.VAL.TECH.MF.ZS",
    "wdi_hightech_exports_usd.csv": "TX.VAL.TECH.CD",
    "wdi_merchandise_exports_usd.csv": "TX.VAL.MRCH.CD.WT",
}
Fetch = Callable[[str], bytes]


class RefreshError(R57Error):
    """The refresh could not complete; nothing was changed."""


def http_fetch(url: str, timeout_s: float = 30.0) -> bytes:
    req = urllib.request.Request(url, headers={"User-Agent": "r57-data-refresh"})
    with urllib.request.urlopen(req, timeout=timeout_s) as resp:  # noqa: S310 - fixed https host
        return resp.read()


def parse_api_pages(pages: list[object], code: str) -> tuple[pd.DataFrame, str]:
    """Tidy rows and the edition ('lastupdated') from the decoded JSON pages of one indicator."""
    spec = WDI_SERIES[code]
    rows, last_updated = [], ""
    for doc in pages:
        if not (isinstance(doc, list) and len(doc) == 2 and isinstance(doc[0], dict)):
            msg = doc[0].get("message") if isinstance(doc, list) and doc and isinstance(doc[0], dict) else doc
            raise RefreshError(f"World Bank API returned an error for {code}: {msg}")
        last_updated = doc[0].get("lastupdated", last_updated)
        for rec in doc[1] or []:
            iso3, value = rec.get("countryiso3code") or "", rec.get("value")
            if not iso3 or value is None:
                continue  # aggregates without an ISO3 code, empty cells
            rows.append({
                "entity": iso3, "entity_name": rec["country"]["value"], "indicator": spec.indicator,
                "year": int(rec["date"]), "value": round(float(value) * spec.scale, 10), "unit": spec.unit,
                "value_type": "reported", "qualifier": "", "source": f"World Bank WDI {code}",
                "source_detail": f"WDI API v2, Last Updated Date {last_updated}",
            })
    if not rows:
        raise RefreshError(f"World Bank API returned no values for {code}")
    df = pd.DataFrame(rows, columns=RAW_COLUMNS).sort_values(["entity", "year"]).reset_index(drop=True)
    df["year"] = df["year"].astype("Int64")
    return df, last_updated


def fetch_indicator(code: str, fetch: Fetch = http_fetch) -> tuple[pd.DataFrame, str]:
    pages, page, total_pages = [], 1, 1
    while page <= total_pages:
        url = API.format(code=code, page=page)
        try:
            raw = fetch(url)
        except (urllib.error.URLError, OSError, TimeoutError) as exc:
            raise RefreshError(
                f"cannot reach the World Bank API ({url}): {exc}. Check the network; nothing was changed."
            ) from exc
        try:
            doc = json.loads(raw)
        except ValueError as exc:
            raise RefreshError(f"World Bank API answered {url} with something that is not JSON") from exc
        pages.append(doc)
        if isinstance(doc, list) and doc and isinstance(doc[0], dict):
            total_pages = int(doc[0].get("pages", 1) or 1)
        page += 1
    return parse_api_pages(pages, code)


def _unused(folder: Path, name: str) -> Path:
    """``folder/name``, or ``folder/name-2``, ``-3``, ... : the first that does not exist."""
    candidate, n = folder / name, 1
    while candidate.exists() or candidate.is_symlink():
        n += 1
        candidate = folder / f"{name}-{n}"
    return candidate


def refresh(fetch: Fetch = http_fetch, data_dir: Path | None = None, archive_dir: Path | None = None,
            log=print) -> dict[str, str]:
    """Fetch every refreshed series, validate, archive the current vintage, write the new one.

    Returns {file: 'updated to <edition>' | 'unchanged (<edition>)'}.
    """
    from .build_raw import write_tidy_csv

    data_dir = Path(data_dir or paths.RAW_DATA_DIR)
    archive_dir = Path(archive_dir or paths.ARCHIVE_DIR)
    manifest = read_manifest(data_dir / "manifest.yaml")
    fetched: dict[str, tuple[pd.DataFrame, str]] = {}
    for file, code in REFRESHED_FILES.items():  # 1. download everything first: no partial refresh
        log(f"fetching {code} ...")
        df, edition = fetch_indicator(code, fetch)
        validate_tidy(df, DATASETS[file.removesuffix(".csv")].schema, f"{file} (from the API)")
        fetched[file] = (df, edition)
    staged = data_dir / ".refresh-staging"
    shutil.rmtree(staged, ignore_errors=True)
    staged.mkdir()
    changed, outcome = {}, {}
    for file, (df, edition) in fetched.items():  # 2. stage and compare
        write_tidy_csv(df, staged / file)
        if sha256_of(staged / file) == manifest.entry(file)["sha256"]:
            outcome[file] = f"unchanged ({edition})"
        else:
            changed[file] = edition
            outcome[file] = f"updated to the {edition} edition"
    if not changed:
        shutil.rmtree(staged)
        return outcome
    # 3. archive the current vintage whole, then move the new files in and rewrite the manifest
    # (each vintage gets its own folder: a second or third refresh on one day never overwrites an archive)
    target = _unused(archive_dir, manifest.version)
    shutil.copytree(data_dir, target, ignore=shutil.ignore_patterns(".*"))
    today = date.today().isoformat()
    entries = []
    for name, entry in manifest.entries.items():
        entry = dict(entry)
        if name in changed:
            path = staged / name
            entry.update(
                edition=f"WDI API, Last Updated Date {changed[name]}", retrieved=today,
                retrieved_note="fetched from the World Bank API by r57 data refresh",
                url=[API.format(code=REFRESHED_FILES[name], page=1).split("?")[0]], licence=WDI_LICENCE,
                sha256=sha256_of(path), bytes=path.stat().st_size, rows=int(len(fetched[name][0])),
                years=[int(fetched[name][0]["year"].min()), int(fetched[name][0]["year"].max())],
                built_from=[{"path": "World Bank API v2", "sha256": ""}], built_by="analysis.refresh",
                previous_vintage=f"data/archive/{target.name}/{name}",
            )
            shutil.move(str(path), data_dir / name)
        entries.append(entry)
    shutil.rmtree(staged, ignore_errors=True)
    version = f"{today}.refresh"
    n = 1
    while version == manifest.version or (archive_dir / version).exists():
        n += 1
        version = f"{today}.refresh.{n}"
    write_manifest(entries, version, data_dir / "manifest.yaml")
    (target / "ARCHIVED.yaml").write_text(
        yaml.safe_dump({"archived_on": today, "replaced_by_manifest_version": version, "files_replaced": sorted(changed)}),
        encoding="utf-8",
    )
    return outcome
