"""Forms of testing supervision: reasons, evidence, exit, reports and extension requests."""

from django import forms
from django.utils.translation import gettext_lazy as _

from applications.enums import ExitRoute
from applications.services.participations import EXIT_ROUTES
from applications.services.report_attachments import attachment_rules
from applications.services.reports import ReportContent
from applications.validators import accepted_types_label, too_large_message, wrong_type_message


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class EvidenceForm(forms.Form):
    evidence_note = forms.CharField(
        label=_("Evidence"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence_document = forms.TypedChoiceField(
        label=_("Supporting document"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, documents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence_document"].choices = [("", "—")] + [
            (document.pk, str(document.requirement)) for document in documents
        ]


class ExitForm(forms.Form):
    route = forms.ChoiceField(
        label=_("Exit route"),
        choices=[(r, ExitRoute(r).label) for r in EXIT_ROUTES],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    trigger = forms.CharField(
        label=_("What triggered the exit"),
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )


class ExitCompleteForm(forms.Form):
    """Closing an exit: the route is asked only when the exit started by itself without one."""

    route = forms.ChoiceField(
        label=_("Exit route"),
        choices=[("", "---------"), *[(r, ExitRoute(r).label) for r in EXIT_ROUTES]],
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )


class ReportForm(forms.Form):
    active_clients = forms.IntegerField(label=_("Active clients"), min_value=0)
    transactions_count = forms.IntegerField(label=_("Number of transactions"), min_value=0)
    transactions_volume = forms.DecimalField(
        label=_("Volume of transactions"), min_value=0, max_digits=20, decimal_places=2
    )
    complaints = forms.IntegerField(label=_("Complaints received"), min_value=0)
    incidents = forms.IntegerField(label=_("Incidents"), min_value=0)
    limit_breaches = forms.IntegerField(label=_("Breaches of the limits"), min_value=0)
    narrative = forms.CharField(label=_("Narrative"), widget=forms.Textarea(attrs={"rows": 5}))

    def content(self) -> ReportContent:
        return ReportContent(**self.cleaned_data)


class IncidentForm(forms.Form):
    active_clients = forms.IntegerField(label=_("Clients affected"), min_value=0, required=False)
    limit_breaches = forms.IntegerField(
        label=_("Breaches of the limits"), min_value=0, required=False
    )
    narrative = forms.CharField(
        label=_("What happened, when, and what you did"),
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def content(self) -> ReportContent:
        return ReportContent(incidents=1, **self.cleaned_data)


class ExtensionForm(forms.Form):
    months = forms.IntegerField(label=_("Extension (months)"), min_value=1)
    reason = forms.CharField(
        label=_("Why the test needs longer"), widget=forms.Textarea(attrs={"rows": 3})
    )


class ReportAttachmentForm(forms.Form):
    """One file for a report. The limits come from services.report_attachments.attachment_rules,
    read by the help text, the browser check (static/js/portal.js) and the server alike."""

    file = forms.FileField(
        label=_("Attach a file"),
        max_length=None,  # the name is cleaned and bounded when stored
        allow_empty_file=True,  # validate_upload says "The file is empty." in its own words
        error_messages={"required": _("Choose a file to attach.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rules = attachment_rules()
        self.fields["file"].help_text = _(
            "%(types)s, at most %(limit)s MB. Files are checked for viruses before the regulator sees them."
        ) % {"types": accepted_types_label(rules), "limit": rules.max_size_mb}
        self.fields["file"].widget.attrs.update(
            {
                "accept": ",".join(f".{ext}" for ext in rules.extensions),
                "data-max-bytes": rules.max_size_bytes,
                "data-extensions": ",".join(rules.extensions),
                "data-too-large-message": too_large_message(rules),
                "data-wrong-type-message": wrong_type_message(rules),
            }
        )
