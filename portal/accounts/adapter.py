from allauth.account.adapter import DefaultAccountAdapter
from django.utils import translation


class AccountAdapter(DefaultAccountAdapter):
    """Sign-ups are applicants; their language is the one they signed up in."""

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.preferred_language = (translation.get_language() or "en")[:2]
        if commit:
            user.save()
        return user
