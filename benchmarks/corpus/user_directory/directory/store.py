"""The directory: users indexed by username and by e-mail address."""

from .models import User


class DuplicateUser(ValueError):
    pass


class Directory:
    def __init__(self, users=()):
        self._by_name = {}
        self._by_email = {}
        for user in users:
            self.add(user)

    def add(self, user: User):
        if user.username in self._by_name:
            raise DuplicateUser(user.username)
        self._by_name[user.username] = user
        self._by_email[user.email.lower()] = user.email

    def get(self, username):
        return self._by_name.get(username)

    def by_email(self, address):
        return self._by_email.get(address.strip().lower())

    def members(self, group):
        return sorted((u for u in self._by_name.values() if u.in_group(group) and u.active),
                      key=lambda u: u.username)
