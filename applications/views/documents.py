"""Document slots of an application: the list, streaming upload of a new version, download."""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from applications import conditions, queries
from applications.enums import DocumentStage, ScanStatus
from applications.exceptions import WorkflowError
from applications.forms.documents import DocumentUploadForm
from applications.models import DocumentRequirement, DocumentVersion
from applications.services import documents as document_services
from applications.uploads import HashingUploadHandler
from applications.validators import too_large_message
from applications.views.workspace_sections import download_name

TEMPLATE = "applications/documents/list.html"


class DocumentListView(LoginRequiredMixin, View):
    """Every document the programme asks for at the application stage, with its versions."""

    def get(self, request, pk):
        application = get_object_or_404(queries.applications_visible_to(request.user), pk=pk)
        if not request.user.has_perm("applications.view_application", application):
            raise Http404
        if request.user.is_regulator_staff:  # staff screen documents on their own page
            return redirect("applications:staff-document-list", pk=application.pk)
        context = page_context(request, application)
        slot_id = request.GET.get("slot", "")
        if request.htmx and slot_id.isdigit():  # a slot "being checked" polls for its result
            slot = find_slot(context["slots"], int(slot_id))
            return render(request, f"{TEMPLATE}#slot", {**context, "slot": slot})
        return render(request, TEMPLATE, context)


@csrf_exempt  # the CSRF check runs in _receive_upload, after our upload handler is installed
@require_POST
@login_required
def document_upload_view(request, pk, requirement_id):
    """Django's pattern for changing upload handlers: nothing may read request.POST before the
    handler is installed, so CsrfViewMiddleware is skipped here and csrf_protect runs inside."""
    application = get_object_or_404(queries.applications_visible_to(request.user), pk=pk)
    requirement = get_object_or_404(
        DocumentRequirement,
        pk=requirement_id,
        programme_id=application.cohort.programme_id,
        stage=DocumentStage.APPLICATION,
    )
    if not request.user.has_perm("applications.edit_application", application):
        raise PermissionDenied
    # Every file of the request counts against this: one file, at most the requirement's limit.
    handler = HashingUploadHandler(request, max_bytes=requirement.max_size_bytes, max_files=1)
    request.upload_handlers = [handler]  # the only handler: files go to disk, never to memory
    return _receive_upload(request, application, requirement, handler)


@csrf_protect
def _receive_upload(request, application, requirement, handler):
    request.FILES  # noqa: B018 -- parse the body now (the CSRF check may not have), so the handler has run
    form = DocumentUploadForm(
        request.POST, request.FILES, application=application, requirement=requirement
    )
    problem = upload_refusal(handler, form, requirement)
    if problem is None:
        try:
            version = document_services.upload_document(
                actor=request.user,
                application_id=application.pk,
                requirement_id=requirement.pk,
                upload=form.cleaned_data["file"],
                ip_address=request.META.get("REMOTE_ADDR"),
            )
        except ValidationError as error:
            problem = " ".join(error.messages)
        except WorkflowError as error:
            problem = " ".join([str(error), *error.problems])
    if problem is not None:
        return _reply(request, application, requirement, messages.ERROR, problem)
    text = _("“%(file)s” uploaded as version %(number)s of “%(document)s”.") % {
        "file": version.original_name,
        "number": version.number,
        "document": requirement.name,
    }
    return _reply(request, application, requirement, messages.SUCCESS, text)


def upload_refusal(handler, form, rules) -> str | None:
    """Why the request itself is refused before the service sees the file, if it is."""
    if handler.exceeded:
        return too_large_message(rules)
    if handler.too_many_files:
        return _("Upload one file at a time.")
    if not form.is_valid():
        return " ".join(form.errors["file"])
    return None


def _reply(request, application, requirement, level, text):
    """htmx: the slot re-rendered with the notice in it. Otherwise a message and back to the list."""
    if request.htmx:
        context = page_context(request, application)
        slot = find_slot(context["slots"], requirement.pk)
        notice = {"error": level == messages.ERROR, "text": text}
        html = render_to_string(
            f"{TEMPLATE}#slot", {**context, "slot": slot, "notice": notice}, request
        )
        html += render_to_string(f"{TEMPLATE}#checklist", {**context, "oob": True}, request)
        return HttpResponse(html)
    messages.add_message(request, level, text)
    url = reverse("applications:document-list", kwargs={"pk": application.pk})
    return redirect(f"{url}#document-{requirement.pk}")


class DocumentDownloadView(LoginRequiredMixin, View):
    """Streams one clean version as an attachment that the browser may not run or sniff."""

    def get(self, request, version_id):
        try:
            version = queries.version_visible_to(request.user, version_id)
        except DocumentVersion.DoesNotExist:
            raise Http404 from None
        application = version.document.application
        # Pending or quarantined files are not served to anyone until the check clears them.
        if version.scan_status != ScanStatus.CLEAN or not request.user.has_perm(
            "applications.view_application", application
        ):
            raise Http404
        stream = document_services.open_version(version)
        document_services.record_download(
            actor=request.user, version=version, ip_address=request.META.get("REMOTE_ADDR")
        )
        return stored_file_response(
            stream, version.content_type, download_name(request.user, version)
        )


def stored_file_response(stream, content_type: str, name: str) -> FileResponse:
    """A stored file, streamed as an attachment the browser may not run, sniff or cache."""
    response = FileResponse(stream, content_type=content_type)
    response["Content-Disposition"] = attachment_header(name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "no-store"
    return response


def attachment_header(name: str) -> str:
    """RFC 6266: an ASCII fallback name for old clients and the real name in filename*."""
    fallback = "".join(ch if 32 <= ord(ch) < 127 and ch not in '"\\%' else "_" for ch in name)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def page_context(request, application) -> dict:
    """The slots with an upload form each while the draft may be edited, and the checklist."""
    can_upload = request.user.has_perm("applications.edit_application", application)
    # After submission only what screening sent back or an open request names takes a new version.
    replaceable = (
        None if application.is_draft else conditions.replaceable_requirement_ids(application)
    )
    # Staff see clean versions only.
    slots = queries.document_slots(application, clean_only=not can_upload)
    checks = (
        {} if application.is_draft else {d.requirement_id: d for d in application.documents.all()}
    )
    for slot in slots:
        requirement = slot["requirement"]
        unlocked = can_upload and (replaceable is None or requirement.pk in replaceable)
        slot["form"] = (
            DocumentUploadForm(application=application, requirement=requirement)
            if unlocked
            else None
        )
        slot["unlocked"] = unlocked and not application.is_draft
        slot["check"] = checks.get(requirement.pk)
    return {
        "application": application,
        "slots": slots,
        "checklist": checklist(slots),
        "can_upload": can_upload and (replaceable is None or bool(replaceable)),
    }


def checklist(slots: list[dict]) -> dict:
    """Mandatory documents with a usable latest version; a quarantined one still counts as missing."""
    mandatory = [slot for slot in slots if slot["requirement"].mandatory]
    missing = [
        slot["requirement"]
        for slot in mandatory
        if slot["latest"] is None or slot["latest"].scan_status == ScanStatus.QUARANTINED
    ]
    return {"total": len(mandatory), "uploaded": len(mandatory) - len(missing), "missing": missing}


def find_slot(slots: list[dict], requirement_id: int) -> dict:
    for slot in slots:
        if slot["requirement"].pk == requirement_id:
            return slot
    raise Http404
