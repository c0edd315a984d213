from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PendingDispatch(models.Model):
    """A task the broker could not take after its transaction committed. Task name and ids only:
    the rows it names (a notice, a print) say what is to be done, so nothing else is kept here."""

    task = models.CharField(_("タスク"), max_length=200)
    ids = models.CharField(_("ID"), max_length=200)  # "12" or "12,34": integers only
    failed_at = models.DateTimeField(_("最初の失敗"), default=timezone.now)
    attempts = models.PositiveIntegerField(_("試行回数"), default=1)

    class Meta:
        verbose_name = _("送出待ちのタスク")
        verbose_name_plural = _("送出待ちのタスク")
        constraints = [models.UniqueConstraint(fields=["task", "ids"], name="pending_dispatch_task_ids")]

    def __str__(self) -> str:
        return f"{self.task}({self.ids})"
