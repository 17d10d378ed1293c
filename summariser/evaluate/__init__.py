"""Quality you can measure: python -m summariser.evaluate COMMAND DATA

* ``summaries DATA.jsonl``: ROUGE-1/2/L F1 ×100 (rouge-score, stemmer on) of each method against
  the joined reference highlights, all methods in one run and at the same length
  (``--sentences``, default 3; ``--sentences 0`` uses the product's adaptive length), with mean
  summary words and ms per article, and how readable the summaries are on their own: the share
  of summaries with an orphaned sentence and with a bare quote (``readability.py``).
  Abstractive methods write at most that many sentences, at their natural length, and are scored
  on what passes the faithfulness guard.
* ``extraction DIR``: token-level precision/recall/F1 of the extracted article text against
  ``articleBody`` (the measure of the article-extraction benchmark the data comes from), for our
  extractor and for plain ``trafilatura.extract`` in the same run.
* ``pastes DIR``: each page of a folder laid out as ``extraction-dev/`` digested as its HTML, as
  the text a browser's select-all + copy gives, and as that paste read by the line rules alone
  (the baseline): clean digests (every summary sentence from the article body) of all pages
  and of the digests given, right titles, false refusals, and the precision and recall of the
  paste's lines kept as the body.
* ``related LABELS.jsonl --pages DIR``: the digest's related headlines against hand-labelled
  page links, precision and recall on the sure labels, with the old rules (the baseline) on the
  same candidates in the same run.
* ``quotes GOLD.jsonl``: quote recall and precision (a quote matches when word overlap ≥ 0.8;
  precision over found quotations of 4+ words, the gold's own bar, and over all of them) and
  attribution accuracy on found gold quotes whose gold speaker is a name; gold speakers that are
  bare pronouns are reported apart, since a lone paragraph cannot resolve them.
* ``quotes LABELS.jsonl --pages DIR``: key quotes as a digest shows them on whole pages
  (``key-quotes-dev.jsonl``, every quotation labelled with its kind and speaker; DIR holds its
  page sets), beside the choice before in the same run: the share of shown quotes that are a
  statement credited to the right speaker, and of the pages where a named person makes a
  statement that show a key quote; and the speaker accuracy on every labelled quotation.
  ``--part tune|test`` takes half the sites (by a hash of the site's name).

* ``pages DIR``: any shared page set read as HTML by ours and by plain trafilatura, and pasted
  whole by ours: body (token F1, or the must / must-not snippets, or the first words), title,
  author and date, per language; ``--part held-out`` scores only the held-out fifth of sites.

One module a task (``summaries``, ``extraction``, ``pastes``, ``pages``, ``related``,
``quotes``), ``cli`` the command line. Each takes ``--json`` (one JSON object on stdout) and
``--predictions OUT.jsonl``.
"""

from summariser.evaluate.cli import main

__all__ = ["main"]
