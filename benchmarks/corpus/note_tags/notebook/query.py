"""Filter notes with queries like 'recipes -vegan'."""


def matches(note, query):
    tags = {t.lower() for t in note.tags}
    for word in query.lower().split():
        if word.startswith("-"):
            if word[1:] in tags:
                return False
        elif word not in tags:
            return False
    return True


def search(notes, query):
    return [n.title for n in notes if matches(n, query)]
