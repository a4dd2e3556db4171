from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QcexchangeConfig(AppConfig):
    name = "qcexchange"
    verbose_name = _("运行")
