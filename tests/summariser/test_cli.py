"""The command line through a real subprocess: text, JSON Lines, several inputs, exit codes."""

import json
import os
import subprocess
import sys

from conftest import DATA

from summariser.errors import BadURL, TooShort


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "FETCH_ALLOW_NETWORKS": ""}
    return subprocess.run([sys.executable, "-m", "summariser", *args], input=stdin,
                          capture_output=True, env=env, timeout=300)


def test_readable_digest_of_the_seed_sample():
    result = run(str(DATA / "lbc-amnesty-navalny.txt"))
    assert result.returncode == 0, result.stderr
    out = result.stdout.decode()
    assert out.startswith("Amnesty strips Alexei Navalny")
    assert "Key quotes" in out and "— Chris Bryant" in out
    assert "Related headlines" in out and "fined for defamation" in out
    assert "% shorter · minilm ·" in out.splitlines()[-1]


def test_several_inputs_as_json_lines_with_one_failure():
    short = b"Too short to be news. Really it is."
    result = run("--json", str(DATA / "wire-style-page.html"), "ftp://example.com/x", "-",
                 str(DATA / "bbc-style-paste.txt"), stdin=short)
    lines = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert [line["input"] for line in lines] == [
        str(DATA / "wire-style-page.html"), "ftp://example.com/x", "-", str(DATA / "bbc-style-paste.txt")]
    assert lines[0]["title"].startswith("Dutch court") and lines[0]["summary"]
    assert lines[1]["error"]["kind"] == "bad_url"
    assert lines[2]["error"]["kind"] == "too_short"
    assert lines[3]["method"] == "minilm" and "text" in lines[3]
    assert result.returncode == BadURL.exit_code


def test_error_is_one_line_on_stderr_with_its_exit_code():
    result = run("-", stdin=b"Three words only.")
    assert result.returncode == TooShort.exit_code
    assert result.stdout == b""
    assert result.stderr.decode().strip().count("\n") == 0
    assert "too short" in result.stderr.decode()


def test_missing_file_and_method_and_sentences_flags():
    result = run("--method", "lead3", "--sentences", "3", "--json", str(DATA / "guardian-style-paste.txt"))
    data = json.loads(result.stdout)
    assert data["method"] == "lead3" and len(data["summary"]) == 3
    missing = run("no-such-file.txt")
    assert missing.returncode != 0 and "no such file" in missing.stderr.decode()
    bad = run("--method", "nope", str(DATA / "guardian-style-paste.txt"))
    assert bad.returncode == 2 and "unknown summariser" in bad.stderr.decode()
