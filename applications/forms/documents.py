"""The upload form of one document slot.

Every limit comes from the DocumentRequirement: the help text, the browser check (data-*
attributes read by static/js/portal.js) and the server check (the upload handler and
validators.validate_upload) all read the same two fields, so they cannot disagree.
"""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, Submit
from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from applications.validators import too_large_message, wrong_type_message


class DocumentUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        # The file name is cleaned and bounded when stored; the browser may send a long path.
        max_length=None,
        allow_empty_file=True,  # validate_upload says "The file is empty." in its own words
        error_messages={"required": _("Choose a file to upload.")},
    )

    def __init__(self, *args, application, requirement, **kwargs):
        super().__init__(*args, **kwargs)
        self.requirement = requirement
        field = self.fields["file"]
        field.widget.attrs.update(
            {
                # The slot states the accepted types and the limit (from the same requirement).
                "aria-describedby": f"document-{requirement.pk}-limits",
                "accept": ",".join(f".{ext}" for ext in requirement.extensions),
                "data-max-bytes": requirement.max_size_bytes,
                "data-extensions": ",".join(requirement.extensions),
                "data-too-large-message": too_large_message(requirement),
                "data-wrong-type-message": wrong_type_message(requirement),
            }
        )
        self.auto_id = f"id_document_{requirement.pk}_%s"
        self.helper = self._helper(application, requirement)

    @staticmethod
    def _helper(application, requirement) -> FormHelper:
        helper = FormHelper()
        helper.form_method = "post"
        helper.form_action = reverse(
            "applications:document-upload",
            kwargs={"pk": application.pk, "requirement_id": requirement.pk},
        )
        slot = f"#document-{requirement.pk}"
        # With htmx the slot alone is replaced; without it, the plain multipart POST redirects back.
        helper.attrs = {
            "hx-post": helper.form_action,
            "hx-encoding": "multipart/form-data",
            "hx-target": slot,
            "hx-swap": "outerHTML",
            "hx-disabled-elt": "find [type=submit]",  # no double submit while a large file is sent
        }
        helper.layout = Layout(
            "file", Submit("upload", _("Upload"), css_id=f"document-{requirement.pk}-upload")
        )
        return helper
