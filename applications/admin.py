"""Django admin for superusers: reference data, and a read-only window on the records.

Everyday work has real screens; the admin is for fixing reference data and looking things up.
Lifecycle fields are never edited here: state moves go through services (the one choke point
that checks, audits and notifies), as the "start screening" action below does.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from applications.exceptions import WorkflowError
from applications.models import (
    Application,
    AuditEvent,
    Cohort,
    Criterion,
    DocumentRequirement,
    DocumentVersion,
    Notification,
    Programme,
    ReminderLog,
)
from applications.services.applications import start_screening
from applications.steps import ANSWER_FIELDS, STEPS
from portal.accounts.models import Role, User


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records written only by the portal's services: superusers may look, never touch."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0
    fields = ("position", "code", "name_en", "name_ru", "name_kk", "weight", "is_gate")
    ordering = ("position", "id")


class DocumentRequirementInline(admin.TabularInline):
    model = DocumentRequirement
    extra = 0
    fields = (
        "position",
        "code",
        "name_en",
        "name_ru",
        "name_kk",
        "stage",
        "mandatory",
        "allowed_extensions",
        "max_size_mb",
    )
    ordering = ("position", "id")


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "name_en",
        "regulator",
        "intake_mode",
        "reviews_required",
        "blind_review",
    )
    list_filter = ("intake_mode", "blind_review")
    search_fields = ("code", "name_en", "name_ru", "name_kk")
    inlines = (CriterionInline, DocumentRequirementInline)
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "code",
                    "regulator",
                    "legal_basis",
                    "intake_mode",
                    "blind_review",
                    "reviews_required",
                )
            },
        ),
        (
            _("Names and descriptions"),
            {
                "fields": (
                    "name_en",
                    "name_ru",
                    "name_kk",
                    "description_en",
                    "description_ru",
                    "description_kk",
                )
            },
        ),
        (
            _("Deadlines (working days)"),
            {
                "fields": (
                    "screening_days",
                    "rfi_answer_days",
                    "eligibility_days",
                    "evaluation_days",
                    "decision_days",
                    "notify_days",
                )
            },
        ),
        (
            _("Testing period"),
            {
                "fields": (
                    "default_test_months",
                    "max_test_months",
                    "max_extensions",
                    "max_extension_months",
                    "extension_notice_days",
                )
            },
        ),
    )


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ("name", "programme", "zone_tag", "opens_at", "closes_at", "capacity")
    list_filter = ("programme",)
    list_select_related = ("programme",)
    search_fields = ("name", "zone_tag", "programme__name_en")
    filter_horizontal = ("panel",)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "panel":
            # Only regulator staff sit on a reviewer panel.
            kwargs["queryset"] = User.objects.filter(
                role__in=(Role.REVIEWER, Role.PROGRAMME_ADMIN), is_active=True
            ).order_by("email")
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class CohortFilter(admin.SimpleListFilter):
    """Like list_filter on the cohort, without one programme query per cohort for its label."""

    title = _("cohort")
    parameter_name = "cohort"

    def lookups(self, request, model_admin):
        return [(cohort.pk, str(cohort)) for cohort in Cohort.objects.select_related("programme")]

    def queryset(self, request, queryset):
        return queryset.filter(cohort_id=self.value()) if self.value() else queryset


LIFECYCLE_FIELDS = (
    "reference", "state", "organisation", "cohort", "created_by", "created_at", "updated_at",
    "submitted_at", "case_officer", "withdrawn_at", "withdrawal_reason", "revision",
    "declarations_accepted_at", "declarations_accepted_by",
)  # fmt: skip


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "title",
        "organisation",
        "cohort",
        "state",
        "submitted_at",
        "case_officer",
    )
    list_filter = ("state", CohortFilter)
    list_select_related = ("organisation", "cohort__programme", "case_officer")
    search_fields = (
        "reference", "title", "organisation__legal_name_en", "organisation__legal_name_ru",
        "organisation__legal_name_kk", "organisation__bin",
    )  # fmt: skip
    ordering = ("-created_at",)
    actions = ("start_screening_with_me",)
    fieldsets = (
        (_("Lifecycle"), {"fields": LIFECYCLE_FIELDS}),
        *((step.title, {"fields": step.fields, "classes": ("collapse",)}) for step in STEPS),
    )

    def has_add_permission(self, request):
        return False  # applications start through the portal, by an applicant

    def has_delete_permission(self, request, obj=None):
        return False  # submitted records and their audit trail are never deleted

    def get_readonly_fields(self, request, obj=None):
        # Nothing submitted is ever overwritten: only a draft's answers stay editable.
        if obj is not None and obj.is_draft:
            return LIFECYCLE_FIELDS
        return LIFECYCLE_FIELDS + ANSWER_FIELDS

    @admin.action(description=_("Start screening with me as case officer"))
    def start_screening_with_me(self, request, queryset):
        for application in queryset.order_by("pk"):
            try:
                start_screening(
                    actor=request.user, application_id=application.pk, case_officer=request.user
                )
            except WorkflowError as error:
                problems = "".join(f" {problem}" for problem in error.problems)
                self.message_user(
                    request,
                    gettext("%(application)s: %(error)s")
                    % {"application": application, "error": f"{error}{problems}"},
                    messages.ERROR,
                )
            else:
                self.message_user(
                    request,
                    gettext("%(application)s: screening started, with you as case officer.")
                    % {"application": application},
                    messages.SUCCESS,
                )


@admin.register(DocumentVersion)
class DocumentVersionAdmin(ReadOnlyAdmin):
    list_display = (
        "original_name",
        "application",
        "requirement",
        "number",
        "size",
        "scan_status",
        "uploaded_by",
        "uploaded_at",
    )
    list_filter = ("scan_status",)
    list_select_related = ("document__application", "document__requirement", "uploaded_by")
    search_fields = ("original_name", "sha256", "document__application__reference")
    ordering = ("-uploaded_at",)

    @admin.display(description=_("application"))
    def application(self, version):
        return version.document.application

    @admin.display(description=_("document"))
    def requirement(self, version):
        return version.document.requirement


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = (
        "created_at",
        "kind",
        "actor",
        "application",
        "organisation",
        "subject",
        "applicant_visible",
        "ip_address",
    )
    list_filter = ("kind", "applicant_visible")
    list_select_related = ("actor", "application", "organisation")
    search_fields = ("application__reference", "actor__email", "subject")
    ordering = ("-id",)


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = (
        "created_at",
        "kind",
        "recipient_email",
        "language",
        "application",
        "state",
        "attempts",
        "sent_at",
    )
    list_filter = ("state", "kind")
    list_select_related = ("application",)
    search_fields = ("recipient_email", "application__reference")
    ordering = ("-created_at",)


@admin.register(ReminderLog)
class ReminderLogAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "kind", "subject", "recipient", "due_date")
    list_filter = ("kind",)
    list_select_related = ("recipient",)
    search_fields = ("subject", "recipient__email")
    ordering = ("-created_at",)
