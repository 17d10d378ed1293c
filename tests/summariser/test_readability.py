"""The readability measures of the evaluation, on hand-made cases with a known answer."""

from summariser.readability import bare_quote, bare_quotes, leans_back, orphaned
from summariser.sentences import split_sentences

ARTICLE = [
    "The council approved the new tram line on Monday after a six-hour meeting.",
    "It will run from the station to the university by 2027.",
    "However, opponents say the cost has doubled since the plan was first drawn up.",
    '"We were never shown the real figures," said Ann Lee, who leads the residents\' group.',
    '"Nobody asked the people who live along the route."',
    "The mayor said the line would cut journey times by a third.",
]


def test_orphans_are_leaning_sentences_whose_predecessor_was_left_out():
    sentences = split_sentences(ARTICLE)
    assert orphaned(sentences, [0, 1, 5]) == []  # "It" follows the sentence it leans on
    assert orphaned(sentences, [0, 2, 5]) == [2]  # "However" without what it answers
    assert orphaned(sentences, [1, 5]) == [1]
    assert orphaned(sentences, [4]) == []  # opens with a quotation: the other measure


def test_bare_quotes_are_quotations_that_name_nobody():
    sentences = split_sentences(ARTICLE)
    assert bare_quotes(sentences, [0, 3, 4]) == [4]
    assert bare_quote('"We will go," he said.') is False
    assert bare_quote('He said: "I am here. I stay."') is False
    assert bare_quote('Smith called the plan "a disaster".') is False  # mostly not quotation
    assert bare_quote("“It was a disaster. We lost everything.”") is True


def test_leaning_openers():
    assert leans_back("They said no.") and leans_back("(This was later denied.)")
    assert not leans_back("Theresa May said no.") and not leans_back("“They said no.”")


def test_leaning_openers_in_the_articles_language():
    # a German page's digest opened a summary sentence with "Das wurde abgelehnt" or "Dort
    # kollidierte er" without what they point at; a French one with "Il sera examiné"
    assert leans_back("Dort kollidierte er mit einem Lkw.", "de")
    assert leans_back("Außerdem fordert die Partei mehr Geld.", "de")
    assert leans_back("Il sera désormais examiné par le Sénat.", "fr")
    assert leans_back("Cependant, le texte a été adopté.", "fr")
    assert leans_back("Además, el Gobierno aprobó el plan.", "es")
    # an article or a dummy subject is no pointer, nor is "alors que" ("while")
    assert not leans_back("Die Polizei sucht Zeugen.", "de")
    assert not leans_back("Es gibt keine Verletzten.", "de")
    assert not leans_back("Alors que le débat s'ouvre, le ministre part.", "fr")
    # English words are read as English, whatever the language: the English reading stands
    # for a language with no list, and another language's word is no English one
    assert not leans_back("Dort kollidierte er mit einem Lkw.")
    assert leans_back("However, it failed.", "nl") and not leans_back("Il a dit non.", "en")
