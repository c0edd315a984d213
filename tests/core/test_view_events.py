"""privacy_admin.core.view_events: the marks a selector carries when it writes no view event itself — they
change nothing at run time and refuse to be given without a reason."""

from __future__ import annotations

import pytest

from privacy_admin.core.view_events import no_view_event, view_logged_by_caller


@pytest.mark.parametrize("mark", [view_logged_by_caller, no_view_event])
def test_a_marked_selector_is_the_same_function(mark) -> None:
    def patrons_in_scope(actor: object) -> list[int]:
        return [1, 2]

    marked = mark("the patron page writes patron.view")(patrons_in_scope)
    assert marked is patrons_in_scope and marked(None) == [1, 2]


@pytest.mark.parametrize("mark", [view_logged_by_caller, no_view_event])
@pytest.mark.parametrize("reason", ["", "   "])
def test_a_mark_without_a_reason_is_refused(mark, reason: str) -> None:
    with pytest.raises(ValueError, match="reason"):
        mark(reason)
