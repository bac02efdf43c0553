"""Base permission checks shared by every kind of resource."""


class ResourcePermissions:
    """Owners and editors may edit; everyone may read public resources; admins may do anything."""

    def __init__(self, owner, public=True):
        self.owner = owner
        self.public = public

    def is_owner(self, user):
        return user.name == self.owner

    def can_read(self, user):
        return self.public or self.is_owner(user) or user.has("reader")

    def can_edit(self, user):
        return self.is_owner(user) and user.has("editor")

    def can_delete(self, user):
        return self.is_owner(user) or user.has("admin")
