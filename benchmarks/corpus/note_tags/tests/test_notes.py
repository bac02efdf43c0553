from notebook.index import TagIndex
from notebook.note import Note
from notebook.query import search


def test_hashtags():
    assert Note("x", "buy #milk and #oat-flakes").hashtags() == ["milk", "oat-flakes"]


def test_query_with_exclusion():
    notes = [Note("Curry", tags=["recipes", "vegan"]), Note("Stew", tags=["recipes"])]
    assert search(notes, "recipes -vegan") == ["Stew"]


def test_add_tags_deduplicates():
    note = Note("Trip", tags=["Travel"])
    note.add_tags(["travel", "japan"])
    assert note.tags == ["Travel", "japan"]


def test_index_of_absorbed_hashtags():
    notes = [Note("Ramen", "#recipes #japan").absorb_hashtags(), Note("Kyoto", tags=["japan"])]
    index = TagIndex(notes)
    assert index.titles("JAPAN") == ["Kyoto", "Ramen"]
    assert index.tag_cloud()[0] == ("japan", 2)


def test_index_add():
    index = TagIndex()
    index.add(Note("Bike", tags=["errands"]))
    assert index.titles("errands") == ["Bike"]


def test_export():
    from notebook.export import export

    text = export([Note("b", "body"), Note("A", tags=["x"])])
    assert text == "# Notes\n\n## A\nTags: `x`\n\n## b\n\nbody\n"
