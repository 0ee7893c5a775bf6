"""The public register (no sign-in): who tests in the sandbox now, and who has left it."""

from django.views.generic import TemplateView

from applications.queries.register import register_page


class PublicRegisterView(TemplateView):
    template_name = "register/list.html"

    def get_context_data(self, **kwargs):
        past = self.request.GET.get("show") == "past"
        entries, page = register_page(past=past, page_number=self.request.GET.get("page"))
        return super().get_context_data(past=past, entries=entries, page_obj=page, **kwargs)
