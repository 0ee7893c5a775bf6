"""How a person chooses to receive each category of notification."""

from django import forms
from django.utils.translation import gettext_lazy as _

from applications.enums import NotificationCategory, NotificationDelivery
from portal.accounts.models import Role

# Only the categories a person of that role can receive.
CATEGORIES_FOR_ROLE = {
    Role.APPLICANT: [NotificationCategory.APPLICATION_UPDATES, NotificationCategory.REPORTING],
    Role.REVIEWER: [NotificationCategory.REVIEW_WORK],
    Role.PROGRAMME_ADMIN: [NotificationCategory.REVIEW_WORK, NotificationCategory.OVERSIGHT],
}


class NotificationPreferencesForm(forms.Form):
    def __init__(self, *args, user, current: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for category in CATEGORIES_FOR_ROLE.get(user.role, []):
            self.fields[category.value] = forms.ChoiceField(
                label=category.label,
                choices=NotificationDelivery.choices,
                initial=current.get(category.value, NotificationDelivery.IMMEDIATE),
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": _("Choose one of the options shown.")},
            )
