"""Codes of the register entries that the product's own code serves.

The data migration ``registry.0002_core_entries`` registers them, so that every field declared in the
inventory points at a registered entry on a fresh database; an administrator edits their wording.
"""

LIBRARY_USE = "library-use"  # 図書館資料の館内および館外利用等に関する業務 (002)
PRIVACY_REQUESTS = "privacy-requests"  # 保有個人情報の開示・訂正・利用停止請求に関する事務 (003 第17条-)
CONTRACTOR_OVERSIGHT = "contractor-oversight"  # 個人情報を取り扱う業務の委託の管理に関する事務 (003 第11条)
