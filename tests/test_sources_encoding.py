"""decode(): the encodings Arabic pages come in, declared charsets, and what is not text."""

from __future__ import annotations

import random
import time

import pytest

from marsad.sources.encoding import SAMPLE_BYTES, DecodeError, decode, sniff_declared

# Arabic news prose, with ASCII digits and Arabic punctuation (all of it exists in ISO-8859-6).
ARABIC = (
    "أعلنت وزارة الصحة السعودية اليوم تسجيل حالتين جديدتين بفيروس كورونا في الرياض، "
    "وقالت إن المصابين في حالة مستقرة. وأضافت الوزارة في بيان أن عدد الحالات بلغ 1050 حالة منذ عام 2012؛ "
    "فهل تنجح خطة الوقاية؟ وتابع المتحدث باسم الوزارة أن الفرق الطبية تعمل على مدار الساعة.\n"
)
HEADLINES = (
    "خادم الحرمين الشريفين يستقبل وزير الدفاع الأمريكي",
    "هبوط أول طائرة إغاثة سعودية في مطار عدن",
    "مقتل ثلاثة من حرس الحدود في قصف على مركز مسيال",
    "الشرطة الكويتية تفكك خلية لتنظيم داعش",
)


@pytest.mark.parametrize(
    "codec", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1256", "iso8859-6"]
)
def test_the_same_arabic_text_decodes_back_from_each_encoding(codec: str) -> None:
    assert decode(ARABIC.encode(codec)) == ARABIC
    page = f"<html><head><title>خبر</title></head><body><p>{ARABIC}</p></body></html>"
    assert decode(page.encode(codec)) == page


@pytest.mark.parametrize("codec", ["cp1256", "iso8859-6"])
def test_single_headlines_tell_windows_1256_from_iso_8859_6(codec: str) -> None:
    for title in HEADLINES:
        assert decode(title.encode(codec)) == title


def test_a_declared_charset_is_used_when_it_decodes_cleanly() -> None:
    assert decode(ARABIC.encode("cp1256"), "windows-1256") == ARABIC
    assert decode(ARABIC.encode("iso8859-6"), "ISO-8859-6") == ARABIC
    # A lone byte at the end that could start a UTF-8 character is not taken for a cut-off one.
    assert decode("café".encode("cp1252"), "windows-1252") == "café"


def test_a_declared_western_charset_on_arabic_bytes_is_overruled() -> None:
    # latin-1 decodes every byte "cleanly", into accented Latin letters: that is not text.
    assert decode(ARABIC.encode("cp1256"), "iso-8859-1") == ARABIC
    assert decode(ARABIC.encode("iso8859-6"), "windows-1256") == ARABIC


def test_valid_utf8_wins_over_a_stale_single_byte_declaration() -> None:
    assert decode(ARABIC.encode("utf-8"), "windows-1256") == ARABIC


def test_meta_charset_and_xml_declaration_are_sniffed() -> None:
    assert sniff_declared(b'<html><head><meta charset="windows-1256">') == "windows-1256"
    head = b'<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-6">'
    assert sniff_declared(head) == "iso-8859-6"
    assert sniff_declared(b"<?xml version='1.0' encoding='UTF-8'?><rss>") == "UTF-8"
    page = b'<html><head><meta charset="iso-8859-6"></head><body>' + ARABIC.encode("iso8859-6")
    assert decode(page).endswith(ARABIC)


def test_unknown_declared_charset_is_ignored() -> None:
    assert decode(ARABIC.encode("cp1256"), "x-no-such-charset") == ARABIC


def test_bom_less_utf16_is_recognised_by_its_byte_pattern() -> None:
    assert decode(ARABIC.encode("utf-16-le")) == ARABIC
    assert decode("Hello, plain English".encode("utf-16-be")) == "Hello, plain English"


def test_a_file_cut_inside_a_character_still_decodes() -> None:
    data = ARABIC.encode("utf-8")
    assert decode(data[:-2] + "ة".encode()[:1]) == ARABIC[:-2]


def test_a_few_stray_bytes_in_a_long_utf8_page_are_replaced_not_fatal() -> None:
    data = ARABIC.encode() * 5 + b"\xe9" + ARABIC.encode() * 5
    text = decode(data)
    assert text.count("\ufffd") == 1 and text.startswith(ARABIC)


def test_doubly_encoded_utf8_is_repaired() -> None:
    double = ARABIC.encode("utf-8").decode("cp1256").encode("utf-8")
    assert decode(double) == ARABIC


def test_western_legacy_text_decodes() -> None:
    french = "L'été à Paris était très chaud, et la crème brûlée délicieuse. " * 5
    assert decode(french.encode("cp1252")) == french


def test_empty_input_is_empty_text() -> None:
    assert decode(b"") == ""


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(200), "PNG image"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF document"),
        (b"PK\x03\x04" + bytes(50), "ZIP"),
        (b"\x1f\x8b\x08\x00" + bytes(20), "gzip"),
        ("نص".encode() + b"\x00\x01\x02\x00\xff" * 40, "NUL bytes"),
    ],
)
def test_binary_data_is_rejected_with_the_reason(data: bytes, reason: str) -> None:
    with pytest.raises(DecodeError, match="binary data") as e:
        decode(data)
    assert reason in str(e.value)


def test_undecodable_bytes_are_rejected_with_the_reason() -> None:
    rng = random.Random(7)
    noise = bytes(rng.randrange(0x80, 0x100) for _ in range(4000))
    with pytest.raises(DecodeError, match="undecodable bytes"):
        decode(noise)


def test_text_full_of_control_characters_is_rejected() -> None:
    with pytest.raises(DecodeError, match="control characters"):
        decode(b"abc\x01\x02\x03\x04def" * 50)


def test_utf8_and_windows_1256_mixed_in_one_file_is_rejected_not_garbled() -> None:
    with pytest.raises(DecodeError, match="mojibake"):
        decode(ARABIC.encode("utf-8") * 3 + ARABIC.encode("cp1256"))


def test_invalid_bytes_after_a_bom_are_rejected() -> None:
    with pytest.raises(DecodeError, match="after its byte-order mark"):
        decode(b"\xef\xbb\xbf" + ARABIC.encode("cp1256"))


def test_decode_error_is_a_value_error() -> None:
    assert issubclass(DecodeError, ValueError)


@pytest.mark.parametrize("codec", ["utf-8", "cp1256", "iso8859-6"])
def test_large_inputs_decode_fast(codec: str) -> None:
    data = f"<p>{ARABIC}</p>\n".encode(codec) * (12 * 2**20 // len(ARABIC.encode(codec)))
    assert len(data) > 50 * SAMPLE_BYTES
    start = time.perf_counter()
    text = decode(data)
    assert time.perf_counter() - start < 3.0
    assert text.startswith(f"<p>{ARABIC}")
