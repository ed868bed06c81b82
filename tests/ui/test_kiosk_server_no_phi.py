"""A kiosk in server mode writes no health information to its own disk: a whole session
through the app's own entry point (main.py --kiosk --db postgresql://...) in a child
process whose home, data, config, cache, state, runtime and temporary folders (and working
folder) are fresh; afterwards not one file there holds the person's name, phone, e-mail
or free-text answers, and nor does what the process printed. The answers are on the
server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from screening_app.store import Store

ROOT = Path(__file__).resolve().parents[2]
PERSON = {"first_name": "Zephyrine", "last_name": "Quillfeather", "preferred_name": "Zephy",
          "phone": "+1 (555) 019-4242", "email": "zephyrine.quill@example.org",
          "current_medications": "Ocrelizumab trial dose", "allergies": "Kumquat",
          "signer_name": "Zephyrine Quillfeather"}
FOLDERS = ("home", "data", "config", "cache", "state", "runtime", "tmp", "work")


def needles() -> list[bytes]:
    """What must not be found, in the encodings a program might write it in."""
    texts = [PERSON["first_name"], PERSON["last_name"], PERSON["email"], "5550194242",
             "555) 019-4242", PERSON["current_medications"], PERSON["allergies"]]
    found = []
    for text in texts:
        for encoding in ("utf-8", "utf-16-le"):
            found.append(text.encode(encoding))
        found.append(text.lower().encode())
    return found


def test_a_kiosk_session_on_a_server_leaves_no_health_information_on_the_kiosk(
        tmp_path, pg_server, complete):
    name = pg_server.new_database()
    url = pg_server.url(name)
    try:
        with Store.open(url) as store:
            store.create_user("coordinator", "Coordinator", "coordinator", "246810")
        folders = {key: tmp_path / key for key in FOLDERS}
        for folder in folders.values():
            folder.mkdir(mode=0o700)
        answers = {**{p: v for p, v in complete.items() if p != "signature"}, **PERSON}
        script = tmp_path / "answers.json"  # the test's own input, outside those folders
        script.write_text(json.dumps(answers), encoding="utf-8")
        env = {key: value for key, value in os.environ.items()
               if not key.startswith(("XDG_", "SCREENING_", "PG"))}
        env.update(HOME=str(folders["home"]), XDG_DATA_HOME=str(folders["data"]),
                   XDG_CONFIG_HOME=str(folders["config"]), XDG_CACHE_HOME=str(folders["cache"]),
                   XDG_STATE_HOME=str(folders["state"]), XDG_RUNTIME_DIR=str(folders["runtime"]),
                   TMPDIR=str(folders["tmp"]), PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen",
                   PYTHONDONTWRITEBYTECODE="1")
        done = subprocess.run(
            [sys.executable, "-m", "tests.ui.kiosk_session_child", str(script), "--",
             "--kiosk", "--db", url], cwd=folders["work"], env=env, capture_output=True,
            timeout=300)
        output = done.stdout + done.stderr
        assert done.returncode == 0, output.decode(errors="replace")[-3000:]
        lines = done.stdout.decode().splitlines()
        submitted = [line.split("\t")[1] for line in lines if line.startswith("submitted\t")]
        assert submitted, output.decode(errors="replace")[-3000:]

        # The answers are on the server...
        with Store.open(url) as store:
            record = store.get_submission(int(submitted[0]))
            stored = store.answers(record.id)
        assert record.status == "submitted"
        assert stored["first_name"] == PERSON["first_name"] and stored["email"] == PERSON["email"]
        # ... and nowhere on the kiosk, nor in what it printed.
        written = [path for folder in folders.values() for path in folder.rglob("*")
                   if path.is_file() and not path.is_symlink()]
        for path in written:
            content = path.read_bytes()
            for needle in needles():
                assert needle not in content, f"{path.relative_to(tmp_path)} holds health information"
        for needle in needles():
            assert needle not in output
    finally:
        pg_server.drop_database(name)
