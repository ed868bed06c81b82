"""`main.py export SUBMISSION --format pdf --out FILE [--db PATH]`."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from screening_app.cli import main
from screening_app.store import Store
from tests.export.helpers import FakeClock, Pdf, complete_answers, submit


@pytest.fixture
def saved(db_path: Path) -> tuple[int, str]:
    with Store.open(db_path, clock=FakeClock()) as store:
        sid = submit(store, complete_answers())
        return sid, store.get_submission(sid).code


def run(capsys, *argv: str) -> tuple[int, str]:
    code = main(["export", *argv])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_export_writes_the_pdf_and_prints_its_path(capsys, saved, db_path, tmp_path):
    sid, _ = saved
    out = tmp_path / "summary.pdf"
    code, printed = run(capsys, str(sid), "--format", "pdf", "--out", str(out), "--db", str(db_path))
    assert code == 0
    assert printed.strip() == str(out.absolute())
    assert os.stat(out).st_mode & 0o777 == 0o600
    assert "Page 1 of" in Pdf(out).pages[0]


def test_submission_can_be_named_by_its_code(capsys, saved, db_path, tmp_path):
    _, code_text = saved
    out = tmp_path / "by-code.pdf"
    code, _ = run(capsys, code_text.lower().replace("-", " "), "--format", "pdf", "--out", str(out),
                  "--db", str(db_path))
    assert code == 0 and out.exists()


@pytest.mark.parametrize("reference", ["999", "ZZZZ-ZZZZ"])
def test_unknown_submission_is_a_clear_message_and_exit_1(capsys, saved, db_path, tmp_path, reference):
    out = tmp_path / "nothing.pdf"
    code, printed = run(capsys, reference, "--format", "pdf", "--out", str(out), "--db", str(db_path))
    assert code == 1
    assert printed.startswith("error: ")
    assert "does not exist" in printed or "No questionnaire has that code" in printed
    assert "Traceback" not in printed
    assert not out.exists()


@pytest.mark.parametrize("where", ["missing-folder/summary.pdf", "a-file/summary.pdf"])
def test_unwritable_path_is_a_clear_message_and_exit_1(capsys, saved, db_path, tmp_path, where):
    sid, _ = saved
    (tmp_path / "a-file").write_text("not a folder")
    out = tmp_path / where
    code, printed = run(capsys, str(sid), "--format", "pdf", "--out", str(out), "--db", str(db_path))
    assert code == 1
    assert printed.startswith(f"error: cannot write {out}")
    assert "Traceback" not in printed
    leftovers = [p for p in tmp_path.rglob("*") if p.name.startswith(".summary.pdf")]
    assert leftovers == []


def test_a_failed_write_leaves_neither_a_temporary_file_nor_a_half_summary(saved, db_path, tmp_path,
                                                                           monkeypatch):
    from screening_app.export import pdf

    sid, _ = saved
    target = tmp_path / "keep.pdf"
    target.write_bytes(b"previous summary")

    def refuse(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pdf.os, "replace", refuse)
    with Store.open(db_path) as store, pytest.raises(OSError):
        pdf.export_pdf(store, sid, target)
    assert target.read_bytes() == b"previous summary"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "keep.pdf"]


def test_an_empty_out_name_is_refused_and_writes_nothing(capsys, saved, db_path, tmp_path, monkeypatch):
    """`--out ""` would otherwise be the current folder: a summary dropped wherever one stands."""
    sid, _ = saved
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as stopped:
        run(capsys, str(sid), "--format", "pdf", "--out", "", "--db", str(db_path))
    assert stopped.value.code == 2
    assert "--out needs a file or folder name" in capsys.readouterr().err
    assert not list(tmp_path.glob("*.pdf"))
