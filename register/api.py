"""The register API (山梨県 要綱 第16条).

``GET /register`` and ``GET /register/{id}`` need no authentication: the register is open to public
inspection (第16条第5項) and holds no personal data. They show registered entries; an abolished entry's
registration is struck out (第16条第4項), so it is 404 unless ``?include_abolished=true`` asks for the
struck-out entries too (for reconciling copies of the register).

``POST /register``, ``PATCH /register/{id}`` (with a reason) and ``POST /register/{id}/abolish`` are for
administrators. Bad input answers 422 with Japanese messages per field and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.translation import gettext_noop
from ninja import Field, P, PathEx, Query, Router, Schema, Status
from pydantic import ConfigDict

from patrons.api import IsoDate
from privacy_admin.accounts.api_auth import staff_auth
from privacy_admin.core.api_schemas import BIGINT_MAX, INT_MAX, OneOf, error_responses
from privacy_admin.core.dataitems import DataItem
from privacy_admin.core.roles import Role
from register import inventory, selectors
from register.models import CollectionSource, RegisterEntry
from register.services import entries as services

router = Router(tags=["register"])

_ADMIN_TEXT = "利用できる役割: システム管理者。"
_ERRORS: dict[int, Any] = error_responses(400, 401, 403, 404, 422, 500)
EntryId = PathEx[int, P(ge=1, le=BIGINT_MAX, description="事務の id")]
DataItemCode = Annotated[str, OneOf(DataItem, label=gettext_noop("記録項目"))]
SourceCode = Annotated[str, OneOf(CollectionSource, label=gettext_noop("収集先"))]


def _labels(choices: Any) -> str:
    return "、".join(f"{value}={label}" for value, label in choices)


# --- schemas -----------------------------------------------------------------------------------------


class EntryOut(Schema):
    id: int
    number: int = Field(ge=1, le=INT_MAX, description="登録番号")
    code: str = Field(description="システムの中で事務を指すコード")
    status: Annotated[str, OneOf(RegisterEntry.Status, label=gettext_noop("状態"))] = Field(
        description=_labels(RegisterEntry.Status.choices)
    )
    name: str = Field(description="個人情報取扱事務の名称（第16条第1項第1号）")
    purpose: str = Field(description="目的（第2号）")
    department: str = Field(description="所管する組織の名称（第3号）")
    subjects: str = Field(description="対象者の範囲（第4号）")
    record_items: list[str] = Field(
        description="記録項目（第5号）: フィールドの宣言から得た項目、システム外で扱う項目、その他の項目の表示名"
    )
    record_item_codes: list[DataItemCode] = Field(
        description="記録項目のうちデータ項目の語彙にあるもののコード"
    )
    extra_items: list[DataItemCode] = Field(description="システム外で扱う項目（語彙のコード）")
    free_items: str
    record_range: str
    collection_sources: list[SourceCode] = Field(
        description=f"収集先（第6号）: {_labels(CollectionSource.choices)}"
    )
    collection_source_note: str
    collection_method: str
    outsourced: bool
    outsourcing_note: str
    online_connection: bool
    online_connection_note: str
    sensitive: bool = Field(description="要配慮個人情報の有無")
    regular_recipients: str = Field(description="経常的提供先")
    retention_period: str
    request_office: str = Field(description="請求を受け付ける組織")
    special_procedure: str
    file_name: str
    starts_on: dt.date
    registered_on: dt.date
    changed_on: dt.date | None
    abolished_on: dt.date | None


_TEXT_DESCRIPTIONS = {
    "name": "個人情報取扱事務の名称（必須）",
    "purpose": "目的（必須）",
    "department": "所管する組織の名称（必須）",
    "subjects": "対象者の範囲（必須）",
    "retention_period": "保存期間（必須）",
    "request_office": "請求を受け付ける組織（必須）",
}


class _EntryFields(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, max_length=400, description=_TEXT_DESCRIPTIONS["name"])
    purpose: str | None = Field(None, max_length=8000, description=_TEXT_DESCRIPTIONS["purpose"])
    department: str | None = Field(None, max_length=400, description=_TEXT_DESCRIPTIONS["department"])
    subjects: str | None = Field(None, max_length=8000, description=_TEXT_DESCRIPTIONS["subjects"])
    extra_items: list[DataItemCode] | None = Field(
        None,
        max_length=len(DataItem.values),
        description=f"システム外で扱う項目: {_labels(DataItem.choices)}",
    )
    free_items: str | None = Field(None, max_length=8000, description="その他の記録項目（1行に1項目）")
    record_range: str | None = Field(None, max_length=400)
    collection_sources: list[SourceCode] | None = Field(
        None,
        max_length=len(CollectionSource.values),
        description=f"収集先（1つ以上）: {_labels(CollectionSource.choices)}",
    )
    collection_source_note: str | None = Field(None, max_length=400)
    collection_method: str | None = Field(None, max_length=400)
    outsourced: bool | None = None
    outsourcing_note: str | None = Field(None, max_length=400, description="委託ありのとき必須")
    online_connection: bool | None = None
    online_connection_note: str | None = Field(
        None, max_length=400, description="オンライン結合ありのとき必須"
    )
    sensitive: bool | None = None
    regular_recipients: str | None = Field(None, max_length=8000)
    retention_period: str | None = Field(
        None, max_length=400, description=_TEXT_DESCRIPTIONS["retention_period"]
    )
    request_office: str | None = Field(None, max_length=400, description=_TEXT_DESCRIPTIONS["request_office"])
    special_procedure: str | None = Field(None, max_length=8000)
    file_name: str | None = Field(None, max_length=400)
    starts_on: IsoDate | None = Field(None, description="事務の開始日（登録日以後。山梨県 要綱 第16条第2項）")


class EntryIn(_EntryFields):
    code: str | None = Field(None, max_length=128, description="コード（省略時 entry-<登録番号>）")
    number: int | None = Field(None, ge=1, le=INT_MAX, description="登録番号（省略時 最大+1）")
    registered_on: IsoDate | None = Field(None, description="登録日（省略時 今日。未来は不可）")


class EntryChangeIn(_EntryFields):
    reason: str = Field(min_length=1, max_length=100, description="変更の理由（必須、100文字以内）")
    changed_on: IsoDate | None = Field(None, description="変更日（省略時 今日）")


class AbolishIn(Schema):
    model_config = ConfigDict(extra="forbid")

    abolished_on: IsoDate | None = Field(None, description="廃止日（登録日以後、今日まで）")
    reason: str = Field(min_length=1, max_length=100, description="廃止の理由（必須、100文字以内）")


class RegisterListFilter(Schema):
    q: str | None = Field(
        None, max_length=200, description="名称・目的・所管する組織の語（空白区切りで AND）"
    )
    include_abolished: bool = Field(False, description="廃止（登録を抹消）した事務も含める")


class RegisterDetailFilter(Schema):
    include_abolished: bool = Field(False, description="廃止（登録を抹消）した事務も返す")


# --- helpers ---------------------------------------------------------------------------------------


def entry_out(entry: RegisterEntry) -> dict[str, Any]:
    return {
        **{name: getattr(entry, name) for name in services.EDITABLE_FIELDS},
        "id": entry.pk,
        "number": entry.number,
        "code": entry.code,
        "status": entry.status,
        "record_items": inventory.entry_record_items(entry),
        "record_item_codes": [item.value for item in inventory.entry_items(entry)],
        "registered_on": entry.registered_on,
        "changed_on": entry.changed_on,
        "abolished_on": entry.abolished_on,
    }


def _service_values(payload: _EntryFields, *, only_set: bool) -> dict[str, Any]:
    given = payload.model_dump(exclude_unset=only_set)
    values = {name: given[name] for name in services.EDITABLE_FIELDS if name in given}
    for name in services.TEXT_FIELDS:
        if name in values and values[name] is None:
            values[name] = ""
    return values


def _actor(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


# --- endpoints -------------------------------------------------------------------------------------


@router.get(
    "/register",
    auth=None,
    response={200: list[EntryOut], **error_responses(400, 422, 500)},
    summary="個人情報取扱事務登録簿（公開）",
    description=(
        "登録されている事務を登録番号順に返します。認証は不要です（山梨県 要綱 第16条第5項: 一般の閲覧、法第75条第1項: 公表）。"
        "廃止した事務は include_abolished=true のときだけ含めます。"
    ),
    operation_id="register_list",
)
def register_list(request: HttpRequest, filters: Query[RegisterListFilter]) -> Any:
    q = filters.q or ""
    found = selectors.entries_for_staff(q=q) if filters.include_abolished else selectors.public_entries(q=q)
    return [entry_out(e) for e in found]


@router.get(
    "/register/{entry_id}",
    auth=None,
    response={200: EntryOut, **error_responses(400, 404, 422, 500)},
    summary="登録簿の事務（公開）",
    description=(
        "認証は不要です。廃止した事務は登録が抹消されているため 404（include_abolished=true のときは返します）。"
    ),
    operation_id="register_detail",
)
def register_detail(request: HttpRequest, entry_id: EntryId, filters: Query[RegisterDetailFilter]) -> Any:
    if filters.include_abolished:
        return entry_out(selectors.get_entry(entry_id))
    return entry_out(selectors.get_public_entry(entry_id))


@router.post(
    "/register",
    auth=staff_auth(Role.ADMINISTRATOR),
    response={201: EntryOut, **_ERRORS},
    summary="事務の登録",
    description=(
        "個人情報取扱事務を登録します（山梨県 要綱 第16条第2項: 事務を開始する前に。法第75条第5項の登録簿）。名称・目的・所管・対象者・収集先・"
        "保存期間・請求を受け付ける組織・開始日が必要です。開始日が登録日より前、未来の登録日、語彙にない記録項目・"
        "収集先は 422 で、何も登録しません。" + _ADMIN_TEXT
    ),
    operation_id="register_create",
)
def register_create(request: HttpRequest, payload: EntryIn) -> Any:
    values = _service_values(payload, only_set=False)
    for name in ("extra_items", "collection_sources"):
        if values.get(name) is None:
            values[name] = []
    for name in services.BOOLEAN_FIELDS:
        if values.get(name) is None:
            values[name] = False
    entry = services.register_entry_create(
        actor=_actor(request),
        code=payload.code,
        number=payload.number,
        registered_on=payload.registered_on,
        **values,
    )
    return Status(201, entry_out(entry))


@router.patch(
    "/register/{entry_id}",
    auth=staff_auth(Role.ADMINISTRATOR),
    response={200: EntryOut, **_ERRORS},
    summary="登録事項の変更",
    description=(
        "送った項目だけを変更し、変更日を記録します。理由は必須で、変更履歴に残ります（山梨県 要綱 第16条第2項後段）。"
        "コード・登録番号・登録日は変更できません。廃止した事務、変更のない要求は 422。" + _ADMIN_TEXT
    ),
    operation_id="register_change",
)
def register_change(request: HttpRequest, entry_id: EntryId, payload: EntryChangeIn) -> Any:
    entry = selectors.get_entry(entry_id)
    values = _service_values(payload, only_set=True)
    entry = services.register_entry_change(
        actor=_actor(request),
        entry=entry,
        reason=payload.reason,
        changed_on=payload.changed_on,
        **values,
    )
    return entry_out(entry)


@router.post(
    "/register/{entry_id}/abolish",
    auth=staff_auth(Role.ADMINISTRATOR),
    response={200: EntryOut, **_ERRORS},
    summary="事務の廃止",
    description=(
        "事務を廃止し、登録を抹消します（山梨県 要綱 第16条第4項）。理由が必要です。登録日より前・未来の廃止日、"
        "コードがまだこの事務にフィールドを宣言しているとき、終了していない委託契約が参照しているときは 422。"
        + _ADMIN_TEXT
    ),
    operation_id="register_abolish",
)
def register_abolish(request: HttpRequest, entry_id: EntryId, payload: AbolishIn) -> Any:
    entry = selectors.get_entry(entry_id)
    entry = services.register_entry_abolish(
        actor=_actor(request), entry=entry, abolished_on=payload.abolished_on, reason=payload.reason
    )
    return entry_out(entry)
