"""Register entries for tests."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from register.models import RegisterEntry

_numbers = itertools.count(1000)


def make_entry(**kwargs: Any) -> RegisterEntry:
    """A registered entry; the core entries of the data migration already hold the low numbers."""
    today = datetime.date(2026, 4, 1)
    n = next(_numbers)
    values: dict[str, Any] = {
        "code": f"entry-{n}",
        "number": n,
        "name": f"テスト事務{n}",
        "purpose": "図書館資料の貸出しのため",
        "department": "中央図書館 奉仕係",
        "subjects": "図書館の利用者",
        "collection_sources": ["person"],
        "retention_period": "返却まで",
        "request_office": "中央図書館",
        "starts_on": today,
        "registered_on": today,
    }
    values.update(kwargs)
    return RegisterEntry.objects.create(**values)
