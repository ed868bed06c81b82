"""Stations hear each other's changes on a server (LISTEN/NOTIFY,
store/backends/postgres_changes.py): each committed write is announced once, after its
commit; reads and rolled-back writes are not; a file has no listener (windows poll it)."""

from __future__ import annotations

import threading

import pytest

from screening_app.store import Store


@pytest.fixture
def listener(db):
    with Store.open(db) as store:
        listening = store.change_listener()
    assert listening is not None
    assert listening.wait(0) is False  # connects and listens: nothing heard yet
    yield listening
    listening.close()


@pytest.mark.postgres_only
def test_a_committed_change_is_heard_and_a_read_or_a_failure_is_not(db, listener,
                                                                   small_questionnaire):
    with Store.open(db) as other:
        draft = other.start_submission(small_questionnaire, "en", actor="kiosk")
        assert listener.wait(10) is True
        assert listener.wait(0.2) is False  # heard once
        other.answers(draft)
        other.list_submissions()
        assert listener.wait(0.2) is False  # reading tells nobody
        with pytest.raises(RuntimeError), other._write() as sql:
            sql.execute("UPDATE submissions SET lang = 'es' WHERE id = ?", (draft,))
            raise RuntimeError("fails before its commit")
        assert listener.wait(0.2) is False
        other.save_answer(draft, "first_name", "Ana", actor="kiosk")
        assert listener.wait(10) is True


@pytest.mark.postgres_only
def test_wake_ends_a_wait_at_once(listener):
    done = threading.Event()

    def waiting() -> None:
        listener.wait(600)
        done.set()

    thread = threading.Thread(target=waiting)
    thread.start()
    listener.wake()
    thread.join(timeout=30)
    assert done.is_set()


@pytest.mark.sqlite_only
def test_a_file_has_no_listener(store):
    assert store.change_listener() is None
