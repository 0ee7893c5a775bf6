"""PDF: parsed with pikepdf (qpdf). Active content, attachments and encryption are refused."""

import pikepdf
from django.utils.translation import gettext as _

from applications.content import refuse

# What each finding is called in the refusal, most serious first (the first found is reported).
_FINDINGS = ("encrypted", "javascript", "launch", "embedded", "open_action", "additional_actions")


def _messages() -> dict[str, str]:
    return {
        "encrypted": _(
            "“%(name)s” is encrypted or password-protected. Upload a copy without a password."
        ),
        "javascript": _(
            "“%(name)s” contains JavaScript. Save or print it as a plain PDF without scripts."
        ),
        "launch": _("“%(name)s” tries to launch other programs. Upload a plain PDF."),
        "embedded": _(
            "“%(name)s” has files embedded in it. Upload each document separately, as a plain PDF."
        ),
        "open_action": _(
            "“%(name)s” runs an action when it is opened. Save or print it as a plain PDF."
        ),
        "additional_actions": _(
            "“%(name)s” contains automatic actions (triggered on pages or fields). Upload a plain PDF."
        ),
    }


def inspect(upload, name: str) -> None:
    path = getattr(upload, "temporary_file_path", None)
    try:
        with pikepdf.open(path() if path else upload) as document:
            findings = _scan(document)
            if len(document.pages) == 0:
                findings.add("empty")
    except pikepdf.PasswordError:
        findings = {"encrypted"}
    except (pikepdf.PdfError, ValueError, RecursionError):
        raise refuse(
            "pdf_malformed", _("“%(name)s” is damaged or is not a valid PDF."), name
        ) from None
    for finding in _FINDINGS:
        if finding in findings:
            raise refuse(f"pdf_{finding}", _messages()[finding], name)
    if "empty" in findings:
        raise refuse("pdf_malformed", _("“%(name)s” is damaged or is not a valid PDF."), name)


def _scan(document: pikepdf.Pdf) -> set[str]:
    findings = set()
    if document.is_encrypted:
        findings.add("encrypted")
    root = document.Root
    if "/OpenAction" in root:
        findings.add("open_action")
    names = root.get("/Names")
    if isinstance(names, pikepdf.Dictionary):
        if "/JavaScript" in names:
            findings.add("javascript")
        if "/EmbeddedFiles" in names:
            findings.add("embedded")
    acroform = root.get("/AcroForm")
    if isinstance(acroform, pikepdf.Dictionary) and "/XFA" in acroform:
        findings.add("javascript")  # XFA forms carry their own scripts
    for obj in document.objects:
        _inspect_object(obj, findings, depth=0)
    return findings


def _inspect_object(obj, findings: set[str], depth: int) -> None:
    """Look at one object and the direct objects inside it (indirect ones are visited on their own
    turn in `document.objects`)."""
    if depth > 50:
        return
    if isinstance(obj, pikepdf.Stream):
        obj = obj.stream_dict
    if isinstance(obj, pikepdf.Dictionary):
        _inspect_dictionary(obj, findings)
        children = obj.values()
    elif isinstance(obj, pikepdf.Array):
        children = list(obj)
    else:
        return
    for child in children:
        if isinstance(child, (pikepdf.Dictionary, pikepdf.Array)) and not child.is_indirect:
            _inspect_object(child, findings, depth + 1)


def _inspect_dictionary(dictionary: pikepdf.Dictionary, findings: set[str]) -> None:
    action = dictionary.get("/S")
    if action == pikepdf.Name.JavaScript or "/JS" in dictionary:
        findings.add("javascript")
    if action == pikepdf.Name.Launch:
        findings.add("launch")
    if "/AA" in dictionary:
        findings.add("additional_actions")
    if dictionary.get("/Type") == pikepdf.Name.EmbeddedFile or "/EF" in dictionary:
        findings.add("embedded")
    if dictionary.get("/Subtype") in (pikepdf.Name.FileAttachment, pikepdf.Name.RichMedia):
        findings.add("embedded")
