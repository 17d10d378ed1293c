"""What a reader pastes after selecting a whole web page in a browser and copying it.

The evaluation and training need pastes as people make them: menus, link lists, "most read"
boxes, cookie and newsletter notices, captions and footers around the article. ``page_text``
lays the page out as a browser does (``inscriptis``: block elements on lines of their own,
tables in rows, no scripts or styles), then drops what a browser's copy does not carry: list
bullets and numbers the renderer draws, indentation, and runs of blank lines.
"""

from __future__ import annotations

import re

_LIST_MARK = re.compile(r"^(?:\*|\d{1,3}\.)\s+")
_BLANK_RUN = re.compile(r"\n{3,}")


def page_text(html: str) -> str:
    """The visible text of ``html`` as select-all + copy gives it."""
    from inscriptis import get_text
    from inscriptis.css_profiles import CSS_PROFILES
    from inscriptis.model.config import ParserConfig

    config = ParserConfig(css=CSS_PROFILES["strict"], display_links=False,
                          display_images=False)
    lines = (_LIST_MARK.sub("", line.strip()) for line in get_text(html, config).splitlines())
    return _BLANK_RUN.sub("\n\n", "\n".join(lines)).strip() + "\n"
