"""What every JSON API endpoint answers on refusal: ``{"detail": ...}`` in Japanese, and for invalid
input ``errors: [{field, message}]`` (never echoing the input, which may be personal data)."""

from __future__ import annotations

from ninja import Schema

DENIED_MESSAGE = "この操作を行う権限がありません。"
NOT_FOUND_MESSAGE = "見つかりません。"
INVALID_MESSAGE = "入力内容に誤りがあります。"


class ErrorOut(Schema):
    detail: str


class FieldErrorOut(Schema):
    field: str
    message: str


class ValidationErrorOut(Schema):
    detail: str
    errors: list[FieldErrorOut]
