"""Django admin for superusers: people, organisations and invitations.

The admin signs in through allauth (secure_admin_login below), so the same password checks, rate
limits and two-factor step apply as everywhere else: Django's own admin login would skip them.
"""

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import Invitation, Organisation, Person, User

admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = _("Sandbox Portal administration")
admin.site.site_title = _("Sandbox Portal administration")


class EmailIsLowerCase:
    """Addresses are stored in lower case (as sign-up does), so one person cannot get two accounts."""

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        others = User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk)
        if others.exists():
            raise ValidationError(
                _("A user with this email address already exists."), code="unique"
            )
        return email


class UserCreationForm(EmailIsLowerCase, AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class UserEditForm(EmailIsLowerCase, UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Django's user admin, for accounts that sign in with an email address and have a role."""

    form = UserEditForm
    add_form = UserCreationForm
    list_display = (
        "email",
        "full_name",
        "role",
        "organisation",
        "is_organisation_admin",
        "is_active",
        "is_superuser",
        "last_login",
    )
    list_filter = ("role", "is_active", "is_superuser", "is_organisation_admin")
    list_select_related = ("organisation",)
    search_fields = ("email", "full_name", "organisation__legal_name_en", "organisation__bin")
    ordering = ("email",)
    autocomplete_fields = ("organisation",)
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Profile"), {"fields": ("full_name", "preferred_language")}),
        (
            _("Role in the portal"),
            {"fields": ("role", "organisation", "is_organisation_admin", "joined_organisation_at")},
        ),
        (
            _("Django admin access"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "email",
                    "full_name",
                    "role",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    readonly_fields = ("last_login", "date_joined", "joined_organisation_at")


class PersonInline(admin.TabularInline):
    model = Person
    extra = 0
    fields = ("full_name", "roles", "email", "phone", "iin", "nationality", "ownership_pct")


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("legal_name_en", "identifier", "legal_form", "jurisdiction", "created_at")
    list_filter = ("legal_form", "jurisdiction")
    search_fields = (
        "legal_name_en",
        "legal_name_ru",
        "legal_name_kk",
        "bin",
        "foreign_registration_number",
    )
    ordering = ("legal_name_en",)
    inlines = (PersonInline,)

    @admin.display(description=_("BIN or registration number"))
    def identifier(self, organisation):
        return organisation.identifier


class InvitationStatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return (("open", _("Open")), ("accepted", _("Accepted")), ("revoked", _("Revoked")))

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.filter(accepted_at=None, revoked_at=None)
        if self.value() == "accepted":
            return queryset.exclude(accepted_at=None)
        if self.value() == "revoked":
            return queryset.exclude(revoked_at=None)
        return queryset


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Read-only: inviting and revoking go through the organisation page (email and audit event)."""

    list_display = (
        "email",
        "organisation",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
        "revoked_at",
    )
    list_filter = (InvitationStatusFilter,)
    list_select_related = ("organisation", "invited_by")
    search_fields = ("email", "organisation__legal_name_en", "organisation__bin")
    ordering = ("-created_at",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
