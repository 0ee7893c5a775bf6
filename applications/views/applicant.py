from django.views import View


class ApplicationDetailView(View):
    pass


class ApplicationSubmitView(View):
    pass


class ApplicationReceiptView(View):
    pass


class ApplicationWithdrawView(View):
    pass
