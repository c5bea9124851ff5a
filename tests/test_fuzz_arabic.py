"""Property-based fuzzing of the date and number parsers: mentions are ordered slices of the text with
valid values, and nothing raises (properties: fuzz/targets.py)."""

from fuzz_strategies import SETTINGS, text_soup
from hypothesis import given
from hypothesis import strategies as st
from targets import check_dates, check_numbers


@SETTINGS
@given(st.one_of(text_soup, st.text()))
def test_date_mentions_are_slices_with_valid_dates(text):
    check_dates(text.encode())


@SETTINGS
@given(st.one_of(text_soup, st.text()))
def test_number_mentions_are_slices_with_finite_values(text):
    check_numbers(text.encode())


def test_a_long_run_of_digits_is_no_infinite_count():
    check_numbers(b"1" * 400 + " جندي".encode())
