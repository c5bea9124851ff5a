"""Property-based fuzzing of the readers and the decoder: any bytes, under any name a reader dispatches on,
give Pages and Rejections with reasons, never an exception (properties: fuzz/targets.py)."""

from fuzz_strategies import SETTINGS, any_bytes, encoded_text, feeds, jsonl, warcs
from hypothesis import given
from hypothesis import strategies as st
from targets import READER_NAMES, check_decode, check_readers

name_byte = st.integers(0, len(READER_NAMES) - 1).map(lambda i: bytes([i]))


@SETTINGS
@given(name_byte, any_bytes)
def test_readers_turn_any_file_into_pages_or_rejections(name, payload):
    check_readers(name + payload)


@SETTINGS
@given(st.sampled_from([bytes([READER_NAMES.index(n)]) for n in ("crawl.warc", "crawl.warc.gz", "noext")]), warcs)
def test_warc_reader_survives_malformed_records(name, payload):
    check_readers(name + payload)


@SETTINGS
@given(st.sampled_from([bytes([READER_NAMES.index(n)]) for n in ("lines.jsonl", "lines.jsonl.gz")]), jsonl)
def test_jsonl_reader_survives_any_lines(name, payload):
    check_readers(name + payload)


@SETTINGS
@given(feeds)
def test_feed_reader_survives_odd_entries(payload):
    check_readers(bytes([READER_NAMES.index("feed.xml")]) + payload)


@SETTINGS
@given(st.one_of(st.binary(max_size=3000), encoded_text))
def test_decode_gives_text_or_a_reason(data):
    check_decode(data)
