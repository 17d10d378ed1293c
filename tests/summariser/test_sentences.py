from summariser.document import Document
from summariser.paste import parse_paste
from summariser.sentences import split_paragraph, split_sentences, trails_off


def test_titles_and_abbreviations_do_not_end_sentences():
    text = "Mr. Smith met Dr. Jones on Jan. 5 at 3.30 p.m. in the city. They talked for an hour."
    assert split_paragraph(text) == [
        "Mr. Smith met Dr. Jones on Jan. 5 at 3.30 p.m. in the city.",
        "They talked for an hour.",
    ]


def test_decimals_and_initials_stay_inside_sentences():
    text = "Growth was 2.5% in the quarter. J. K. Rowling said so. Prices rose 0.4 points."
    assert split_paragraph(text) == [
        "Growth was 2.5% in the quarter.",
        "J. K. Rowling said so.",
        "Prices rose 0.4 points.",
    ]


def test_dotted_acronym_ends_a_sentence_only_before_an_opener():
    assert split_paragraph("The U.S. economy grew. It was fast.") == [
        "The U.S. economy grew.",
        "It was fast.",
    ]
    assert split_paragraph("He moved to the U.S. The move was sudden.") == [
        "He moved to the U.S.",
        "The move was sudden.",
    ]


def test_quoted_sentences_stay_with_their_cue():
    text = '“We will fight. We will win,” she said. Nobody disagreed. He said: "I am here. I stay."'
    assert split_paragraph(text) == [
        "“We will fight. We will win,” she said.",
        "Nobody disagreed.",
        'He said: "I am here. I stay."',
    ]


def test_closing_quote_after_full_stop_ends_the_sentence():
    text = 'They said it "met the level of hate speech." Amnesty did not comment.'
    assert split_paragraph(text) == [
        'They said it "met the level of hate speech."',
        "Amnesty did not comment.",
    ]


def test_an_unclosed_multi_paragraph_quote_still_splits_when_long():
    long_quote = "“" + " ".join(f"Point number {i} matters a great deal to us." for i in range(12))
    parts = split_paragraph(long_quote)
    assert len(parts) > 1
    assert parts[0].startswith("“Point number 0")


def test_sentences_are_numbered_in_article_order_across_paragraphs():
    sentences = split_sentences(["One is here. Two is there.", "Three ends it."])
    assert [(s.index, s.paragraph, s.text) for s in sentences] == [
        (0, 0, "One is here."),
        (1, 0, "Two is there."),
        (2, 1, "Three ends it."),
    ]


TEASED = """Ferry strike called off after late pay offer

23 things every island commuter knows about winter timetables…
The 14 best harbour cafés to wait in when the last boat has gone…
Ferry workers on the island routes have called off a planned strike after the operator made a late improved pay offer on Sunday night.
The union said its members would vote on the offer over the next fortnight, and that services would run normally in the meantime.
The operator said it was pleased that passengers would not face further disruption after a difficult year on the routes.
Island councillors had warned that a strike in the busiest weeks would leave shops short of fresh food and fuel.
The dispute began in the spring when the operator proposed changes to shift patterns on the longest crossings.
Talks resumed last week with an independent chair, and both sides said on Monday that they were glad an agreement had been reached.
"""


def test_a_sentence_that_trails_off_is_no_summary_candidate(digester):
    assert trails_off("23 things every island commuter knows…")
    assert trails_off('"I almost told them not to buy it…"')
    assert not trails_off("The union said so.")
    document = Document.of(parse_paste(TEASED))
    teasers = [s.index for s in document.sentences if trails_off(s.text)]
    assert teasers and not set(teasers) & set(document.candidates())
    digest = digester.from_text(TEASED)
    assert digest.summary and not any(trails_off(s) for s in digest.summary)


def test_a_footnotes_mark_after_a_full_stop_ends_the_sentence():
    from summariser.sentences import ends_sentence, split_paragraph

    text = "It was developed by van der Maaten and Hinton.[1] It is a method.[2][3] See [4] here."
    assert split_paragraph(text) == [
        "It was developed by van der Maaten and Hinton.[1]", "It is a method.[2][3]",
        "See [4] here."]
    assert ends_sentence("… and Hinton.[1]") and not ends_sentence("… see [4]")
