"""Register jobs. Thin (architecture rule 5): ids only in, one service, nothing returned."""

from __future__ import annotations

from celery import shared_task

from privacy_admin.audit.context import audit_context
from register.services import printing as print_services


@shared_task(ignore_result=True)
def render_register_print(print_id: int) -> None:
    """Render a requested PDF of the whole register (山梨県 要綱 第16条 / 法第75条); the page polls its progress."""
    if type(print_id) is not int:  # ids only: nothing else may travel through the broker
        raise TypeError("render_register_print takes a RegisterPrint id")
    with audit_context(channel="task"):
        print_services.register_print_render(print_id=print_id)


@shared_task(ignore_result=True)
def redispatch_waiting_prints() -> None:
    """Every few minutes: prints still waiting for a worker (the broker was down) are sent again."""
    print_services.register_print_redispatch_waiting()
