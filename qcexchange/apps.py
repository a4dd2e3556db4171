from django.apps import AppConfig


class QcexchangeConfig(AppConfig):
    name = "qcexchange"
    verbose_name = "运行"
