"""``manage.py backup_keygen --output FILE``: make the age key pair that backups are encrypted to.

Run it on an administrator's workstation, not on the server: the identity (private key) it writes is
needed only to restore, and whoever holds it can read every backup. The server is given the public key
alone (BACKUP_AGE_RECIPIENTS). The file is written 0600 in age-keygen's format, so ``age -d -i FILE``
reads it too. The private key is never printed.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from pyrage import x25519

from ... import dump


class Command(BaseCommand):
    help = "Generate an age identity for backups (run it OFF the server; keep the file offline)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output", required=True, metavar="FILE", help="where to write the identity (0600)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["output"]).expanduser().resolve()
        backup_dir = Path(settings.BACKUP_DIR).resolve()
        if path == backup_dir or backup_dir in path.parents:
            raise CommandError(
                _(
                    "秘密鍵をバックアップの保存先（%(dir)s）に置くことはできません。サーバーの外で保管してください。"
                )
                % {"dir": backup_dir}
            )
        identity = x25519.Identity.generate()
        public = str(identity.to_public())
        created = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
        text = f"# created: {created}\n# public key: {public}\n{identity}\n"
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            raise CommandError(_("%(path)s は既にあります。上書きはしません。") % {"path": path}) from None
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(text)
        self.stdout.write(_("秘密鍵（復元にだけ使います）を書き出しました: %(path)s") % {"path": path})
        self.stdout.write(_("公開鍵（サーバーの BACKUP_AGE_RECIPIENTS に設定します）:"))
        self.stdout.write(f"  {public}")
        self.stdout.write(_("指紋（媒体管理簿に表示されます）: %(fp)s") % {"fp": dump.fingerprint(public)})
        self.stdout.write(
            _(
                "秘密鍵のファイルはサーバーに置かず、オフラインの媒体に複製して施錠保管してください。失うとバックアップは復元できません。"
            )
        )
