"""Unit tests of page-chrome removal and metadata on text the project writes itself."""
from __future__ import annotations

from datetime import date

import pytest
from dateutil import parser as dateparser
from hypothesis import given
from hypothesis import strategies as st

from policygraph.loaders.clean import clean_html, clean_text
from policygraph.loaders.meta import find_date, find_source


@pytest.mark.parametrize("text, iso", [
    ("BUSAN, Feb. 3 (Yonhap) -- The city said", "--02-03"),
    ("Sejong, March 4 (Yonhap) -- The ministry said", "--03-04"),
    ("Posted 2022-03-09 Hits 55", "2022-03-09"),
    ("DateJune 5, 2019", "2019-06-05"),
    ("Date 2024.11.02View 7", "2024-11-02"),
    ("on 14 July 2023 the mayor", "2023-07-14"),
    ("no date here, only 2020 and 25.8 percent", None),
])
def test_dates_in_their_many_forms(text, iso):
    assert find_date(text) == iso


@given(st.integers(1890, 2099), st.integers(0, 40), st.integers(0, 40), st.sampled_from("-./"),
       st.booleans(), st.text(alphabet="ab 9,", max_size=6))
def test_a_numeric_date_is_read_as_dateutil_reads_it(year, month, day, sep, padded, before):
    # numeric dates skip the parser: they must come out as it would read them, invalid ones included
    fields = [f"{n:02d}" if padded else str(n) for n in (month, day)]
    written = sep.join([str(year), *fields])
    try:
        value = dateparser.parse(written.replace(".", "-"), default=None, fuzzy=False).date()
        expected = value.isoformat() if 1900 <= value.year <= date.today().year + 1 else None
    except (ValueError, OverflowError):
        expected = None
    assert find_date(f"{before} {written} end") == expected


def test_a_dateline_in_title_case_leaves_the_story():
    body = clean_text("Ministry revamps complexes\n\nSejong, March 4 (Yonhap) -- The Ministry of Land, "
                      "Infrastructure and Transport said it will invest.\n")
    assert "Sejong" not in body.text and "(Yonhap)" not in body.text and "The Ministry of Land" in body.text


def test_source_from_dateline_and_email():
    assert find_source("ULSAN, May 1 (Yonhap) -- x") == "Yonhap"
    assert find_source("Sejong, March 4 (Newsis) -- x") == "Newsis"  # written in title case
    assert find_source("body\nreporter@yna.co.kr\n") == "Yonhap"
    # Of two outlets named, the first of OUTLETS; an address must end at the domain.
    assert find_source("see https://www.koreaherald.com/x and kim@yna.co.kr") == "Yonhap"
    assert find_source("kim@yna.co.krx and HTTP://KOREA.KR/page") == "Korea.net"
    assert find_source("no outlet here, not even chosun.com") == ""


ARTICLE = """Skip to content
main menu go
PRESS RELEASES
Busan opens hydrogen port
DateMarch 3, 2023
Busan Mayor Jang Min-ho said the city will foster hydrogen industries. Yonhap photo
The project starts next year with support from the Ministry of Oceans and Fisheries.
(END)
-
Singer tops chart for third week
-
Baseball team wins opener
-
Storm hits southern coast
"""


def test_chrome_is_removed_and_article_kept():
    out = clean_text(ARTICLE)
    assert out.title == "Busan opens hydrogen port"
    assert out.date == "2023-03-03"
    assert "hydrogen industries." in out.text and "Ministry of Oceans and Fisheries" in out.text
    for chrome in ("Skip to content", "main menu", "PRESS RELEASES", "Singer", "Baseball", "Yonhap photo", "(END)"):
        assert chrome not in out.text
    assert out.captions == ["Busan Mayor Jang Min-ho said the city will foster hydrogen industries."]


def test_headline_list_without_end_marker_is_dropped():
    text = "Governor Kim spoke about batteries at length and the province will invest heavily.\n" + \
           "\n".join(f"-\nUnrelated headline number {i}" for i in range(5))
    out = clean_text(text)
    assert "Unrelated" not in out.text and "batteries" in out.text


def test_comment_form_and_disclaimer_are_dropped():
    text = ("The ministry will support the display industry with new funds this year, officials said.\n"
            "Related Post\nLeave a Reply\nYour email address will not be published. Required fields are marked *\n")
    assert clean_text(text).text.endswith("officials said.")


def test_html_main_text_without_scripts_and_menus():
    html = ("<html><head><title>Ulsan backs hydrogen</title><script>var x='Samsung Electronics';</script></head>"
            "<body><nav><a href='/'>Home</a><a>Ministry of Unification</a></nav><article><h1>Ulsan backs hydrogen</h1>"
            "<p>Ulsan Mayor Kim Doo-gyeom said on Monday that the city will foster hydrogen vehicles and "
            "batteries with the Ministry of Environment over the next five years.</p></article>"
            "<footer>Copyright. All rights reserved.</footer></body></html>")
    out = clean_html(html)
    assert "hydrogen vehicles" in out.text and out.title == "Ulsan backs hydrogen"
    assert "Samsung" not in out.text and "Unification" not in out.text and "Copyright" not in out.text


def test_bylines_breadcrumbs_and_publication_stamps_are_chrome():
    page = clean_text("Home > Economy > Industry\n\nCity bets on drones\n\nBy Jung Min-ho, staff reporter\n"
                      "Published 2024.06.02 09:15\n\nThe city will build a drone testing field by 2030.\n"
                      "By 2030 the field will host 40 firms.\n")
    assert "Jung Min-ho" not in page.text and "Home >" not in page.text and "Published" not in page.text
    assert "By 2030 the field will host 40 firms." in page.text and page.title == "City bets on drones"


def test_a_korean_wire_dateline_leaves_the_story():
    page = clean_text("Gangwon bets on bio\n\n(Wonju = News1) Reporter Choi Min-ji = Gangwon Province said on the "
                      "17th it will invest in bio-health.\n")
    assert page.text.endswith("\n\nGangwon Province said on the 17th it will invest in bio-health.")
    assert page.source == "News1" and "Choi Min-ji" not in page.text
    assert clean_text("The plan (Phase = 2) is new.").text == "The plan (Phase = 2) is new."
