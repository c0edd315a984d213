"""Citations of the rule profile's law on pages: ``{% law_note pr.profile "disclosure_period" %}`` gives
「（法第83条第1項）」 under the 個人情報の保護に関する法律 profile and 「（山梨県 要綱第24条第1項）」 under the
山梨県 要綱 one; nothing when the law has no article for the rule. Without a profile (``None``), the profile
in force is used."""

from __future__ import annotations

from django import template

from privacy_admin.core.dates import japanese_active

from ..citations import article_in_english
from ..models import RuleProfile
from ..profiles import current_profile

register = template.Library()


def _profile(profile: RuleProfile | None) -> RuleProfile | None:
    if isinstance(profile, RuleProfile):
        return profile
    try:
        return current_profile()
    except RuleProfile.DoesNotExist:
        return None


@register.simple_tag
def law_note(profile: RuleProfile | None, *keys: str, suffix: str = "", full: bool = False) -> str:
    """「（法第83条第2項・法第94条第2項）」 for ``keys`` (short names; ``full=True`` for the law's full
    name), with ``suffix`` after the last (「ただし書」); '' when none of them has an article."""
    found = _profile(profile)
    if found is None:
        return ""
    citer = found.citer()
    write = citer.full if full else citer.short
    cited = [text for text in (write(key) for key in keys) if text]
    if not cited:
        return ""
    if not japanese_active():
        return f" ({'; '.join(cited)}{article_in_english(suffix) if suffix else ''})"
    return f"（{'・'.join(cited)}{suffix}）"


@register.simple_tag
def law_cite(profile: RuleProfile | None, key: str, full: bool = False) -> str:
    """The citation of ``key`` alone (「法第83条第2項」), or ''."""
    found = _profile(profile)
    if found is None:
        return ""
    citer = found.citer()
    return citer.full(key) if full else citer.short(key)
