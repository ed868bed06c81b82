"""The locks SQLite holds on the database stay held while this process opens more stores on
it. Seen at the desk, after a sign-out and sign-in: "The list could not be read: ... reading
or writing the database file" until a restart. The list thread opened its store at every
sign-in, and opening a store read the file's header with open()/close(); closing any
descriptor of a file cancels all the POSIX locks the process holds on it, so another
process could take the database for itself under the open window, delete its write-ahead
log, and every new connection of the desk then failed with "disk I/O error"."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

from screening_app.store import Store

ROOT = Path(__file__).resolve().parents[2]
# Another program (a backup tool, another app's process) asking for the database alone.
TAKE_IT_ALONE = """
import sys
from tests.shared import raw_connection
conn = raw_connection(sys.argv[1], timeout=0.5)
try:
    conn.execute("PRAGMA locking_mode = EXCLUSIVE")
    conn.execute("BEGIN EXCLUSIVE")
    conn.execute("INSERT INTO settings (key, value_json, updated_at, updated_by)"
                 " VALUES ('x', '1', 'now', 'other')")
    conn.execute("COMMIT")
    print("taken")
except Exception as error:
    print("refused:", error)
"""


def other_process_takes_it(path: Path) -> str:
    done = subprocess.run([sys.executable, "-c", TAKE_IT_ALONE, str(path)], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_a_second_store_in_the_process_leaves_the_first_ones_locks(db_path, clock):
    with Store.open(db_path, clock=clock) as window:  # the desk's window
        window.set_setting("clinic_name", "North", actor="admin")
        for _sign_in in range(2):  # the list thread's store, opened and closed again

            def list_thread() -> None:
                with Store.open(db_path, check=False) as loader:
                    loader.count_submissions()

            thread = threading.Thread(target=list_thread)
            thread.start()
            thread.join()
        assert other_process_takes_it(db_path) == "refused: database is locked"
        assert window.get_setting("clinic_name") == "North"
        with Store.open(db_path, check=False) as after:  # the next sign-in's list
            assert after.count_submissions() == 0
            assert after.get_setting("clinic_name") == "North"
    assert other_process_takes_it(db_path) == "taken"  # once nobody here has it open
