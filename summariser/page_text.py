"""What a reader pastes after selecting a whole web page in a browser and copying it.

The evaluation and training need pastes as people make them: menus, link lists, "most read"
boxes, cookie and newsletter notices, captions and footers around the article; the content
model reads an HTML page's lines this way too (``extract._Reading``). ``page_text``
lays the page out as a browser does (``inscriptis``: block elements on lines of their own,
tables in rows, no scripts or styles) with one change: list items get no bullet or number,
since a browser's copy carries none (it is CSS that draws them). Indentation and runs of blank
lines go too.
"""

from __future__ import annotations

import re
from typing import Any

from lxml.html import HtmlElement

_BLANK_RUN = re.compile(r"\n{3,}")


def page_text(html: str | HtmlElement) -> str:
    """The visible text of ``html`` (markup, or a page already parsed) as select-all + copy
    gives it."""
    from inscriptis import Inscriptis, get_text
    from inscriptis.css_profiles import CSS_PROFILES
    from inscriptis.model.config import ParserConfig
    from inscriptis.model.tag import CustomHtmlTagHandlerMapping

    def list_item(state: Any, _attributes: dict[str, str]) -> None:
        state.tags[-1].write("")  # a block of its own, with no bullet

    config = ParserConfig(
        css=CSS_PROFILES["strict"], display_links=False, display_images=False,
        custom_html_tag_handler_mapping=CustomHtmlTagHandlerMapping(
            start_tag_mapping={"li": list_item}, end_tag_mapping={}),
    )
    text = get_text(html, config) if isinstance(html, str) else Inscriptis(html, config).get_text()
    lines = (line.strip() for line in text.splitlines())
    return _BLANK_RUN.sub("\n\n", "\n".join(lines)).strip() + "\n"
