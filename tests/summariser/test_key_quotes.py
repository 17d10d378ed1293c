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


LABELS = [
    {"quote": "The most important thing is we lost that game,", "kind": "speech",
     "speaker": "Cam Heyward", "named": True},
    {"quote": "We've got to right the ship. I know we get them at home.", "kind": "speech",
     "speaker": "Cam Heyward", "named": True},
    {"quote": "You Loved Me Like a Distant Star", "kind": "fragment", "speaker": None,
     "named": False},
    {"quote": "President Yoon’s statement was completely out of touch with the public", "kind":
     "speech", "speaker": "Lee Jae-myung", "named": True},
]


def test_a_shown_quote_is_scored_against_the_page_labels():
    from summariser.evaluate.quotes import shown_is_right
    from summariser.models import Quote

    def verdict(text, speaker):
        return shown_is_right(Quote(text=text, speaker=speaker), LABELS)

    assert verdict("The most important thing is we lost that game", "Heyward") == "right"
    assert verdict("The most important thing is we lost that game … We've got to right the "
                   "ship. I know we get them at home.", "Cam Heyward") == "right"
    assert verdict("We've got to right the ship. I know we get them at home.",
                   "Heinz Field") == "wrong speaker"
    assert verdict("We've got to right the ship. I know …", None) == "no speaker"
    assert verdict("You Loved Me Like a Distant Star", "Lee") == "not a statement"
    assert verdict("President Yoon’s statement was completely out of touch", "Lee") == "right"
    assert verdict("Nothing of the kind was ever said on this page", "Lee") == "unlabelled"


def test_evaluate_quotes_pages_scores_key_quotes_beside_the_choice_before(capsys, data_dir,
                                                                           tmp_path):
    import json
    import shutil

    from summariser.evaluate import main

    html = tmp_path / "pages-readability" / "html"
    html.mkdir(parents=True)
    shutil.copy(data_dir / "pages" / "medium-2.html.gz", html / "medium-2.html.gz")
    predictions = tmp_path / "shown.jsonl"
    assert main(["quotes", str(data_dir / "key-quotes" / "medium-2.labels.jsonl"), "--pages",
                 str(tmp_path), "--predictions", str(predictions), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    # Examples of what an abuser says, and two no one says: only "An abuser" describes someone,
    # no quote is a named speaker's, so none is a key quote; the choice before showed three.
    assert result["choosers"]["key_quotes"]["shown"] == 0
    before = result["choosers"]["before"]
    assert before["shown"] == 3 and before["right"] == 3
    assert result["attribution"] == {"statements": 1, "found": 1, "right": 1.0,
                                     "named_right": 0.0}
    shown = json.loads(predictions.read_text(encoding="utf-8"))
    assert shown["id"] == "medium-2" and shown["key_quotes"] == []


def test_words_of_a_clause_never_pass_for_a_name():
    for speaker in ("Recently I’ve", "Replied Stephen", "What Your Reaction", "Our Declan Harty",
                    "Hosting Cook", "Blaming U."):
        assert not is_named_speaker(speaker), speaker


def test_evaluate_quotes_reads_one_labelled_paragraph_of_a_page(capsys, data_dir, tmp_path):
    # Labels kept apart from a page's text (tests/data/lang/quotes-en-postlight.jsonl): an item
    # names the page and the words its paragraph starts with; the paragraph is read alone, in
    # English, as quotes-dev's are.
    import json
    import shutil

    from summariser.evaluate import main

    html = tmp_path / "extraction-dev" / "html"
    html.mkdir(parents=True)
    shutil.copy(data_dir / "pages" / "cbsnews-rescue.html.gz", html / "cbs.html.gz")
    url = ("https://www.cbsnews.com/news/michael-webb-fort-worth-dramatic-video-shows-rescue-of-"
           "8-year-old-kidnapping-victim/")
    labels = tmp_path / "labels.jsonl"
    labels.write_text(json.dumps({
        "id": "cbs-p010", "article": "cbs", "set": "extraction-dev", "url": url,
        "start": "\"We believe that justice has been served in this case.",
        "quotes": [{"quote": "We believe that justice has been served in this case. And we are "
                    "thankful for and agree with the Judge's decision to sentence him to life in "
                    "prison. My hope is that this family and this community will find solace in "
                    "knowing that he will never be able to harm another little child again,",
                    "speaker": "Erin Nealy Cox"}]}) + "\n", encoding="utf-8")
    assert main(["quotes", str(labels), "--texts", str(tmp_path), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["attribution_named"] == {"quotes": 1, "accuracy": 1.0}


def test_a_quote_the_cue_splits_is_joined_but_not_two_parted_by_another_sentence():
    # nytimes (pages-readability): one quote around its cue, "Mr." no sentence's end
    split = ["“There is no reason to believe the guys in charge have changed their stripes,” "
             "said Mr. Reeves, a senior fellow at the center at Harvard University. “These guys "
             "are the worst of the worst.”"]
    assert [q.text for q in key_quotes(split)] == [
        "There is no reason to believe the guys in charge have changed their stripes … These "
        "guys are the worst of the worst."]
    # nytimes (pages-postlight): the second quotation is in the reporter's sentence, whose
    # subject is someone else; spliced, the officer seemed to fire at passing cars
    parted = ["“The officer returned fire and hit him in the leg,” police chief James Sarnicki "
              "said. Mr. Rahami fled, “indiscriminately firing his weapon at passing vehicles.”"]
    texts = [q.text for q in key_quotes(parted)]
    assert not any("…" in text for text in texts)
    assert "The officer returned fire and hit him in the leg" in texts


def test_a_surname_two_people_share_names_no_one_of_them():
    # pages-postlight pl-0031: "Murdoch said" after Rupert and James Murdoch was credited to
    # James, the last named; the article meant Rupert. Either could be meant: the surname stays
    article = [
        "Rupert Murdoch built the company over five decades, and his son James Murdoch ran "
        "its British newspapers when the scandal broke.",
        "“I do not accept ultimate responsibility for what happened at the paper,” Murdoch "
        "said in front of the committee.",
    ]
    assert [q.speaker for q in key_quotes(article)] == ["Murdoch"]
    # ... but one person named two ways is still named in full
    article[0] = ("Michael R. Bloomberg spoke in Aspen, where Michael Bloomberg has often been "
                  "a guest of the festival.")
    article[1] = article[1].replace("Murdoch", "Bloomberg")
    assert [q.speaker for q in key_quotes(article)] == ["Michael Bloomberg"]
