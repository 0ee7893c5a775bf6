"""Programme admins' exports of applications (CSV and XLSX), streamed.

The filters are those of the "All applications" queue (its export buttons pass the queue's URL
query on), read by the same form. The response is a StreamingHttpResponse over the row iterator
of queries/exports.py: its first bytes leave after the first chunk of rows is read, and memory
holds one chunk at a time.
"""

from collections.abc import Iterator
from functools import partial

from django.http import StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views import View

from applications import queries, spreadsheets
from applications.forms.queues import QueueFilterForm
from applications.queries import exports
from applications.queries import queues as q
from applications.services.exports import record_export
from applications.views.applicant import client_ip
from applications.views.console import ConsoleMixin

FORMATS = {
    "csv": (spreadsheets.csv_chunks, spreadsheets.CSV_CONTENT_TYPE),
    "xlsx": (
        partial(spreadsheets.xlsx_chunks, sheet_name=_("Applications")),
        spreadsheets.XLSX_CONTENT_TYPE,
    ),
}


class ApplicationExportView(ConsoleMixin, View):
    file_format = "csv"

    def get(self, request, *args, **kwargs):
        user = request.user
        today = timezone.localdate()
        form = QueueFilterForm(request.GET, cohorts=list(q.cohorts_for_queues(user)))
        filters = form.filters()
        queryset = exports.export_queryset(
            user, filters, today=today, calendar=queries.working_calendar()
        )
        asked = {
            name: value for name, value in request.GET.items() if name in form.fields and value
        }
        record_export(
            actor=user, file_format=self.file_format, filters=asked, ip_address=client_ip(request)
        )
        write, content_type = FORMATS[self.file_format]
        response = StreamingHttpResponse(
            _in_language(translation.get_language(), write, queryset), content_type=content_type
        )
        response["Content-Disposition"] = (
            f'attachment; filename="applications-{today:%Y-%m-%d}.{self.file_format}"'
        )
        response["Cache-Control"] = "no-store"
        # A reverse proxy (nginx) would otherwise gather the whole body before passing it on.
        response["X-Accel-Buffering"] = "no"
        response["X-Content-Type-Options"] = "nosniff"
        return response


def _in_language(language: str, write, queryset) -> Iterator[bytes]:
    """The server reads the body after the view has returned: keep the asker's language."""
    with translation.override(language):
        yield from write(exports.header(), exports.rows(queryset))
