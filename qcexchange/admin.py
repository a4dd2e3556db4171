"""Admin labels that third-party apps leave without a translatable name."""

from axes.admin import AccessAttemptAdmin
from django.utils.translation import gettext_lazy as _

# django-axes names this column only by its method name, so it reads "Status" in any language.
AccessAttemptAdmin.status.short_description = _("状态")
