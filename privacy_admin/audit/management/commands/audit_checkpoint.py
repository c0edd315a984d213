"""``manage.py audit_checkpoint``: sign the sealed head and write it to AUDIT_CHECKPOINT_DIR."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from privacy_admin.audit.checkpoints import audit_checkpoint_now, parse_private_key, public_key_text
from privacy_admin.audit.sealer import audit_seal_committed


class Command(BaseCommand):
    help = (
        "Seals what is committed, then signs the sealed head (sequence, hash, time) with the Ed25519 key "
        "and writes a checkpoint file to AUDIT_CHECKPOINT_DIR. --next-key FILE names the key that will "
        "replace the current one (rotation), in a checkpoint signed by the current key."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--next-key", help="the next private key (PEM or base64 seed) for rotation")

    def handle(self, *args: Any, **options: Any) -> None:
        next_public = None
        if options["next_key"]:
            try:
                next_public = public_key_text(
                    parse_private_key(Path(options["next_key"]).read_bytes()).public_key()
                )
            except (OSError, ValueError) as exc:
                raise CommandError(f"cannot read the next key: {exc}") from exc
        audit_seal_committed()
        path = audit_checkpoint_now(next_public_key=next_public)
        if path is None:
            self.stdout.write("nothing sealed yet: no checkpoint written")
            return
        self.stdout.write(self.style.SUCCESS(f"checkpoint written: {path}"))
