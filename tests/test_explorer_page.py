"""The explorer as served by Voila (the command `make explore` runs): the page names no external host (Voila's
lab template links an icon font on a CDN; the r57-explorer template drops it), and a shared link opens the page
with its settings, refusing a bad one with the reason, in a real headless Chromium."""

from __future__ import annotations

import json
import re
import urllib.request
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from analysis.run import explore
from browser_page import Page, needs_chromium
from test_browser_explorer import FIGURE

pytestmark = pytest.mark.notebook

LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
URL = re.compile(r"""(?:[a-z][a-z0-9+.-]*:)?//[^\s"'<>()]+""", re.I)


class _Hosts(HTMLParser):
    """Every host a page names where a browser could fetch from it: attribute values (an ``xmlns`` or
    ``rdf:resource`` names a vocabulary, not a place, and is left out) and the text of scripts and styles."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self._in = None

    def handle_starttag(self, tag, attrs):
        self._in = tag if tag in ("script", "style") else None
        for name, value in attrs:
            if value and not (name.startswith("xmlns") or name == "rdf:resource"):
                self.found += URL.findall(value)

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in:
            self.found += URL.findall(data)


def external_hosts(html: str) -> set[str]:
    parser = _Hosts()
    parser.feed(html)
    return {urlsplit(u if "://" in u else "http:" + u).hostname or "" for u in parser.found} - LOOPBACK - {""}


def test_the_host_finder_sees_what_voilas_own_lab_template_links():
    lab = (
        '<html><head><link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/x.css"/>'
        '<script>import("https://cdnjs.cloudflare.com/m.mjs")</script><style>@import url(//fonts.example.org/a)</style>'
        '</head><body><svg xmlns="http://www.w3.org/2000/svg"><a href="/voila/x">x</a></svg>'
        '<img src="http://127.0.0.1:8866/a.png"></body></html>'
    )
    assert external_hosts(lab) == {"cdn.jsdelivr.net", "cdnjs.cloudflare.com", "fonts.example.org"}


def test_the_served_explorer_page_names_no_external_host(voila):
    # the page is answered once the notebook has run (one request, a deadline)
    html = urllib.request.urlopen(voila.url, timeout=180).read().decode()
    assert "r57-explorer" in html  # served with the explorer's template (no CDN), not Voila's lab page
    assert external_hosts(html) == set()


@needs_chromium
def test_a_shared_link_opens_the_explorer_with_its_settings_and_refuses_a_bad_one(tmp_path, voila):
    ex = explore.Explorer()
    key = "max_gerd_growth_pct"
    expected = dict(explore.figure_rows(ex.compute({"target_share_pct": 2.5, "path_shape": "linear"})))
    label = explore.figure_label(key)
    assert expected[label] != dict(explore.figure_rows(ex.compute({})))[label]
    link = "?target_share_pct=2.5&path_shape=linear&base_year=1800"
    page = Page(voila.url + "&" + link[1:], tmp_path)  # the token first, as `r57 explore` prints it
    try:
        # the link's settings, not the defaults drawn first
        want = json.dumps(expected[label])
        page.until(f"({FIGURE.replace('{key}', key)}) === {want}", 120, "the figures of the link's settings")
        shared = page.js("document.querySelector('#r57-link').value")
        # the token is never copied into a shared link
        assert shared == f"http://127.0.0.1:{voila.port}/?target_share_pct=2.5&path_shape=linear"
        refused = page.js("document.querySelector('.r57-status[role=alert]').textContent")
        assert "parameter 'base_year': 1800 is out of range" in refused
        # every request the page made went to the explorer's own server
        requested = page.js("performance.getEntriesByType('resource').map(e => e.name)")
        assert requested and {urlsplit(u).hostname for u in requested} <= LOOPBACK, requested
    finally:
        page.close()


@needs_chromium
def test_a_link_in_vietnamese_titles_the_tab_in_vietnamese_on_an_english_server(tmp_path, voila):
    # the tab kept the title of the language the server started in (English here)
    from analysis import i18n

    with i18n.language("vi"):
        title = i18n.gettext(explore.TITLE)
    page = Page(voila.url + "&" + explore.settings_query({}, "vi")[1:], tmp_path)
    try:
        page.until(f"document.title === {json.dumps(title)}", 120, "the tab's title in the link's language")
    finally:
        page.close()
