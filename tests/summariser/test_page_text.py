"""The browser-like paste of a whole page: what select-all + copy gives."""

from conftest import read

from summariser.page_text import page_text


def test_a_page_pastes_as_lines_of_visible_text_without_list_marks_or_scripts():
    html = (
        "<html><head><title>T</title><style>p{color:red}</style>"
        "<script>var tracking = 1;</script></head><body>"
        "<nav><ul><li>Home</li><li>World</li><li>Sport</li></ul></nav>"
        "<h1>Council approves tram line</h1>"
        "<p>The council approved the tram line on Monday.</p>"
        "<p>Work starts in <b>spring</b>.</p>"
        "<ol><li>First related story</li><li>Second related story</li></ol>"
        "</body></html>"
    )
    lines = page_text(html).splitlines()
    assert [line for line in lines if line] == [
        "Home", "World", "Sport", "Council approves tram line",
        "The council approved the tram line on Monday.", "Work starts in spring.",
        "First related story", "Second related story",
    ]
    assert "tracking" not in page_text(html) and "color" not in page_text(html)
    assert "\n\n\n" not in page_text(html)


def test_a_real_page_paste_keeps_its_chrome_around_the_article():
    text = page_text(read("wire-style-page.html"))
    assert "A Dutch court on Thursday ordered budget airline SkyLow" in text
    assert text.count("\n") > 10  # menus, lists and footer lines, as a reader's paste has
