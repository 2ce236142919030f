"""``r57 site build DIR``: the publishable site, copied out of ``reports/`` into a clean folder.

``reports/`` is r57's working folder: beside the pages it holds locks (``.locks/``), run records
(``run.json``), the marker of every run folder (``.r57-output``), ad-hoc ``r57 run`` folders
(``<report>/custom-*``), failed runs' notebooks and tracebacks, the history snapshots and a README.
The published site is only what a reader follows from the two indexes, per edition (English at the
root, Vietnamese in ``vi/``):

- ``index.html``, ``glossary.html``, ``tables.zip`` (every report's CSVs), the comparison pages
  ``compare-*.html`` (and their PDFs);
- for each scenario of ``scenarios/``: ``report.html``, ``report.pdf``, ``results.json``,
  ``tables/*.csv`` and ``tables/tables.xlsx`` (``notebook.ipynb`` too with ``--with-notebooks``), and, for a scenario whose
  last run failed, the page the index links to say what failed (``<name>.failed/error.html``).

Every file is written 0644 and every folder 0755 whatever the umask, so a web server running as
another user can serve them. The site is built in a temporary sibling of DIR and renamed into place
(a failure leaves the last good DIR as it was). DIR must be absent, empty or a folder an earlier
``site build`` wrote, by the rule every r57 writer follows (:mod:`analysis.run.ownership`): each build
records what it wrote, with SHA-256 checksums, in the folder's manifest, and a DIR holding anything
else, or a recorded file changed since, is refused (:class:`~analysis.errors.OutputDirError`, exit 2)
naming it.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

from analysis import i18n, paths
from analysis.errors import OutputDirError, R57Error
from analysis.reports.tables import WORKBOOK, ZIP_NAME
from analysis.run import ownership
from analysis.run.catalogue import NAME_RE, RESERVED_NAMES
from analysis.run.records import locked
from analysis.run.runner import remove_stale_temporaries
from analysis.run.site import EDITIONS, GLOSSARY_PAGE

EDITION_PAGES = ("index.html", GLOSSARY_PAGE, ZIP_NAME)
EDITION_GLOBS = ("compare-*.html", "compare-*.pdf")
REPORT_FILES = ("report.html", "report.pdf", "results.json")
NOTEBOOK = "notebook.ipynb"
ERROR_PAGE = "error.html"  # <name>.failed/error.html: what the index links for a failed scenario


class SiteSourceError(R57Error):
    """``reports/`` holds no built site to publish (no index): ``make reports`` has not run."""


def _edition_prefix(lang: str) -> str:
    return "" if lang == i18n.SOURCE_LANG else f"{lang}/"


def catalogue_names(scenarios_dir: Path | None = None) -> list[str]:
    """The scenario names of ``scenarios/`` (file stems that can name a report folder), sorted.

    A file that does not load is still named here: the index shows it as refused and links its
    report from an earlier run, so that report is published too.
    """
    folder = Path(scenarios_dir or paths.SCENARIOS_DIR)
    if not folder.is_dir():
        return []
    return sorted(
        p.stem
        for p in folder.iterdir()
        if p.suffix.lower() in (".yaml", ".yml") and NAME_RE.match(p.stem) and p.stem.casefold() not in RESERVED_NAMES
    )


def _regular(root: Path, rel: str) -> bool:
    """``root/rel`` is a regular file reached from ``root`` without following a symbolic link (a link
    in reports/ could publish any file on the machine)."""
    path = root
    for part in Path(rel).parts:
        path = path / part
        if path.is_symlink():
            return False
    return path.is_file()


def site_files(reports_dir: Path, names: list[str], with_notebooks: bool = False) -> list[str]:
    """The publishable files under ``reports_dir`` as sorted POSIX paths relative to it.

    Parameters
    ----------
    reports_dir : Path
        The built reports folder (``reports/``).
    names : list[str]
        The catalogue's scenario names (:func:`catalogue_names`).
    with_notebooks : bool
        Also publish each report's executed ``notebook.ipynb``.

    Returns
    -------
    list[str]
        Every file of the site that exists, each once.
    """
    wanted: list[str] = []
    per_report = REPORT_FILES + ((NOTEBOOK,) if with_notebooks else ())
    for lang in EDITIONS:
        prefix = _edition_prefix(lang)
        folder = reports_dir / prefix
        wanted += [prefix + page for page in EDITION_PAGES]
        wanted += [prefix + p.name for pattern in EDITION_GLOBS for p in folder.glob(pattern)]
        for name in names:
            wanted += [f"{prefix}{name}/{f}" for f in per_report]
            wanted += [f"{prefix}{name}/tables/{p.name}" for p in (folder / name / "tables").glob("*.csv")]
            wanted.append(f"{prefix}{name}/tables/{WORKBOOK}")
            wanted.append(f"{prefix}{name}.failed/{ERROR_PAGE}")
    return sorted({w for w in wanted if _regular(reports_dir, w)})


def _check_source(reports_dir: Path) -> None:
    """Refuse a reports folder without every edition's index (the site was never built)."""
    for lang in EDITIONS:
        index = reports_dir / _edition_prefix(lang) / "index.html"
        if not _regular(reports_dir, _edition_prefix(lang) + "index.html"):
            raise SiteSourceError(
                f"{index} is missing: there is no built site to publish; run `make reports` (r57 run-all) first"
            )


def check_site_dir(target: Path, reports_dir: Path) -> Path:
    """Refuse a DIR that ``site build`` must not replace; return its absolute path (links not followed).

    Raises
    ------
    OutputDirError
        DIR is a symbolic link, a file, the reports folder, inside it or around it, inside one of r57's
        input folders (also through a link), or holds anything an earlier build did not write (named, with
        what to do).
    """
    target = Path(os.path.abspath(target))
    reports_dir = Path(os.path.abspath(reports_dir))
    why = ""
    if target.parent == target:
        why = "is the root of the file system"
    elif target.is_symlink():
        why = "is a symbolic link; give the real folder"
    elif target == reports_dir or reports_dir in target.parents or target in reports_dir.parents:
        why = f"is {reports_dir}, inside it or around it; publish to a folder of its own"
    elif ownership.in_input_folder(target):  # data/raw (data verify would then fail), scenarios, notebooks
        why = "is inside one of r57's own input folders (data, notebooks, scenarios, the source code); give a path outside them"
    elif target.exists() and not target.is_dir():
        why = "is a file, not a folder"
    if why:
        raise OutputDirError(f"site folder {target} {why}")
    ownership.check_folder(target, "site folder")  # what an earlier build wrote, unchanged (its manifest)
    return target


def _copy(src: Path, dst: Path) -> None:
    """Copy ``src``'s bytes to a new file ``dst`` (folders made as needed; modes are set by the seal)."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    with open(src, "rb") as fin, open(dst, "xb") as fout:
        shutil.copyfileobj(fin, fout, 1 << 20)


def build_site(
    target: Path | str, reports_dir: Path | None = None, with_notebooks: bool = False
) -> tuple[Path, list[str]]:
    """Write the publishable site of ``reports_dir`` to ``target``, replacing an earlier build there.

    Parameters
    ----------
    target : Path or str
        DIR: absent, empty, or written by an earlier ``site build`` (see :func:`check_site_dir`).
    reports_dir : Path, optional
        The built reports folder (default ``paths.REPORTS_DIR``).
    with_notebooks : bool
        Also publish each report's executed notebook.

    Returns
    -------
    tuple[Path, list[str]]
        DIR (absolute) and the files written, relative to it.

    Raises
    ------
    SiteSourceError
        ``reports_dir`` has no built index.
    OutputDirError
        DIR may not be replaced (named, with the reason).
    """
    reports_dir = Path(reports_dir or paths.REPORTS_DIR)
    _check_source(reports_dir)
    target = check_site_dir(Path(target), reports_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(target.parent, target.name)  # left by a killed build
    tmp = target.with_name(f".tmp-{target.name}-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    tmp.mkdir()
    try:
        with locked("index"):  # run-all writes the indexes and comparison pages under this lock
            names = site_files(reports_dir, catalogue_names(), with_notebooks)
            for name in names:
                _copy(reports_dir / name, tmp / name)
        ownership.seal(tmp)  # the record of what this build wrote: the next build may replace exactly that
        check_site_dir(target, reports_dir)  # nothing foreign appeared while copying
        old = None
        if target.exists():
            old = target.with_name(f".old-{target.name}-{os.getpid()}-{uuid.uuid4().hex[:8]}")
            os.replace(target, old)
        os.replace(tmp, target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return target, names
