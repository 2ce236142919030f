"""Every text a reader sees has a Vietnamese translation (issue 18, "done when").

``r57 i18n check`` per area: no untranslated or fuzzy text, and no translation that lost a
``{placeholder}``, a bold mark, an HTML tag or a heading mark of its source. The catalogues are
compared with the sources as they are now, so a new English sentence without its translation
fails here, naming the area's .po file a translator opens.
"""

from __future__ import annotations

import pytest

from analysis.reports import messages


@pytest.fixture(scope="module")
def problems():
    return messages.check("vi")


@pytest.mark.parametrize("area", messages.AREA_ORDER)
def test_every_text_of_the_area_is_translated(problems, area):
    mine = [str(p) for p in problems if p.area == area]
    assert mine == [], f"{len(mine)} problems (fix with r57 i18n update, then edit the .po):\n" + "\n".join(mine[:40])


def test_every_catalogue_belongs_to_an_area():
    from analysis import i18n

    assert sorted(p.stem for p in i18n.catalogue_files("vi")) == sorted(messages.AREA_ORDER)
