"""Turning an application into what its pages show: plain-words state, answers, problems, history.

Only presentation lives here (labels, links, sentences); what is allowed or missing comes from
conditions.py and the services.
"""

from datetime import date
from itertools import zip_longest

from django.urls import reverse
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications import conditions, queries
from applications.enums import ApplicationState, ClientType, EventKind
from applications.models import DocumentRequirement
from applications.steps import STEPS

S = ApplicationState

# What happens next, in the applicant's words, for every state.
NEXT_STEPS = {
    S.DRAFT: gettext_lazy(
        "This application is a draft: the regulator cannot see it yet. Answer every question, "
        "upload the required documents, then review and submit it."
    ),
    S.SUBMITTED: gettext_lazy(
        "The regulator has received your application. A case officer will be assigned to check "
        "that your application and documents are complete."
    ),
    S.SCREENING: gettext_lazy(
        "A case officer is checking that your application and documents are complete. If anything "
        "is missing, you will be asked for it."
    ),
    S.ELIGIBILITY: gettext_lazy(
        "Your application is complete. The regulator is checking that your organisation and "
        "activity are eligible for this programme."
    ),
    S.EVALUATION: gettext_lazy(
        "Reviewers are assessing your application against the programme's published criteria."
    ),
    S.DECISION_PENDING: gettext_lazy(
        "The assessment is finished and the regulator is preparing its decision. You will be told "
        "the outcome and the reasons for it."
    ),
    S.APPROVED: gettext_lazy(
        "Your application has been approved. The regulator will contact you about the testing "
        "agreement and the conditions to meet before testing starts."
    ),
    S.REJECTED: gettext_lazy(
        "Your application was not accepted. You have been told the reasons; you may apply again "
        "to a later cohort."
    ),
    S.WAITLISTED: gettext_lazy(
        "Your application is on the waiting list. It may be admitted if a place in the cohort "
        "becomes available."
    ),
    S.NOT_ELIGIBLE: gettext_lazy(
        "Your application was found not eligible for this programme. You have been told the reasons."
    ),
    S.ONBOARDING: gettext_lazy(
        "You are preparing to test: sign the testing agreement and meet the conditions set before "
        "testing may start."
    ),
    S.TESTING: gettext_lazy(
        "You are testing in the sandbox. Stay within the agreed limits and send your reports on time."
    ),
    S.SUSPENDED: gettext_lazy(
        "Your test is suspended. Follow the regulator's instructions; testing may resume once the "
        "issue is resolved."
    ),
    S.EXITING: gettext_lazy(
        "Your test is ending. Carry out your exit strategy and send your final report."
    ),
    S.GRADUATED: gettext_lazy("You have completed your sandbox test successfully."),
    S.EXITED: gettext_lazy("Your participation in the sandbox has ended."),
    S.TERMINATED: gettext_lazy(
        "The regulator ended your test early. Carry out your exit strategy and follow the "
        "regulator's instructions."
    ),
    S.WITHDRAWN: gettext_lazy(
        "This application was withdrawn and will not be considered further. You may apply again "
        "to an open cohort."
    ),
}

# One sentence per applicant-visible event kind; unknown kinds fall back to the kind's label.
EVENT_SENTENCES = {
    EventKind.APPLICATION_CREATED: gettext_lazy("%(who)s started the application."),
    EventKind.APPLICATION_SUBMITTED: gettext_lazy(
        "%(who)s submitted the application. Its reference is %(reference)s."
    ),
    EventKind.SCREENING_STARTED: gettext_lazy(
        "A case officer was assigned and began checking that the application is complete."
    ),
    EventKind.APPLICATION_WITHDRAWN: gettext_lazy(
        "%(who)s withdrew the application, giving the reason: “%(reason)s”."
    ),
    EventKind.DOCUMENT_UPLOADED: gettext_lazy(
        "%(who)s uploaded version %(version)s of “%(document)s”."
    ),
}


def timeline_entries(application) -> list[dict]:
    """The applicant-visible history, newest first, each event as a sentence (2 queries)."""
    events = list(queries.timeline_for_applicant(application))
    codes = {
        event.data.get("requirement")
        for event in events
        if event.kind == EventKind.DOCUMENT_UPLOADED
    }
    names = {}
    if codes:
        requirements = DocumentRequirement.objects.filter(
            programme_id=application.cohort.programme_id, code__in=codes
        )
        names = {requirement.code: requirement.name for requirement in requirements}
    return [{"event": event, "sentence": _sentence(event, names)} for event in events]


def _sentence(event, document_names: dict) -> str:
    template = EVENT_SENTENCES.get(event.kind)
    if template is None:
        return event.get_kind_display()
    data = event.data
    return template % {
        "who": _who(event.actor),
        "reference": data.get("reference", ""),
        "reason": data.get("reason", ""),
        "version": data.get("version", ""),
        "document": document_names.get(data.get("requirement"), _("a document")),
    }


def _who(actor) -> str:
    # Applicants never learn which member of staff acted (DESIGN.md §4).
    if actor is None:
        return _("The portal")
    if actor.is_regulator_staff:
        return _("The regulator")
    return actor.display_name


def submission_checklist(application) -> list[dict]:
    """conditions.submission_problems, each with the page where it is fixed.

    Relies on the order submission_problems lists them in: cohort, answers (in step order),
    documents, declarations. tests/applications/views/test_applicant.py holds it to that.
    """
    problems = list(conditions.submission_problems(application))
    items = []
    if not conditions.cohort_is_open(application):
        items.append(_item("cohort", problems.pop(0), None))
    declarations = problems.pop() if application.declarations_accepted_at is None else None
    answer_urls = [
        _step_url(application, step) for step in STEPS for _name in step.missing(application)
    ]
    documents_url = reverse("applications:document-list", kwargs={"pk": application.pk})
    for text, url in zip_longest(problems, answer_urls):
        items.append(_item("answer", text, url) if url else _item("document", text, documents_url))
    if declarations:
        submit_url = reverse("applications:application-submit", kwargs={"pk": application.pk})
        items.append(_item("declarations", declarations, submit_url))
    return items


def linked_problems(problems: list[str], checklist: list[dict]) -> list[dict]:
    """Problems reported by a service, with the links of the matching checklist items."""
    urls = {item["text"]: item for item in checklist}
    return [urls.get(text) or _item("other", text, None) for text in problems]


def _item(kind: str, text: str, url: str | None) -> dict:
    return {"kind": kind, "text": text, "url": url}


def _step_url(application, step) -> str:
    return reverse(
        "applications:application-step", kwargs={"pk": application.pk, "step": step.slug}
    )


def answer_sections(application, editable: bool = False) -> list[dict]:
    """Every step's answers with their labels and display values, in form order."""
    sections = []
    for step in STEPS:
        missing = step.missing(application)
        rows = [
            {
                "name": name,
                "label": application._meta.get_field(name).verbose_name,
                "value": display_value(application, name),
                # Blank but not needed (details of a "no" answer) reads differently from missing.
                "missing": name in missing,
            }
            for name in step.fields
        ]
        url = _step_url(application, step) if editable else None
        sections.append({"step": step, "rows": rows, "edit_url": url})
    return sections


def display_value(application, name: str):
    """An answer as a person reads it; None when unanswered."""
    value = getattr(application, name)
    field = application._meta.get_field(name)
    if value is None or value == "" or value == []:
        return None
    if field.choices:
        return getattr(application, f"get_{name}_display")()
    if name == "client_types":
        labels = dict(ClientType.choices)
        return ", ".join(str(labels.get(item, item)) for item in value)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if name in ("max_per_client_amount", "max_aggregate_amount"):
        return _amount(value, application.limit_currency)
    if isinstance(value, date):
        return date_format(value, "DATE_FORMAT")
    return value


def _amount(value, currency: str) -> str:
    # Stored with 8 decimals for crypto-assets; show only the decimals that carry a value.
    decimals = max(0, -value.normalize().as_tuple().exponent)
    formatted = number_format(value, decimal_pos=decimals, force_grouping=True)
    return f"{formatted} {currency}".strip()


def documents_at(application, moment) -> list[dict]:
    """Each application document as it stood at `moment`: the newest version uploaded by then."""
    documents = []
    for slot in queries.document_slots(application):
        version = next((v for v in slot["versions"] if v.uploaded_at <= moment), None)
        documents.append({"requirement": slot["requirement"], "version": version})
    return documents
