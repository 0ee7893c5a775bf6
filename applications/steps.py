"""The application form's steps: which answers each holds and which are required to submit.

One list drives the multi-step form, the submission check and the receipt, so they cannot drift.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Step:
    slug: str
    title: Promise
    intro: Promise
    fields: tuple[str, ...]
    required: tuple[str, ...]

    def missing(self, application) -> list[str]:
        """Names of the required fields this application has not answered yet."""
        missing = [name for name in self.required if _is_blank(getattr(application, name))]
        # Details are required only for firms that say they are regulated elsewhere.
        if (
            "regulated_elsewhere_details" in self.fields
            and application.regulated_elsewhere
            and _is_blank(application.regulated_elsewhere_details)
        ):
            missing.append("regulated_elsewhere_details")
        return missing


def _is_blank(value) -> bool:
    return value is None or value == "" or value == []


STEPS: tuple[Step, ...] = (
    Step(
        "activity",
        _("Activity and product"),
        _("What you want to test and how it works."),
        ("title", "activity_category", "track", "summary", "flow_description"),
        ("title", "activity_category", "track", "summary", "flow_description"),
    ),
    Step(
        "innovation",
        _("Innovation"),
        _("What is new compared with what already exists in Kazakhstan and abroad."),
        ("innovation_statement", "comparables"),
        ("innovation_statement", "comparables"),
    ),
    Step(
        "benefit",
        _("Consumer benefit"),
        _("Who gains from the product and how."),
        ("consumer_benefit",),
        ("consumer_benefit",),
    ),
    Step(
        "need",
        _("Need for the sandbox"),
        _("Why you cannot test under the ordinary rules, and which rules you ask to relax."),
        ("need_for_sandbox", "rules_to_relax"),
        ("need_for_sandbox", "rules_to_relax"),
    ),
    Step(
        "readiness",
        _("Readiness"),
        _("How ready the product, team and systems are to serve real clients."),
        ("readiness_statement", "regulated_elsewhere", "regulated_elsewhere_details"),
        ("readiness_statement",),
    ),
    Step(
        "test-plan",
        _("Test plan"),
        _("The boundaries of the test: objectives, duration, clients and limits."),
        (
            "test_objectives",
            "proposed_start",
            "proposed_duration_months",
            "client_types",
            "max_clients",
            "limit_currency",
            "max_per_client_amount",
            "max_aggregate_amount",
            "geography",
            "customer_disclosure",
            "complaints_handling",
        ),
        (
            "test_objectives",
            "proposed_start",
            "proposed_duration_months",
            "client_types",
            "max_clients",
            "limit_currency",
            "max_per_client_amount",
            "max_aggregate_amount",
            "geography",
            "customer_disclosure",
            "complaints_handling",
        ),
    ),
    Step(
        "risks",
        _("Risks and safeguards"),
        _("What could go wrong for clients and the market, and what protects them."),
        ("risks_and_mitigations", "safeguards"),
        ("risks_and_mitigations", "safeguards"),
    ),
    Step(
        "exit",
        _("Exit strategy"),
        _("How the test ends well for clients, whatever the outcome."),
        ("exit_strategy",),
        ("exit_strategy",),
    ),
    Step(
        "aml",
        _("AML/CFT"),
        _("Anti-money-laundering and counter-terrorist-financing measures."),
        ("aml_measures", "kyc_approach", "source_of_funds"),
        ("aml_measures", "kyc_approach", "source_of_funds"),
    ),
)

STEP_BY_SLUG = {step.slug: step for step in STEPS}
ANSWER_FIELDS: tuple[str, ...] = tuple(name for step in STEPS for name in step.fields)
