"""privacy_admin.audit.context: where an event happens — set once per request, or by ``audit_context`` in
tasks and commands, nested without leaking outwards."""

from __future__ import annotations

from privacy_admin.audit.context import (
    AuditContext,
    audit_context,
    current_request_id,
    get_context,
    reset_context,
    set_context,
)


def test_outside_any_context_events_are_web_without_a_request_id() -> None:
    assert get_context() == AuditContext()
    assert current_request_id() == ""


def test_a_command_context_gets_a_fresh_request_id_and_ends_with_its_block() -> None:
    with audit_context(channel="command") as ctx:
        assert ctx.channel == "command" and len(ctx.request_id) == 32
        assert current_request_id() == ctx.request_id
    assert get_context() == AuditContext()


def test_a_nested_context_keeps_the_request_and_changes_what_it_names() -> None:
    token = set_context(AuditContext(request_id="r1", ip="192.0.2.1", channel="web"))
    try:
        with audit_context(branch_code="kita") as inner:
            assert (inner.request_id, inner.ip, inner.branch_code) == ("r1", "192.0.2.1", "kita")
        assert get_context().branch_code == ""
    finally:
        reset_context(token)
    assert current_request_id() == ""
