"""The command line: text, JSON Lines, several inputs, exit codes. In this process through
``cli.main`` (the model is the suite's, loaded once), plus one real subprocess for stdin, the
exit status and stderr as a shell sees them."""

import json
import os
import subprocess
import sys

import pytest
from conftest import DATA

from summariser.cli import main
from summariser.errors import BadURL, TooShort, UnsupportedInput


@pytest.fixture(autouse=True)
def no_private_networks(monkeypatch):
    monkeypatch.setenv("FETCH_ALLOW_NETWORKS", "")


def test_readable_digest_of_the_seed_sample(capsys):
    assert main([str(DATA / "lbc-amnesty-navalny.txt")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Amnesty strips Alexei Navalny")
    assert "Key quotes" in out and "— Chris Bryant" in out
    assert "Related headlines" in out and "fined for defamation" in out
    assert "% shorter · minilm ·" in out.strip().splitlines()[-1]


def test_several_inputs_as_json_lines_with_one_failure(capsys):
    inputs = [str(DATA / "wire-style-page.html"), "ftp://example.com/x",
              str(DATA / "bbc-style-paste.txt")]
    status = main(["--json", *inputs])
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["input"] for line in lines] == inputs
    assert lines[0]["title"].startswith("Dutch court") and lines[0]["summary"]
    assert lines[1]["error"]["kind"] == "bad_url"
    assert lines[2]["method"] == "minilm" and "text" in lines[2]
    assert status == BadURL.exit_code


def test_method_and_sentences_flags(capsys):
    main(["--method", "lead3", "--sentences", "3", "--json", str(DATA / "guardian-style-paste.txt")])
    data = json.loads(capsys.readouterr().out)
    assert data["method"] == "lead3" and len(data["summary"]) == 3


def test_missing_file_and_unknown_method_are_named_with_their_exit_codes(capsys):
    assert main(["no-such-file.txt"]) == UnsupportedInput.exit_code == 11
    assert "no such file" in capsys.readouterr().err
    assert main(["--method", "nope", str(DATA / "guardian-style-paste.txt")]) == 2
    assert "unknown summariser" in capsys.readouterr().err


def test_an_address_without_its_scheme_or_malformed_is_a_bad_url(capsys):
    """"www.example.com/news" is no missing file but an address to give with https://; a port
    past 65535 or a space in the site's name is no address at all (not "could not find the
    site"). Nothing is fetched for either."""
    assert main(["www.example.com/news", "bbc.co.uk/news/uk-1"]) == BadURL.exit_code == 12
    assert capsys.readouterr().err.count("with https:// in front") == 2
    assert main(["http://example.com:99999/", "https://exa mple.com/"]) == 12
    assert capsys.readouterr().err.count("does not look like a web address") == 2
    assert main(["notes.txt"]) == UnsupportedInput.exit_code  # a file's name stays one


def test_stdin_error_is_one_line_on_stderr_with_its_exit_code():
    """The one subprocess: ``-`` reads stdin, and the status is the process's own."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "FETCH_ALLOW_NETWORKS": ""}
    result = subprocess.run([sys.executable, "-m", "summariser", "-"], input=b"Three words only.",
                            capture_output=True, env=env, timeout=300)
    assert result.returncode == TooShort.exit_code
    assert result.stdout == b""
    assert result.stderr.decode().strip().count("\n") == 0
    assert "too short" in result.stderr.decode()


def test_url_names_one_inputs_address(capsys):
    """--url says where one file or standard input came from: it must be an address, and
    with several inputs it would name them all wrongly."""
    paste = str(DATA / "bbc-style-paste.txt")
    assert main(["--url", "notaurl", paste]) == 2
    assert "--url" in capsys.readouterr().err
    assert main(["--url", "https://example.com/a", paste, paste]) == 2
    assert "one input" in capsys.readouterr().err
