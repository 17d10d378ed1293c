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
