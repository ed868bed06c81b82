"""The document-level parts of the FHIR import: languages, header, source attrs, app-only parts.

A mixin of `fhir_import._Importer` (split off to keep each module about one thing); it
relies on the importer's state and helpers (`r`, `ours`, `parts`, `texts`, `note`, ...).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import fhir_source as fs
from .fhir_import_walk import walk_questionnaire


class DocumentParts:
    """Languages, the YAML header, what the document keeps and what it lists as not kept."""

    r: Mapping[str, Any]
    ours: bool
    lang: str
    source: str
    source_note: list[str]
    parts: dict[str, Any]
    notes: list[str]
    texts: list[dict[str, str]]
    converted: set[str]
    elsewhere: dict[str, list[str]]

    def languages(self) -> list[str]:
        declared = self.parts.get("languages") if self.ours else None
        found = [self.lang]
        for text in self.texts:
            found += [lang for lang in text if lang not in found]
        if isinstance(declared, list):
            found = [lang for lang in declared if lang in found] or found
        complete = [lang for lang in found if all(t.get(lang, "").strip() for t in self.texts)]
        if self.lang not in complete:
            complete.insert(0, self.lang)
        for lang in found:
            if lang not in complete:
                self.note(f"translations into `{lang}` cover only some texts; `{lang}` was left out")
        for text in self.texts:
            for lang in list(text):
                if lang not in complete:
                    del text[lang]
            for lang in complete:
                text.setdefault(lang, "")  # the loader then names the missing translation
        return complete

    def header(self, definition: dict[str, Any]) -> list[str]:
        lines = ["Converted from a FHIR R4 Questionnaire by `python main.py import-definition`."]
        if self.source:
            lines.append(f"Source: {self.source}")
        lines += self.source_note
        if self.r.get("url"):
            lines.append(f"Source canonical: {self.r.get('url')}|{self.r.get('version', '')}".rstrip("|"))
        for key in ("publisher", "copyright"):
            if isinstance(self.r.get(key), str):
                lines.append(f"{key.capitalize()} (from the source): {self.r[key]}")
        if definition["languages"] == [self.lang]:
            lines.append(f"Languages: {self.lang} only (the one language every text of the source has); "
                         "translate every text before offering another language.")
        if self.notes:
            lines.append("Not converted exactly (review before use):")
            lines += [f"  - {note}" for note in self.notes]
        else:
            lines.append("Everything in the source was converted.")
        return lines

    def note_document_elements(self, title_key: str) -> None:
        """List the extensions and every other element of the source not carried over."""
        self.check_extensions(self.r, "the Questionnaire")
        used = {title_key}  # `name` when the source has no title
        if self.r.get("name") == self.r.get("title"):
            used.add("name")
        if self.r.get("subjectType") == ["Patient"]:  # what every definition is about
            used.add("subjectType")
        walk_questionnaire(self.r, self.ours, used, self.converted.__contains__, self.unkept)
        for what, link_ids in self.elsewhere.items():
            self.note(f"{what} (on {_where(link_ids)})" if link_ids else what)

    def unkept(self, what: str, link_id: str | None) -> None:
        seen = self.elsewhere.setdefault(what, [])
        if link_id is not None and link_id not in seen:
            seen.append(link_id)

    def document_attrs(self) -> dict[str, str]:
        """The source's canonical, code, identifier, publisher and copyright (`fhir_source`)."""
        if self.ours:
            raw = self.parts.get("attrs") or {}
            return {str(k): str(v) for k, v in raw.items()} if isinstance(raw, Mapping) else {}
        r = self.r
        attrs = {}
        if isinstance(r.get("id"), str) and r["id"]:
            attrs["fhir_id"] = r["id"]  # a response may name it `Questionnaire/<id>`
        if isinstance(r.get("url"), str):
            attrs["fhir_url"] = r["url"]
            if isinstance(r.get("version"), str):
                attrs["fhir_version"] = r["version"]
        attrs.update(fs.code_attrs(r))
        if "fhir_display" in attrs and attrs["fhir_display"] == r.get("title"):
            del attrs["fhir_display"]  # the same as the title
        identifiers = [i for i in r.get("identifier") or [] if isinstance(i, Mapping) and i.get("value")]
        if identifiers:
            if identifiers[0].get("system"):
                attrs["fhir_identifier_system"] = str(identifiers[0]["system"])
            attrs["fhir_identifier_value"] = str(identifiers[0]["value"])
        for key in ("publisher", "copyright"):
            if isinstance(r.get(key), str):
                attrs[f"fhir_{key}"] = r[key]
        return attrs

    # ------------------------------------------------------------ app-only parts (our exports)

    def parameters(self) -> dict[str, Any]:
        raw = self.parts.get("parameters") or {}
        return {name: {"value": body.get("value"), "label": self.keep_text(body.get("label") or {})}
                for name, body in raw.items() if isinstance(body, Mapping)}

    def computed(self) -> list[dict[str, Any]]:
        return [{"id": c.get("id"), "label": self.keep_text(c.get("label") or {}), "type": c.get("type"),
                 "expr": c.get("expr")} for c in self.parts.get("computed") or [] if isinstance(c, Mapping)]

    def rules(self, kind: str = "rules") -> list[dict[str, Any]]:
        """The screening rules (`kind` "rules") or the consistency rules ("consistency")."""
        return [{"id": r.get("id"), **({"severity": r.get("severity")} if kind == "rules" else {}),
                 "criterion": self.keep_text(r.get("criterion") or {}), "when": r.get("when")}
                for r in self.parts.get(kind) or [] if isinstance(r, Mapping)]


def _where(link_ids: list[str]) -> str:
    return ", ".join(link_ids[:4]) + (f" and {len(link_ids) - 4} more" if len(link_ids) > 4 else "")
