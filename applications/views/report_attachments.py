"""Files attached to a participant's report: streaming upload (the document pipeline's handler)
and download as an attachment the browser may neither run nor sniff."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from applications import queries
from applications.enums import ScanStatus
from applications.exceptions import WorkflowError
from applications.forms.participations import ReportAttachmentForm
from applications.models import Report, ReportAttachment
from applications.queries.participations import attachment_visible_to
from applications.services import report_attachments as service
from applications.uploads import HashingUploadHandler
from applications.views.documents import stored_file_response, upload_refusal


@csrf_exempt  # the CSRF check runs in _receive_upload, after our upload handler is installed
@require_POST
@login_required
def report_attachment_upload_view(request, pk, report_pk):
    """As documents.document_upload_view: nothing reads request.POST before the handler is in."""
    application = get_object_or_404(queries.applications_visible_to(request.user), pk=pk)
    if not request.user.has_perm("applications.report_application", application):
        raise PermissionDenied
    report = get_object_or_404(
        Report.objects.filter(participation__application=application), pk=report_pk
    )
    rules = service.attachment_rules()
    handler = HashingUploadHandler(request, max_bytes=rules.max_size_bytes, max_files=1)
    request.upload_handlers = [handler]  # files go to disk, never to memory
    return _receive_upload(request, report, handler, rules)


@csrf_protect
def _receive_upload(request, report, handler, rules):
    request.FILES  # noqa: B018 -- parse the body now, so the handler has run
    form = ReportAttachmentForm(request.POST, request.FILES)
    problem = upload_refusal(handler, form, rules)
    if problem is None:
        try:
            attachment = service.attach_file(
                actor=request.user,
                report_id=report.pk,
                upload=form.cleaned_data["file"],
                ip_address=request.META.get("REMOTE_ADDR"),
            )
        except ValidationError as error:
            problem = " ".join(error.messages)
        except WorkflowError as error:
            problem = str(error)
    if problem is not None:
        messages.error(request, problem)
    else:
        messages.success(
            request,
            _("“%(file)s” attached. It is checked for viruses before the regulator sees it.")
            % {"file": attachment.original_name},
        )
    application_id = report.participation.application_id
    return redirect("participations:report-file", pk=application_id, report_pk=report.pk)


class ReportAttachmentDownloadView(LoginRequiredMixin, View):
    """Members of the participant's organisation and programme admins; anyone else 404."""

    def get(self, request, attachment_pk):
        try:
            attachment = attachment_visible_to(request.user, attachment_pk)
        except ReportAttachment.DoesNotExist:
            raise Http404 from None
        # Pending or quarantined files are served to no one until the check clears them.
        if attachment.scan_status != ScanStatus.CLEAN:
            raise Http404
        stream = service.open_attachment(attachment)
        service.record_download(
            actor=request.user, attachment=attachment, ip_address=request.META.get("REMOTE_ADDR")
        )
        return stored_file_response(stream, attachment.content_type, attachment.original_name)
