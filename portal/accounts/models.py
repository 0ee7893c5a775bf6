"""People who sign in, the firms they belong to, and the firm's key persons."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from applications.enums import NotificationCategory, NotificationDelivery
from portal.accounts.validators import validate_bin, validate_iin
from portal.i18n import localized


class Role(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    REVIEWER = "reviewer", _("Reviewer")
    PROGRAMME_ADMIN = "programme_admin", _("Programme admin")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email, password, **fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **fields):
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email, password=None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **fields)


class User(AbstractUser):
    """Signs in with an email address. `is_staff` only opens the Django admin (superusers)."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.APPLICANT)
    preferred_language = models.CharField(
        _("preferred language"), max_length=5, choices=settings.LANGUAGES, blank=True
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
    )
    is_organisation_admin = models.BooleanField(_("organisation admin"), default=False)
    joined_organisation_at = models.DateTimeField(null=True, blank=True)
    # Kept with each notification and each read, so the navbar badge costs no query.
    unread_notifications = models.PositiveIntegerField(default=0, editable=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []
    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=Q(role="applicant") | Q(organisation__isnull=True),
                name="user_only_applicants_belong_to_organisations",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def is_regulator_staff(self) -> bool:
        return self.role in (Role.REVIEWER, Role.PROGRAMME_ADMIN)

    @property
    def display_name(self) -> str:
        return self.full_name or self.email


class LegalForm(models.TextChoices):
    LLP = "llp", _("Limited liability partnership (LLP / ТОО)")
    JSC = "jsc", _("Joint-stock company (JSC / АО)")
    AIFC_PRIVATE = "aifc_private", _("AIFC private company")
    AIFC_PUBLIC = "aifc_public", _("AIFC public company")
    FOREIGN = "foreign", _("Foreign company")
    OTHER = "other", _("Other")


class Jurisdiction(models.TextChoices):
    KZ = "kz", _("Kazakhstan (mainland)")
    AIFC = "aifc", _("Astana International Financial Centre")
    FOREIGN = "foreign", _("Foreign")


class Organisation(models.Model):
    """The applicant firm. Kazakh and AIFC firms have a BIN; foreign firms a registration number."""

    legal_name_en = models.CharField(_("legal name (English)"), max_length=255)
    legal_name_ru = models.CharField(_("legal name (Russian)"), max_length=255)
    legal_name_kk = models.CharField(_("legal name (Kazakh)"), max_length=255)
    legal_form = models.CharField(_("legal form"), max_length=20, choices=LegalForm.choices)
    jurisdiction = models.CharField(
        _("jurisdiction"), max_length=10, choices=Jurisdiction.choices, default=Jurisdiction.KZ
    )
    # Text, never a number: leading zeros are significant.
    bin = models.CharField(
        _("BIN"), max_length=12, unique=True, null=True, blank=True, validators=[validate_bin]
    )
    foreign_registration_number = models.CharField(
        _("foreign registration number"), max_length=64, blank=True
    )
    country = CountryField(_("country of registration"), blank=True)
    address = models.TextField(_("registered address"))
    website = models.URLField(_("website"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                condition=Q(bin__isnull=False)
                | (Q(foreign_registration_number__gt="") & Q(country__gt="")),
                name="organisation_has_bin_or_foreign_registration",
            ),
        ]

    def __str__(self) -> str:
        return self.legal_name

    @property
    def legal_name(self) -> str:
        """The legal name in the reader's language, falling back to English."""
        return localized(self, "legal_name")

    @property
    def identifier(self) -> str:
        return self.bin or f"{self.foreign_registration_number} ({self.country.code})"


class PersonRole(models.TextChoices):
    PRIMARY_CONTACT = "primary_contact", _("Primary contact")
    AUTHORISED_SIGNATORY = "authorised_signatory", _("Authorised signatory")
    CEO = "ceo", _("Chief executive officer")
    COMPLIANCE_OFFICER = "compliance_officer", _("Compliance officer / MLRO")
    BENEFICIAL_OWNER = "beneficial_owner", _("Beneficial owner")
    DIRECTOR = "director", _("Director")


class Person(models.Model):
    """A key person of an organisation, with the roles the regulator asks about."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="people",
        verbose_name=_("organisation"),
    )
    full_name = models.CharField(_("full name"), max_length=200)
    roles = models.JSONField(_("roles"), default=list)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    iin = models.CharField(_("IIN"), max_length=12, blank=True, validators=[validate_iin])
    nationality = CountryField(_("nationality"), blank=True)
    ownership_pct = models.DecimalField(
        _("ownership %"), max_digits=5, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ownership_pct__isnull=True)
                | (Q(ownership_pct__gt=0) & Q(ownership_pct__lte=100)),
                name="person_ownership_between_0_and_100",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def role_labels(self) -> list[str]:
        labels = dict(PersonRole.choices)
        return [str(labels.get(role, role)) for role in self.roles]


def _invitation_token() -> str:
    return secrets.token_urlsafe(32)


def _invitation_expiry():
    return timezone.now() + timedelta(days=14)


class Invitation(models.Model):
    """An organisation admin's invitation for a co-applicant, accepted by signing in as that email."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("email address"))
    token = models.CharField(max_length=64, unique=True, default=_invitation_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=_invitation_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_email",
            ),
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def is_open(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )


class NotificationPreference(models.Model):
    """How one person wants one category of notification emailed. No row: immediately."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    category = models.CharField(_("category"), max_length=30, choices=NotificationCategory.choices)
    delivery = models.CharField(_("delivery"), max_length=10, choices=NotificationDelivery.choices)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "category"], name="notification_preference_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.category}: {self.delivery}"
