import pytest

from jsonptr import PatchTestFailed, Pointer, PointerError, apply_patch, resolve

DOC = {"foo": ["bar", "baz"], "": 0, "a/b": 1, "m~n": 8, "nested": {"list": [{"id": 7}]}}


def test_rfc_examples():
    assert resolve(DOC, "") is DOC
    assert resolve(DOC, "/foo/0") == "bar"
    assert resolve(DOC, "/") == 0
    assert resolve(DOC, "/a~1b") == 1
    assert resolve(DOC, "/m~0n") == 8


def test_nested_lookup_and_default():
    assert resolve(DOC, "/nested/list/0/id") == 7
    assert resolve(DOC, "/nested/list/3/id", default=None) is None


def test_bad_indexes():
    for pointer in ("/foo/01", "/foo/-", "/foo/2", "/foo/x"):
        with pytest.raises(PointerError):
            resolve(DOC, pointer)


def test_pointer_round_trip():
    assert str(Pointer.parse("/a~1b/m~0n/0")) == "/a~1b/m~0n/0"
    with pytest.raises(PointerError):
        Pointer.parse("foo")


def test_add_member_and_insert():
    doc = {"tags": ["a", "c"]}
    patched = apply_patch(doc, [{"op": "add", "path": "/tags/1", "value": "b"},
                                {"op": "add", "path": "/owner", "value": "kim"}])
    assert patched == {"tags": ["a", "b", "c"], "owner": "kim"}
    assert doc == {"tags": ["a", "c"]}


def test_append_with_dash():
    patched = apply_patch({"tags": ["a"]}, [{"op": "add", "path": "/tags/-", "value": "z"}])
    assert patched == {"tags": ["a", "z"]}


def test_remove_and_replace():
    patched = apply_patch({"a": 1, "b": [1, 2, 3]}, [
        {"op": "remove", "path": "/a"},
        {"op": "replace", "path": "/b/1", "value": 20},
    ])
    assert patched == {"b": [1, 20, 3]}


def test_move_and_copy():
    patched = apply_patch({"draft": {"title": "x"}, "pub": {}}, [
        {"op": "copy", "from": "/draft/title", "path": "/pub/title"},
        {"op": "move", "from": "/draft", "path": "/archived"},
    ])
    assert patched == {"pub": {"title": "x"}, "archived": {"title": "x"}}


def test_cannot_move_into_own_child():
    with pytest.raises(PointerError):
        apply_patch({"a": {"b": {}}}, [{"op": "move", "from": "/a", "path": "/a/b/c"}])


def test_test_operation_is_type_strict():
    apply_patch({"n": 1}, [{"op": "test", "path": "/n", "value": 1}])
    with pytest.raises(PatchTestFailed):
        apply_patch({"n": 1}, [{"op": "test", "path": "/n", "value": True}])


def test_failed_patch_leaves_original_untouched():
    doc = {"items": [1]}
    with pytest.raises(PointerError):
        apply_patch(doc, [{"op": "add", "path": "/items/0", "value": 0}, {"op": "remove", "path": "/nope"}])
    assert doc == {"items": [1]}


def test_replace_whole_document():
    assert apply_patch({"a": 1}, [{"op": "replace", "path": "", "value": [1]}]) == [1]
