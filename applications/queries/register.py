"""The public register: firms testing in the sandbox now, and past participants.

Only what regulators publish leaves this module: the firm's name, programme, cohort and zone,
the activity, the test period and the outcome. Rows are built as `RegisterEntry` objects, so no
template can reach the BIN, people, reviewers, scores, limits or reasons on the models.
The test period comes from the participation (`Application.participation`: starts_on, ends_on,
exit_route) when the decisions work provides that model; until then it is left empty.
"""

from dataclasses import dataclass
from datetime import date

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from applications.enums import ActivityCategory, ApplicationState
from applications.models import Application

S = ApplicationState
CURRENT_STATES = (S.TESTING, S.SUSPENDED)
PAST_STATES = (S.GRADUATED, S.EXITED, S.TERMINATED)
PAGE_SIZE = 50


@dataclass(frozen=True)
class RegisterEntry:
    firm: str
    programme: str
    cohort: str
    zone: str
    activity: str
    starts_on: date | None
    ends_on: date | None
    outcome: str


def _has_participation() -> bool:
    return any(relation.name == "participation" for relation in Application._meta.related_objects)


def register_queryset(*, past: bool) -> QuerySet[Application]:
    queryset = Application.objects.filter(state__in=PAST_STATES if past else CURRENT_STATES)
    related = ["organisation", "cohort__programme"]
    if _has_participation():
        related.append("participation")
    return queryset.select_related(*related).order_by(
        "cohort__programme__code", "-cohort__opens_at", "organisation__legal_name_en", "pk"
    )


def _outcome(application: Application, participation) -> str:
    if application.state in CURRENT_STATES:
        return str(_("Testing"))  # a suspension is the regulator's business, not published here
    route = getattr(participation, "get_exit_route_display", None)
    label = str(application.get_state_display())
    if route is not None and participation.exit_route:
        return f"{label}: {route()}"
    return label


def entry_for(application: Application) -> RegisterEntry:
    participation = getattr(application, "participation", None)
    cohort = application.cohort
    activity = application.activity_category
    return RegisterEntry(
        firm=application.organisation.legal_name,
        programme=cohort.programme.name,
        cohort=cohort.name,
        zone=cohort.zone_tag,
        activity=str(ActivityCategory(activity).label) if activity else "",
        starts_on=getattr(participation, "starts_on", None),
        ends_on=getattr(participation, "ends_on", None),
        outcome=_outcome(application, participation),
    )


def register_page(*, past: bool, page_number) -> tuple[list[RegisterEntry], object]:
    """One page of the register (two queries: count and rows) and its Page for the links."""
    page = Paginator(register_queryset(past=past), PAGE_SIZE).get_page(page_number)
    return [entry_for(application) for application in page.object_list], page
