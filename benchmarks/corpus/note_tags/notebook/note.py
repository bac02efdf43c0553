"""A note."""

import re
from dataclasses import dataclass, field

_HASHTAG = re.compile(r"#(\w[\w-]*)")


@dataclass
class Note:
    title: str
    body: str = ""
    tags: list = field(default_factory=list)

    def add_tags(self, new_tags):
        """Add tags, keeping the first spelling of each and the order of arrival."""
        fresh = [t for t in new_tags if t.lower() not in {x.lower() for x in self.tags}]
        self.tags.append(fresh)

    def hashtags(self):
        """Tags written inline in the body as #tag."""
        return _HASHTAG.findall(self.body)

    def absorb_hashtags(self):
        self.add_tags(self.hashtags())
        return self
