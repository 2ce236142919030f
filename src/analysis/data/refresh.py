"""``r57 data refresh``: fetch every series the reports use that has a live source (the World Bank API).

Refreshed: the all-economy WDI panels (:data:`PANELS`), the World Bank rows of ``vn_gdp.csv`` and
``vn_gerd.csv`` (:data:`VN_ROWS`; their GSO, IMF and ministry rows are kept) with the GERD-in-VND rows
derived from them, and which WDI codes are aggregates (the API's country list, recorded in the manifest).
Every other dataset is compiled from publications (``r57 data build``).

Nothing changes unless every request succeeds and every file validates; the current ``data/raw`` is first
copied whole to ``data/archive/<manifest version>[-N]/``. ``R57_WDI_RECORDED=<folder>`` answers every
request from recorded responses, ``R57_WDI_RECORD_TO=<folder>`` saves every live response there.
"""

from __future__ import annotations

import fnmatch
import json
import math
import os
import re
import shutil
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from analysis import i18n, paths
from analysis.data.datasets import DATASETS, load
from analysis.data.manifest import (
    REFRESHED_BY,
    Manifest,
    data_lock,
    read_manifest,
    sha256_of,
    verify_file,
    write_atomic,
    write_manifest,
)
from analysis.data.schema import RAW_COLUMNS, validate_tidy
from analysis.data.wdi import UIS_SOURCE, WDI_LICENCE, WDI_SERIES, WdiIndicator, tidy_wdi
from analysis.errors import InputError, R57Error, shorten

API_BASE = "https://api.worldbank.org/v2"
INDICATOR_API = API_BASE + "/country/{countries}/indicator/{code}?format=json&per_page=20000&page={page}"
COUNTRY_API = API_BASE + "/country?format=json&per_page=1000&page={page}"
RECORDED_ENV, RECORD_TO_ENV = "R57_WDI_RECORDED", "R57_WDI_RECORD_TO"

# All-economy panels (every wdi_* dataset, its WDI code first under ``dataset`` in datasets.yaml): the whole
# file is replaced by the API's answer.
PANELS = {ds.file: ds.meta["dataset"][0] for ds in DATASETS.values() if ds.name.startswith("wdi_")}


# the World Bank rows of each mixed Viet Nam file: one WDI code each, as the file names and scales it
VN_ROWS: dict[str, tuple[WdiIndicator, ...]] = {
    "vn_gdp.csv": (
        WdiIndicator("NY.GDP.MKTP.CN", "gdp_vnd_bn", "billion VND (current)", 1e-9),
        WdiIndicator("NY.GDP.MKTP.KN", "gdp_const2010_vnd_bn", "billion VND (constant 2010 prices)", 1e-9),
        WdiIndicator("NY.GDP.MKTP.CD", "gdp_usd_bn", "billion USD (current)", 1e-9),
        WdiIndicator("NY.GDP.PCAP.CD", "gdp_per_capita_usd", "USD per person (current)"),
        WdiIndicator("NY.GDP.MKTP.KD.ZG", "gdp_real_growth_pct", "% per year"),
        WdiIndicator("SP.POP.TOTL", "population", "persons"),
    ),
    "vn_gerd.csv": (WdiIndicator("GB.XPD.RSDV.GD.ZS", "gerd_pct_gdp", "% of GDP", source=UIS_SOURCE),),
}
VN_ISO3 = "VNM"
DERIVED_PREFIX = "DERIVED from WDI GB.XPD.RSDV.GD.ZS"  # vn_gerd.csv's GERD in VND = UIS % x WDI GDP in VND

Fetch = Callable[[str], bytes]
MAX_PAGES = 100  # pages of one answer; every series the reports use fits in 1 or 2 of 20,000 records
MAX_COVERAGE_DROP = 0.10  # largest share of economies or years with values a refreshed series may lose
COVERAGE_DROP_ENV = "R57_MAX_COVERAGE_DROP"  # overrides MAX_COVERAGE_DROP (a share: 0.25, or 1 to accept any drop)


class RefreshError(R57Error):
    """The refresh could not complete; nothing was changed."""


class OnlyError(RefreshError, InputError):
    """An ``--only`` pattern that names no dataset with a live source."""


def _matches(file: str, pattern: str) -> bool:
    return fnmatch.fnmatch(file, pattern) or fnmatch.fnmatch(file.removesuffix(".csv"), pattern)


def select_files(only: list[str] | tuple[str, ...] | None = None) -> list[str]:
    """The refreshed files whose dataset name (``vn_gdp``) or file (``vn_gdp.csv``) matches a glob of ``only``
    (all of them when ``only`` is empty).

    Raises
    ------
    OnlyError
        Naming the pattern that matches none, and the datasets that have a live source.
    """
    files = [*PANELS, *VN_ROWS]
    for pattern in only or ():
        if not any(_matches(f, pattern) for f in files):
            raise OnlyError(
                f"--only {pattern!r} matches no dataset with a live source; refresh can fetch "
                f"{', '.join(f.removesuffix('.csv') for f in files)} (the others are compiled: r57 data build)"
            )
    return [f for f in files if not only or any(_matches(f, p) for p in only)]


RETRY_STATUS = {429, 500, 502, 503, 504}


def http_fetch(
    url: str,
    timeout_s: float = 30.0,
    retries: int = 4,
    backoff_s: float = 2.0,
    sleep: Callable[[float], None] = time.sleep,
    opener=urllib.request.urlopen,
    warn: Callable[[str], None] | None = None,
) -> bytes:
    """GET ``url``; retry network errors, timeouts, HTTP 429 and 5xx up to ``retries`` times.

    The waits double from ``backoff_s`` (2, 4, 8, 16 s), or follow the server's ``Retry-After`` in seconds.
    Other HTTP errors are not retried. The last error is raised.
    """
    warn = warn or (lambda msg: print(msg, file=sys.stderr, flush=True))
    req = urllib.request.Request(url, headers={"User-Agent": "r57-data-refresh"})
    for attempt in range(retries + 1):
        try:
            with opener(req, timeout=timeout_s) as resp:  # noqa: S310 - fixed https host
                body = resp.read()
            _record(url, body)
            return body
        except urllib.error.HTTPError as exc:
            if exc.code not in RETRY_STATUS or attempt == retries:
                raise
            retry_after = str((exc.headers or {}).get("Retry-After", ""))
            wait = float(retry_after) if retry_after.isdigit() else backoff_s * 2**attempt
            problem = f"HTTP {exc.code}"
        except (urllib.error.URLError, OSError, TimeoutError) as exc:
            if attempt == retries:
                raise
            wait, problem = backoff_s * 2**attempt, str(exc)
        warn(f"World Bank API: {problem}; retry {attempt + 1} of {retries} in {wait:g} s")
        sleep(wait)
    raise AssertionError("unreachable")  # pragma: no cover


def recorded_name(url: str) -> str:
    """The file name of a recorded response: ``country_all_indicator_NY.GDP.PCAP.CD_page2.json``."""
    m = re.fullmatch(r"https://api\.worldbank\.org/v2/([^?]+)\?(.*)", url)
    if not m:
        raise RefreshError(f"not a World Bank API address: {url}")
    page = re.search(r"(?:^|&)page=(\d+)", m.group(2))
    return f"{m.group(1).replace('/', '_')}_page{page.group(1) if page else 1}.json"


def recorded_fetch(folder: Path | str) -> Fetch:
    """A fetch that answers from recorded responses in ``folder`` (offline runs and tests)."""
    folder = Path(folder)

    def fetch(url: str) -> bytes:
        path = folder / recorded_name(url)
        if not path.exists():
            raise RefreshError(f"no recorded response {path.name} in {folder} (for {url}); nothing was changed")
        return path.read_bytes()

    return fetch


def _record(url: str, body: bytes) -> None:
    folder = os.environ.get(RECORD_TO_ENV)
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        (Path(folder) / recorded_name(url)).write_bytes(body)


def default_fetch() -> Fetch:
    """Recorded responses when ``R57_WDI_RECORDED`` names a folder, the live API otherwise."""
    folder = os.environ.get(RECORDED_ENV)
    return recorded_fetch(folder) if folder else http_fetch


def fetch_pages(url_for_page: Callable[[int], str], fetch: Fetch, what: str) -> list[list]:
    """Every page of one API answer, decoded; a RefreshError names what failed."""
    pages, page, total_pages = [], 1, 1
    while page <= total_pages:
        url = url_for_page(page)
        try:
            raw = fetch(url)
        except (urllib.error.URLError, OSError, TimeoutError) as exc:
            raise RefreshError(
                f"cannot reach the World Bank API ({url}): {exc}. Check the network; nothing was changed."
            ) from exc
        try:
            doc = json.loads(raw)
        except (ValueError, TypeError):
            start = bytes(raw[:60]).decode("utf-8", "replace") if isinstance(raw, (bytes, bytearray)) else ""
            raise RefreshError(
                f"World Bank API answered {url} with something that is not JSON (it starts {start!r}); "
                "nothing was changed"
            ) from None
        if not (isinstance(doc, list) and len(doc) == 2 and isinstance(doc[0], dict)):
            msg = doc[0].get("message") if isinstance(doc, list) and doc and isinstance(doc[0], dict) else doc
            raise RefreshError(f"World Bank API returned an error for {what}: {shorten(str(msg), 300)}")
        pages.append(doc)
        total_pages = doc[0].get("pages", 1) or 1
        if isinstance(total_pages, str) and total_pages.isdigit():
            total_pages = int(total_pages)
        if isinstance(total_pages, bool) or not isinstance(total_pages, int) or not 1 <= total_pages <= MAX_PAGES:
            raise RefreshError(
                f"World Bank API answered {url} with a page count of {shorten(repr(total_pages), 40)} "
                f"(expected 1 to {MAX_PAGES}); nothing was changed"
            )
        page += 1
    return pages


@dataclass(frozen=True)
class Economies:
    """The API's country list: ISO2 -> ISO3, and which ISO3 codes are aggregates."""

    iso3_of_iso2: dict[str, str]
    aggregates: frozenset[str]


def parse_countries(pages: list[list]) -> Economies:
    iso3_of_iso2, aggregates = {}, set()
    try:
        for doc in pages:
            for rec in doc[1] or []:
                iso3 = rec.get("id", "")
                iso3_of_iso2[rec.get("iso2Code", "")] = iso3
                if (rec.get("region") or {}).get("value", "").strip() == "Aggregates":
                    aggregates.add(iso3)
    except (AttributeError, KeyError, TypeError, ValueError, IndexError) as exc:
        raise _shape_error("the country list", exc) from None
    if not aggregates or len(iso3_of_iso2) < 2:
        raise RefreshError("the World Bank API's country list has no aggregates; it is not the expected answer")
    return Economies(iso3_of_iso2, frozenset(aggregates))


def parse_api_pages(
    pages: list[object], code: str, economies: Economies | None = None, spec: WdiIndicator | None = None
) -> tuple[pd.DataFrame, str]:
    """Tidy rows and the edition ('lastupdated') from the decoded JSON pages of one indicator.

    A record without ``countryiso3code`` gets it from ``economies`` by its ISO2 ``country.id``, or is dropped;
    empty cells are dropped.
    """
    spec = spec or WDI_SERIES[code]
    try:
        df, last_updated = _records(pages, spec, economies)
    except (AttributeError, KeyError, TypeError, ValueError, IndexError, OverflowError) as exc:
        raise _shape_error(code, exc) from None
    if df.empty:
        raise RefreshError(f"World Bank API returned no values for {code}")
    df["year"] = df["year"].astype("Int64")
    return df, last_updated


def _shape_error(what: str, exc: Exception) -> RefreshError:
    """A RefreshError for an answer that is JSON but not the API's usual shape."""
    return RefreshError(
        f"World Bank API answer for {what} is not in the expected shape ({type(exc).__name__}: "
        f"{shorten(str(exc), 120)}); nothing was changed"
    )


def _records(pages: list[object], spec: WdiIndicator, economies: Economies | None) -> tuple[pd.DataFrame, str]:
    """The tidy rows of decoded API pages and their edition; a record of the wrong shape raises."""
    rows, last_updated = [], ""
    for doc in pages:  # fetch_pages has refused an error answer; another shape raises here
        last_updated = doc[0].get("lastupdated", last_updated)
        for rec in doc[1] or []:
            iso3, value = rec.get("countryiso3code") or "", rec.get("value")
            if not iso3 and economies is not None:
                iso3 = economies.iso3_of_iso2.get((rec.get("country") or {}).get("id", ""), "")
            if not iso3 or value is None:
                continue
            if not i18n.is_numeric(value):  # JSON true, "2.5": not a number
                raise RefreshError(
                    f"World Bank API answer for {spec.code} ({spec.indicator}, in {_files_of(spec.code)}) gives "
                    f"{iso3} {rec.get('date')} the value {shorten(repr(value), 40)}, not a number; nothing was changed"
                )
            if not math.isfinite(float(value) * spec.scale):
                raise ValueError(f"value {value!r} for {iso3} {rec['date']} is not a finite number")
            rows.append((iso3, rec["country"]["value"], int(rec["date"]), float(value)))
    long = pd.DataFrame(rows, columns=["entity", "entity_name", "year", "value"])
    detail = f"WDI API v2, Last Updated Date {last_updated}"
    return tidy_wdi(long, long["entity"], long["entity_name"], spec, detail), last_updated


def _files_of(code: str) -> str:
    """The data files a WDI ``code`` is refreshed into."""
    vn = [file for file, specs in VN_ROWS.items() if any(s.code == code for s in specs)]
    return ", ".join([file for file, c in PANELS.items() if c == code] + vn)


def fetch_indicator(
    code: str,
    fetch: Fetch = http_fetch,
    countries: str = "all",
    economies: Economies | None = None,
    spec: WdiIndicator | None = None,
) -> tuple[pd.DataFrame, str]:
    pages = fetch_pages(lambda p: INDICATOR_API.format(countries=countries, code=code, page=p), fetch, code)
    return parse_api_pages(pages, code, economies, spec)


def live_sources(data_dir: Path | None = None) -> list[tuple[str, str]]:
    """[(dataset file, its live source or 'none: compiled from ...')] for every dataset."""
    data_dir = Path(data_dir or paths.RAW_DATA_DIR)
    try:
        entries = read_manifest(data_dir / "manifest.yaml").entries
    except R57Error:
        entries = {}
    out = []
    for ds in DATASETS.values():
        if ds.file in PANELS:
            what = f"World Bank API, WDI {PANELS[ds.file]}, all economies"
        elif ds.file in VN_ROWS:
            codes = ", ".join(r.code for r in VN_ROWS[ds.file])
            what = f"World Bank API, WDI {codes} for Viet Nam (its other rows: none, compiled)"
        else:
            producers = entries.get(ds.file, {}).get("producer") or ["publications"]
            what = "none: compiled from " + "; ".join(producers) + " (rebuild with r57 data build)"
        out.append((ds.file, what))
    return out


def format_sources(rows: list[tuple[str, str]]) -> str:
    width = max(len(f) for f, _ in rows)
    lines = [f"{'dataset':{width}s}  live source", f"{'-' * width}  {'-' * 11}"]
    lines += [f"{f:{width}s}  {w}" for f, w in rows]
    return "\n".join(lines)


def _replace_rows(current: pd.DataFrame, new_rows: list[tuple[WdiIndicator, pd.DataFrame]]) -> pd.DataFrame:
    """``current`` with the rows of each WdiIndicator (same indicator and source) replaced by the new ones."""
    keep = pd.Series(True, index=current.index)
    for spec, _ in new_rows:
        keep &= ~((current["indicator"] == spec.indicator) & (current["source"] == spec.source))
    parts = [current[keep]] + [df for _, df in new_rows]
    return pd.concat(parts, ignore_index=True)


def derived_gerd_vnd(
    gerd_pct: pd.DataFrame, gdp_vnd: pd.DataFrame, gerd_edition: str, gdp_edition: str
) -> pd.DataFrame:
    """GERD in billion VND = UIS GERD % of GDP / 100 x WDI GDP in billion VND, rounded to whole billions."""
    both = (
        gerd_pct.set_index("year")["value"]
        .to_frame("pct")
        .join(gdp_vnd.set_index("year")["value"].rename("gdp"), how="inner")
    )
    rows = [
        {
            "entity": VN_ISO3,
            "entity_name": "Viet Nam",
            "indicator": "gerd_vnd_bn",
            "year": int(y),
            "value": float(round(r.pct / 100 * r.gdp)),
            "unit": "billion VND (current)",
            "value_type": "derived",
            "qualifier": "",
            "source": f"{DERIVED_PREFIX} ({gerd_edition}) and NY.GDP.MKTP.CN ({gdp_edition})",
            "source_detail": f"= WDI GERD% ({r.pct:g}) x WDI GDP current LCU ({r.gdp:,.0f} bn VND); computed by r57 data refresh",
        }
        for y, r in both.iterrows()
    ]
    out = pd.DataFrame(rows, columns=RAW_COLUMNS)
    out["year"] = out["year"].astype("Int64")
    return out


# what the download gives for each file: (tidy frame, edition, WDI codes it came from)
_Fetched = tuple[pd.DataFrame, str, list[str]]
# the Viet Nam rows fetched per WDI code: (how the file names them, their rows, edition)
_VnFetched = dict[str, tuple[WdiIndicator, pd.DataFrame, str]]


def refresh(
    fetch: Fetch | None = None,
    data_dir: Path | None = None,
    archive_dir: Path | None = None,
    log=print,
    only: list[str] | tuple[str, ...] | None = None,
) -> dict[str, str]:
    """Fetch every refreshed series (``only``: the files :func:`select_files` picks), validate (the coverage
    with ``R57_MAX_COVERAGE_DROP`` or :data:`MAX_COVERAGE_DROP`: :func:`check_coverage`), archive the current
    vintage, write the new one. Returns {file: 'updated to <edition>' | 'unchanged (<edition>)'}.
    """
    fetch = fetch or default_fetch()
    files = select_files(only)
    data_dir = Path(data_dir or paths.RAW_DATA_DIR)
    archive_dir = Path(archive_dir or data_dir.parent / "archive")  # data/archive beside data/raw
    with data_lock(data_dir):  # a second refresh or build of this folder waits: each reads the manifest it writes
        manifest = read_manifest(data_dir / "manifest.yaml")

        # 1. download everything first: no partial refresh
        economies, fetched = _download_all(fetch, data_dir, log, files)
        check_coverage(fetched, data_dir, _coverage_drop())

        # 2. stage and compare (the staging folder goes whatever happens)
        with tempfile.TemporaryDirectory(prefix=".refresh-staging-", dir=data_dir) as staged_name:
            staged = Path(staged_name)
            changed, outcome = _stage(fetched, staged, manifest)
            aggregates = sorted(economies.aggregates)
            # the API's one list of aggregates, recorded with every panel when one is refreshed (aggregate_codes
            # reads one)
            panels = list(PANELS) if set(PANELS) & set(files) else []
            aggregates_changed = any(manifest.entry(f).get("aggregates") != aggregates for f in panels)
            if not changed and not aggregates_changed:
                return outcome

            # 3. archive the current vintage whole, in a folder of its own, then move the new files in
            today = date.today().isoformat()
            version = next_version(manifest.version, today)
            target = archive_vintage(data_dir, archive_dir, sorted(changed), version)
            entries = []
            for name, entry in manifest.entries.items():
                entry = dict(entry)
                if name in panels:  # the API's aggregate codes
                    entry["aggregates"] = aggregates
                    entry["notes"] = (
                        "All economies and WDI aggregates; the aggregates are listed under 'aggregates', "
                        "from the API's country list (region 'Aggregates'). Empty cells dropped."
                    )
                if name in changed:
                    _describe_refreshed(entry, name, fetched[name], staged / name, target, today)
                    shutil.move(str(staged / name), data_dir / name)
                entries.append(entry)
        write_manifest(entries, version, data_dir / "manifest.yaml")
        if aggregates_changed:
            outcome["manifest.yaml"] = f"{len(aggregates)} aggregate codes recorded from the API's country list"
        return outcome


def archive_vintage(
    data_dir: Path,
    archive_dir: Path,
    replaced: list[str],
    replaced_by: str,
    damaged: dict[str, tuple[str, str]] | None = None,
) -> Path:
    """Copy ``data_dir`` whole to ``archive_dir/<its manifest version>`` (``-2``, ``-3`` ... when taken), with an
    ``ARCHIVED.yaml`` naming the files about to be ``replaced`` and the manifest version ``replaced_by``.

    ``damaged`` ({file: (signed sha256, its sha256)}): files about to be replaced that fail their checksum; they
    are not copied, and ``ARCHIVED.yaml`` lists them under ``files_not_archived`` with both checksums.

    Raises
    ------
    DataError
        If any other file differs from its manifest entry or is missing (:class:`~analysis.errors.ChecksumError`
        names both checksums): an archived vintage must run as it was signed, so nothing is copied.
    """
    damaged = damaged or {}
    manifest = read_manifest(data_dir / "manifest.yaml")
    for file in manifest.entries.keys() - damaged.keys():
        verify_file(file, manifest, data_dir, fresh=True)
    target, number = archive_dir / manifest.version, 1
    while target.exists() or target.is_symlink():  # taken: the first free of -2, -3 ...
        number += 1
        target = archive_dir / f"{manifest.version}-{number}"
    archive_dir.mkdir(parents=True, exist_ok=True)
    shutil.copytree(data_dir, target, ignore=lambda _, names: [n for n in names if n[0] == "." or n in damaged])
    record: dict[str, Any] = {
        "archived_on": date.today().isoformat(),
        "replaced_by_manifest_version": replaced_by,
        "files_replaced": replaced,
    }
    if damaged:
        record["files_not_archived"] = [
            {"file": f, "reason": "fails its checksum", "manifest_sha256": signed, "file_sha256": actual}
            for f, (signed, actual) in sorted(damaged.items())
        ]
    write_atomic(target / "ARCHIVED.yaml", yaml.safe_dump(record), durable=True)  # whole or absent, never cut short
    return target


def _coverage_drop() -> float:
    """``R57_MAX_COVERAGE_DROP`` as a share, or :data:`MAX_COVERAGE_DROP` when it is not set."""
    text = os.environ.get(COVERAGE_DROP_ENV, "").strip()
    if not text:
        return MAX_COVERAGE_DROP
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0 <= value <= 1:
        raise RefreshError(f"{COVERAGE_DROP_ENV}={shorten(text, 40)!r}: give a share from 0 to 1 (0.1 = 10%)")
    return value


def _coverage(df: pd.DataFrame) -> dict[str, tuple[int, int]]:
    """Per indicator: (economies, years) that have at least one value."""
    valued = df[df["value"].notna()]
    return {str(ind): (int(g["entity"].nunique()), int(g["year"].nunique())) for ind, g in valued.groupby("indicator")}


def check_coverage(fetched: dict[str, _Fetched], data_dir: Path, max_drop: float = MAX_COVERAGE_DROP) -> None:
    """Refuse new files whose coverage shrank: per series, the economies and the years with values may
    fall by at most ``max_drop`` (a share from 0 to 1) from the current file.

    Raises
    ------
    RefreshError
        Naming the file, the series and the counts before and after; nothing is changed.
    """
    if not 0 <= max_drop <= 1:
        raise RefreshError(f"max_coverage_drop: {max_drop!r} is not a share from 0 to 1")
    for file, (df, _edition, codes) in fetched.items():
        path = data_dir / file
        if not path.is_file():
            continue
        old, new = _coverage(load(file.removesuffix(".csv"), data_dir)), _coverage(df)
        for indicator, (old_economies, old_years) in old.items():
            new_economies, new_years = new.get(indicator, (0, 0))
            for what, before, after in (("economies", old_economies, new_economies), ("years", old_years, new_years)):
                if after < before * (1 - max_drop):
                    raise RefreshError(
                        f"{file}: series {indicator} ({', '.join(codes)}) would have values for {after} {what}, "
                        f"down from {before} (more than {max_drop:.0%} fewer); the answer looks cut short, so "
                        f"nothing was changed. Try again later, or set {COVERAGE_DROP_ENV} (a share) if the drop is real"
                    )


def _download_all(fetch: Fetch, data_dir: Path, log, files: list[str]) -> tuple[Economies, dict[str, _Fetched]]:
    """Download the series of ``files`` and build the new files in memory, validated; write nothing."""
    log("fetching the World Bank country list (which codes are aggregates) ...")
    economies = parse_countries(fetch_pages(lambda p: COUNTRY_API.format(page=p), fetch, "the country list"))
    fetched: dict[str, _Fetched] = {}
    for file, code in PANELS.items():
        if file in files:
            log(f"fetching {code} (all economies) ...")
            df, edition = fetch_indicator(code, fetch, "all", economies)
            fetched[file] = (df, edition, [code])
    vn_files = [f for f in VN_ROWS if f in files]
    specs = {s.code: s for f in vn_files for s in VN_ROWS[f]}
    if "vn_gerd.csv" in vn_files:  # its GERD in VND is derived with the GDP in VND of vn_gdp.csv
        specs.setdefault("NY.GDP.MKTP.CN", next(s for s in VN_ROWS["vn_gdp.csv"] if s.code == "NY.GDP.MKTP.CN"))
    vn: _VnFetched = {}
    for spec in specs.values():
        log(f"fetching {spec.code} (Viet Nam) ...")
        df, edition = fetch_indicator(spec.code, fetch, VN_ISO3, economies, spec)
        vn[spec.code] = (spec, df[df["entity"] == VN_ISO3], edition)
    for file in vn_files:
        fetched[file] = _mixed_file(file, VN_ROWS[file], vn, data_dir)
    for file, (df, _, _) in fetched.items():
        validate_tidy(df, DATASETS[file.removesuffix(".csv")].schema, f"{file} (from the API)")
    return economies, fetched


def _mixed_file(file: str, specs: tuple[WdiIndicator, ...], vn: _VnFetched, data_dir: Path) -> _Fetched:
    """A mixed Viet Nam file with its World Bank rows replaced (and, in ``vn_gerd.csv``, GERD in VND derived again)."""
    current = load(file.removesuffix(".csv"), data_dir)  # checked against the manifest: a damaged file is refused
    new = _replace_rows(current, [(s, vn[s.code][1]) for s in specs])
    if file == "vn_gerd.csv":
        derived = derived_gerd_vnd(
            vn["GB.XPD.RSDV.GD.ZS"][1], vn["NY.GDP.MKTP.CN"][1], vn["GB.XPD.RSDV.GD.ZS"][2], vn["NY.GDP.MKTP.CN"][2]
        )
        is_derived = (new["indicator"] == "gerd_vnd_bn") & new["source"].str.startswith(DERIVED_PREFIX)
        new = pd.concat([new[~is_derived], derived], ignore_index=True)
    editions = sorted({vn[s.code][2] for s in specs})
    return new, ", ".join(editions), [s.code for s in specs]


def _stage(fetched: dict[str, _Fetched], staged: Path, manifest: Manifest) -> tuple[dict[str, str], dict[str, str]]:
    """Write the new files into the (empty) staging folder and compare each with the manifest's checksum."""
    from analysis.data.build_raw import write_tidy_csv

    changed, outcome = {}, {}
    for file, (df, edition, _) in fetched.items():
        write_tidy_csv(df, staged / file, DATASETS[file.removesuffix(".csv")].schema)
        if sha256_of(staged / file) == manifest.entry(file)["sha256"]:
            outcome[file] = f"unchanged ({edition})"
        else:
            changed[file] = edition
            outcome[file] = f"updated to the {edition} edition"
    return changed, outcome


def _describe_refreshed(
    entry: dict[str, Any], name: str, fetched: _Fetched, path: Path, target: Path, today: str
) -> None:
    """Update a refreshed file's manifest entry (in place): edition, origin, checksum, contents."""
    df, edition, codes = fetched
    if name in PANELS:
        entry.update(
            edition=f"WDI API, Last Updated Date {edition}",
            url=[INDICATOR_API.split("?")[0].format(countries="all", code=codes[0])],  # all economies and aggregates
            licence=WDI_LICENCE,
            built_from=[{"path": "World Bank API v2", "sha256": ""}],
        )
    else:  # a mixed file: the World Bank rows are new, the compiled rows are kept from the last build
        entry.update(
            edition=f"World Bank rows: WDI API, Last Updated Date {edition}; other rows: {entry['edition']}",
            built_from=[{"path": "World Bank API v2 (World Bank rows)", "sha256": ""}]
            + [b for b in entry.get("built_from", []) if "World Bank API" not in b.get("path", "")],
        )
    entry.update(
        retrieved=today,
        retrieved_note="fetched from the World Bank API by r57 data refresh",
        **DATASETS[name.removesuffix(".csv")].contents(df, path),
        built_by=REFRESHED_BY,
        previous_vintage=f"data/archive/{target.name}/{name}",
    )


def day_count(version: str, today: str) -> int:
    """Which of ``today``'s versions ``version`` is (``<today>.<kind>`` 1, ``-2`` 2 ...), whatever its kind; 0 for
    a version of another day."""
    same_day = re.fullmatch(rf"{re.escape(today)}\.[a-z]+(?:-(\d+))?", version)
    return int(same_day.group(1) or 1) if same_day else 0


def next_version(current: str, today: str, kind: str = "refresh") -> str:
    """The manifest version after ``current``: ``<today>.<kind>``, then ``-2``, ``-3`` ... counted on from a
    ``current`` of the same day whatever its kind (``refresh`` or ``build``), so no two versions of a day repeat."""
    n = day_count(current, today)
    return f"{today}.{kind}-{n + 1}" if n else f"{today}.{kind}"
