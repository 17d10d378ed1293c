"""Articles in other languages: the language told, French and German text read as such."""

import json

from conftest import read

from summariser.language import detect_language, sample
from summariser.models import Digest


def test_detector_tells_french_german_and_english_apart():
    assert detect_language(read("lang/liberation-nepal-fr.txt")) == "fr"
    assert detect_language(read("lang/taz-kaeser-de.txt")) == "de"
    assert detect_language(read("lbc-amnesty-navalny.txt")) == "en"


def test_detector_is_unsure_of_too_little_text():
    assert detect_language("OK 42 !") is None
    assert detect_language("") is None


def test_detector_loads_from_the_wheel_without_network(monkeypatch):
    import socket

    def refuse(*args, **kwargs):
        raise OSError("no network in this test")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    assert detect_language(read("lang/taz-kaeser-de.txt")) == "de"


def test_sample_reads_only_the_start():
    parts = ["a" * 2000, "b" * 2000, "c" * 2000]
    taken = sample(parts, limit=3000)
    assert len(taken) <= 3001 and "c" not in taken and taken.startswith("a")


def test_french_digest_carries_its_language_into_json(digester):
    digest = digester.from_text(read("lang/liberation-nepal-fr.txt"))
    assert digest.lang == "fr"
    data = json.loads(digest.dumps())
    assert data["lang"] == "fr"
    assert Digest.from_json(data).lang == "fr"


def test_rouge_tokenizer_keeps_accented_words():
    from summariser.evaluate.summaries import UnicodeTokenizer, rouge_scorer_for

    assert UnicodeTokenizer().tokenize("L’été à Noël, Straße") == ["l", "été", "à", "noël", "straße"]
    french = rouge_scorer_for("fr").score("été très chaud", "été très froid")["rouge1"]
    assert round(french.fmeasure, 3) == 0.667  # rouge-score's own tokenizer: "t", "tr", "s" ...


def test_rouge_tokenizer_matches_the_default_on_english():
    from rouge_score import tokenizers

    from summariser.evaluate.summaries import UnicodeTokenizer

    text = read("lbc-amnesty-navalny.txt").encode("ascii", "ignore").decode()
    assert UnicodeTokenizer(stem=True).tokenize(text) == tokenizers.DefaultTokenizer(True).tokenize(text)


def test_sentences_keep_french_titles_and_company_forms():
    from summariser.sentences import split_paragraph

    text = ("M. Dupont est arrivé. Mme Durand aussi. Le Dr Martin, de la société Truc S.A. à Paris, "
            "a parlé. Ils ont vu des fruits, des légumes, etc. et du pain.")
    assert split_paragraph(text) == [
        "M. Dupont est arrivé.", "Mme Durand aussi.",
        "Le Dr Martin, de la société Truc S.A. à Paris, a parlé.",
        "Ils ont vu des fruits, des légumes, etc. et du pain.",
    ]


def test_sentences_keep_guillemets_and_low_quotes_with_their_cue():
    from summariser.sentences import split_paragraph

    french = "« Nous sommes prêts. Nous irons au bout », a déclaré le ministre. «Non», dit-elle."
    assert split_paragraph(french) == [
        "« Nous sommes prêts. Nous irons au bout », a déclaré le ministre.", "«Non», dit-elle."]
    german = ("Die Klimabewegung schäumt. „Kaeser macht einen Fehler. Das ist klar“, sagte Neubauer. "
              "Am 5. Februar ist Hauptversammlung. Das gilt z. B. für Siemens.")
    assert split_paragraph(german) == [
        "Die Klimabewegung schäumt.", "„Kaeser macht einen Fehler. Das ist klar“, sagte Neubauer.",
        "Am 5. Februar ist Hauptversammlung.", "Das gilt z. B. für Siemens."]
    spanish = "Llegó la Sra. García. ¿Qué pasa? ¡Nada! Ella se fue."
    assert split_paragraph(spanish) == ["Llegó la Sra. García.", "¿Qué pasa?", "¡Nada!", "Ella se fue."]


def test_dialogue_dashes_open_their_own_sentences():
    from summariser.sentences import split_sentences

    lines = ["— Je viens demain.", "— Non, dit-il. Tu restes ici."]
    assert [s.text for s in split_sentences(lines)] == [
        "— Je viens demain.", "— Non, dit-il.", "Tu restes ici."]
