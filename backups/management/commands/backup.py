"""``manage.py backup``: an encrypted dump of the main database, recorded in the backup-media register.

    manage.py backup [--output DIR] [--recipient age1…]... [--retention-days N]

The dump (pg_dump custom format on PostgreSQL, an SQLite snapshot on the embedded default) is encrypted
to age public keys from --recipient or the setting BACKUP_AGE_RECIPIENTS (environment variable of the
same name, or BACKUP_AGE_RECIPIENTS_FILE), so the server cannot read it; without a key it refuses.
Only the medium's path, size, hash and key fingerprint are printed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from privacy_admin.audit.context import audit_context

from ... import dump, services


class Command(BaseCommand):
    help = "Take an age-encrypted dump of the database and record it in the backup-media register."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", metavar="DIR", help="directory for the .dump.age file (BACKUP_DIR)")
        parser.add_argument(
            "--recipient",
            action="append",
            default=[],
            metavar="AGE_PUBLIC_KEY",
            help="age public key (age1…) to encrypt to; repeatable (default: BACKUP_AGE_RECIPIENTS)",
        )
        parser.add_argument(
            "--retention-days", type=int, help="keep the medium this many days (BACKUP_RETENTION_DAYS)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        keys = dump.parse_recipients(options["recipient"]) or dump.parse_recipients(
            settings.BACKUP_AGE_RECIPIENTS
        )
        retention = options["retention_days"]
        if retention is not None and not 0 <= retention <= services.MAX_RETENTION_DAYS:
            raise CommandError(_("--retention-days は0から3650までの整数で指定してください。"))
        output = Path(options["output"]) if options["output"] else None
        try:
            with audit_context(channel="command"):
                medium = services.backup_take(output_dir=output, public_keys=keys, retention_days=retention)
        except dump.BackupError as exc:
            raise CommandError(str(exc)) from None
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(
            _("バックアップを取得し、媒体管理簿に登録しました（番号 %(id)d）。") % {"id": medium.pk}
        )
        self.stdout.write(f"  file:        {medium.medium}")
        self.stdout.write(f"  size:        {medium.size_bytes}")
        self.stdout.write(f"  sha256:      {medium.sha256}")
        self.stdout.write(f"  recipients:  {medium.recipient_fingerprint}")
        self.stdout.write(f"  retain until {medium.retain_until.isoformat()}")
