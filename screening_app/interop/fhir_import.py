"""FHIR R4 `Questionnaire` -> the app's definition format (YAML text, with a header).

Top-level groups become steps (top-level questions outside any group are gathered into a
step of their own); a repeating group becomes a `group` item; a non-repeating group nested
in a step, or in a repeating group's row, becomes a section (an `info` item with its items
under it; without text, a section without a heading), items under a question its
follow-ups (in a row: fields of that row standing under it); a repeating group inside a
repeating group is left out (noted). A patient never reads a linkId: an item with no text
is named by its code's display or value set, else left out (noted). Types,
`answerOption`, contained `answerValueSet`, `required`, `repeats`, `maxLength`, min/max,
`regex`, help texts and `enableWhen`/`enableBehavior` are kept. Whatever cannot be
converted exactly is listed in `notes` (and at the top of the YAML) rather than dropped
silently. Its parts: `fhir_import_items` (types, properties, options),
`fhir_import_branching` (enableWhen), `fhir_import_document` (languages, header).

Languages: a FHIR Questionnaire usually has one language (`Questionnaire.language`, or
English when it says nothing). The definition then has that one language
(`languages: [en]`): nothing is copied into a language it was not written in. Languages
present through the HL7 `translation` extension on *every* text are kept too (our own
exports carry all of theirs). Choice codes that are not valid app codes (`LA6568-5`) are
rewritten (`la6568_5`) with the original kept in the choice's `attrs` (`fhir_code`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from . import fhir_common as fc
from . import fhir_source as fs
from .fhir_import_branching import Branching, _Pending
from .fhir_import_document import DocumentParts, _where
from .fhir_import_items import ItemDetails, Ref
from .fhir_import_shape import sound_copy
from .yaml_writer import render

_ID = re.compile(r"[a-z][a-z0-9_]*\Z")
_LANG = re.compile(r"[a-z]{2,3}\Z")
CALCULATED = ("http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression",
              "http://hl7.org/fhir/StructureDefinition/cqf-expression")
HIDDEN = "http://hl7.org/fhir/StructureDefinition/questionnaire-hidden"
# Extensions this module reads (any other is listed as not converted).
KNOWN_EXTENSIONS = frozenset({
    fc.EXT_ITEM_TYPE, fc.EXT_SHOWN_WHEN, fc.EXT_PROPERTIES, fc.EXT_CHOICE_ATTRS, fc.EXT_DEFINITION,
    fc.EXT_STEP_INTRO, fc.MIN_VALUE, fc.MAX_VALUE, fc.REGEX, fc.OPTION_EXCLUSIVE, fc.ORDINAL_VALUE,
    fc.TRANSLATION, fc.EXT_CHOICE_CODE, fc.EXT_CHOICE_LABEL,
})


class FhirImportError(ValueError):
    """The file is not a FHIR Questionnaire this converter can read at all."""


@dataclass
class ImportedDefinition:
    definition: dict[str, Any]  # plain data in the definition format
    yaml_text: str
    notes: list[str]            # what was not converted, or converted with a change


def questionnaire_from_fhir(resource: Any, source: str = "",
                            source_note: list[str] = ()) -> ImportedDefinition:
    """Convert a FHIR R4 Questionnaire (parsed JSON) into a definition; see the module doc.
    `source` names the file, `source_note` adds lines to the header (origin, licences)."""
    if not isinstance(resource, Mapping) or resource.get("resourceType") != "Questionnaire":
        raise FhirImportError("not a FHIR Questionnaire (resourceType must be \"Questionnaire\")")
    notes: list[str] = []
    sound = sound_copy(resource, lambda message: notes.append(message) if message not in notes else None)
    if not sound.get("item"):
        raise FhirImportError("the Questionnaire has no items" + (f" that can be read ({notes[0]})"
                                                                  if notes else ""))
    return _Importer(sound, source, list(source_note), notes).run()


class _Importer(ItemDetails, DocumentParts, Branching):
    def __init__(self, resource: Mapping[str, Any], source: str, source_note: list[str],
                 notes: list[str]) -> None:
        self.r = resource
        self.source = source
        self.source_note = source_note
        self.ours = fc.extension(resource, fc.EXT_DEFINITION) is not None
        self.notes = notes  # what the shape check left out, to begin with
        self.ignored: dict[str, list[str]] = {}  # extension url -> linkIds
        self.elsewhere: dict[str, list[str]] = {}  # other element not kept -> linkIds
        self.converted: set[str] = set()  # linkIds of the elements converted
        self.texts: list[dict[str, str]] = []
        self.refs: dict[str, Ref] = {}
        self.pending: list[_Pending] = []
        self.used_ids: set[str] = set()
        self.step_ids: set[str] = set()
        # FHIR que-2 says linkIds are unique; a source that repeats one (the SDC enableWhen
        # test form) keeps it on its first item only, the others are exported with their
        # app ids, and a note says so: a response could not say which one it answers.
        self.repeated = {k: n for k, n in _link_id_counts(resource["item"]).items() if n > 1}
        self.renamed: dict[str, list[str]] = {}
        self.contained = {c.get("id"): c for c in resource.get("contained") or []
                          if isinstance(c, Mapping) and c.get("resourceType") == "ValueSet"}
        lang = str(resource.get("language") or "").split("-")[0].lower()
        if not _LANG.match(lang):
            if resource.get("language"):
                self.notes.append(f"language {fc.quoted(resource.get('language'))} not understood; "
                                  "English assumed")
            else:
                self.notes.append("the Questionnaire does not say its language; English (en) assumed")
            lang = "en"
        self.lang = lang
        self.parts = self._definition_parts()

    # ------------------------------------------------------------ helpers

    def note(self, message: str) -> None:
        if message not in self.notes:
            self.notes.append(message)

    def text(self, element: Mapping[str, Any], key: str,
             fallback: str | None = None) -> dict[str, str] | None:
        value = element.get(key)
        if not isinstance(value, str) or not value.strip():
            if fallback is None:
                return None
            value = fallback
        text = {self.lang: value, **fc.read_translations(element.get("_" + key))}
        self.texts.append(text)
        return text

    def keep_text(self, mapping: Mapping[str, str]) -> dict[str, str]:
        text = dict(mapping)
        self.texts.append(text)
        return text

    def new_id(self, raw: str, taken: set[str], prefix: str = "q_") -> str:
        base = re.sub(r"[^a-z0-9_]+", "_", raw.lower()).strip("_")
        if not base or not base[0].isalpha():
            base = prefix + base
        candidate, number = base, 2
        while candidate in taken:
            candidate, number = f"{base}_{number}", number + 1
        taken.add(candidate)
        return candidate

    def _definition_parts(self) -> dict[str, Any]:
        raw = fc.extension_value(self.r, fc.EXT_DEFINITION)
        try:
            parts = json.loads(raw) if isinstance(raw, str) else {}
        except json.JSONDecodeError:
            self.note("the app definition extension is not valid JSON; parameters, computed "
                      "values and rules are not converted")
            parts = {}
        return parts if isinstance(parts, dict) else {}

    def check_extensions(self, element: Mapping[str, Any], link_id: str,
                         allowed: frozenset[str] | set[str] = frozenset()) -> None:
        for ext in element.get("extension") or []:
            url = ext.get("url") if isinstance(ext, Mapping) else None
            if url in KNOWN_EXTENSIONS or url in allowed:
                continue
            seen = self.ignored.setdefault(str(url), [])
            if link_id not in seen:
                seen.append(link_id)

    # ------------------------------------------------------------ the document

    def run(self) -> ImportedDefinition:
        r = self.r
        qid = fc.questionnaire_id_from_url(r.get("url")) if self.ours else None
        if qid is None:
            qid = re.sub(r"[^a-z0-9]+", "-", str(r.get("id") or r.get("name") or r.get("title")
                                                  or "imported-questionnaire").lower()).strip("-")
            qid = qid if qid and qid[0].isalnum() else f"imported-{qid}".strip("-")
        version = r.get("version")
        if not isinstance(version, str) or not version.strip():
            version = "0.1.0"
            self.note("the Questionnaire has no version; 0.1.0 assumed")
        title = self.text(r, "title")
        title_key = "title" if title else "name"
        title = title or self.text(r, "name", fallback=qid)
        self.title = title
        definition: dict[str, Any] = {"id": qid, "version": version, "languages": [], "title": title}
        description = self.text(r, "description")
        if description:
            definition["description"] = description
        minutes = self.parts.get("estimated_minutes") if self.ours else None
        if minutes is not None:  # our own export's; the loader checks it like a written one
            definition["estimated_minutes"] = minutes
        attrs = self.document_attrs()
        if attrs:
            definition["attrs"] = attrs
        parameters = self.parameters()
        if parameters:
            definition["parameters"] = parameters
        computed = self.computed()
        if computed:
            definition["computed"] = computed
        definition["steps"] = self.steps(title)
        for kind in ("rules", "consistency"):
            rules = self.rules(kind)
            if rules:
                definition[kind] = rules
        for pending in self.pending:
            self.branching(pending)
        self.note_document_elements(title_key)
        for url, link_ids in self.ignored.items():
            self.note(f"extension {url} is not supported and was left out (on {_where(link_ids)})")
        for link_id, count in self.repeated.items():
            others = ", ".join(f"`{other}`" for other in self.renamed.get(link_id, [])) or "nothing"
            self.note(f"linkId {link_id} is used by {count} items (FHIR requires unique linkIds): the "
                      f"first converted keeps it, the others are exported as {others}; a response's "
                      f"answer to {link_id}, and an enableWhen on it, mean the first")
        definition["languages"] = self.languages()
        header = self.header(definition)
        return ImportedDefinition(definition, render(definition, header), list(self.notes))

    # ------------------------------------------------------------ steps

    def steps(self, title: dict[str, str]) -> list[dict[str, Any]]:
        steps: list[dict[str, Any]] = []
        loose: dict[str, Any] | None = None
        for element in self.r["item"]:
            if not isinstance(element, Mapping):
                continue
            if element.get("type") == "group" and not element.get("repeats"):
                steps.append(self.step(element))
                loose = None
                continue
            in_step = self.app_properties(element).get("in_step") if self.ours else None
            if loose is None or (in_step is not None and in_step != loose["id"]):
                loose = self.loose_step(title, in_step)
                steps.append(loose)
            self.convert(element, loose["items"], None)
        return [step for step in steps if step["items"] or self._empty_step(step)]

    def loose_step(self, title: dict[str, str], in_step: Any) -> dict[str, Any]:
        """A step for questions outside any group (the source's top level, kept as such)."""
        known = (self.parts.get("top_level_steps") or {}).get(in_step) if isinstance(in_step, str) else None
        if isinstance(known, Mapping) and _ID.match(in_step) and in_step not in self.step_ids:
            self.step_ids.add(in_step)
            return {"id": in_step, "title": self.keep_text(known.get("title") or title),
                    "attrs": dict(known.get("attrs") or {}), "items": []}
        step = {"id": self.new_id("questions", self.step_ids, "step_"), "title": self.keep_text(title),
                "attrs": {fs.TOP_LEVEL: "true"}, "items": []}
        if len(self.r["item"]) > 1 and any(i.get("type") == "group" for i in self.r["item"]):
            self.note(f"questions outside any group were gathered into step `{step['id']}`")
        return step

    def step_title(self, element: Mapping[str, Any], link_id: str) -> dict[str, str]:
        """The group's text; without one, its code's display, else the questionnaire's
        title (as for the questions outside any group): a patient never reads a linkId."""
        title = self.text(element, "text")
        if title is not None:
            return title
        named = self.name_of(element)
        words = named[1] if named else self.title[self.lang]
        self.note(f"group {link_id} (a step) has no text; {named[0] if named else 'the title'} "
                  f"{fc.quoted(words)} is used as its title")
        return self.keep_text({self.lang: words} if named else dict(self.title))

    def _empty_step(self, step: dict[str, Any]) -> bool:
        self.note(f"step `{step['id']}` has no question that could be converted and was left out")
        return False

    def step(self, element: Mapping[str, Any]) -> dict[str, Any]:
        link_id = str(element.get("linkId", ""))
        self.converted.add(link_id)
        ours = self.app_properties(element) if self.ours else {}
        raw_id = link_id[len(fc.STEP_PREFIX):] if link_id.startswith(fc.STEP_PREFIX) else link_id
        raw_id = str(ours.get("id") or raw_id)
        step_id = raw_id if _ID.match(raw_id) and raw_id not in self.step_ids else \
            self.new_id(raw_id or "step", self.step_ids, "step_")
        self.step_ids.add(step_id)
        step: dict[str, Any] = {"id": step_id, "title": self.step_title(element, link_id)}
        attrs = dict(ours.get("attrs") or {}) if self.ours else self.source_attrs(
            element, link_id, fc.step_link_id(step_id), None)
        if attrs:
            step["attrs"] = attrs
        if self.has_branching(element):
            self.pending.append(_Pending(step, element, None))
        self.check_extensions(element, link_id)
        items: list[dict[str, Any]] = []
        for child in element.get("item") or []:
            if child.get("type") == "display" and fc.extension_value(child, fc.EXT_STEP_INTRO) is True:
                self.converted.add(str(child.get("linkId")))
                step["intro"] = self.text(child, "text", fallback="")
                continue
            self.convert(child, items, None)
        if element.get("required") and items:
            # "At least one answer in this group": the step's items in one required section.
            items = [{"id": self.new_id(f"{step_id}_answers", self.used_ids), "type": "info",
                      "label": self.keep_text(dict(step["title"])), "required": True, "items": items}]
            self.note(f"required group {link_id} (a step): its items are one section that needs at "
                      "least one answer")
        step["items"] = items
        return step

    # ------------------------------------------------------------ items

    def convert(self, element: Mapping[str, Any], out: list[dict[str, Any]], group: str | None) -> None:
        """One source item into `out`: the step's items, or (`group`) a repeating group's fields."""
        link_id = str(element.get("linkId", "?"))
        kind = element.get("type")
        if kind == "group" and not element.get("repeats"):
            self.section(element, out, group)
            return
        if kind == "group" and group is not None:
            self.note(f"repeating group {link_id} inside another repeating group is not supported "
                      "and was left out")
            return
        if fc.extension_value(element, HIDDEN) is True:
            self.note(f"hidden item {link_id} was left out")
            return
        if any(fc.extension(element, url) for url in CALCULATED) or element.get("readOnly"):
            self.note(f"calculated or read-only item {link_id} ({element.get('text', '')!s:.60}) was left "
                      "out: the app asks people questions; add a `computed` value by hand if needed")
            return
        following = [c for c in element.get("item") or [] if not self.is_help(c)]
        if not _has_text(element) and self.name_of(element) is None:
            self.wordless(element, following, out, group)
            return
        item = self.item(element, group)
        if item is None:
            return
        out.append(item)
        if item["type"] != "group" and following:
            # Items under a question: its follow-ups, shown once it is answered (in a
            # repeating group, in the same row).
            under: list[dict[str, Any]] = []
            for child in following:
                self.convert(child, under, group)
            if under:
                item["items"] = under
        if item["type"] == "group":
            fields: list[dict[str, Any]] = []
            for child in following:
                self.convert(child, fields, item["id"])
            if not fields:
                self.note(f"repeating group {link_id} has no field that could be converted and was left out")
                out.remove(item)
                return
            item["items"] = fields
        if self.has_branching(element):
            self.pending.append(_Pending(item, element, group))

    def wordless(self, element: Mapping[str, Any], following: list[Mapping[str, Any]],
                 out: list[dict[str, Any]], group: str | None) -> None:
        """An item with no text and nothing else that names it: a patient cannot be asked
        a question, read a note or fill rows that have no words, and its linkId is an
        internal id, so it is left out. The items under a question take its place."""
        link_id = str(element.get("linkId", "?"))
        kind = element.get("type")
        what = {"display": "display item", "group": "repeating group"}.get(kind, "item")
        lifted = [str(c.get("linkId", "?")) for c in following] if kind != "group" else []
        under = (f"; the items under it ({_where(lifted)}) stand in its place" if lifted else
                 "; its fields too" if kind == "group" else "")
        self.note(f"{what} {link_id} has no text, and no code display or value set name to say it "
                  f"by: left out (give it a label by hand if it is needed){under}")
        for child in following if lifted else []:
            self.convert(child, out, group)

    def section(self, element: Mapping[str, Any], out: list[dict[str, Any]], group: str | None) -> None:
        """A group nested in a step, or in a repeating group's row (`group`): a section (an
        info item, its heading, with its items under it), shown when its condition holds;
        `required`: at least one answer in it (in a row: in that row)."""
        link_id = str(element.get("linkId", "?"))
        self.converted.add(link_id)
        ours = self.app_properties(element) if self.ours else {}
        heading_id = self.app_id(link_id, group, ours)
        section: dict[str, Any] = {"id": heading_id, "type": "info"}
        label = self.text(element, "text")
        named = self.name_of(element) if label is None else None
        if named:
            label = self.keep_text({self.lang: named[1]})
            self.note(f"group {link_id} has no text; {named[0]} {fc.quoted(named[1])} is used as its heading")
        elif label is None:  # a section for structure only: its linkId is no heading
            self.note(f"group {link_id} has no text: a section without a heading (its items stand under "
                      "it as in the source; no heading is shown)")
        if label is not None:
            section["label"] = label
        attrs = dict(ours.get("attrs") or {}) if self.ours else self.source_attrs(
            element, link_id, fc.field_link_id(group, heading_id) if group else heading_id, None)
        if attrs:
            section["attrs"] = attrs
        if element.get("required"):
            section["required"] = True
        self.check_extensions(element, link_id)
        items: list[dict[str, Any]] = []
        for child in element.get("item") or []:
            self.convert(child, items, group)
        if not items:
            self.note(f"group {link_id} has no item that could be converted and was left out")
            return
        section["items"] = items
        out.append(section)
        self.refs.setdefault(link_id, Ref(heading_id, "info", group))  # the first of a repeated linkId
        if self.has_branching(element):
            self.pending.append(_Pending(section, element, group))

    def app_id(self, link_id: str, group: str | None, ours: Mapping[str, Any]) -> str:
        """The app id of an item: its linkId made an id (unique in the whole definition);
        our own export's id as it was (a group's field is `group.field` there)."""
        raw_id = link_id.split(".", 1)[1] if (self.ours and group and "." in link_id) else link_id
        raw_id = str(ours.get("id") or raw_id)
        item_id = raw_id if (self.ours and _ID.match(raw_id) and raw_id not in self.used_ids) \
            else self.new_id(raw_id, self.used_ids)
        self.used_ids.add(item_id)
        return item_id

    def item(self, element: Mapping[str, Any], group: str | None) -> dict[str, Any] | None:
        link_id = str(element.get("linkId", "?"))
        kind = self.app_type(element)
        if kind is None:
            return None
        ours = self.app_properties(element) if self.ours else {}
        item_id = self.app_id(link_id, group, ours)
        self.converted.add(link_id)
        label = self.text(element, "text")
        if label is None:  # named (convert left out the items that are not)
            what, words = self.name_of(element) or ("its linkId", link_id)
            label = self.keep_text({self.lang: words})
            self.note(f"item {link_id} has no text; {what} {fc.quoted(words)} is used as the question")
        prefix = element.get("prefix")
        if isinstance(prefix, str) and prefix.strip():
            label = {lang: f"{prefix.strip()} {text}" for lang, text in label.items()}
            self.texts[-1] = label
        item: dict[str, Any] = {"id": item_id, "type": kind, "label": label}
        helps = [c for c in element.get("item") or [] if self.is_help(c)]
        self.converted.update(str(c.get("linkId")) for c in helps)
        help_text = next((self.text(c, "text") for c in helps), None)
        if help_text:
            item["help"] = help_text
        if element.get("required") and kind != "info":
            item["required"] = True
        self.properties(element, item, link_id)
        if kind in ("single_choice", "multi_choice", "yes_no", "yes_no_unsure"):
            self.choices(element, item, link_id)
        self.refs.setdefault(link_id, Ref(item_id, item["type"], group, bool(item.get("ordinal")),
                                          item.pop("_codes", {}), item.pop("_kinds", {})))
        self.note_item_elements(element, item, link_id)
        attrs = dict(ours.get("attrs") or {}) if self.ours else self.source_attrs(
            element, link_id, fc.field_link_id(group, item_id) if group else item_id, item["type"])
        if attrs:
            item = {**{k: v for k, v in item.items() if k in ("id", "type", "label")}, "attrs": attrs,
                    **{k: v for k, v in item.items() if k not in ("id", "type", "label")}}
        return item


def _link_id_counts(items: Any, counts: dict[str, int] | None = None) -> dict[str, int]:
    """How many items of the Questionnaire have each linkId, at any depth."""
    counts = {} if counts is None else counts
    for item in items if isinstance(items, list) else []:
        if isinstance(item, Mapping) and isinstance(item.get("linkId"), str):
            counts[item["linkId"]] = counts.get(item["linkId"], 0) + 1
            _link_id_counts(item.get("item"), counts)
    return counts


def _has_text(element: Mapping[str, Any]) -> bool:
    return isinstance(element.get("text"), str) and bool(element["text"].strip())
