"""Hostile and broken answers at the command line: each entry that cannot be taken in is
refused in words (exit 1, the entries after it still tried, nothing of it stored), never a
traceback; and whatever a draft holds, `list` writes nothing a terminal would act on. On a
file and on a server alike (the `db` fixture)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from store_helpers import FIXTURES

from screening_app.cli import main
from screening_app.store import AnswerRefused, ErrorCode, Store

ROOT = Path(__file__).resolve().parents[2]


def complete(**changes) -> dict:
    answers = json.loads((FIXTURES / "complete_answers.json").read_text(encoding="utf-8"))
    answers.update(changes)
    return answers


def person(n: int, **changes) -> dict:
    return complete(**{"first_name": f"Test{n}", "last_name": "Demo", **changes})


def run(capsys, *argv: str) -> tuple[int, str, list[str]]:
    """Exit code, output, and the lines about entries on stderr ("Created a new database"
    comes first when the file is new)."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, [line for line in err.splitlines() if line.startswith("entry ")]


def stored_names(db: str) -> list[str]:
    with Store.open(db, existing=True) as store:
        return sorted(row.candidate for row in store.list_submissions(limit=100))


def test_a_number_beyond_any_float_refuses_its_entry_and_the_next_ones_are_tried(db, tmp_path, capsys):
    """Seen: `edss_score: 1e400` was a traceback, and the entries after it never tried."""
    entries = [json.dumps(person(1)), json.dumps(person(2)).replace('"edss_score": 4.0',
                                                                      '"edss_score": 1e400'),
               json.dumps(person(3))]
    assert '1e400' in entries[1]
    source = tmp_path / "answers.json"
    source.write_text("[" + ",".join(entries) + "]", encoding="utf-8")
    db = str(db)
    code, _out, err = run(capsys, "import-responses", str(source), "--db", db, "--allow-duplicates")
    assert code == 1
    assert err == ["entry 2: not stored: edss_score: not a finite number"]
    assert stored_names(db) == ["Test1 Demo", "Test3 Demo"]


@pytest.mark.parametrize(("name", "label"), [
    ("\ud800", "a lone surrogate"), ("Ana\x07", "BEL"), ("Ana\x08\x08\x08", "backspace"),
    ("\x1b[2J\x1b[31mAna", "ANSI escapes"), ("An\x00a", "NUL"), ("\u202eanA", "right-to-left override"),
])
def test_a_name_no_answer_may_hold_refuses_its_entry(db, tmp_path, capsys, name, label):
    """Seen: `"first_name": "\\ud800"` was a traceback; names with control characters were
    valid and `list` printed them raw."""
    source = tmp_path / "answers.json"
    source.write_text(json.dumps([person(1, first_name=name), person(2)]), encoding="utf-8")
    db = str(db)
    code, _out, err = run(capsys, "import-responses", str(source), "--db", db)
    assert code == 1, label
    assert err == ["entry 1: not stored: first_name: holds control, text-direction or "
                   "surrogate characters"]
    assert stored_names(db) == ["Test2 Demo"]


def test_too_many_rows_and_too_long_a_text_refuse_their_entries(db, tmp_path, capsys):
    """Seen: 10,000 treatment rows were accepted and submitted (and the PDF then took more
    than 300 s); a 1 MB text answer too."""
    rows = complete()["treatments"]
    many = [dict(rows[n % len(rows)]) for n in range(10_000)]
    source = tmp_path / "answers.json"
    source.write_text(json.dumps([person(1, treatments=many), person(2, current_medications="x" * 1_000_000),
                                  person(3, treatments=many[:50])]), encoding="utf-8")
    db = str(db)
    code, _out, err = run(capsys, "import-responses", str(source), "--db", db)
    assert code == 1
    assert err == [
        "entry 1: not stored: treatments: 10000 rows, more than the 50 allowed",
        "entry 2: not stored: current_medications: longer than 20000 characters"]
    assert stored_names(db) == ["Test3 Demo"]


def test_a_bad_import_is_words_on_stderr_never_a_traceback(db, tmp_path):
    source = tmp_path / "answers.json"
    source.write_text('[{"first_name": "\\ud800", "edss_score": 1e400}, {"first_name": "Ana\\u0007"}]',
                      encoding="utf-8")
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "import-responses", str(source),
                           "--db", str(db)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.count("not stored") == 2


def test_list_writes_nothing_a_terminal_would_act_on(db, backend, small_questionnaire):
    """A draft keeps whatever was typed into it; `list` escapes what a terminal would
    ring, erase, recolour or reverse on. (A server cannot hold a NUL at all: it is refused
    before it is stored, test_server_connect.py; a file keeps it, so the file's list
    meets it too.)"""
    nul = "\x00" if backend == "sqlite" else ""
    hostile = f"Ana\x07\x08\x1b[2J\x1b]0;owned\x07\u202eTest{nul}"
    with Store.open(db) as store:
        sid = store.start_submission(small_questionnaire, "en", actor="kiosk")
        store.save_answers(sid, {"first_name": hostile, "last_name": "Demo"}, actor="kiosk")
    for extra in ([], ["--json"]):
        done = subprocess.run([sys.executable, str(ROOT / "main.py"), "list", "--db", str(db), *extra],
                              cwd=ROOT, capture_output=True, timeout=120)
        assert done.returncode == 0, done.stderr
        for raw in (b"\x07", b"\x08", b"\x1b", b"\x00", "\u202e".encode()):
            assert raw not in done.stdout
        text = done.stdout.decode("utf-8")
        if extra:  # the escapes are JSON's: the name reads back exactly
            assert json.loads(text)[0]["candidate"] == f"{hostile} Demo"
        else:
            escaped_nul = "\\u0000" if nul else ""
            assert f"Ana\\u0007\\u0008\\u001b[2J\\u001b]0;owned\\u0007\\u202eTest{escaped_nul} Demo" in text


def test_the_store_refuses_what_it_cannot_hold(store, small_questionnaire):
    sid = store.start_submission(small_questionnaire, "en", actor="kiosk")
    for value in ("\ud800", float("inf"), {"nested": [float("nan")]}):
        with pytest.raises(AnswerRefused) as refused:
            store.save_answers(sid, {"first_name": "Ana", "last_name": value}, actor="kiosk")
        assert refused.value.code == ErrorCode.REFUSED_ANSWER
    assert store.answers(sid) == {}  # nothing of the change


@pytest.mark.parametrize("actor", ["cli\x1b[31m", "desk \u202eevil", "two\nlines", "x" * 65, " "])
def test_an_actor_for_the_audit_trail_is_one_plain_line(db, tmp_path, capsys, actor):
    """--actor went into the audit trail with ANSI escapes and a right-to-left override."""
    with pytest.raises(SystemExit) as exited:
        main(["import-responses", str(FIXTURES / "complete_answers.json"), "--db", str(db),
              "--actor", actor])
    assert exited.value.code == 2
    assert "--actor must be one line" in capsys.readouterr().err
