"""The Celery app.

Tasks take ids only, never personal data, and their results are ignored (architecture: tasks are
another interface). Periodic jobs are declared here with their policy; django-celery-beat copies them
into the database, where an administrator can change the schedule in the admin.
"""

import os
from datetime import timedelta

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "privacy_admin.settings")

app = Celery("privacy_admin")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    # 要綱 第9条2: registrations expired longer than PATRON_DELETE_AFTER_EXPIRY_DAYS are deleted.
    "patrons-purge-expired": {
        "task": "patrons.tasks.purge_expired_patrons",
        "schedule": crontab(hour=2, minute=10),
    },
    # 市川市 方針 第3(4): a cancelled registration is erased promptly once nothing is outstanding.
    "patrons-purge-cancelled": {
        "task": "patrons.tasks.purge_cancelled_patrons",
        "schedule": crontab(minute=25),
    },
    # 要綱 第2条2: paper application forms are kept one month, then destroyed.
    "patrons-remind-paper-forms": {
        "task": "patrons.tasks.remind_paper_forms",
        "schedule": crontab(hour=8, minute=30),
    },
    # 方針 第3(2)(3): loans and reservations are erased by the services the moment they end; this net
    # erases anything that survived (hold-until passed, an interrupted offline-return import).
    "loans-safety-net": {
        "task": "loans.tasks.run_safety_net",
        "schedule": crontab(minute="*/15"),
    },
    # The erasure ledger is kept as long as a backup can be restored (BACKUP_RETENTION_DAYS), no longer.
    "loans-prune-erasure-ledger": {
        "task": "loans.tasks.prune_erasure_ledger",
        "schedule": crontab(hour=4, minute=20),
    },
    # Architecture rule 3: what the broker could not take after commit (a notice, a print) goes out
    # again within minutes once it is back; register prints still waiting are sent again.
    "dispatch-redispatch-pending": {
        "task": "privacy_admin.dispatch.tasks.redispatch_pending",
        "schedule": crontab(minute="*/2"),
    },
    "registry-redispatch-waiting-prints": {
        "task": "register.tasks.redispatch_waiting_prints",
        "schedule": crontab(minute="*/5"),
    },
    # 方針 第3(7)(8): overdue reminders — titles by e-mail only, never on postcards or by phone.
    "loans-overdue-notices": {
        "task": "loans.tasks.queue_overdue_notices",
        "schedule": crontab(hour=9, minute=0),
    },
    # 要綱 第24条・第34条・第41条: each working morning, privacy officers get the requests due within
    # 3 open days or overdue (numbers, kinds and dates only).
    "requests-remind-deadlines": {
        "task": "disclosure_requests.tasks.remind_officers_of_deadlines",
        "schedule": crontab(hour=8, minute=0, day_of_week="mon-fri"),
    },
    # The access log is kept AUDIT_RETENTION_YEARS; the purge is the only way rows leave it.
    "audit-retention-purge": {
        "task": "privacy_admin.audit.tasks.purge_expired_events",
        "schedule": crontab(hour=3, minute=40),
    },
    # Access-log events are sealed after commit, in order (privacy_admin/audit/sealer.py).
    "audit-seal": {
        "task": "privacy_admin.audit.tasks.seal_committed_events",
        "schedule": timedelta(seconds=float(os.environ.get("AUDIT_SEAL_INTERVAL_SECONDS", "1"))),
    },
    # Signed checkpoints of the sealed head leave the server (privacy_admin/audit/checkpoints.py).
    "audit-checkpoint": {
        "task": "privacy_admin.audit.tasks.write_checkpoint",
        "schedule": timedelta(minutes=int(os.environ.get("AUDIT_CHECKPOINT_INTERVAL_MINUTES", "60"))),
    },
    # 004 特記事項10: on the day after a contract's last day its operators' accounts close and the
    # contract-end step (data returned or erased, certified) opens.
    "outsourcing-close-ended-contracts": {
        "task": "outsourcing.tasks.close_ended_contracts",
        "schedule": crontab(hour=0, minute=5),
    },
    # 002: 既に承認されていても見直しをする (pre-approved too); 004 特記事項12: 是正措置. Each morning the
    # privacy officers get reviews due within 30 days or overdue and overdue corrective actions
    # (contract numbers, dates and counts only).
    "outsourcing-remind-oversight": {
        "task": "outsourcing.oversight_tasks.remind_oversight_due",
        "schedule": crontab(hour=8, minute=15),
    },
    # 市川市 方針 第5(2): backup media past their retention are to be erased and burnt or broken; the
    # count is logged daily and shown on the administrators' home page and /backups/.
    "backups-check-retention": {
        "task": "backups.tasks.check_backup_retention",
        "schedule": crontab(hour=8, minute=45),
    },
}
