"""The commands that take --db, run on a server: demo data goes in (bulk loading takes its
ids from the server's sequences), and every export reads the same from a server as from
a file holding the same records (the CSV/REDCap walk has SQL of each backend's own)."""

from __future__ import annotations

from pathlib import Path

import pytest

from screening_app.cli import main
from screening_app.store import Store

pytestmark = pytest.mark.postgres_only


def run(capsys, *argv: str) -> str:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def test_demo_then_every_export_reads_the_same_from_the_server_and_a_file(db, tmp_path: Path,
                                                                          capsys):
    run(capsys, "demo", "--count", "25", "--seed", "4", "--db", db)
    run(capsys, "demo", "--count", "5", "--seed", "5", "--db", db)  # ids go on after the first
    with Store.open(db) as server:
        ids = [row.id for row in server.list_submissions(limit=100)]
        assert sorted(ids) == list(range(1, 31))
        assert server.verify_audit().intact
    file = tmp_path / "same.db"
    run(capsys, "copy-database", "--from", db.replace("station@", "screening_owner@"),
        "--to", str(file))
    for name, argv in {"csv": ["--all", "--format", "csv"],
                       "deidentified": ["--all", "--format", "csv", "--deidentify"],
                       "redcap": ["--all", "--format", "redcap"],
                       "fhir": ["7", "--format", "fhir"],
                       "pdf": ["7", "--format", "pdf"]}.items():
        written = {}
        for where, source in (("server", db), ("file", str(file))):
            out = tmp_path / where / name
            out.parent.mkdir(exist_ok=True)
            run(capsys, "export", *argv, "--out", str(out), "--db", source)
            written[where] = sorted(p for p in out.parent.iterdir() if p.name.startswith(name))
        assert [p.name for p in written["server"]] == [p.name for p in written["file"]]
        for on_server, in_file in zip(written["server"], written["file"], strict=True):
            if name == "deidentified":  # random record ids by design: same shape
                assert len(on_server.read_bytes().splitlines()) == len(in_file.read_bytes().splitlines())
            elif name == "pdf":
                from pypdf import PdfReader

                texts = [[page.extract_text() for page in PdfReader(p).pages]
                         for p in (on_server, in_file)]
                assert texts[0] == texts[1]
            else:
                assert on_server.read_bytes() == in_file.read_bytes(), on_server.name
