"""Opening the store and reading from it does not import sqlite-utils (~85 ms of CPU):
the kiosk shows its welcome page (which reads settings) before paying for it."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent("""\
    import sys
    from screening_app.store import Store

    with Store.open(sys.argv[1]) as store:
        store.get_setting("clinic_name")
        store.list_users()
        print("after reads:", "sqlite_utils" in sys.modules)
        print("server driver:", "psycopg" in sys.modules)  # only a server address loads it
        store.prepare_for_changes()
        print("prepared:", "sqlite_utils" in sys.modules)
        store.set_setting("clinic_name", "North clinic", actor="test")
        print(store.get_setting("clinic_name"))
""")


def test_reads_need_no_sqlite_utils_and_prepare_for_changes_loads_it(tmp_path):
    out = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path / "lazy.db")], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout.splitlines()
    assert out == ["after reads: False", "server driver: False", "prepared: True", "North clinic"]
