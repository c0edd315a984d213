"""Marks for the selectors that return personal data without writing the view event themselves.

The house rule (``tools/conventions.py``, ``selector-view-event``): a selector that returns personal data
writes its view event — ``audit_record(action="….view")`` or a ``…_record_view`` helper — or says, with one
of these decorators and a reason, why it does not. They do nothing when the code runs; the checker reads
them from the source.

- ``view_logged_by_caller(reason)``: a building block (a scoped QuerySet, a row to act on, a lookup for a
  service) whose caller shows the data and writes the event; the reason names who logs, and how.
- ``no_view_event(reason)``: a read that shows no one a person's data (a count, a masked number, a check),
  or one the house decided not to log; the reason says which.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


def _mark(reason: str) -> Callable[[F], F]:
    if not reason.strip():
        raise ValueError("give the reason the selector writes no view event of its own")

    def mark(func: F) -> F:
        return func

    return mark


def view_logged_by_caller(reason: str) -> Callable[[F], F]:
    """The selector's caller writes the view event (``reason``: which caller, which event)."""
    return _mark(reason)


def no_view_event(reason: str) -> Callable[[F], F]:
    """The selector's result is not a look at a person's data (``reason``: why)."""
    return _mark(reason)
