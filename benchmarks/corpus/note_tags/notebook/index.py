"""Tag index."""

from collections import defaultdict


class TagIndex:
    def __init__(self, notes=()):
        self._notes = list(notes)
        self._by_tag = defaultdict(list)
        self.rebuild()

    def rebuild(self):
        self._by_tag.clear()
        for note in self._notes:
            for tag in note.tags:
                self._by_tag[tag.lower()].append(note)

    def add(self, note):
        self._notes.append(note)
        for tag in note.tags:
            self._by_tag[tag.lower()].append(note)

    def titles(self, tag):
        return sorted(n.title for n in self._by_tag.get(tag.lower(), []))

    def tag_cloud(self):
        """(tag, count) pairs, most used first."""
        return sorted(((t, len(ns)) for t, ns in self._by_tag.items()), key=lambda kv: (-kv[1], kv[0]))
