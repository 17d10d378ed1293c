"""Thousands of generated inputs through the whole pipeline: none may end "internal".

    python -m benchmarks.fuzz [DATA.jsonl] [--count 5000] [--seed 7] [--method minilm]

Inputs are made from real articles (the CNN dev file by default, plus the project's own test
pages) by random mutation: cut, repeated or shuffled pieces, injected quotation marks, brackets,
abbreviations, captions, headline lists, control and zero-width characters, HTML tags, very long
lines, invalid UTF-8; and the hostile cases of ``tests/hostile.py`` at random sizes. Each goes
through ``Digester.from_bytes`` (as a ``message.txt`` or ``.html`` upload would) or ``from_text``.
A ``DigestError`` is a fine answer; any other exception is a bug and is printed with its input's
seed so it can be reproduced. Prints the outcomes by kind, the slowest input and the total.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from hostile import CASES  # noqa: E402

from benchmarks.speed import DEFAULT_DATA, load_articles  # noqa: E402

NOISE = [
    "“", "”", '"', "'", "‘", "’", "(", ")", "[", "]", "Mr. ", "J. ", "U.S. ", "...", "?!", "\n",
    "\n\n", "\t", "\u200b", "\ufeff", "\x07", "\u00a0", "—", " said ", ", he said.", "Picture: PA",
    "Read more: ", "More Latest News\n", "Comments\n", "By A Reporter\n", "<div>", "</p>",
    "<a href",
    "https://example.com/x ", "©", "…", "\u202e", "😀", "```", "@everyone", "<@123>",
]


def mutate(text: str, rng: random.Random) -> str:
    """One article, damaged in a few random ways."""
    for _ in range(rng.randint(1, 6)):
        operation = rng.randrange(8)
        at = rng.randrange(len(text) + 1)
        if operation == 0:  # cut a piece out
            text = text[:at] + text[at + rng.randint(1, 2000):]
        elif operation == 1:  # repeat a piece many times
            piece = text[at : at + rng.randint(1, 60)] or "x"
            text = text[:at] + piece * rng.randint(2, 3000) + text[at:]
        elif operation == 2:  # sprinkle noise
            for _ in range(rng.randint(1, 400)):
                spot = rng.randrange(len(text) + 1)
                text = text[:spot] + rng.choice(NOISE) + text[spot:]
        elif operation == 3:  # shuffle the paragraphs
            parts = text.split("\n")
            rng.shuffle(parts)
            text = "\n".join(parts)
        elif operation == 4:  # no line breaks at all, or one per sentence
            text = text.replace("\n", " ") if rng.random() < 0.5 else text.replace(". ", ".\n")
        elif operation == 5:  # a run of one noise piece
            text = text[:at] + rng.choice(NOISE) * rng.randint(100, 20_000) + text[at:]
        elif operation == 6:  # wrap it as a page
            text = f"<html><body><article><p>{text.replace(chr(10), '</p><p>')}</p></article>"
        else:  # truncate
            text = text[: rng.randint(0, len(text))]
    return text


def make_input(articles: list[str], seed: int) -> tuple[str, bytes | str]:
    """(how it is given, the input) for ``seed``: reproducible one by one."""
    rng = random.Random(seed)
    if rng.random() < 0.15:
        case = rng.choice(CASES)
        return "text", case.make(rng.choice((1_000, 20_000, 200_000)))
    text = mutate(rng.choice(articles), rng)
    roll = rng.random()
    if roll < 0.1:
        data = text.encode("utf-8")
        spot = rng.randrange(len(data) + 1)
        return "bytes", data[:spot] + bytes([rng.randrange(128, 256)]) + data[spot:]
    if roll < 0.5:
        return "bytes", text.encode("utf-8")
    return "text", text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--method", default="minilm")
    args = parser.parse_args(argv)

    from summariser.config import SummariserSettings
    from summariser.digest import Digester
    from summariser.errors import DigestError

    articles = load_articles(args.data, 200, max_words=2000)
    articles += [p.read_text(encoding="utf-8") for p in (ROOT / "tests" / "data").glob("*.*")
                 if p.suffix in (".txt", ".html")]
    digester = Digester(SummariserSettings(method=args.method))
    digester.warm_up()
    outcomes: Counter[str] = Counter()
    internal: list[int] = []
    slowest = (0.0, -1)
    started = time.perf_counter()
    for number in range(args.count):
        seed = args.seed * 1_000_003 + number
        how, value = make_input(articles, seed)
        t = time.perf_counter()
        try:
            if how == "bytes":
                name = "page.html" if value.lstrip()[:1] == b"<" else "message.txt"
                digester.from_bytes(value, name)
            else:
                digester.from_text(value)
            outcomes["digest"] += 1
        except DigestError as exc:
            outcomes[exc.kind] += 1
        except Exception:
            outcomes["INTERNAL"] += 1
            internal.append(seed)
            print(f"internal error for seed {seed}:", file=sys.stderr)
            traceback.print_exc()
        slowest = max(slowest, (time.perf_counter() - t, seed))
        if (number + 1) % 500 == 0:
            print(f"{number + 1} inputs, {time.perf_counter() - started:.0f} s", flush=True)
    total = time.perf_counter() - started
    print(f"{args.count} generated inputs in {total:.0f} s "
          f"({1000 * total / max(1, args.count):.0f} ms each on average)")
    print("outcomes: " + ", ".join(f"{kind} {n}" for kind, n in outcomes.most_common()))
    print(f"slowest input: {slowest[0]:.2f} s (seed {slowest[1]})")
    print(f"internal errors: {len(internal)}" + (f" (seeds {internal[:20]})" if internal else ""))
    return 1 if internal else 0


if __name__ == "__main__":
    sys.exit(main())
