"""Key quotes a reader can trust, on real paragraphs of the shared pages (tests/data/key-quotes)."""

from conftest import read

from summariser.keyquotes import is_named_speaker, is_title
from summariser.quotes import find_quotes, key_quotes


def paragraphs(name):
    return [p for p in read(f"key-quotes/{name}").split("\n\n") if p.strip()]


def speaker_of(paras, opening):
    return next(q.speaker for q in find_quotes(paras) if q.text.startswith(opening))


def test_a_pronoun_skips_the_places_and_objects_nearest_it():
    paras = paragraphs("sputnik-prince-andrew.txt")
    assert speaker_of(paras, "I took the judgement call") == "Andrew"
    shown = key_quotes(paras)
    assert [q.speaker for q in shown if q.text.startswith("I took")] == ["Andrew"]
    assert not {q.speaker for q in shown} & {"Central Park", "Epstein", "Jeffrey Epstein"}


def test_he_added_is_the_person_not_the_company_named_after_him():
    paras = paragraphs("nytimes-con-edison.txt")
    assert speaker_of(paras, "You have water, sewage") == "Patrick McHugh"
    assert {q.speaker for q in key_quotes(paras)} == {"Patrick McHugh"}


def test_the_31_year_old_is_the_person_named_before():
    paras = paragraphs("rollingstone-chazelle.txt")
    assert speaker_of(paras, "I loved the idea") == "Damien Chazelle"
    assert [q.speaker for q in key_quotes(paras)] == ["Damien Chazelle"]


def test_titles_in_quotation_marks_are_no_key_quote():
    paras = paragraphs("indiewire-titles.txt")
    assert len(find_quotes(paras)) >= 3  # found as quotations ...
    assert key_quotes(paras) == []  # ... but not a statement, and "He’d fallen" is no one


def test_a_statement_no_cue_credits_is_not_shown():
    paras = paragraphs("jeongdong-review.txt")
    assert [q.speaker for q in find_quotes(paras)] == [None]
    assert key_quotes(paras) == []


def test_a_place_a_number_or_a_clause_is_no_speaker():
    paras = ["Jill Moss met voters in Iowa on Monday.",
             "Iowa: “We have the votes and we have the time to win this race.”",
             "Fifty-one percent say that “the governor should resign before the end of the year.”"]
    assert [q.speaker for q in find_quotes(paras)] == [None, None]
    for speaker in ("Audience members laughed when he", "Fifty-one percent", "the minister",
                    "He’d fallen", "One strategist"):
        assert not is_named_speaker(speaker), speaker
    for speaker in ("Chris Bryant", "ABC News", "Lee Jae-myung", "Ana de Souza"):
        assert is_named_speaker(speaker), speaker


def test_a_title_is_not_a_statement():
    assert is_title("A Paradise Built in Hell: The Extraordinary Communities that Arise in Disaster")
    assert not is_title("I shall be resigning from @amnesty after 38 years as a member.")
    assert not is_title("GET OUT and VOTE on November 5th for your GREAT Governor!")
