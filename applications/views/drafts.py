from django.views import View


class ApplicationStartView(View):
    pass


class ApplicationStepView(View):
    pass
