"""``{% letter_panel_data privacy_request as panel %}``: what the letters panel of a request shows.

Used by ``disclosure_requests/letters/_panel.html``, which the request detail page includes with only
``privacy_request`` in its context.
"""

from __future__ import annotations

from typing import Any

from django import template

from disclosure_requests import letters
from disclosure_requests.models import Letter, PrivacyRequest, RequestKind

register = template.Library()


@register.simple_tag
def letter_panel_data(privacy_request: PrivacyRequest) -> dict[str, Any]:
    issued = list(
        Letter.objects.filter(request=privacy_request)
        .defer("pdf")  # the list needs no PDF bytes
        .select_related("consultation")
        .order_by("-issued_on", "-pk")
    )
    kinds = []
    for kind in letters.letter_kinds_available(privacy_request):
        kinds.append(
            {
                "kind": kind.value,
                "label": kind.label,
                "consultations": letters.consultations_for(privacy_request, kind),
                "to_third_party": kind in letters.THIRD_PARTY_KINDS,
            }
        )
    offered = {k["kind"] for k in kinds}
    unavailable = [
        {"label": kind.label, "reason": letters.letter_unavailable_reason(privacy_request, kind)}
        for kind in letters.letter_kinds_for(privacy_request.kind)
        if kind not in offered and kind not in letters.THIRD_PARTY_KINDS
    ]
    if privacy_request.kind != RequestKind.DISCLOSURE:
        package_reason = "保有個人情報の一覧は開示請求についてのみ作成できます。"
    elif privacy_request.patron_id is None:
        package_reason = "この請求は登録利用者に結び付けられていないため、一覧を作成できません。"
    else:
        package_reason = ""
    return {
        "letters": issued,
        "kinds": kinds,
        "unavailable": unavailable,
        "package_reason": package_reason,
        "is_disclosure": privacy_request.kind == RequestKind.DISCLOSURE,
    }
