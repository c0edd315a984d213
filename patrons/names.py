"""Name, フリガナ and address normalisation for patron registration.

Pure functions (no Django). Names are validated against JIS X 0208 (JIS第1・第2水準 plus the
non-kanji rows) because 要綱 第11条 registers characters the library system cannot handle as a
similar standard character; the original character is not kept.

Membership is tested with Python's ``shift_jis`` codec, which covers JIS X 0208 only. ``cp932`` is
deliberately not used: it adds the NEC/IBM extensions (髙, 﨑, ①, ㈱ …) that are outside
JIS X 0208.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import jaconv

__all__ = [
    "NAME_CHARACTERS_ALLOWED",
    "STANDARD_CHAR_SUGGESTIONS",
    "NonJisChar",
    "duplicate_key",
    "is_jis_x0208",
    "kana_errors",
    "name_errors",
    "non_jis_chars",
    "normalize_address",
    "normalize_kana",
    "normalize_name",
    "suggest_standard",
    "to_fullwidth_kana",
]

# Variant characters (異体字) found in Japanese names, mapped to the JIS X 0208 form a counter
# clerk would register under 要綱 第11条. Every key is outside JIS X 0208 and every value inside it
# (checked by tests/patrons/test_names.py). Compatibility ideographs are written as escapes because
# editors and tools may silently NFC-normalise them into their unified counterparts.
STANDARD_CHAR_SUGGESTIONS: dict[str, str] = {
    # IBM/NEC extension kanji and other unified-ideograph variants
    "髙": "高",
    "\ufa11": "崎",  # 﨑 (たつさき)
    "𠮷": "吉",  # つちよし
    "德": "徳",
    "栁": "柳",
    # 濵 is a variant of 濱 (itself JIS第2水準); 濱 is the closest standard shape.
    "濵": "濱",
    "靍": "鶴",
    "鷗": "鴎",
    "曻": "昇",
    "瀨": "瀬",
    "\ufa14": "欅",  # 﨔
    "\ufa1f": "臈",  # 﨟
    "增": "増",
    "淸": "清",
    "靑": "青",
    "緖": "緒",
    "敎": "教",
    "卽": "即",
    "旣": "既",
    "黑": "黒",
    "黃": "黄",
    "步": "歩",
    "桒": "桑",
    "鄕": "郷",
    "槗": "橋",
    "寬": "寛",
    "昻": "昂",
    "郞": "郎",
    "圡": "土",
    "𡈽": "土",
    "㐂": "喜",
    "芲": "花",
    "彥": "彦",
    "產": "産",
    "硏": "研",
    "吳": "呉",
    "姬": "姫",
    "絕": "絶",
    "巢": "巣",
    "俱": "倶",
    "內": "内",
    "悅": "悦",
    "稅": "税",
    "說": "説",
    "戶": "戸",
    "淚": "涙",
    "錄": "録",
    "鍊": "錬",
    "麴": "麹",
    "隝": "島",
    "冝": "宜",
    "柗": "松",
    "秊": "年",
    "薰": "薫",
    "畵": "画",
    "裵": "裴",
    "𥔎": "碕",
    # JIS X 0208 (1983) swapped these to simplified shapes; the traditional shape stayed outside.
    "吞": "呑",
    "蔣": "蒋",
    "繫": "繋",
    "顚": "顛",
    "蟬": "蝉",
    "驒": "騨",
    "剝": "剥",
    "頰": "頬",
    "塡": "填",
    "搔": "掻",
    # CJK compatibility ideographs (NFC maps them to the unified form listed)
    "\uf929": "朗",
    "\uf9dc": "隆",
    "\ufa10": "塚",
    "\ufa12": "晴",
    "\ufa16": "猪",
    "\ufa17": "益",
    "\ufa18": "礼",
    "\ufa19": "神",
    "\ufa1a": "祥",
    "\ufa1b": "福",
    "\ufa1c": "靖",
    "\ufa1d": "精",
    "\ufa1e": "羽",
    "\ufa22": "諸",
    "\ufa25": "逸",
    "\ufa26": "都",
    "\ufa2a": "飯",
    "\ufa2b": "飼",
    "\ufa2c": "館",
    "\ufa2d": "鶴",
    "\ufa2e": "郎",  # NFC gives 郞 (U+90DE), itself outside JIS X 0208
    "\ufa33": "勉",
    "\ufa34": "勤",
    "\ufa41": "敏",
    "\ufa44": "梅",
    "\ufa45": "海",
    "\ufa46": "渚",
    "\ufa4a": "琢",
    "\ufa4c": "社",
    "\ufa4f": "祐",
    "\ufa50": "祖",
    "\ufa51": "祝",
    "\ufa53": "禎",
    "\ufa56": "節",
    "\ufa59": "繁",
    "\ufa5b": "者",
    "\ufa5f": "著",
    "\ufa63": "謹",
    "\ufa64": "賓",
    "\ufa67": "逸",
    "\ufa69": "響",
    "\ufa6b": "恵",
    "\ufa6d": "舘",
}

_SPACE_RUN = re.compile("[ \u3000]+")
_WHITESPACE = re.compile(r"\s+")
_HALFWIDTH_SOUND_MARKS = frozenset("\uff9e\uff9f")  # ﾞ ﾟ
# jaconv leaves a voiced/semi-voiced mark alone when nothing precedes it that can absorb it.
_STRAY_HALFWIDTH_MARKS = str.maketrans({"\uff9e": "\u309b", "\uff9f": "\u309c"})

_KATAKANA_FIRST, _KATAKANA_LAST = "\u30a1", "\u30f6"  # ァ … ヶ, JIS X 0208 row 5
_KANA_EXTRA_ALLOWED = frozenset("ー・ ")

_VARIATION_SELECTORS = frozenset(
    [chr(c) for c in range(0xFE00, 0xFE10)] + [chr(c) for c in range(0xE0100, 0xE01F0)]
)
_ZWJ = "\u200d"
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
# Symbols never belong to a name; 'S*' covers emoji (So), skin-tone modifiers (Sk) and the like.
_SYMBOL_CATEGORIES = frozenset({"So", "Sm", "Sk", "Sc", "Me"})
# Katakana renderings of foreign names use ＝ as a separator (ジャン＝ポール).
_SYMBOLS_ALLOWED_IN_NAMES = frozenset("=＝")
# Digits and punctuation are no part of a name (a path such as ../../etc/passwd, a number, brackets);
# ・ separates the parts of a foreign name, and a name written in Latin letters keeps its apostrophe,
# hyphen and period (O'Brien, Jean-Luc, Smith Jr.), in either width.
_NUMBER_CATEGORIES = frozenset({"Nd", "No"})
_PUNCTUATION_ALLOWED_IN_NAMES = frozenset("・･'-.＇－．")
NAME_CHARACTERS_ALLOWED = (
    "使用できるのは、漢字・ひらがな・カタカナ・々・ー・「・」、外国の方の氏名の英字"
    "（アポストロフィ・ハイフン・ピリオド・「＝」を含む）です（JIS第1・第2水準の文字）。"
)


@dataclass(frozen=True)
class NonJisChar:
    """A character (with any marks or variation selector attached to it) outside JIS X 0208.

    ``position`` is the index in the string passed to :func:`non_jis_chars`; ``suggestion`` is
    the JIS X 0208 replacement, or ``None`` when no similar standard character is known.
    """

    char: str
    position: int
    suggestion: str | None


def to_fullwidth_kana(s: str) -> str:
    """Convert half-width katakana (ｶﾞ, ﾊﾟ, ｰ, ｡ …) to full-width; leave everything else alone."""
    converted: str = jaconv.h2z(s, kana=True, ascii=False, digit=False)
    return converted.translate(_STRAY_HALFWIDTH_MARKS)


def _fold_spaces(s: str) -> str:
    return _SPACE_RUN.sub(" ", s).strip()


def normalize_name(s: str) -> str:
    """Normalise a name as entered on the form before validating and storing it.

    Half-width katakana become full-width, NFC is applied (so CJK compatibility ideographs such as
    U+FA10 become their unified form), runs of ASCII/ideographic spaces become one ASCII space,
    and surrounding whitespace is removed.
    """
    return _fold_spaces(unicodedata.normalize("NFC", to_fullwidth_kana(s)))


def normalize_kana(s: str) -> str:
    """Normalise a フリガナ field: full-width katakana, hiragana → katakana, single ASCII spaces."""
    katakana: str = jaconv.hira2kata(to_fullwidth_kana(s))
    return _fold_spaces(unicodedata.normalize("NFC", katakana))


_UNPRINTABLE_CATEGORIES = _INVISIBLE_CATEGORIES | {"Mn", "Mc", "Me"}


def _display(ch: str) -> str:
    if all(unicodedata.category(c) in _UNPRINTABLE_CATEGORIES for c in ch):
        return "「" + "」「".join(f"U+{ord(c):04X}" for c in ch) + "」"
    return f"「{ch}」"


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def kana_errors(s: str) -> list[str]:
    """Return Japanese error messages for a フリガナ value (empty when it is acceptable).

    After :func:`normalize_kana`, only full-width katakana (ァ–ヶ), ー, ・ and single spaces are
    allowed. An empty value is not an error here; whether the field is required is the form's call.
    """
    normalized = normalize_kana(s)
    bad = _unique(
        ch for ch in normalized if not (_KATAKANA_FIRST <= ch <= _KATAKANA_LAST or ch in _KANA_EXTRA_ALLOWED)
    )
    if not bad:
        return []
    shown = "".join(_display(ch) for ch in bad)
    return [f"フリガナにはカタカナのみ使用できます（使用できない文字: {shown}）"]


def is_jis_x0208(ch: str) -> bool:
    """True for printable ASCII or a single character of JIS X 0208 (double-byte in Shift_JIS)."""
    if len(ch) != 1:
        return False
    if " " <= ch <= "~":
        return True
    try:
        encoded = ch.encode("shift_jis")
    except UnicodeEncodeError:
        return False
    # One-byte results are ASCII controls, JIS X 0201 katakana or ¥/‾ — none are JIS X 0208.
    return len(encoded) == 2


def _all_jis(s: str) -> bool:
    return bool(s) and all(is_jis_x0208(c) for c in s)


def _attaches_to_previous(previous: str, c: str) -> bool:
    if c in _HALFWIDTH_SOUND_MARKS:
        return "\uff66" <= previous <= "\uff9d"  # ｶﾞ is one half-width letter
    return bool(unicodedata.combining(c)) or unicodedata.category(c) in ("Mn", "Me", "Mc")


def _units(s: str) -> Iterator[tuple[int, str]]:
    """Yield (position, unit): a base character with the combining marks, variation selectors and
    zero-width-joined characters that belong to it, so a glyph is judged and reported once."""
    i, n = 0, len(s)
    while i < n:
        j = i + 1
        while j < n:
            c = s[j]
            if _attaches_to_previous(s[j - 1], c):
                j += 1
            elif c == _ZWJ and j + 1 < n:
                j += 2
            else:
                break
        yield i, s[i:j]
        i = j


def _suggest(unit: str) -> str | None:
    if unit in STANDARD_CHAR_SUGGESTIONS:
        return STANDARD_CHAR_SUGGESTIONS[unit]
    base, marks = unit[0], unit[1:]
    if marks and all(m in _VARIATION_SELECTORS for m in marks):
        # 要綱 第11条: the glyph variant an IVS selects is not kept; the base character is.
        return base if is_jis_x0208(base) else _suggest(base)
    candidates = []
    nfc = unicodedata.normalize("NFC", unit)
    if nfc != unit:
        candidates.append(nfc)
        candidates.append(STANDARD_CHAR_SUGGESTIONS.get(nfc, ""))
    candidates.append(to_fullwidth_kana(unit))
    candidates.append(unicodedata.normalize("NFKC", unit))
    stripped = "".join(c for c in unicodedata.normalize("NFKD", unit) if not unicodedata.combining(c))
    candidates.append(stripped)
    for candidate in candidates:
        if candidate != unit and _all_jis(candidate):
            return candidate
    return None


def non_jis_chars(s: str) -> list[NonJisChar]:
    """List the characters of ``s`` (as given, not normalised) that are outside JIS X 0208.

    Printable ASCII is accepted. Half-width katakana are reported (they are JIS X 0201, not
    JIS X 0208) with their full-width form as the suggestion; :func:`normalize_name` removes them.
    """
    return [
        NonJisChar(char=unit, position=pos, suggestion=_suggest(unit))
        for pos, unit in _units(s)
        if not all(is_jis_x0208(c) for c in unit)
    ]


def suggest_standard(s: str) -> str:
    """Return ``s`` with every character that has a standard-form suggestion replaced by it."""
    out: list[str] = []
    for _, unit in _units(to_fullwidth_kana(s)):
        if all(is_jis_x0208(c) for c in unit):
            out.append(unit)
        else:
            out.append(_suggest(unit) or unit)
    return "".join(out)


def _is_invisible(unit: str) -> bool:
    # A mark with no base character in front of it renders as nothing useful either.
    return unicodedata.category(unit[0]) in _UNPRINTABLE_CATEGORIES


def _is_symbol(unit: str) -> bool:
    return any(
        unicodedata.category(c) in _SYMBOL_CATEGORIES and c not in _SYMBOLS_ALLOWED_IN_NAMES for c in unit
    ) or (_ZWJ in unit)


def _is_number_or_punctuation(unit: str) -> bool:
    return any(
        unicodedata.category(c) in _NUMBER_CATEGORIES
        or (unicodedata.category(c).startswith("P") and c not in _PUNCTUATION_ALLOWED_IN_NAMES)
        for c in unit
    )


def name_errors(s: str, *, field_label: str) -> list[str]:
    """Return Japanese error messages for a name field (empty when it can be registered).

    The value is checked as :func:`normalize_name` will store it. Control/invisible characters,
    symbols and emoji are refused; characters outside JIS X 0208 are refused with the standard form
    to register instead (要綱 第11条). An empty value is not an error here.
    """
    normalized = normalize_name(s)
    invisible: list[str] = []
    symbols: list[str] = []
    not_in_names: list[str] = []
    non_jis: list[str] = []
    for _, unit in _units(normalized):
        if _is_invisible(unit):
            invisible.append(unit[0])
            continue
        if _is_symbol(unit):
            symbols.append(unit)
            continue
        if _is_number_or_punctuation(unit):
            not_in_names.append(unit)
            continue
        if all(is_jis_x0208(c) for c in unit):
            continue
        non_jis.append(unit)

    errors: list[str] = []
    if invisible:
        shown = "".join(_display(c) for c in _unique(invisible))
        errors.append(
            f"{field_label}に制御文字などの見えない文字（{shown}）が含まれています。"
            "取り除いてから入力してください。"
        )
    if symbols:
        shown = "".join(_display(u) for u in _unique(symbols))
        errors.append(f"{field_label}に記号や絵文字（{shown}）は使用できません。")
    if not_in_names:
        shown = "".join(_display(u) for u in _unique(not_in_names))
        errors.append(f"{field_label}に数字や記号（{shown}）は使用できません。{NAME_CHARACTERS_ALLOWED}")
    for unit in _unique(non_jis):
        suggestion = _suggest(unit)
        shown = _display(unit)
        if any(c in _VARIATION_SELECTORS for c in unit):
            shown = f"「{unit[0]}」（異体字セレクタ付き）"
        if suggestion is not None:
            errors.append(
                f"{field_label}の{shown}はシステムで扱えない文字です。"
                f"標準字体「{suggestion}」で登録してください（厚木市 要綱第11条）。"
            )
        else:
            errors.append(
                f"{field_label}の{shown}はシステムで扱えない文字です。"
                "類似する標準字体（JIS第1・第2水準）で入力してください（厚木市 要綱第11条）。"
            )
    return errors


_DASHES = re.compile("[\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\u2500\u2501\ufe58\ufe63\uff0d]")
_CHOONPU_BETWEEN_DIGITS = re.compile(r"(?<=\d)ー(?=\d)")
_KANJI_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")}
_KANJI_CHOME = re.compile("([〇一二三四五六七八九十]+)丁目")
_BLOCK_MARK_BEFORE_DIGIT = re.compile(r"(\d+)(?:丁目|番地|番|号)の?(?=\d)")
_BLOCK_MARK = re.compile(r"(\d+)(?:丁目|番地|番|号)")
_NO_BETWEEN_DIGITS = re.compile(r"(?<=\d)の(?=\d)")


def _kanji_number(k: str) -> int | None:
    """Parse 一…九十九 (or positional 一〇) ; None when the text is not a plain 1–99."""
    if "十" in k:
        tens, _, ones = k.partition("十")
        if len(tens) > 1 or len(ones) > 1 or "十" in ones:
            return None
        t = _KANJI_DIGITS[tens] if tens else 1
        o = _KANJI_DIGITS[ones] if ones else 0
        if t == 0:
            return None
        return t * 10 + o
    if len(k) > 2:
        return None
    value = int("".join(str(_KANJI_DIGITS[c]) for c in k))
    return value if value > 0 else None


def _kanji_chome(m: re.Match[str]) -> str:
    value = _kanji_number(m.group(1))
    return m.group(0) if value is None else f"{value}丁目"


def normalize_address(s: str) -> str:
    """Reduce an address to a comparison form for duplicate detection (要綱 第6条1号).

    Not for display. In order:

    1. NFKC (全角英数字 → ASCII, 半角カナ → 全角, －/～ → ASCII);
    2. remove all whitespace;
    3. ヶ → ケ (霞ヶ関 / 霞ケ関);
    4. a kanji number of 1–99 directly before 丁目 becomes digits (中町一丁目 → 中町1丁目);
    5. dash-like characters (‐ ‑ ‒ – — ― − ─ ━ …) become ``-`` everywhere, and ー becomes ``-``
       only between digits (センター stays);
    6. 丁目・番地・番・号 (optionally followed by の) directly after a number and before another
       number become ``-``; at the end of a number sequence they are dropped
       (1丁目2番3号 → 1-2-3, 1丁目2番地の3 → 1-2-3, 5番地 → 5);
    7. の between digits becomes ``-`` (123の4 → 123-4).

    The steps are repeated until nothing changes, so the result is stable (1丁目丁目 → 1).
    Nothing else is changed: 大字/字, prefecture omission and building-name spelling are not
    reconciled.
    """
    while True:
        folded = _fold_address_once(s)
        if folded == s:
            return folded
        s = folded


def _fold_address_once(s: str) -> str:
    s = unicodedata.normalize("NFKC", s)
    s = _WHITESPACE.sub("", s)
    s = s.replace("ヶ", "ケ")
    s = _KANJI_CHOME.sub(_kanji_chome, s)
    s = _DASHES.sub("-", s)
    s = _CHOONPU_BETWEEN_DIGITS.sub("-", s)
    s = _BLOCK_MARK_BEFORE_DIGIT.sub(r"\1-", s)
    s = _BLOCK_MARK.sub(r"\1", s)
    return _NO_BETWEEN_DIGITS.sub("-", s)


def _name_key(family_name: str, given_name: str) -> str:
    name = suggest_standard(normalize_name(family_name) + normalize_name(given_name))
    return _WHITESPACE.sub("", unicodedata.normalize("NFKC", name)).casefold()


def duplicate_key(*, family_name: str, given_name: str, birth_date: datetime.date, address: str) -> str:
    """SHA-256 hex key for finding an existing registration (要綱 第6条1号: 既に登録証の交付を受けている者).

    Insensitive to spacing, character width, Latin letter case, variant characters that 第11条
    would register in standard form (髙橋 = 高橋), and the address spellings handled by
    :func:`normalize_address`. Family and given name are joined without a separator so a full name
    typed into one field still matches.
    """
    payload = "\n".join(
        (_name_key(family_name, given_name), birth_date.isoformat(), normalize_address(address))
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
