"""The documented letter variables (disclosure_requests.letter_variables) are exactly what a letter's
wording can use: every documented name is in the context of a letter, and every name the context
holds is documented, so the administrator's help text never promises or hides a variable."""

from __future__ import annotations

import pytest

from disclosure_requests import letters
from disclosure_requests.letter_variables import CONTEXT_VARIABLES
from disclosure_requests.models import LetterKind

from . import factories as f

pytestmark = pytest.mark.django_db


def _documented() -> set[str]:
    names: set[str] = set()
    for entry, description in CONTEXT_VARIABLES:
        assert description, entry
        names.update(part.strip() for part in entry.split(","))
    return names


def test_every_documented_variable_is_in_a_letters_context_and_nothing_else_is() -> None:
    context = letters.build_letter_context(
        request=f.make_request(), kind=LetterKind.DISCLOSURE_FULL, issued_on=f.today()
    )
    documented = _documented()
    # The article variables also come in a short form: 「法第82条第1項」 beside the full citation.
    shorts = {f"{name}_short" for name in documented if name.endswith("_article")}

    assert documented - set(context) == set()
    assert set(context) - documented - shorts == set()
