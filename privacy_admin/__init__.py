"""Patron privacy administration for Japanese public libraries (図書館利用者プライバシー管理)."""

from .celery import app as celery_app

__all__ = ("celery_app",)
