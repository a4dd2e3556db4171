"""Password rules with messages in Chinese."""

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's length rule; its plural message is not translated under zh-hans catalogues."""

    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(
                _("密码太短：至少需要 %(min_length)d 个字符。"),
                code="password_too_short",
                params={"min_length": self.min_length},
            )

    def get_help_text(self):
        return _("密码至少需要 %(min_length)d 个字符。") % {"min_length": self.min_length}
