"""import-definition meets what real and hostile files hold: a result or a clear refusal.

Issue 14: a Questionnaire without `title`, or an item without `text` (both optional in
FHIR), crashed with `KeyError: 'fhir_display'` (the HL7 Glasgow Coma Scale example).
Issue 12: JSON with lone surrogates was a traceback, and a failed run truncated the
existing output file.
"""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from screening_app.cli import main
from screening_app.engine.loader import load_text
from screening_app.interop.fhir_import import FhirImportError
from screening_app.interop.fhir_questionnaire import questionnaire_from_fhir
from tests.interop.helpers import FIXTURES

GCS = FIXTURES / "fhir" / "r4-questionnaire-example-gcs.json"


def gcs() -> dict[str, Any]:
    return json.loads(GCS.read_text(encoding="utf-8"))


def test_the_hl7_glasgow_coma_scale_without_item_texts_converts_and_loads():
    imported = questionnaire_from_fhir(gcs(), GCS.name)
    q = load_text(imported.yaml_text, "gcs.yaml")
    items = list(q.all_items())
    assert [i.attrs["fhir_link_id"] for i in items] == ["1.1", "1.2", "1.3"]
    assert [i.type for i in items] == ["single_choice"] * 3
    assert [len(i.choices) for i in items] == [5, 6, 4]
    # No text in the source: the contained value set's name says what is asked, and a note says so.
    assert items[0].label.get("en") == "GCS Verbal Value Set"
    assert any("1.1 has no text" in note for note in imported.notes)
    assert dict(q.attrs)["fhir_id"] == "gcs"  # so that `Questionnaire/gcs` finds it


def test_a_questionnaire_without_title_and_a_group_without_text_convert():
    resource = gcs()
    del resource["title"]
    resource["item"] = [{"linkId": "g", "type": "group", "item": resource["item"]}]
    imported = questionnaire_from_fhir(resource, "untitled.json")
    q = load_text(imported.yaml_text, "untitled.yaml")
    assert q.title.get("en") == "gcs"  # the id, as nothing else names it
    assert len(list(q.all_items())) == 3


def test_import_definition_refuses_lone_surrogates_and_leaves_the_old_output(tmp_path: Path, capsys):
    source, out = tmp_path / "q.json", tmp_path / "definition.yaml"
    resource = gcs()
    resource["item"][0]["text"] = "Verbal \ud800 response"
    source.write_text(json.dumps(resource), encoding="utf-8")  # ensure_ascii: "\ud800" escaped
    out.write_text("earlier: content\n", encoding="utf-8")
    assert main(["import-definition", str(source), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "item[0].text holds a lone surrogate" in err and "nothing was written" in err
    assert "Traceback" not in err
    assert out.read_text(encoding="utf-8") == "earlier: content\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["definition.yaml", "q.json"]


def test_import_definition_writes_its_output_privately_and_whole(tmp_path: Path, capsys):
    out = tmp_path / "definition.yaml"
    out.write_text("old", encoding="utf-8")
    os.chmod(out, 0o644)
    assert main(["import-definition", str(GCS), "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("# Converted from a FHIR R4 Questionnaire")
    assert out.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["definition.yaml"]  # no temporary left


# Anything JSON can hold, put where the converter reads something.
JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
                    | st.text(max_size=8),
                    lambda inner: st.lists(inner, max_size=3)
                    | st.dictionaries(st.text(max_size=6), inner, max_size=3), max_leaves=8)
ITEM_KEYS = ["linkId", "type", "text", "required", "repeats", "answerOption", "answerValueSet",
             "enableWhen", "enableBehavior", "extension", "item", "maxLength", "code", "prefix",
             "initial", "readOnly", "_text"]
DOCUMENT_KEYS = ["title", "name", "language", "version", "url", "code", "identifier", "contained",
                 "extension", "publisher", "_title"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(where=st.sampled_from(["item", "document", "option", "condition"]), key=st.text(max_size=4),
       data=st.data())
def test_wrong_types_anywhere_give_a_result_or_a_clear_refusal(where, key, data):
    resource = copy.deepcopy(gcs())
    resource["item"].append({"linkId": "q", "type": "choice", "text": "Q",
                             "answerOption": [{"valueCoding": {"code": "a"}}],
                             "enableWhen": [{"question": "1.1", "operator": "exists",
                                             "answerBoolean": True}]})
    value = data.draw(JSON)
    if where == "item":
        resource["item"][data.draw(st.integers(0, 3))][data.draw(st.sampled_from(ITEM_KEYS))] = value
    elif where == "document":
        resource[data.draw(st.sampled_from(DOCUMENT_KEYS))] = value
    elif where == "option":
        resource["item"][3]["answerOption"][0][data.draw(st.sampled_from(["valueCoding", "valueString",
                                                                          "extension", key]))] = value
    else:
        resource["item"][3]["enableWhen"][0][data.draw(st.sampled_from(["question", "operator",
                                                                        "answerCoding", key]))] = value
    try:
        imported = questionnaire_from_fhir(resource, "hostile.json")
    except FhirImportError as error:
        assert str(error)
        return
    assert imported.yaml_text.startswith("# Converted")
