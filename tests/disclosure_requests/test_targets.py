"""disclosure_requests.targets: requests and complaints by their 受付番号."""

from __future__ import annotations

import pytest

from disclosure_requests.targets import complaints_shown, requests_shown
from privacy_admin.core import targets

from .complaint_helpers import receive_complaint
from .factories import make_request

pytestmark = pytest.mark.django_db


def test_requests_and_complaints_by_their_number(privacy_officer) -> None:
    request = make_request(number="R8-開示-0008")
    complaint = receive_complaint(privacy_officer)
    assert requests_shown({str(request.pk), "987654"}) == {str(request.pk): "R8-開示-0008"}
    assert complaints_shown({str(complaint.pk)}) == {str(complaint.pk): complaint.number}
    assert targets.TARGETS["privacy_request"].resolver is requests_shown
    assert targets.TARGETS["complaint"].resolver is complaints_shown
