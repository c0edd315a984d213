"""JSON endpoints for branches and patrons (domain.md §4; 厚木市 要綱 第4-8条).

Card numbers belong in request bodies: ``POST /patrons/lookup`` is the recommended read, because a URL
ends up in access logs and browser history. ``GET /patrons/{card_number}`` exists because the issue
asks for it; the logging filter masks the number in access-log lines.

The schemas only bound the input (types, generous lengths, code shapes); the services decide what is
valid and answer with Japanese messages per field. Whoever reads a patron leaves a ``patron.view``.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Annotated, Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext_noop
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict, SecretStr

from privacy_admin.accounts.api_auth import staff_auth
from privacy_admin.core.actor import Actor
from privacy_admin.core.api_schemas import ApiDate, OneOf, error_responses
from privacy_admin.core.roles import Role
from privacy_admin.core.scope import scope_for
from privacy_admin.core.scope_fields import patron_api_values

from .models import Branch, Eligibility, Gender, Patron, PatronCategory, PatronStatus
from .rules import DEFAULT_IDENTITY_DOCUMENTS
from .selectors import active_branches, get_patron_for, patron_record_view
from .services import IdentityEvidence, RegistrationInput, patron_register

router = Router(tags=["patrons"])

REGISTER_ROLES = (Role.COUNTER, Role.ADMINISTRATOR)
# Contractor operators are admitted here: the selector narrows them to their contract's patrons and
# privacy_admin.core.scope_fields to its data items (an out-of-scope card is 404 and logged).
READ_ROLES = (Role.COUNTER, Role.PRIVACY_OFFICER, Role.ADMINISTRATOR, Role.CONTRACTOR)

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_CODE = r"^[A-Za-z0-9_-]{1,32}$"
_CARD_NUMBER = re.compile(r"[0-9]{4,16}")


# The kernel's API date: YYYY-MM-DD within the bounds every form keeps (core.api_schemas.ApiDate).
IsoDate = ApiDate


def _labels(choices: Any) -> str:
    return "、".join(f"{value or '（空）'}={label}" for value, label in choices)


_DOCUMENTS = "、".join(f"{doc.code}={doc.label}" for doc in DEFAULT_IDENTITY_DOCUMENTS)


class BranchOut(Schema):
    code: str
    name: str
    kind: Annotated[str, OneOf(Branch.Kind, label=gettext_noop("館の種別"))] = Field(
        description=_labels(Branch.Kind.choices)
    )


class CategoryOut(Schema):
    code: str
    name: str


class RegistrationIn(Schema):
    """利用登録の申込内容。文字数などの上限は保存時の値（正規化後）についてサーバが検査します。"""

    model_config = ConfigDict(extra="forbid")

    family_name: str = Field(max_length=100, description="氏名（姓）。30文字以内、JIS第1・第2水準の文字")
    given_name: str = Field(max_length=100, description="氏名（名）。30文字以内、JIS第1・第2水準の文字")
    family_name_kana: str = Field(
        max_length=100, description="フリガナ（姓）。40文字以内。半角カナ・ひらがなも可"
    )
    given_name_kana: str = Field(
        max_length=100, description="フリガナ（名）。40文字以内。半角カナ・ひらがなも可"
    )
    birth_date: IsoDate = Field(description="生年月日（YYYY-MM-DD）")
    address: str = Field(max_length=300, description="住所。120文字以内")
    phone: str | None = Field(None, max_length=40, description="電話番号（例: 046-223-0033）")
    email: str | None = Field(None, max_length=254, description="電子メールアドレス")
    guardian_name: str | None = Field(None, max_length=100, description="保護者名。60文字以内")
    gender: Annotated[str, OneOf(Gender, label=gettext_noop("男女の別"))] | None = Field(
        None, description=f"男女の別（任意）: {_labels(Gender.choices)}"
    )
    category: str = Field(pattern=_CODE, description="利用者区分のコード（GET /categories）")
    eligibility: Annotated[str, OneOf(Eligibility, label=gettext_noop("登録資格"))] = Field(
        description=f"登録資格: {_labels(Eligibility.choices)}"
    )
    registered_branch: str = Field(pattern=_CODE, description="登録館のコード（GET /branches）")
    id_document_type: Annotated[
        str, OneOf((doc.code for doc in DEFAULT_IDENTITY_DOCUMENTS), label=gettext_noop("本人確認書類の種類"))
    ] = Field(description=f"確認した本人確認書類: {_DOCUMENTS}")
    id_document_issued_on: IsoDate | None = Field(
        None, description="書類の発行日（住民票・公共料金の請求書など、発行から6か月以内に限る書類で必須）"
    )
    password: SecretStr | None = Field(
        None,
        max_length=200,
        description="パスワード（任意、6〜64文字）。ハッシュのみ保存し、応答には含めません",
    )

    def to_input(self) -> RegistrationInput:
        return RegistrationInput(
            family_name=self.family_name,
            given_name=self.given_name,
            family_name_kana=self.family_name_kana,
            given_name_kana=self.given_name_kana,
            birth_date=self.birth_date,
            address=self.address,
            phone=self.phone or "",
            email=self.email or "",
            guardian_name=self.guardian_name or "",
            gender=self.gender or "",
            category=self.category,
            eligibility=self.eligibility,
            registered_branch=self.registered_branch,
            identity=IdentityEvidence(
                document_type=self.id_document_type, issued_on=self.id_document_issued_on
            ),
            password=self.password.get_secret_value() if self.password is not None else "",
            # No paper form exists for an API registration, so there is nothing to shred (要綱 第2条2).
            paper_form=False,
        )


class RegistrationOut(Schema):
    card_number: str
    expires_on: dt.date


class CardLookupIn(Schema):
    model_config = ConfigDict(extra="forbid")

    card_number: str = Field(max_length=32, description="利用者番号")


class PatronOut(Schema):
    """登録内容。委託先操作員には、契約で扱える項目以外は null で返します（利用者番号も含む）。"""

    card_number: str | None
    family_name: str | None
    given_name: str | None
    family_name_kana: str | None
    given_name_kana: str | None
    birth_date: dt.date | None
    gender: Annotated[str, OneOf(Gender, label=gettext_noop("男女の別"))] | None = Field(
        description=_labels(Gender.choices)
    )
    address: str | None
    phone: str | None
    email: str | None
    guardian_name: str | None
    category: str | None = Field(description="利用者区分のコード")
    eligibility: Annotated[str, OneOf(Eligibility, label=gettext_noop("登録資格"))] | None = Field(
        description=_labels(Eligibility.choices)
    )
    registered_branch: str | None = Field(description="登録館のコード")
    registered_on: dt.date | None
    expires_on: dt.date | None
    status: Annotated[str, OneOf(PatronStatus, label=gettext_noop("状態"))] = Field(
        description=_labels(PatronStatus.choices)
    )
    has_password: bool | None


def _patron_out(actor: Actor, patron: Patron) -> dict[str, Any]:
    # A contractor's operator sees only the items its contract names (domain §6).
    return patron_api_values(scope_for(actor), patron)


def _normalize_card_number(raw: str) -> str:
    value = unicodedata.normalize("NFKC", raw or "").replace("-", "").replace(" ", "")
    if not _CARD_NUMBER.fullmatch(value):
        # No card number has this shape; answer like an unknown one, without touching the database.
        raise Http404
    return value


def _read_patron(request: HttpRequest, raw_card_number: str, *, what: str) -> dict[str, Any]:
    actor = request.auth  # type: ignore[attr-defined]
    patron = get_patron_for(actor, card_number=_normalize_card_number(raw_card_number))
    patron_record_view(actor=actor, patron=patron, what=what)
    return _patron_out(actor, patron)


@router.get(
    "/branches",
    auth=staff_auth(*READ_ROLES),
    response={200: list[BranchOut], **error_responses(400, 401, 403, 500)},
    tags=["branches"],
    summary="館の一覧",
    description="有効な館（中央館・分館・受取窓口など）。個人データは含みません。利用できる役割: 職員全員。",
    operation_id="branches_list",
)
def branches_list(request: HttpRequest) -> Any:
    return list(active_branches().values("code", "name", "kind"))


@router.get(
    "/categories",
    auth=staff_auth(*READ_ROLES),
    response={200: list[CategoryOut], **error_responses(400, 401, 403, 500)},
    summary="利用者区分の一覧",
    description="利用者登録の category に指定できるコード。利用できる役割: 職員全員。",
    operation_id="categories_list",
)
def categories_list(request: HttpRequest) -> Any:
    return list(PatronCategory.objects.values("code", "name"))


@router.post(
    "/patrons",
    auth=staff_auth(*REGISTER_ROLES),
    response={201: RegistrationOut, **error_responses(400, 401, 403, 422, 500)},
    summary="利用者登録（厚木市 要綱第4-8条）",
    description=(
        "本人確認書類の種類（番号は受け付けません）を添えて利用者を登録し、利用者番号と有効期限を返します。"
        "同じ氏名・生年月日・住所の有効な登録があれば 422（厚木市 要綱第6条1号）。入力に誤りがあれば何も保存せず 422。"
        "利用できる役割: カウンター職員、システム管理者。"
    ),
    operation_id="patron_register",
)
def patron_create(request: HttpRequest, payload: RegistrationIn) -> Any:
    patron = patron_register(actor=request.auth, data=payload.to_input())  # type: ignore[attr-defined]
    return Status(201, {"card_number": patron.card_number, "expires_on": patron.expires_on})


@router.post(
    "/patrons/lookup",
    auth=staff_auth(*READ_ROLES),
    response={200: PatronOut, **error_responses(400, 401, 403, 404, 422, 500)},
    summary="利用者の登録内容（推奨）",
    description=(
        "利用者番号を本文で送って登録内容を取得します。番号が URL やアクセスログに残らないため、"
        "GET /patrons/{card_number} よりこちらを推奨します。閲覧はアクセスログに記録されます。"
        "該当なし・担当範囲外は 404。利用できる役割: カウンター職員、個人情報保護責任者、システム管理者、"
        "委託先操作員（契約の範囲内のみ）。"
    ),
    operation_id="patron_lookup",
)
def patron_lookup(request: HttpRequest, payload: CardLookupIn) -> Any:
    return _read_patron(request, payload.card_number, what="api")


@router.get(
    "/patrons/{card_number}",
    auth=staff_auth(*READ_ROLES),
    response={200: PatronOut, **error_responses(400, 401, 403, 404, 500)},
    summary="利用者の登録内容（非推奨: POST /patrons/lookup を使ってください）",
    description=(
        "POST /patrons/lookup と同じ応答です。利用者番号が URL に入るため、POST /patrons/lookup を推奨します。"
        "閲覧はアクセスログに記録されます。該当なし・担当範囲外は 404。"
    ),
    operation_id="patron_detail",
    deprecated=True,
)
def patron_detail(request: HttpRequest, card_number: str) -> Any:
    return _read_patron(request, card_number, what="api")
