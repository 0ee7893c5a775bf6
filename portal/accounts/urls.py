from django.urls import path

from portal.accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.OrganisationDetailView.as_view(), name="organisation-detail"),
    path("new/", views.OrganisationCreateView.as_view(), name="organisation-create"),
    path("edit/", views.OrganisationUpdateView.as_view(), name="organisation-update"),
    path("people/", views.PeopleUpdateView.as_view(), name="people-update"),
    path("members/invite/", views.MemberInviteView.as_view(), name="member-invite"),
    path("members/<int:user_id>/remove/", views.MemberRemoveView.as_view(), name="member-remove"),
    path(
        "members/<int:user_id>/admin/",
        views.MemberAdminToggleView.as_view(),
        name="member-admin-toggle",
    ),
    path(
        "invitations/<int:pk>/revoke/",
        views.InvitationRevokeView.as_view(),
        name="invitation-revoke",
    ),
    path("join/<str:token>/", views.InvitationAcceptView.as_view(), name="invitation-accept"),
]
