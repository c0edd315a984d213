"""Run ``manage.py privacy_inventory --check`` and read back its exit code and output."""

from __future__ import annotations

import io

from django.core.management import call_command


def run_check() -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("privacy_inventory", "--check", stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()
