from django.views import View


class DocumentListView(View):
    pass


def document_upload_view(request, pk, requirement_id):
    raise NotImplementedError


class DocumentDownloadView(View):
    pass
