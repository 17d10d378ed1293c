import pytest

from summariser.document import Document
from summariser.paste import parse_paste
from summariser.sentences import cites, ends_sentence, split_paragraph, split_sentences, trails_off


def test_titles_and_abbreviations_do_not_end_sentences():
    text = "Mr. Smith met Dr. Jones on Jan. 5 at 3.30 p.m. in the city. They talked for an hour."
    assert split_paragraph(text) == [
        "Mr. Smith met Dr. Jones on Jan. 5 at 3.30 p.m. in the city.",
        "They talked for an hour.",
    ]


def test_a_title_before_a_name_ends_no_sentence():
    text = ("A call included LAPD Asst. Chief Earl Paysinger, according to interviews. Sens. "
            "Warren and Sanders wrote to Brig. Gen. Ann Lee. Nobody answered.")
    assert split_paragraph(text) == [
        "A call included LAPD Asst. Chief Earl Paysinger, according to interviews.",
        "Sens. Warren and Sanders wrote to Brig. Gen. Ann Lee.",
        "Nobody answered.",
    ]


def test_german_amounts_figures_streets_and_dates_end_no_sentence():
    text = ("Die Ausgaben stiegen um 10 Mrd. Euro und 3 Mio. Franken (Abb. 1). Sie wohnt in der "
            "Hauptstr. 5 ab dem 1. 1. 2023 im 1. und 2. Lehrjahr. Danach kam nichts.")
    assert split_paragraph(text) == [
        "Die Ausgaben stiegen um 10 Mrd. Euro und 3 Mio. Franken (Abb. 1).",
        "Sie wohnt in der Hauptstr. 5 ab dem 1. 1. 2023 im 1. und 2. Lehrjahr.",
        "Danach kam nichts.",
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


@pytest.mark.parametrize(("text", "entry"), [
    # a reference list's entries (acpjournals, a bumblebee page's sources)
    ("Peasah SK ,Azziz-Baumgartner E ,Breese J ,et al .", True),
    ("Smeets P, Duchateau MJ, 2003.", True),
    ("Chao D. L., Halloran M. E., and Longini I. M. Vaccination strategies for pandemic.", True),
    # sentences of news that look a little like one
    ("Amir S., 38 ans, et son épouse Nasimeh N., 33 ans, ont été interceptés samedi.", False),
    ("Another possibility is Richard A. Grenell, a spokesman for John R. Bolton, the adviser.",
     False),
    ("It may be another Moto X, or a variant of the Moto M, which was released in Asia.", False),
    ("Smith et al. found that the vaccine worked in older people.", False),
    ("Apple CEO Tim Cook said Manchester United FC, Arsenal FC and others signed up.", False),
])
def test_a_reference_lists_entry_is_told_from_a_sentence(text, entry):
    assert cites(text) is entry


def test_no_sentence_of_a_reference_lists_entry_is_a_summary_candidate():
    article = [
        "The council approved the new tram line on Monday after a debate of four hours.",
        "Work on the line starts in the spring and should end within three years.",
        "The line will link the station with the university and the new hospital.",
        "Critics said the cost had doubled since the plan was first drawn up in 2015.",
        "Smeets P, Duchateau MJ, 2003. Hazards of lime trees to bumblebees in the summer.",
        "Koch H, Stevenson PC, 2017. Nectar of the lime tree and the bees that visit it.",
    ]
    document = Document(split_sentences(article))
    chosen = {document.sentences[i].text for i in document.candidates()}
    assert "Hazards of lime trees to bumblebees in the summer." not in chosen
    assert "Critics said the cost had doubled since the plan was first drawn up in 2015." in chosen


@pytest.mark.parametrize(("paragraph", "sentences"), [
    # Japanese and Chinese: a full-width mark ends a sentence, no space after it (pages-postlight
    # pl-0129, pl-0121; a Chinese digest's sentence held three)
    ("指紋認証リーダーを内蔵しています。左右対称型のマウスです。価格は未定！",
     ["指紋認証リーダーを内蔵しています。", "左右対称型のマウスです。", "価格は未定！"]),
    ("蔡健雅是新加坡歌手。她出生于1975年。", ["蔡健雅是新加坡歌手。", "她出生于1975年。"]),
    # ... but not inside a quotation, whose closing mark stays with its sentence
    ("「これは速い。とても速い」と彼は言った。次の話題です。",
     ["「これは速い。とても速い」と彼は言った。", "次の話題です。"]),
    ("彼は「速い。」と言った。", ["彼は「速い。」と言った。"]),
    # Latin text inside a piece is split as before
    ("Appleは新製品を発表した。Tim Cook was there. He spoke.",
     ["Appleは新製品を発表した。", "Tim Cook was there.", "He spoke."]),
])
def test_full_width_marks_end_japanese_and_chinese_sentences(paragraph, sentences):
    assert split_paragraph(paragraph) == sentences


def test_a_full_width_mark_ends_a_sentence_and_a_table_row_does_not():
    # pages-postlight pl-0129: "| MA-IRFP139BK | 9,900円（税抜き 9,000円） | |" was a summary
    # sentence, every Japanese sentence read as unfinished as the row
    assert ends_sentence("指紋認証リーダーを内蔵しています。")
    assert ends_sentence("「これは速い」と彼は言った。」") and ends_sentence("本当ですか？")
    assert not ends_sentence("| MA-IRFP139BK | 9,900円（税抜き 9,000円） | |")
