"""python -m summariser ARTICLE.txt | page.html | URL | - [...] [--json]

One digest per input, in order, with the model loaded once. With ``--json`` each input gives one
JSON line (JSON Lines) carrying an ``input`` key; a failed input gives
``{"input": ..., "error": {"kind": ..., "message": ...}}`` and the others still run. Exit code 0
when every input worked; otherwise the exit code of the first failure (see ``summariser.errors``).
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
import textwrap
from pathlib import Path

from dotenv import find_dotenv, load_dotenv

from summariser.config import SummariserSettings
from summariser.digest import Digester
from summariser.errors import BadURL, DigestError, UnsupportedInput
from summariser.fetch import check_url
from summariser.models import Digest
from summariser.summarise import ALIASES, SUMMARISERS

INTERNAL_ERROR = 1
# an address given without its scheme: "www.example.com/news", "bbc.co.uk/news" (a name ending in
# a common top-level domain), not a file's name such as "notes.txt"
_ADDRESS = re.compile(r"(?:www\.|(?:[a-z0-9-]+\.)+(?:com|org|net|edu|gov|co|uk|de|fr|es|it|"
                      r"nl|eu|info|news|io)(?:[/:?#]|$))", re.IGNORECASE)


def _parser() -> argparse.ArgumentParser:
    methods = ", ".join([*SUMMARISERS, *ALIASES])
    parser = argparse.ArgumentParser(
        prog="python -m summariser",
        description="Digest news articles: summary, key quotes with speakers, related headlines.",
    )
    parser.add_argument("inputs", nargs="+", metavar="INPUT",
                        help="a .txt or .html file, an http(s) URL, or - for standard input")
    parser.add_argument("--json", action="store_true", help="print JSON Lines, one per input")
    parser.add_argument("--method", default=None, help=f"summariser ({methods})")
    parser.add_argument("--sentences", type=int, default=None, metavar="N",
                        help="summary length in sentences (default: adaptive, 2-5)")
    parser.add_argument("--url", default=None,
                        help="where a file or standard input came from (default for a saved "
                             "page: the address it gives for itself)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    return parser


def render_text(digest: Digest) -> str:
    """A digest as readable plain text for a terminal."""
    width = 88
    lines = [digest.title or "(untitled)"]
    if digest.site or digest.url:
        lines.append(" · ".join(x for x in (digest.site, digest.url) if x))
    lines.append("")
    lines.append("Summary")
    for sentence in digest.summary:
        lines.append(textwrap.fill(sentence, width, initial_indent="  • ",
                                   subsequent_indent="    "))
    if digest.quotes:
        lines += ["", "Key quotes"]
        for quote in digest.quotes:
            who = f" — {quote.speaker}" if quote.speaker else ""
            lines.append(textwrap.fill(f"“{quote.text}”{who}", width, initial_indent="  • ",
                                       subsequent_indent="    "))
    if digest.related:
        lines += ["", "Related headlines"]
        for headline in digest.related:
            link = f" <{headline.url}>" if headline.url else ""
            lines.append(textwrap.fill(headline.title + link, width, initial_indent="  • ",
                                       subsequent_indent="    "))
    lines += ["", footer(digest)]
    return "\n".join(lines)


def footer(digest: Digest) -> str:
    """The last line of a text digest: words before and after, reduction, method, time."""
    return (
        f"{digest.words:,} words → {digest.summary_words:,} words · {digest.reduction}% shorter"
        f" · {digest.method} · {digest.elapsed_ms / 1000:.1f} s"
    )


def _digest_one(digester: Digester, item: str, method: str | None, count: int | None,
                url: str | None = None) -> Digest:
    if item == "-":
        return digester.from_bytes(sys.stdin.buffer.read(), "stdin", url=url, method=method,
                                   sentences=count)
    if "://" in item:
        return digester.from_url(item, method=method, sentences=count)
    path = Path(item)
    if not path.is_file():
        if _ADDRESS.match(item) and not path.exists():  # "www.example.com/news"
            raise BadURL.because("no_scheme")
        raise UnsupportedInput.because("no_file", path=str(item))
    return digester.from_bytes(path.read_bytes(), path.name, url=url, method=method,
                               sentences=count)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status (0, or the first failure's code)."""
    args = _parser().parse_args(argv)
    load_dotenv(find_dotenv(usecwd=True))  # the .env of where it is run, or above
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        digester = Digester(SummariserSettings.from_env())
        digester.warm_up(args.method)  # load once, so each footer times its own digest
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except DigestError as exc:
        print(f"error: {exc.reason}", file=sys.stderr)
        return exc.exit_code
    if args.sentences is not None and not 1 <= args.sentences <= 20:
        print("error: --sentences must be between 1 and 20", file=sys.stderr)
        return 2
    if args.url is not None:
        if len(args.inputs) > 1:
            print("error: --url names where one input came from: give one input with it",
                  file=sys.stderr)
            return 2
        try:
            check_url(args.url)
        except BadURL as exc:
            print(f"error: --url: {exc.reason}", file=sys.stderr)
            return 2

    status = 0
    for position, item in enumerate(args.inputs):
        try:
            digest = _digest_one(digester, item, args.method, args.sentences, args.url)
        except DigestError as exc:
            error, code = exc.to_json(), exc.exit_code
        except Exception as exc:  # a bug, not the user's fault: say so briefly, keep going
            logging.getLogger(__name__).exception("failed on %s", item)
            error, code = {"kind": "internal", "message": f"internal error: {exc}"}, INTERNAL_ERROR
        else:
            if args.json:
                print(json.dumps({"input": item, **digest.to_json()}, ensure_ascii=False))
            else:
                if position:
                    print("\n" + "─" * 88 + "\n")
                print(render_text(digest))
            continue
        status = status or code
        if args.json:
            print(json.dumps({"input": item, "error": error}, ensure_ascii=False))
        else:
            print(f"{item}: {error['message']}", file=sys.stderr)
        sys.stdout.flush()
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
