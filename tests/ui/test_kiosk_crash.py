"""Kill -9 in the middle of the questionnaire, reopen: every saved answer, the same step."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.ui.kiosk_driver import Driver, settle

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_killed_kiosk_resumes_with_every_answer_at_the_same_step(qtbot, db_path, store, make_kiosk):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    child = subprocess.Popen([sys.executable, "-m", "tests.ui.kiosk_child", str(db_path)], cwd=ROOT,
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             encoding="utf-8")
    saved: dict[str, object] = {}
    code = step = None
    try:
        for line in child.stdout:
            kind, _, rest = line.rstrip("\n").partition("\t")
            if kind == "saved":
                path, _, value = rest.partition("\t")
                saved[path] = json.loads(value)
            elif kind == "code":
                code = rest
            elif kind == "step":
                step = rest
            elif kind == "ready":
                break
        else:
            pytest.fail(f"the child ended early: {child.stderr.read()}")
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        child.stdout.close()
        child.stderr.close()
    assert child.returncode == -signal.SIGKILL

    # The store has every answer whose save had returned, and where the person was.
    record = store.find_submission(code)
    stored = store.answers(record.id)
    assert {path: stored.get(path) for path in saved} == saved
    assert stored["diagnosis_year"] == 2015 and stored["last_name"] == "Núñez"
    assert record.current_step == step == "diagnosis"
    assert record.status == "draft" and record.lang == "es"

    # A new kiosk resumes it with the code: the same step, every answer in its widget.
    kiosk = make_kiosk()
    person = Driver(qtbot, kiosk)
    person.click(kiosk.welcome.resume)
    qtbot.keyClicks(kiosk.resume_page.code, code)
    person.click(kiosk.resume_page.go)
    assert person.step == "diagnosis" and kiosk.lang == "es"
    assert kiosk.flow_page.step_label.text() == "Paso 2 de 10"
    assert person.widget("ms_diagnosed").options["yes"].isChecked()
    assert person.widget("ms_type").options["rrms"].isChecked()
    assert person.widget("diagnosis_year").edit.text() == "2015"
    person.back()
    settle()
    assert person.widget("first_name").edit.text() == "Ana"
    assert person.widget("last_name").edit.text() == "Núñez"
    date = person.widget("date_of_birth")
    assert (date.day.text(), date.month.currentText(), date.year.text()) == ("17", "mayo", "1980")
    assert person.widget("sex_at_birth").options["female"].isChecked()
    assert person.widget("preferred_contact").value() == ["phone", "email"]
