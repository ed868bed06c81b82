"""A person completes the whole questionnaire through the real window, in English and Spanish."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel

from tests.ui.kiosk_driver import Driver


def visible_texts(window) -> str:
    return "\n".join(label.text() for label in window.findChildren(QLabel) if label.isVisible())


@pytest.mark.parametrize(("lang", "reading_ms"), [("en", 0), ("es", 0), ("en", 300)])
def test_complete_questionnaire_is_saved_and_submitted(qtbot, kiosk, store, shipped, complete, lang,
                                                       reading_ms):
    """With `reading_ms`, the person looks at each page first: the next page is then made
    ready while they read, and Next shows the prepared page (refreshed)."""
    person = Driver(qtbot, kiosk)
    person.start(lang)
    assert kiosk.current_page() is kiosk.flow_page
    assert kiosk.welcome.lang == lang
    answers = {p: v for p, v in complete.items() if p not in {"signature", "signer_name"}}
    titles = []
    while not kiosk.flow.in_review:
        step = person.step
        titles.append(person.form.title.text())
        # The same total from the first page on (the pregnancy step counts before the sex
        # at birth is answered, as it may come), and it holds for this person.
        expected = kiosk.t("kiosk.step.of", number=len(titles), total=len(shipped.steps))
        assert kiosk.flow_page.step_label.text() == expected
        qtbot.wait(reading_ms)
        if reading_ms:
            assert kiosk.flow_page.prepared is not None
        person.fill_step(answers)
        person.next()
        assert person.step != step or kiosk.flow.in_review, person.form.reveal_problems()
    assert titles[0] == shipped.steps[0].title.get(lang)
    assert len(titles) == 9  # the pregnancy step is shown for this person; consent comes last

    # The review lists the answers as words, not codes, with an Edit button per step.
    review = visible_texts(kiosk)
    assert "Ejemplo" in review
    assert shipped.item("ms_type").choice("rrms").label.get(lang) in review
    assert len(kiosk.flow_page.content.edit_buttons) == 9
    qtbot.wait(reading_ms)
    person.next()

    # Consent: the signer's name is prefilled from the answers; sign with the mouse.
    assert person.step == "consent"
    assert person.widget("signer_name").edit.text() == "Ana Ejemplo"
    person.fill_step({k: complete[k] for k in ("consent_contact", "consent_records", "attest_true")})
    person.sign("signature")
    assert kiosk.flow_page.next_button.text() == kiosk.t("kiosk.nav.submit")
    sid = kiosk.controller.submission_id
    person.next()

    assert kiosk.current_page() is kiosk.thanks_page
    record = store.get_submission(sid)
    assert record.status == "submitted"
    assert record.lang == lang
    stored = store.answers(sid)
    signature = stored.pop("signature")
    assert signature["png"] and signature["signed_at"]
    assert stored == {**answers, "signer_name": "Ana Ejemplo", "consent_contact": True,
                      "consent_records": "yes", "attest_true": True}
    # The thank-you page never tells anything about flags or eligibility.
    shown = visible_texts(kiosk)
    for flag in store.flags(sid):
        assert flag.criterion not in shown
    assert "Ejemplo" not in shown
