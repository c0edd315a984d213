"""The JSON API under /api/v1/ (django-ninja: the OpenAPI schema is served at /api/v1/openapi.json).

Authentication: ``Authorization: Bearer <token>`` from ``manage.py create_api_token USERNAME``, or the
web session (then unsafe methods need the CSRF token). Endpoints admit roles through ``staff_auth``,
which runs before the body is parsed, so a refused role gets 403 whatever it sends; unknown or
out-of-scope records are 404. Errors are ``{"detail": ...}``; validation errors add
``errors: [{field, message}]`` and never echo the input, which may be personal data.

Language: error messages are translated when the response is made (gettext), so they follow the
request's language (Accept-Language or the language cookie; Japanese by default). The OpenAPI
descriptions, summaries and field descriptions stay in Japanese: ninja builds the schema once per
process, not per request, so a translated schema would take the language of whoever asked first.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext, gettext_lazy
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from .accounts.api_auth import staff_auth
from .core.api_schemas import DENIED_MESSAGE, INVALID_MESSAGE, NOT_FOUND_MESSAGE
from .core.dates import japanese_active

api = NinjaAPI(
    title="図書館利用者プライバシー管理 API",
    version="1",
    description=(
        "利用者登録・館情報など。個人データを返す応答はすべてアクセスログに記録されます。\n\n"
        "認証: `Authorization: Bearer <token>`（`manage.py create_api_token USERNAME` で発行）、"
        "またはログイン中のセッション（POST などには CSRF トークンが必要）。\n\n"
        "利用者番号は URL に入れないでください: `POST /patrons/lookup` を推奨します"
        "（URL はアクセスログやブラウザ履歴に残るため）。`GET /patrons/{card_number}` は非推奨です。\n\n"
        'エラーはすべて JSON です: `{"detail": ...}`、入力の誤り（422）と状態の衝突（409）は'
        "`errors: [{field, message}]` で項目ごとに日本語のメッセージを返します（入力値は返しません）。"
        "選択肢のある項目はスキーマの enum の値だけを受け付けます。"
        "本文の大きすぎる要求・解析できない本文は 400。長すぎる URL（414）はアプリケーションの前段"
        "（gunicorn）が JSON でない応答で断ります。"
    ),
    auth=staff_auth(),
    urls_namespace="api",
    # The interactive page would load Swagger UI from a CDN (ninja is not an installed app) and run
    # third-party script next to staff sessions; the schema itself stays public.
    docs_url=None,
)


_DATE_MESSAGE = gettext_lazy("日付はYYYY-MM-DD形式の正しい日付で指定してください。")
_PYDANTIC_MESSAGES = {
    "missing": gettext_lazy("必須項目です。"),
    "string_too_long": gettext_lazy("{max_length}文字以内で入力してください。"),
    "too_long": gettext_lazy("{max_length}文字以内で入力してください。"),
    "string_too_short": gettext_lazy("{min_length}文字以上で入力してください。"),
    "string_pattern_mismatch": gettext_lazy("使用できない文字が含まれています。"),
    "string_type": gettext_lazy("文字列で指定してください。"),
    "string_unicode": gettext_lazy("使用できない文字が含まれています。"),
    "date_format": _DATE_MESSAGE,
    "date_from_datetime_parsing": _DATE_MESSAGE,
    "date_from_datetime_inexact": _DATE_MESSAGE,
    "date_parsing": _DATE_MESSAGE,
    "date_type": _DATE_MESSAGE,
    "date_too_early": gettext_lazy("{min}以降の日付で指定してください。"),
    "date_too_late": gettext_lazy("{max}以前の日付で指定してください。"),
    "int_parsing": gettext_lazy("整数で指定してください。"),
    "int_type": gettext_lazy("整数で指定してください。"),
    "bool_parsing": gettext_lazy("true または false で指定してください。"),
    "literal_error": gettext_lazy("指定できない値です。"),
    "choice": gettext_lazy("{label}に指定できない値です（指定できる値: {allowed}）。"),
    "enum": gettext_lazy("指定できない値です。"),
    "json_invalid": gettext_lazy("JSONの形式が正しくありません。"),
    "model_type": gettext_lazy("JSONオブジェクトで指定してください。"),
    "model_attributes_type": gettext_lazy("JSONオブジェクトで指定してください。"),
    "dict_type": gettext_lazy("JSONオブジェクトで指定してください。"),
    "extra_forbidden": gettext_lazy("不明な項目です。"),
}


def japanese_error(error: dict[str, Any]) -> dict[str, Any]:
    template = str(_PYDANTIC_MESSAGES.get(str(error.get("type")), gettext_lazy("値が正しくありません。")))
    ctx = dict(error.get("ctx") or {})
    if ctx.get("label"):
        ctx["label"] = gettext(str(ctx["label"]))  # marked with gettext_noop where OneOf is declared
    if error.get("type") == "choice" and not ctx.get("label"):
        template = gettext("指定できない値です（指定できる値: {allowed}）。")
    try:
        message = template.format(**ctx)
    except (KeyError, IndexError, ValueError):
        message = template
    loc = [str(p) for p in error.get("loc", []) if p not in ("body", "payload", "query", "path")]
    return {"field": ".".join(loc) or "__all__", "message": message}


def _invalid(request: HttpRequest, errors: list[dict[str, Any]]) -> HttpResponse:
    return api.create_response(request, {"detail": str(INVALID_MESSAGE), "errors": errors}, status=422)


@api.exception_handler(NinjaValidationError)
def on_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    # pydantic puts the offending input into each error; only type, place and limits are used.
    return _invalid(request, [japanese_error(e) for e in exc.errors])


@api.exception_handler(DjangoValidationError)
def on_service_validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        errors = [
            {"field": field, "message": str(message)}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        errors = [{"field": "__all__", "message": str(m)} for m in exc.messages]
    return _invalid(request, errors)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": str(NOT_FOUND_MESSAGE)}, status=404)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = api.create_response(request, {"detail": gettext("認証が必要です。")}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


# ninja's own messages are English; ours are Japanese (or translated) and pass through unchanged.
_NINJA_MESSAGES = frozenset(
    {"Unauthorized", "CSRF check Failed", "Forbidden", "Not Found", "Method not allowed"}
)
_STATUS_MESSAGES = {
    400: gettext_lazy("リクエストの形式が正しくありません。"),
    401: gettext_lazy("認証が必要です。"),
    403: DENIED_MESSAGE,
    404: NOT_FOUND_MESSAGE,
    405: gettext_lazy("このメソッドは使用できません。"),
    429: gettext_lazy("リクエストが多すぎます。しばらく待ってからやり直してください。"),
}


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    message = str(exc)
    if message.startswith("Cannot parse request body"):
        message = gettext("リクエストの本文をJSONとして解析できません。")
    elif message.isascii() and (japanese_active() or message in _NINJA_MESSAGES):
        # In English our own messages are ASCII too: only ninja's are replaced then.
        message = str(_STATUS_MESSAGES.get(exc.status_code, gettext_lazy("リクエストを処理できません。")))
    return api.create_response(request, {"detail": message}, status=exc.status_code)


@api.exception_handler(SuspiciousOperation)
def on_suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
    # e.g. a body over DATA_UPLOAD_MAX_MEMORY_SIZE; Django would answer with an HTML 400.
    logging.getLogger(f"django.security.{type(exc).__name__}").warning("suspicious API request refused")
    return api.create_response(request, {"detail": str(_STATUS_MESSAGES[400])}, status=400)


SERVER_ERROR_MESSAGE = gettext_lazy(
    "サーバーで問題が発生しました。時間をおいてもう一度お試しください。解決しない場合は管理者に連絡してください。"
)
_server_errors = logging.getLogger("privacy_admin.api")


@api.exception_handler(Exception)
def on_unexpected_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    # A client reads JSON whatever happens. The log names the operation and the exception's type only:
    # its message and traceback may carry the input, which may be personal data.
    _server_errors.error(
        "unexpected API error: %s %s (%s)",
        request.method,
        getattr(request.resolver_match, "route", "?"),
        type(exc).__name__,
    )
    return api.create_response(request, {"detail": str(SERVER_ERROR_MESSAGE)}, status=500)


# The apps' routers: each takes staff_auth from accounts and the error schemas from the kernel.
api.add_router("/", "patrons.api.router")
api.add_router("/", "loans.api.router")
api.add_router("/", "disclosure_requests.api.router")
api.add_router("/", "register.api.router")
api.add_router("/", "incidents.api.router")
api.add_router("/", "reports.api.router")
api.add_router("/me", "mypage.api.router")
