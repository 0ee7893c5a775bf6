"""The applicant's own organisation: profile, key people, members and invitations.

Every view works on the signed-in user's organisation; objects of other organisations are
looked up inside it, so they answer 404 like objects that do not exist.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from applications.exceptions import WorkflowError
from portal.accounts import queries, services
from portal.accounts.forms import MemberAdminForm, MemberInviteForm, OrganisationForm, PeopleFormSet
from portal.accounts.models import Invitation, Organisation

DETAIL = "accounts:organisation-detail"


def report_workflow_error(request, error: WorkflowError) -> None:
    """A refused change as one error message, with its problems as a list."""
    if not error.problems:
        messages.error(request, str(error))
        return
    items = format_html_join("", "<li>{}</li>", ((problem,) for problem in error.problems))
    messages.error(request, format_html('{}<ul class="mb-0">{}</ul>', str(error), items))


class OwnOrganisationMixin(LoginRequiredMixin):
    """Loads the user's organisation as `self.organisation`: 404 without one, 403 without
    `permission` on it (by default, being one of its admins)."""

    permission = "accounts.manage_organisation"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.organisation = get_object_or_404(Organisation, pk=request.user.organisation_id)
        if not request.user.has_perm(self.permission, self.organisation):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class OrganisationCreateView(LoginRequiredMixin, FormView):
    template_name = "accounts/organisation_form.html"
    form_class = OrganisationForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            if request.user.organisation_id is not None:
                return redirect(DETAIL)
            if not request.user.has_perm("accounts.create_organisation"):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "submit_label": _("Register organisation")}

    def form_valid(self, form):
        try:
            services.create_organisation(actor=self.request.user, fields=form.organisation_fields())
        except WorkflowError as error:
            report_workflow_error(self.request, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Your organisation is registered. You are its admin."))
        for warning in form.bin_warnings():
            messages.warning(self.request, warning)
        return redirect(DETAIL)


class OrganisationDetailView(OwnOrganisationMixin, TemplateView):
    template_name = "accounts/organisation_detail.html"
    permission = "accounts.view_organisation"

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        # An applicant without an organisation starts by registering one.
        if (
            user.is_authenticated
            and user.organisation_id is None
            and user.has_perm("accounts.create_organisation")
        ):
            return redirect("accounts:organisation-create")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        organisation = self.organisation
        return super().get_context_data(
            organisation=organisation,
            people=list(queries.people_of(organisation)),
            members=list(queries.members_of(organisation)),
            invitations=list(queries.open_invitations(organisation)),
            invite_form=MemberInviteForm(),
            **kwargs,
        )


class OrganisationUpdateView(OwnOrganisationMixin, FormView):
    template_name = "accounts/organisation_form.html"
    form_class = OrganisationForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        return {**kwargs, "instance": self.organisation, "submit_label": _("Save changes")}

    def form_valid(self, form):
        try:
            changed = services.update_organisation(
                actor=self.request.user,
                organisation=self.organisation,
                fields=form.organisation_fields(),
            )
        except WorkflowError as error:
            report_workflow_error(self.request, error)
            return self.form_invalid(form)
        messages.success(
            self.request, _("Profile saved.") if changed else _("Nothing was changed.")
        )
        if "bin" in changed:
            for warning in form.bin_warnings():
                messages.warning(self.request, warning)
        return redirect(DETAIL)


class PeopleUpdateView(OwnOrganisationMixin, TemplateView):
    template_name = "accounts/people_form.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("formset", PeopleFormSet(instance=self.organisation, prefix="people"))
        return super().get_context_data(organisation=self.organisation, **kwargs)

    def post(self, request, *args, **kwargs):
        formset = PeopleFormSet(request.POST, instance=self.organisation, prefix="people")
        if not formset.is_valid():
            return self.render_to_response(self.get_context_data(formset=formset))
        try:
            services.replace_people(
                actor=request.user, organisation=self.organisation, formset=formset
            )
        except WorkflowError as error:
            report_workflow_error(request, error)
            return self.render_to_response(self.get_context_data(formset=formset))
        messages.success(request, _("Key people saved."))
        return redirect(DETAIL)


class MemberInviteView(OwnOrganisationMixin, View):
    def post(self, request, *args, **kwargs):
        form = MemberInviteForm(request.POST)
        if not form.is_valid():
            for error in form.errors["email"]:
                messages.error(request, error)
            return redirect(DETAIL)
        email = form.cleaned_data["email"]
        try:
            services.invite_member(actor=request.user, organisation=self.organisation, email=email)
        except WorkflowError as error:
            report_workflow_error(request, error)
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": email.lower()})
        return redirect(DETAIL)


class MemberRemoveView(OwnOrganisationMixin, View):
    def post(self, request, user_id, *args, **kwargs):
        member = get_object_or_404(queries.members_of(self.organisation), pk=user_id)
        try:
            services.remove_member(
                actor=request.user, organisation=self.organisation, member=member
            )
        except WorkflowError as error:
            report_workflow_error(request, error)
        else:
            message = _("%(name)s is no longer a member of the organisation.")
            messages.success(request, message % {"name": member.display_name})
        return redirect(DETAIL)


class MemberAdminToggleView(OwnOrganisationMixin, View):
    def post(self, request, user_id, *args, **kwargs):
        member = get_object_or_404(queries.members_of(self.organisation), pk=user_id)
        form = MemberAdminForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose whether this member is an admin."))
            return redirect(DETAIL)
        is_admin = form.cleaned_data["is_admin"]
        try:
            services.set_member_admin(
                actor=request.user, organisation=self.organisation, member=member, is_admin=is_admin
            )
        except WorkflowError as error:
            report_workflow_error(request, error)
        else:
            message = (
                _("%(name)s is now an admin.") if is_admin else _("%(name)s is no longer an admin.")
            )
            messages.success(request, message % {"name": member.display_name})
        return redirect(DETAIL)


class InvitationRevokeView(OwnOrganisationMixin, View):
    def post(self, request, pk, *args, **kwargs):
        invitation = get_object_or_404(queries.invitations_of(self.organisation), pk=pk)
        try:
            services.revoke_invitation(actor=request.user, invitation=invitation)
        except WorkflowError as error:
            report_workflow_error(request, error)
        else:
            messages.success(
                request, _("The invitation for %(email)s is revoked.") % {"email": invitation.email}
            )
        return redirect(DETAIL)


class InvitationAcceptView(LoginRequiredMixin, TemplateView):
    """The token in the emailed link is the key: whoever holds it sees whom it invites where."""

    template_name = "accounts/invitation_accept.html"

    def get_context_data(self, **kwargs):
        invitation = get_object_or_404(
            Invitation.objects.select_related("organisation", "invited_by"),
            token=self.kwargs["token"],
        )
        return super().get_context_data(invitation=invitation, **kwargs)

    def post(self, request, token, *args, **kwargs):
        get_object_or_404(Invitation, token=token)
        try:
            organisation = services.accept_invitation(actor=request.user, token=token)
        except WorkflowError as error:
            report_workflow_error(request, error)
            return redirect("accounts:invitation-accept", token=token)
        messages.success(
            request, _("You have joined %(organisation)s.") % {"organisation": organisation}
        )
        return redirect(DETAIL)
