"""Signatures on realistic pairs: the same cause reached from different tests and files matches; different causes do not."""

from __future__ import annotations

from untilgreen.memory.signature import is_test_file, mask_message, signature, query_signature
from untilgreen.sandbox.results import Failure, Frame


def fail(test_id: str, exc_type: str, message: str, *frames: tuple[str, int, str]) -> Failure:
    return Failure(
        test_id=test_id,
        kind="failed",
        exc_type=exc_type,
        message=message,
        frames=[Frame(file, line, func) for file, line, func in frames],
    )


def test_shape_and_digest() -> None:
    sig = signature(
        fail(
            "tests/test_cart.py::test_discount",
            "ZeroDivisionError",
            "division by zero",
            ("tests/test_cart.py", 12, "test_discount"),
            ("shop/pricing.py", 40, "apply_discount"),
            ("shop/pricing.py", 22, "ratio"),
        )
    )
    assert sig.text == "ZeroDivisionError: division by zero | apply_discount > ratio"
    assert sig.functions == ("apply_discount", "ratio")
    assert sig.exc_type == "ZeroDivisionError"
    assert len(sig.digest) == 12 and int(sig.digest, 16) >= 0


def test_pytest_assertion_from_two_tests_in_two_files_matches() -> None:
    a = fail(
        "tests/test_totals.py::test_total_of_two",
        "AssertionError",
        "assert 3 == 4\n +  where 3 = total([1, 2])",
        ("tests/test_totals.py", 8, "test_total_of_two"),
    )
    b = fail(
        "tests/unit/test_report.py::TestReport::test_sum_three[case-1]",
        "AssertionError",
        "assert 6 == 7\n +  where 6 = total([1, 2, 3])\n\nFull diff:\n- 7\n+ 6",
        ("tests/unit/test_report.py", 30, "test_sum_three"),
    )
    sa, sb = signature(a), signature(b)
    assert sa.text == sb.text == "AssertionError: assert <N> == <N> / + where <N> = total([<N>, ...])"
    assert sa.digest == sb.digest


def test_key_error_with_different_keys_and_entry_points_matches() -> None:
    a = fail(
        "tests/test_api.py::test_get_user",
        "KeyError",
        "'user_id'",
        ("tests/test_api.py", 5, "test_get_user"),
        ("app/api.py", 50, "handle"),
        ("app/store.py", 10, "lookup"),
        ("app/store.py", 3, "_row"),
    )
    b = fail(
        "tests/test_store.py::test_lookup_missing",
        "builtins.KeyError",
        "'account'",
        ("tests/test_store.py", 9, "test_lookup_missing"),
        ("app/store.py", 12, "lookup"),
        ("app/store.py", 4, "_row"),
    )
    assert signature(a).text == signature(b).text == "KeyError: <V> | lookup > _row"


def test_addresses_temp_paths_and_test_names_are_masked() -> None:
    a = fail(
        "tests/test_io.py::test_load_config",
        "FileNotFoundError",
        "[Errno 2] No such file or directory: /tmp/pytest-of-root/pytest-7/test_load_config0/conf.toml",
        ("cfg/loader.py", 14, "load"),
    )
    b = fail(
        "tests/test_cli.py::test_cli_reads_config",
        "FileNotFoundError",
        "[Errno 2] No such file or directory: /tmp/pytest-of-ci/pytest-1/test_cli_reads_config0/conf.toml",
        ("cfg/loader.py", 15, "load"),
    )
    assert signature(a).text == signature(b).text
    assert "/tmp" not in signature(a).text and "Errno <N>" in signature(a).text
    obj = mask_message("<shop.Cart object at 0x7f3a9c1d2e80> is not <shop.Cart object at 0x7f3a9c1d2f10>")
    assert obj == "<shop.Cart object at <ADDR>> is not <shop.Cart object at <ADDR>>"


def test_quoted_identifiers_are_kept_and_data_masked() -> None:
    msg = mask_message("'NoneType' object has no attribute 'total'")
    assert msg == "'NoneType' object has no attribute 'total'"
    assert mask_message("invalid literal for int() with base 10: 'abc def'") == (
        "invalid literal for int() with base <N>: <S>"
    )
    assert mask_message("can't multiply sequence by non-int of type 'float'") == (
        "can't multiply sequence by non-int of type 'float'"
    )
    assert mask_message("assert 'alice' == 'bob'") == "assert <S> == <S>"


def test_long_reprs_and_multiline_messages_are_bounded() -> None:
    long_list = "assert [" + ", ".join(str(i) for i in range(500)) + "] == []"
    assert mask_message(long_list) == "assert [<N>, ...] == []"
    many = "\n".join(f"line {i} of a very chatty error" for i in range(50))
    assert mask_message(many).count(" / ") == 2
    assert len(mask_message("x" * 5000)) <= 163


def test_uuid_and_floats_are_masked() -> None:
    a = mask_message("order 3f2b9c1e-0a4d-4e55-9b8a-1c2d3e4f5a6b total 12.50 != 12.5e0")
    assert a == "order <UUID> total <N> != <N>"
    assert mask_message("utf8 codec at position 12") == "utf8 codec at position <N>"


def test_different_causes_differ() -> None:
    base = [("shop/pricing.py", 40, "apply_discount")]
    zero = signature(fail("t.py::test_a", "ZeroDivisionError", "division by zero", *base))
    typ = signature(
        fail("t.py::test_a", "TypeError", "unsupported operand type(s) for -: 'int' and 'str'", *base)
    )
    other_place = signature(
        fail("t.py::test_a", "ZeroDivisionError", "division by zero", ("shop/stats.py", 3, "mean"))
    )
    assert len({zero.text, typ.text, other_place.text}) == 3


def test_non_project_frames_and_timeouts() -> None:
    f = Failure(
        test_id="tests/test_loop.py::test_spin",
        kind="timeout",
        exc_type="",
        message="",
        frames=[Frame("/usr/lib/python3.11/json/decoder.py", 337, "decode", in_project=False)],
    )
    assert signature(f).text == "Timeout"


def test_is_test_file() -> None:
    assert is_test_file("tests/helpers.py")
    assert is_test_file("pkg/test_x.py") and is_test_file("pkg/x_test.py") and is_test_file("conftest.py")
    assert not is_test_file("pkg/contest.py") and not is_test_file("latest/x.py")


def test_test_name_in_message_is_masked() -> None:
    a = fail("tests/test_a.py::test_parse_header", "ValueError", "bad input in test_parse_header: 42")
    b = fail("tests/test_b.py::test_parse_footer", "ValueError", "bad input in test_parse_footer: 7")
    assert signature(a).text == signature(b).text == "ValueError: bad input in <TEST>: <N>"


def test_a_search_query_is_read_and_masked_like_a_signature() -> None:
    assert query_signature("assert 10.0 == 9.0").text == "assert <N> == <N>"
    typed = query_signature("builtins.KeyError: 'user_42'")
    assert (typed.exc_type, typed.message, typed.text) == ("KeyError", "<V>", "KeyError: <V>")
    assert query_signature("see: the docs").text == "see: the docs"  # not a type before the colon
    assert query_signature("  division   by zero ").text == "division by zero"
    pasted = query_signature("IndexError: <V> | handle > step")  # a signature as `memory show` prints it
    assert (pasted.text, pasted.functions) == ("IndexError: <V> | handle > step", ("handle", "step"))
