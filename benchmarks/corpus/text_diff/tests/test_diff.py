import difflib

from linediff import diff_stats, unified_diff
from linediff.lcs import opcodes

OLD = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu"]


def reference(a, b, n=3):
    lines = list(difflib.unified_diff(a, b, "a", "b", n=n, lineterm=""))
    return "\n".join(lines) + "\n" if lines else ""


def test_equal_texts_have_no_diff():
    assert unified_diff("x\ny\n", "x\ny\n") == ""


def test_opcodes_replace():
    assert opcodes(["a", "b", "c"], ["a", "x", "c"]) == [
        ("equal", 0, 1, 0, 1), ("replace", 1, 2, 1, 2), ("equal", 2, 3, 2, 3)]


def test_opcodes_insert_and_delete():
    assert opcodes(["a", "c"], ["a", "b", "c"]) == [("equal", 0, 1, 0, 1), ("insert", 1, 1, 1, 2),
                                                    ("equal", 1, 2, 2, 3)]
    assert opcodes(["a", "b"], ["b"]) == [("delete", 0, 1, 0, 0), ("equal", 1, 2, 0, 1)]


def test_single_change_in_the_middle():
    new = OLD[:4] + ["EPSILON"] + OLD[5:]
    assert unified_diff(OLD, new) == (
        "--- a\n+++ b\n@@ -2,7 +2,7 @@\n beta\n gamma\n delta\n-epsilon\n+EPSILON\n zeta\n eta\n theta\n")


def test_change_on_the_first_line():
    new = ["ALPHA"] + OLD[1:]
    assert unified_diff(OLD, new, "old.txt", "new.txt").splitlines()[:4] == [
        "--- old.txt", "+++ new.txt", "@@ -1,4 +1,4 @@", "-alpha"]


def test_append_at_the_end():
    assert unified_diff(["one"], ["one", "two"]) == "--- a\n+++ b\n@@ -1 +1,2 @@\n one\n+two\n"


def test_new_file():
    assert unified_diff([], ["x", "y"]) == "--- a\n+++ b\n@@ -0,0 +1,2 @@\n+x\n+y\n"


def test_distant_changes_make_two_hunks():
    new = list(OLD)
    new[1], new[10] = "BETA", "LAMBDA"
    diff = unified_diff(OLD, new)
    assert [l for l in diff.splitlines() if l.startswith("@@")] == ["@@ -1,5 +1,5 @@", "@@ -8,5 +8,5 @@"]


def test_matches_difflib_on_a_mixed_edit():
    new = OLD[:2] + ["inserted"] + OLD[2:6] + OLD[8:] + ["nu"]
    assert unified_diff(OLD, new, context=2) == reference(OLD, new, 2)


def test_context_zero():
    new = OLD[:3] + ["x"] + OLD[3:]
    assert unified_diff(OLD, new, context=0) == "--- a\n+++ b\n@@ -3,0 +4 @@\n+x\n"


def test_stats():
    assert diff_stats("a\nb\nc\n", "a\nB\nc\nd\n") == (2, 1)
