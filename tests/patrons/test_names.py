"""patrons.names: name/フリガナ/address normalisation and JIS X 0208 checks (要綱 第6条, 第11条)."""

from __future__ import annotations

import datetime
import unicodedata

import jaconv
import pytest
from hypothesis import given
from hypothesis import strategies as st

from patrons.names import (
    STANDARD_CHAR_SUGGESTIONS,
    NonJisChar,
    duplicate_key,
    is_jis_x0208,
    kana_errors,
    name_errors,
    non_jis_chars,
    normalize_address,
    normalize_kana,
    normalize_name,
    suggest_standard,
    to_fullwidth_kana,
)


def _jis_x0208_chars() -> list[str]:
    """Every character of JIS X 0208, by decoding every double-byte Shift_JIS code."""
    chars = []
    for lead in [*range(0x81, 0xA0), *range(0xE0, 0xF0)]:
        for trail in [*range(0x40, 0x7F), *range(0x80, 0xFD)]:
            try:
                chars.append(bytes([lead, trail]).decode("shift_jis"))
            except UnicodeDecodeError:
                continue
    return chars


def _cp932_only_chars() -> list[str]:
    """NEC special characters, NEC-selected IBM extensions and IBM extensions: cp932 but not JIS X 0208."""
    chars = []
    for lead in [*range(0x81, 0xA0), *range(0xE0, 0xFD)]:
        for trail in [*range(0x40, 0x7F), *range(0x80, 0xFD)]:
            raw = bytes([lead, trail])
            try:
                ch = raw.decode("cp932")
            except UnicodeDecodeError:
                continue
            try:
                ch.encode("shift_jis")
            except UnicodeEncodeError:
                chars.append(ch)
    return chars


JIS_X0208 = _jis_x0208_chars()
CP932_ONLY = _cp932_only_chars()
HALFWIDTH_KATAKANA = [chr(c) for c in range(0xFF61, 0xFFA0)]
KATAKANA = [chr(c) for c in range(0x30A1, 0x30F7)]
HIRAGANA = [chr(c) for c in range(0x3041, 0x3097)]

NAME_CHARS = st.sampled_from(list("山田太郎花子佐藤鈴木高橋渡辺齋藤々ヤマダタロウやまだ") + KATAKANA[:40])
SPACES = st.text(alphabet=" \u3000", max_size=3)


def _encodable(ch: str) -> bool:
    try:
        ch.encode("shift_jis")
    except UnicodeEncodeError:
        return False
    return True


# --- to_fullwidth_kana ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ﾔﾏﾀﾞ", "ヤマダ"),
        ("ｶﾞｷﾞｸﾞｹﾞｺﾞ", "ガギグゲゴ"),
        ("ﾊﾟﾋﾟﾌﾟﾍﾟﾎﾟ", "パピプペポ"),
        ("ｳﾞｧｲｵﾘﾝ", "ヴァイオリン"),
        ("ｧｨｩｪｫｬｭｮｯｦﾝ", "ァィゥェォャュョッヲン"),
        ("ｰ｡｢｣､･", "ー。「」、・"),
        ("ﾞ", "゛"),
        ("ﾟ", "゜"),
        ("ABC abc 123", "ABC abc 123"),
        ("ＡＢＣ１２３", "ＡＢＣ１２３"),
        ("山田 ヤマダ やまだ", "山田 ヤマダ やまだ"),
    ],
)
def test_half_width_kana_becomes_full_width(raw: str, expected: str) -> None:
    assert to_fullwidth_kana(raw) == expected


@given(st.text())
def test_full_width_kana_conversion_is_idempotent_and_leaves_no_half_width_kana(s: str) -> None:
    once = to_fullwidth_kana(s)
    assert to_fullwidth_kana(once) == once
    assert not any("\uff61" <= c <= "\uff9f" for c in once)


@given(st.text(alphabet=st.characters(exclude_characters=HALFWIDTH_KATAKANA)))
def test_text_without_half_width_kana_is_left_alone(s: str) -> None:
    assert to_fullwidth_kana(s) == s


# --- normalize_name ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  山田  ", "山田"),
        ("山田\u3000太郎", "山田 太郎"),
        ("山田 \u3000 \u3000太郎", "山田 太郎"),
        ("\u3000ﾔﾏﾀﾞ\u3000ﾀﾛｳ\u3000", "ヤマダ タロウ"),
        ("\ufa10本", "塚本"),  # CJK compatibility ideograph → unified form by NFC
        ("カ\u3099", "ガ"),  # combining dakuten composed by NFC
        ("Ｙａｍａｄａ", "Ｙａｍａｄａ"),  # full-width Latin is JIS X 0208; left alone
        ("髙橋", "髙橋"),  # variants are validated, not silently replaced
        ("", ""),
    ],
)
def test_name_is_normalised(raw: str, expected: str) -> None:
    assert normalize_name(raw) == expected


def test_tab_inside_name_is_kept_for_name_errors_to_refuse() -> None:
    assert normalize_name("山田\t太郎") == "山田\t太郎"
    assert name_errors("山田\t太郎", field_label="氏名") != []


@given(st.text())
def test_name_normalisation_is_idempotent(s: str) -> None:
    once = normalize_name(s)
    assert normalize_name(once) == once


@given(st.text())
def test_normalised_name_has_single_ascii_spaces_and_no_surrounding_whitespace(s: str) -> None:
    result = normalize_name(s)
    assert "\u3000" not in result
    assert "  " not in result
    assert result == result.strip()
    assert unicodedata.is_normalized("NFC", result)


# --- normalize_kana / kana_errors ----------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("やまだ たろう", "ヤマダ タロウ"),
        ("ﾔﾏﾀﾞ\u3000ﾀﾛｳ", "ヤマダ タロウ"),
        ("  ヤマダ\u3000\u3000 タロウ ", "ヤマダ タロウ"),
        ("ゔぁいおりん", "ヴァイオリン"),
        ("か\u3099", "ガ"),
        ("スミス・ジョン", "スミス・ジョン"),
        ("ゆうこ", "ユウコ"),
    ],
)
def test_kana_is_normalised_to_full_width_katakana(raw: str, expected: str) -> None:
    assert normalize_kana(raw) == expected


@given(st.text())
def test_kana_normalisation_is_idempotent(s: str) -> None:
    once = normalize_kana(s)
    assert normalize_kana(once) == once


@pytest.mark.parametrize(
    "value", ["ヤマダ タロウ", "やまだ たろう", "ﾔﾏﾀﾞ ﾀﾛｳ", "スミス・ジョン", "ヴァージニア", "", "   "]
)
def test_acceptable_kana_has_no_errors(value: str) -> None:
    assert kana_errors(value) == []


def test_latin_letter_in_kana_is_refused_with_the_character_named() -> None:
    assert kana_errors("ヤマダA") == ["フリガナにはカタカナのみ使用できます（使用できない文字: 「A」）"]


def test_every_offending_kana_character_is_named_once_in_order() -> None:
    assert kana_errors("山田やまだ1山A") == [
        "フリガナにはカタカナのみ使用できます（使用できない文字: 「山」「田」「1」「A」）"
    ]


def test_invisible_character_in_kana_is_shown_as_code_point() -> None:
    assert kana_errors("ヤマダ\tタロウ") == [
        "フリガナにはカタカナのみ使用できます（使用できない文字: 「U+0009」）"
    ]


@pytest.mark.parametrize("char", ["ヽ", "ヾ", "ヷ", "ヺ", "゛", "ｰ-", "〜", "＝"])
def test_marks_outside_the_katakana_row_are_refused_in_kana(char: str) -> None:
    assert kana_errors(f"ア{char}") != []


@given(st.text(alphabet=st.sampled_from([*KATAKANA, *HIRAGANA[:83], "ー", "・", " ", "\u3000"])))
def test_katakana_hiragana_and_spaces_are_always_accepted(s: str) -> None:
    assert kana_errors(s) == []


@given(st.text(), st.sampled_from(list("A1漢@#é😀")))
def test_kana_with_a_non_katakana_character_gets_exactly_one_message(prefix: str, bad: str) -> None:
    errors = kana_errors(prefix + bad)
    assert len(errors) == 1
    assert f"「{bad}」" in errors[0]


# --- JIS X 0208 membership -----------------------------------------------------------------


def test_jis_x0208_has_its_expected_size() -> None:
    # 6,879 graphic characters: 524 non-kanji + 2,965 level 1 + 3,390 level 2 (JIS X 0208:1990).
    assert len(JIS_X0208) == 6879


def test_every_jis_x0208_character_is_accepted() -> None:
    assert [c for c in JIS_X0208 if not is_jis_x0208(c)] == []
    assert non_jis_chars("".join(JIS_X0208)) == []


def test_every_nec_and_ibm_extension_character_is_refused() -> None:
    # cp932 adds these to Shift_JIS; the registration system cannot rely on them (要綱 第11条).
    assert len(CP932_ONLY) > 300
    assert [c for c in CP932_ONLY if is_jis_x0208(c)] == []
    for c in ["髙", "\ufa11", "①", "Ⅰ", "㈱", "㍻"]:
        assert c in CP932_ONLY or not is_jis_x0208(c)
        assert [n.char for n in non_jis_chars(c)] == [c]


def test_printable_ascii_is_accepted() -> None:
    printable = "".join(chr(c) for c in range(0x20, 0x7F))
    assert non_jis_chars(printable) == []


@pytest.mark.parametrize("char", ["\t", "\n", "\x00", "\x7f", "¥", "‾", "😀", "é"])
def test_controls_single_byte_extras_and_other_scripts_are_not_jis_x0208(char: str) -> None:
    assert not is_jis_x0208(char)


def test_multi_character_string_is_not_a_single_jis_character() -> None:
    assert not is_jis_x0208("山田")
    assert not is_jis_x0208("")


def test_non_jis_characters_are_reported_with_position_and_suggestion() -> None:
    assert non_jis_chars("髙橋琇子") == [
        NonJisChar(char="髙", position=0, suggestion="高"),
        NonJisChar(char="琇", position=2, suggestion=None),
    ]


def test_half_width_kana_are_reported_only_before_normalisation() -> None:
    assert non_jis_chars("ﾀﾞｲｽｹ") == [
        NonJisChar(char="ﾀﾞ", position=0, suggestion="ダ"),
        NonJisChar(char="ｲ", position=2, suggestion="イ"),
        NonJisChar(char="ｽ", position=3, suggestion="ス"),
        NonJisChar(char="ｹ", position=4, suggestion="ケ"),
    ]
    assert non_jis_chars(normalize_name("ﾀﾞｲｽｹ")) == []


def test_variation_selector_is_reported_with_its_base_character() -> None:
    assert non_jis_chars("葛\U000e0100城") == [NonJisChar(char="葛\U000e0100", position=0, suggestion="葛")]


def test_latin_letter_with_accent_is_suggested_without_the_accent() -> None:
    assert non_jis_chars("José") == [NonJisChar(char="é", position=3, suggestion="e")]


def test_astral_variant_keeps_positions_in_code_points() -> None:
    assert non_jis_chars("𠮷野家") == [NonJisChar(char="𠮷", position=0, suggestion="吉")]


@given(st.text(alphabet=st.sampled_from(JIS_X0208)))
def test_strings_of_jis_x0208_characters_have_no_findings(s: str) -> None:
    assert non_jis_chars(s) == []


# --- STANDARD_CHAR_SUGGESTIONS -------------------------------------------------------------


def test_suggestion_table_has_at_least_forty_entries() -> None:
    assert len(STANDARD_CHAR_SUGGESTIONS) >= 40


@pytest.mark.parametrize(("variant", "standard"), sorted(STANDARD_CHAR_SUGGESTIONS.items()))
def test_every_suggestion_maps_a_non_jis_variant_to_a_jis_x0208_character(
    variant: str, standard: str
) -> None:
    assert len(variant) == 1
    assert len(standard) == 1
    assert not _encodable(variant), f"{variant} (U+{ord(variant):04X}) is in JIS X 0208"
    assert _encodable(standard), f"{standard} (U+{ord(standard):04X}) is not in JIS X 0208"
    assert len(standard.encode("shift_jis")) == 2
    assert unicodedata.category(standard) == "Lo"


@pytest.mark.parametrize(("variant", "standard"), sorted(STANDARD_CHAR_SUGGESTIONS.items()))
def test_compatibility_ideographs_agree_with_their_canonical_form(variant: str, standard: str) -> None:
    canonical = unicodedata.normalize("NFC", variant)
    if canonical != variant:
        expected = canonical if _encodable(canonical) else STANDARD_CHAR_SUGGESTIONS[canonical]
        assert standard == expected


@pytest.mark.parametrize(
    ("variant", "standard"),
    [
        ("髙", "高"),
        ("\ufa11", "崎"),  # 﨑
        ("𠮷", "吉"),
        ("德", "徳"),
        ("栁", "柳"),
        ("濵", "濱"),
        ("\ufa1e", "羽"),
        ("\uf9dc", "隆"),
        ("\ufa10", "塚"),
        ("\ufa14", "欅"),  # 﨔
        ("靍", "鶴"),
        ("鷗", "鴎"),
        ("曻", "昇"),
        ("\ufa67", "逸"),
        ("\ufa19", "神"),
        ("\ufa1b", "福"),
        ("\ufa4f", "祐"),
        ("\ufa53", "禎"),
        ("\ufa26", "都"),
        ("\ufa2c", "館"),
        ("瀨", "瀬"),
        ("\ufa1f", "臈"),  # 﨟
    ],
)
def test_common_name_variants_have_the_expected_standard_form(variant: str, standard: str) -> None:
    assert STANDARD_CHAR_SUGGESTIONS[variant] == standard


@pytest.mark.parametrize(
    "char",
    # Often thought of as "外字" but they are JIS X 0208 level 2, so they are registered as written.
    [
        "眞",
        "邉",
        "邊",
        "齋",
        "齊",
        "嵜",
        "惠",
        "舘",
        "冨",
        "濱",
        "澤",
        "廣",
        "嶋",
        "彌",
        "櫻",
        "瀧",
        "槇",
        "埜",
        "辻",
        "隆",
    ],
)
def test_old_forms_that_are_inside_jis_x0208_are_accepted(char: str) -> None:
    assert is_jis_x0208(char)
    assert char not in STANDARD_CHAR_SUGGESTIONS
    assert name_errors(char, field_label="氏名（姓）") == []


@pytest.mark.parametrize("char", ["琇", "橳", "蓜"])
def test_variants_without_a_good_standard_form_get_no_suggestion(char: str) -> None:
    assert not is_jis_x0208(char)
    assert non_jis_chars(char) == [NonJisChar(char=char, position=0, suggestion=None)]


def test_every_compatibility_ideograph_that_nfc_maps_into_jis_gets_that_suggestion() -> None:
    for code in range(0xF900, 0xFB00):
        ch = chr(code)
        if unicodedata.category(ch) == "Cn":
            continue
        canonical = unicodedata.normalize("NFC", ch)
        if canonical != ch and _encodable(canonical):
            assert non_jis_chars(ch) == [NonJisChar(char=ch, position=0, suggestion=canonical)]


# --- suggest_standard ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("髙橋", "高橋"),
        ("山\ufa11", "山崎"),
        ("𠮷田", "吉田"),
        ("德川", "徳川"),
        ("濵田", "濱田"),
        ("\ufa10本", "塚本"),
        ("ﾀﾞｲｽｹ", "ダイスケ"),
        ("葛\U000e0100城", "葛城"),
        ("琇子", "琇子"),  # nothing to suggest: left for the clerk
        ("山田", "山田"),
    ],
)
def test_suggestable_characters_are_replaced(raw: str, expected: str) -> None:
    assert suggest_standard(raw) == expected


@given(st.text(alphabet=st.sampled_from([*STANDARD_CHAR_SUGGESTIONS, *"山田太郎 ", *CP932_ONLY[:80]])))
def test_only_characters_without_a_suggestion_survive_suggest_standard(s: str) -> None:
    suggested = suggest_standard(s)
    assert all(finding.suggestion is None for finding in non_jis_chars(suggested))
    assert suggest_standard(suggested) == suggested


@given(st.text())
def test_suggest_standard_is_idempotent(s: str) -> None:
    once = suggest_standard(s)
    assert suggest_standard(once) == once


# --- name_errors ---------------------------------------------------------------------------


def test_variant_with_a_standard_form_is_refused_with_the_form_to_register() -> None:
    assert name_errors("髙橋", field_label="氏名（姓）") == [
        "氏名（姓）の「髙」はシステムで扱えない文字です。標準字体「高」で登録してください（厚木市 要綱第11条）。"
    ]


def test_variant_without_a_standard_form_asks_for_a_similar_standard_character() -> None:
    assert name_errors("琇子", field_label="氏名（名）") == [
        "氏名（名）の「琇」はシステムで扱えない文字です。"
        "類似する標準字体（JIS第1・第2水準）で入力してください（厚木市 要綱第11条）。"
    ]


def test_each_variant_is_reported_once_in_order_of_appearance() -> None:
    errors = name_errors("髙髙𠮷琇", field_label="氏名")
    assert len(errors) == 3
    assert "「髙」" in errors[0]
    assert "「𠮷」" in errors[1]
    assert "「琇」" in errors[2]


def test_variation_selector_is_explained() -> None:
    assert name_errors("葛\U000e0100城", field_label="氏名（姓）") == [
        "氏名（姓）の「葛」（異体字セレクタ付き）はシステムで扱えない文字です。"
        "標準字体「葛」で登録してください（厚木市 要綱第11条）。"
    ]


@pytest.mark.parametrize("value", ["山田\x00", "山田\u200b", "\u200d山田", "山\u2028田", "山田\ue000"])
def test_control_and_invisible_characters_are_refused(value: str) -> None:
    errors = name_errors(value, field_label="氏名（姓）")
    assert len(errors) == 1
    assert errors[0].startswith("氏名（姓）に制御文字などの見えない文字（「U+")
    assert errors[0].endswith("）が含まれています。取り除いてから入力してください。")


@pytest.mark.parametrize(
    "value", ["山田😀", "花子🌸", "太郎★", "👨\u200d👩", "♥\ufe0f", "1\ufe0f\u20e3", "山田♪"]
)
def test_emoji_and_symbols_are_refused(value: str) -> None:
    errors = name_errors(value, field_label="氏名（名）")
    assert len(errors) == 1
    assert errors[0].startswith("氏名（名）に記号や絵文字（「")
    assert errors[0].endswith("）は使用できません。")


def test_emoji_message_names_the_emoji() -> None:
    assert name_errors("花子🌸", field_label="氏名（名）") == [
        "氏名（名）に記号や絵文字（「🌸」）は使用できません。"
    ]


@pytest.mark.parametrize(
    "value",
    [
        "山田",
        "佐々木",
        "〆木",
        "ヤマダ",
        "やまだ",
        "ﾔﾏﾀﾞ",  # normalised to full width before checking
        "\ufa10本",  # normalised to 塚本 before checking
        "O'Brien",
        "Jean-Luc",
        "Smith Jr.",
        "ジャン＝ポール",
        "Ｙａｍａｄａ",
        "山田 太郎",
        "",
    ],
)
def test_ordinary_names_have_no_errors(value: str) -> None:
    assert name_errors(value, field_label="氏名") == []


def test_problems_of_different_kinds_are_all_reported() -> None:
    errors = name_errors("髙\u200b😀", field_label="氏名")
    assert len(errors) == 3
    assert "見えない文字" in errors[0]
    assert "絵文字" in errors[1]
    assert "「髙」" in errors[2]


# U+212B ANGSTROM SIGN is the one JIS X 0208 character NFC changes (to U+00C5, outside JIS X 0208).
NFC_STABLE_JIS_LETTERS = [
    c for c in JIS_X0208 if unicodedata.category(c).startswith("L") and unicodedata.is_normalized("NFC", c)
]


def test_angstrom_sign_is_the_only_jis_x0208_character_nfc_changes() -> None:
    assert [c for c in JIS_X0208 if not unicodedata.is_normalized("NFC", c)] == ["\u212b"]
    assert normalize_name("\u212bsa") == "\u00c5sa"
    assert name_errors("\u212bsa", field_label="氏名（名）") == [
        "氏名（名）の「\u00c5」はシステムで扱えない文字です。標準字体「A」で登録してください（厚木市 要綱第11条）。"
    ]


@given(st.text(alphabet=st.sampled_from(NFC_STABLE_JIS_LETTERS)))
def test_names_of_jis_x0208_letters_are_accepted(s: str) -> None:
    assert name_errors(s, field_label="氏名") == []


@given(st.text())
def test_name_errors_never_crash_and_are_japanese_sentences(s: str) -> None:
    for message in name_errors(s, field_label="氏名"):
        assert message.startswith("氏名")
        assert message.endswith("。")


# --- normalize_address ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("神奈川県厚木市中町１丁目１番３号", "神奈川県厚木市中町1-1-3"),
        ("神奈川県厚木市中町1-1-3", "神奈川県厚木市中町1-1-3"),
        ("神奈川県 厚木市 中町 1-1-3", "神奈川県厚木市中町1-1-3"),
        ("厚木市中町1丁目2番地3", "厚木市中町1-2-3"),
        ("厚木市中町一丁目2番3号", "厚木市中町1-2-3"),
        ("厚木市中町十二丁目2-3", "厚木市中町12-2-3"),
        ("厚木市中町二十丁目2-3", "厚木市中町20-2-3"),
        ("厚木市中町1丁目2番地の3", "厚木市中町1-2-3"),
        ("清川村煤ヶ谷123番地の4", "清川村煤ケ谷123-4"),
        ("清川村煤ケ谷123の4", "清川村煤ケ谷123-4"),
        ("厚木市中町1丁目", "厚木市中町1"),
        ("厚木市中町1‐1‐3", "厚木市中町1-1-3"),
        ("厚木市中町1−1−3", "厚木市中町1-1-3"),
        ("厚木市中町1–1–3", "厚木市中町1-1-3"),
        ("厚木市中町1—1—3", "厚木市中町1-1-3"),
        ("厚木市中町1―1―3", "厚木市中町1-1-3"),
        ("厚木市中町1ー1ー3", "厚木市中町1-1-3"),
        ("厚木市中町1ｰ1ｰ3", "厚木市中町1-1-3"),
        ("厚木市中町１－１－３", "厚木市中町1-1-3"),
        ("厚木市中町1─1─3", "厚木市中町1-1-3"),
        ("厚木シティプラザ センター", "厚木シティプラザセンター"),  # ー inside katakana stays
        ("中町1-1-3 ﾊｲﾂ101号室", "中町1-1-3ハイツ101室"),
    ],
)
def test_address_is_reduced_to_a_comparison_form(raw: str, expected: str) -> None:
    assert normalize_address(raw) == expected


ADDRESS_CHARS = st.sampled_from(
    [
        *"厚木市中町センター1234567890１２３",
        "丁目",
        "番地",
        "番",
        "号",
        "の",
        "-",
        "－",
        "ー",
        "ｰ",
        "−",
        " ",
        "\u3000",
    ]
)


@given(st.lists(ADDRESS_CHARS).map("".join))
def test_address_normalisation_is_idempotent(s: str) -> None:
    once = normalize_address(s)
    assert normalize_address(once) == once


@given(st.text())
def test_normalised_address_has_no_whitespace(s: str) -> None:
    assert not any(c.isspace() for c in normalize_address(s))


# --- duplicate_key -------------------------------------------------------------------------

BIRTH = datetime.date(1990, 4, 1)


def test_width_and_spacing_variants_of_the_same_person_share_a_key() -> None:
    a = duplicate_key(
        family_name="山田\u3000",
        given_name="　太郎",
        birth_date=BIRTH,
        address="神奈川県厚木市中町１丁目１番３号",
    )
    b = duplicate_key(
        family_name="山田", given_name="太郎", birth_date=BIRTH, address="神奈川県厚木市中町1-1-3"
    )
    assert a == b


def test_full_name_in_one_field_matches_split_name() -> None:
    a = duplicate_key(family_name="山田 太郎", given_name="", birth_date=BIRTH, address="中町1-1-3")
    b = duplicate_key(family_name="山田", given_name="太郎", birth_date=BIRTH, address="中町1-1-3")
    assert a == b


def test_variant_character_matches_its_standard_form() -> None:
    a = duplicate_key(family_name="髙橋", given_name="一郎", birth_date=BIRTH, address="中町1-1-3")
    b = duplicate_key(family_name="高橋", given_name="一郎", birth_date=BIRTH, address="中町1-1-3")
    assert a == b


def test_latin_names_match_regardless_of_case_and_width() -> None:
    a = duplicate_key(family_name="SMITH", given_name="John", birth_date=BIRTH, address="中町1-1-3")
    b = duplicate_key(family_name="Ｓｍｉｔｈ", given_name="JOHN", birth_date=BIRTH, address="中町1-1-3")
    assert a == b


def test_duplicate_key_is_a_sha256_hex_digest() -> None:
    key = duplicate_key(family_name="山田", given_name="太郎", birth_date=BIRTH, address="中町1-1-3")
    assert len(key) == 64
    assert int(key, 16) >= 0


@pytest.mark.parametrize(
    "changes",
    [
        {"family_name": "山本"},
        {"given_name": "次郎"},
        {"birth_date": datetime.date(1990, 4, 2)},
        {"address": "中町1-1-4"},
        {"address": "中町1-13"},
    ],
)
def test_a_different_person_or_address_gets_a_different_key(changes: dict[str, object]) -> None:
    base: dict[str, object] = {
        "family_name": "山田",
        "given_name": "太郎",
        "birth_date": BIRTH,
        "address": "中町1-1-3",
    }
    assert duplicate_key(**base) != duplicate_key(**{**base, **changes})  # type: ignore[arg-type]


def _respace(s: str, gaps: list[str]) -> str:
    out = []
    for i, c in enumerate(s):
        out.append(c)
        out.append(gaps[i % len(gaps)] if gaps else "")
    return "".join(out)


@given(
    family=st.text(alphabet=NAME_CHARS, min_size=1, max_size=6),
    given_name=st.text(alphabet=NAME_CHARS, min_size=1, max_size=6),
    birth=st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2030, 12, 31)),
    numbers=st.lists(st.integers(min_value=1, max_value=999), min_size=1, max_size=3),
    gaps=st.lists(SPACES, max_size=4),
    dash=st.sampled_from(["-", "－", "−", "‐", "ー", "ｰ", "–", "―"]),
    half_width=st.booleans(),
)
def test_duplicate_key_is_insensitive_to_width_and_spacing(
    family: str,
    given_name: str,
    birth: datetime.date,
    numbers: list[int],
    gaps: list[str],
    dash: str,
    half_width: bool,
) -> None:
    address = "神奈川県厚木市中町" + "-".join(str(n) for n in numbers)
    canonical = duplicate_key(family_name=family, given_name=given_name, birth_date=birth, address=address)

    variant_address = "神奈川県 厚木市 中町" + dash.join(jaconv.h2z(str(n), digit=True) for n in numbers)
    variant_family = _respace(family, gaps)
    variant_given = jaconv.z2h(given_name, kana=True, ascii=False, digit=False) if half_width else given_name
    variant = duplicate_key(
        family_name=f"\u3000{variant_family} ",
        given_name=variant_given,
        birth_date=birth,
        address=variant_address,
    )
    assert variant == canonical


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("../../../../etc/passwd", "「/」"),
        ("山田1", "「1」"),
        ("山田１", "「１」"),
        ("山田（太郎）", "「（」「）」"),
        ("田中、", "「、」"),
        ("a_b", "「_」"),
        ("山田@", "「@」"),
    ],
)
def test_digits_and_punctuation_are_refused_saying_what_a_name_may_hold(value: str, shown: str) -> None:
    (message,) = name_errors(value, field_label="氏名（姓）")
    assert message.startswith(f"氏名（姓）に数字や記号（{shown}）は使用できません。")
    for allowed in ("漢字", "ひらがな", "カタカナ", "々", "ー", "・", "英字", "JIS第1・第2水準"):
        assert allowed in message


@pytest.mark.parametrize("value", ["山田・太郎", "〆木", "佐々木", "ジャン＝ポール", "Ｓｍｉｔｈ", "O'Brien"])
def test_separators_of_names_are_still_accepted(value: str) -> None:
    assert name_errors(value, field_label="氏名") == []
