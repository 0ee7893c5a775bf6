from django.views import View


class StaffApplicationListView(View):
    pass
