"""Plumbing of the Celery app: tasks kept while the broker is unreachable."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PendingTask(models.Model):
    """A task that could not be sent to the broker; sent again once the broker answers."""

    name = models.CharField(_("任务"), max_length=200)
    kwargs = models.JSONField(_("参数"), default=dict)
    error = models.CharField(_("发送失败原因"), max_length=300, blank=True)
    attempts = models.PositiveIntegerField(_("发送次数"), default=1)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("待发送任务")
        verbose_name_plural = _("待发送任务")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.name} {self.kwargs}"
