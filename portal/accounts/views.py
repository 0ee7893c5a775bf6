from django.views import View


class OrganisationDetailView(View):
    pass


class OrganisationCreateView(View):
    pass


class OrganisationUpdateView(View):
    pass


class PeopleUpdateView(View):
    pass


class MemberInviteView(View):
    pass


class MemberRemoveView(View):
    pass


class MemberAdminToggleView(View):
    pass


class InvitationRevokeView(View):
    pass


class InvitationAcceptView(View):
    pass
