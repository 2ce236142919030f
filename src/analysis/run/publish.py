"""``r57 site build DIR``: the publishable site, copied out of ``reports/`` into a clean folder.

Only what a reader follows from each edition's index is published (no locks, run records, ad-hoc runs,
history or failed runs' notebooks): the index, glossary, ``tables.zip``, comparison pages and their PDFs,
and per catalogue scenario ``report.html``/``.pdf``, ``results.json``, ``tables/`` (``notebook.ipynb``
with ``--with-notebooks``) and a failed run's ``error.html``, each a regular file its folder's
``.r57-output`` lists unchanged (anything else is refused, naming it: nothing tampered with or linked is
published). Files 0644, folders 0755; built in a temporary sibling and renamed into place (a mount point,
which cannot be renamed, has its contents replaced). DIR must be absent, empty or an earlier build's,
unchanged (:mod:`analysis.run.ownership`).
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import shutil
from functools import cache
from pathlib import Path

from analysis import paths
from analysis.errors import InputError
from analysis.reports.tables import WORKBOOK
from analysis.run import ownership
from analysis.run.catalogue import name_problem
from analysis.run.ownership import SITE_FILES
from analysis.run.records import locked
from analysis.run.runner import remove_stale_temporaries, swap_into_place, temporary_name
from analysis.run.site import EDITIONS, edition_dir, edition_name

EDITION_GLOBS = ("compare-*.html", "compare-*.pdf")
REPORT_FILES = ("report.html", "report.pdf", "results.json")
NOTEBOOK = "notebook.ipynb"
ERROR_PAGE = "error.html"  # <name>.failed/error.html: what the index links for a failed scenario


class SiteSourceError(InputError):
    """``reports/`` holds no built site to publish (no index): ``make reports`` has not run."""


def catalogue_names(scenarios_dir: Path | None = None) -> list[str]:
    """The scenario file stems of ``scenarios/`` that can name a report folder, sorted (one that does not
    load too: the index links its report from an earlier run)."""
    folder = Path(scenarios_dir or paths.SCENARIOS_DIR)
    if not folder.is_dir():
        return []
    return sorted(
        p.stem for p in folder.iterdir() if p.suffix.lower() in (".yaml", ".yml") and name_problem(p.stem) is None
    )


def _regular(root: Path, rel: str) -> bool:
    """``root/rel`` is a regular file reached from ``root`` without following a symbolic link."""
    path = root
    for part in Path(rel).parts:
        path = path / part
        if path.is_symlink():
            return False
    return path.is_file()


def _recorded(reports_dir: Path, rel: str, record_dir: Path, manifest: dict[str, list[str]] | None) -> str | None:
    """None when ``rel`` is neither there nor recorded; its sha256 when it is a regular file that ``record_dir``'s
    record (``manifest``, as read) lists with that checksum; else SiteSourceError naming it (and both checksums)."""
    path, record = reports_dir / rel, record_dir / ownership.MANIFEST
    listed = (manifest or {}).get(path.relative_to(record_dir).as_posix())
    if not listed and not os.path.lexists(path):
        return None
    if not _regular(reports_dir, rel):
        why = "is a symbolic link or not a regular file" if os.path.lexists(path) else f"is missing ({record} lists it)"
    elif not listed:
        why = f"is not listed in {record}: r57 did not write it"
    elif (found := ownership.sha256(path)) not in listed:
        why = f"has sha256 {found} but {record} lists sha256 {' or '.join(listed)}: it changed since r57 wrote it"
    else:
        return found
    raise SiteSourceError(
        f"{path} {why}; a site holds only what r57 wrote. Move it away and rebuild it (r57 run-all --force). "
        "Nothing was published."
    )


def site_files(reports_dir: Path, names: list[str], with_notebooks: bool = False) -> dict[str, str]:
    """The publishable files under ``reports_dir`` for scenarios ``names`` with their sha256, sorted, relative POSIX paths;
    SiteSourceError for one its folder's ``.r57-output`` does not list unchanged (:func:`_recorded`)."""
    wanted: dict[str, Path] = {}  # file: the folder whose record lists it
    manifest = cache(ownership.read_manifest)  # each folder's record, read once
    per_report = REPORT_FILES + (f"tables/{WORKBOOK}",) + ((NOTEBOOK,) if with_notebooks else ())
    for lang in EDITIONS:
        folder = edition_dir(lang, reports_dir)
        pages = SITE_FILES + tuple(p.name for pattern in EDITION_GLOBS for p in folder.glob(pattern))
        wanted |= {edition_name(page, lang): folder for page in pages}
        for name in names:
            run = folder / name
            tables = [f for f in manifest(run) or {} if re.fullmatch(r"tables/[^/]+\.csv", f)]
            wanted |= {f"{edition_name(name, lang)}/{f}": run for f in (*per_report, *tables)}
            wanted[edition_name(f"{name}.failed/{ERROR_PAGE}", lang)] = folder / f"{name}.failed"
    found = {rel: _recorded(reports_dir, rel, folder, manifest(folder)) for rel, folder in sorted(wanted.items())}
    return {rel: sha for rel, sha in found.items() if sha}


def _check_source(reports_dir: Path) -> None:
    for lang in EDITIONS:
        index = edition_name("index.html", lang)
        if not _regular(reports_dir, index):
            raise SiteSourceError(
                f"{reports_dir / index} is missing: there is no built site to publish; run `make reports` (r57 run-all) first"
            )


def check_site_dir(target: Path, reports_dir: Path) -> Path:
    """DIR made absolute; OutputDirError for a link, a file, the reports folder (or inside or around it),
    an input folder, or a folder holding anything an earlier build did not write (:func:`ownership.check_target`)."""
    reports = os.path.abspath(reports_dir)
    own_folder = f"is {reports}, inside it or around it; publish to a folder of its own"
    return ownership.check_target(target, "site folder", lambda _part: own_folder, reports_dir=reports_dir)


def _copy(src: Path, dst: Path, checksum: str) -> None:
    """Copy ``src`` as read once, refused unless those bytes are the ones its record lists (``checksum``)."""
    data = src.read_bytes()
    if hashlib.sha256(data).hexdigest() != checksum:
        raise SiteSourceError(
            f"{src} changed while the site was being built; run `r57 site build` again. Nothing was published."
        )
    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(dst, "xb") as fout:
            fout.write(data)
    except OSError as exc:  # a full disk: name the file (the system names none)
        exc.filename = exc.filename or str(dst)
        raise


def _replace_contents(tmp: Path, target: Path) -> None:
    """Replace the contents of ``target`` (checked r57's) by ``tmp``'s (sealed), for a folder that cannot itself
    be renamed: copied into a folder inside it first (a full disk stops there, the old site whole), then moved
    into place, the record listing the old and new files meanwhile (a kill leaves a folder r57 may replace)."""
    staged = temporary_name("tmp", target / "site")  # removed as stale by the next build if this one is killed
    try:
        shutil.copytree(tmp, staged)
        old, new = ownership.read_manifest(target) or {}, ownership.read_manifest(staged) or {}
        ownership.save_manifest(target, {k: sorted({*old.get(k, []), *new.get(k, [])}) for k in old | new})
        for entry in target.iterdir():
            if entry != staged and entry.name != ownership.MANIFEST:
                shutil.rmtree(entry) if entry.is_dir() and not entry.is_symlink() else entry.unlink()
        for entry in sorted(staged.iterdir(), key=lambda e: e.name == ownership.MANIFEST):  # the record last
            os.replace(entry, target / entry.name)
    finally:
        shutil.rmtree(staged, ignore_errors=True)


def build_site(
    target: Path | str, reports_dir: Path | None = None, with_notebooks: bool = False
) -> tuple[Path, list[str]]:
    """Write the site of ``reports_dir`` (default ``reports/``) to ``target``, replacing an earlier build;
    return DIR (absolute) and the files written. SiteSourceError when there is no built index,
    OutputDirError when DIR may not be replaced."""
    reports_dir = Path(reports_dir or paths.REPORTS_DIR)
    _check_source(reports_dir)
    if Path(target).is_dir() and not Path(target).is_symlink():
        remove_stale_temporaries(Path(target), "site")  # left by a killed build into a mount point
    target = check_site_dir(Path(target), reports_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(target.parent, target.name)  # left by a killed build
    tmp = temporary_name("tmp", target)
    tmp.mkdir()
    try:
        with locked("index"):  # run-all writes the indexes and comparison pages under this lock
            names = site_files(reports_dir, catalogue_names(), with_notebooks)
            for name, checksum in names.items():
                _copy(reports_dir / name, tmp / name, checksum)
        check_site_dir(target, reports_dir)  # nothing foreign appeared while copying
        try:
            swap_into_place(tmp, target)  # sealed: the next build may replace exactly what this one wrote
        except OSError as exc:
            if exc.errno not in (errno.EBUSY, errno.EXDEV, errno.EPERM) or not target.is_dir():
                raise
            _replace_contents(tmp, target)  # a mount point (a web root) cannot be renamed
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return target, list(names)
