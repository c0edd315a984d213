from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from privacy_admin.accounts.services import api_token_create
from privacy_admin.audit.context import audit_context


class Command(BaseCommand):
    help = "APIトークンを発行します（トークンは一度だけ表示されます）。 Issue an API token for USERNAME."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError("有効なユーザーが見つかりません。 No active user with that username.")
        with audit_context(channel="command"):
            try:
                raw = api_token_create(actor=None, user=user)
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(raw)
