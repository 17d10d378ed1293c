"""The evaluation command line: ``python -m summariser.evaluate COMMAND DATA``."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from pathlib import Path

from summariser.evaluate import __doc__ as evaluate_doc
from summariser.evaluate import extraction, pages, pastes, quotes, related, summaries
from summariser.summarise import resolve_method

# the commands whose data is one JSON Lines file; the others read a folder laid out as the
# shared page sets are
JSONL_DATA = frozenset({"summaries", "quotes", "related"})


def _lengths(value: str) -> list[int]:
    lengths = [0 if part.strip() in ("0", "adaptive") else int(part) for part in value.split(",")
               if part.strip()]
    if not lengths or min(lengths) < 0:
        raise argparse.ArgumentTypeError("give sentence counts, or 0/adaptive")
    return lengths


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m summariser.evaluate", description=evaluate_doc)
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("summaries", help="ROUGE of each method against reference highlights")
    s.add_argument("data", type=Path)
    s.add_argument("--methods", default="lead3,default")
    s.add_argument("--sentences", type=_lengths, default=[3, 0],
                   help="summary lengths, comma-separated, each for every method: a number "
                        "of sentences, or 0 / 'adaptive' for the product's length "
                        "(default 3,adaptive)")
    s.add_argument("--limit", type=int, default=None)
    e = sub.add_parser("extraction", help="extracted text against the true article body")
    e.add_argument("data", type=Path)
    q = sub.add_parser("quotes", help="quote finding and speaker attribution")
    q.add_argument("data", type=Path)
    q.add_argument("--part", choices=("all", "tune", "test"), default="all",
                   help="the tuning or test half of the articles (of the sites with "
                        "--pages), or all")
    q.add_argument("--pages", type=Path, default=None,
                   help="key quotes as shown on whole pages: DATA is key-quotes-dev.jsonl, "
                        "DIR the folder holding its page sets (extraction-dev/, "
                        "pages-readability/)")
    q.add_argument("--texts", type=Path, default=None,
                   help="the articles that labels kept apart from their text label, by id "
                        "(summaries-fr-dev.jsonl for tests/data/lang/quotes-fr-labels.jsonl), "
                        "or the folder holding the page sets their pages are in (../shared/eval "
                        "for tests/data/lang/quotes-de-*.jsonl)")
    q.add_argument("--cache", type=Path, default=None,
                   help="with --pages: a folder to keep the extracted paragraphs in")
    pa = sub.add_parser("pastes", help="whole pages as HTML and as pasted text, digested")
    pa.add_argument("data", type=Path)
    pa.add_argument("--limit", type=int, default=None)
    r = sub.add_parser("related", help="related headlines against hand-labelled page links")
    r.add_argument("data", type=Path, help="labels, JSON Lines (related-dev.jsonl layout)")
    r.add_argument("--pages", type=Path, required=True,
                   help="the pages' folder (html/<id>.html.gz), as extraction-dev/")
    r.add_argument("--also", nargs=2, type=Path, action="append", default=[],
                   metavar=("LABELS", "PAGES"), help="another labelled set and its pages")
    r.add_argument("--allsides", type=Path, default=None,
                   help="stories-allsides.jsonl.gz: feed matching on its held-out stories")
    r.add_argument("--ecbplus", type=Path, default=None,
                   help="stories-ecbplus.jsonl: 'Earlier in this server' on its held-out topics")
    r.add_argument("--page-feeds", action="store_true",
                   help="also each page's link headlines as its site's feed, through the "
                        "feed path (judge and pair reader), by language")
    pg = sub.add_parser("pages", help="body, title, author and date of any shared page set, "
                        "ours beside plain trafilatura, per language; as HTML and pasted whole")
    pg.add_argument("data", type=Path)
    pg.add_argument("--part", choices=pages.PARTS, default="all",
                    help="the held-out sites (a fifth), the others, the final held-out fifth "
                         "(another hash), the others, or all")
    pg.add_argument("--limit", type=int, default=None)
    for p in (s, e, q, pa, r, pg):
        p.add_argument("--predictions", type=Path, default=None)
        p.add_argument("--json", action="store_true")
    return parser


def main(argv: Iterable[str] | None = None) -> int:
    """The evaluation command line; prints the report as a table or JSON."""
    args = _parser().parse_args(list(argv) if argv is not None else None)
    given = [args.data, *(p for pair in getattr(args, "also", []) for p in pair), *(
        getattr(args, name, None) for name in ("pages", "allsides", "ecbplus", "texts"))]
    for path in (p for p in given if p is not None):
        if not path.exists():
            print(f"error: {path} does not exist", file=sys.stderr)
            return 2
    if (args.command in JSONL_DATA) != args.data.is_file():
        wanted = "a JSON Lines file" if args.command in JSONL_DATA else "a folder of pages"
        print(f"error: {args.command} reads {wanted}; {args.data} is not one", file=sys.stderr)
        return 2
    try:
        return _run(args)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        print(f"error: cannot read the data given ({exc})", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    if args.command == "summaries":
        methods = [m.strip() for m in args.methods.split(",") if m.strip()]
        try:
            for method in methods:
                resolve_method(method)
        except ValueError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        result = summaries.evaluate_summaries(args.data, methods, args.sentences, args.limit,
                                    args.predictions)
        printer = summaries.print_summaries
    elif args.command == "extraction":
        result = extraction.evaluate_extraction(args.data, args.predictions)
        printer = extraction.print_extraction
    elif args.command == "related":
        result = related.evaluate_related(args.data, args.pages, args.predictions,
                                          [tuple(pair) for pair in args.also], args.allsides,
                                          args.ecbplus, args.page_feeds)
        printer = related.print_related
    elif args.command == "pages":
        result = pages.evaluate_pages(args.data, args.predictions, args.part, args.limit)
        printer = pages.print_pages
    elif args.command == "pastes":
        result = pastes.evaluate_pastes(args.data, args.predictions, args.limit)
        printer = pastes.print_pastes
    elif args.pages is not None:
        result = quotes.evaluate_pages(args.data, args.pages, args.predictions, args.part,
                                       args.cache)
        printer = quotes.print_pages
    else:
        result = quotes.evaluate_quotes(args.data, args.predictions, args.part, args.texts)
        printer = quotes.print_quotes
    if args.json:
        print(json.dumps(result))
    else:
        printer(result)
    return 0
