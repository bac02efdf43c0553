"""Pages and attachments build on the base permissions."""

from .permissions import ResourcePermissions


class PagePermissions(ResourcePermissions):
    """Locked pages can only be edited by admins."""

    def __init__(self, owner, public=True, locked=False):
        super().__init__(owner, public)
        self.locked = locked

    def can_edit(self, user):
        if self.locked:
            return user.has("admin")
        return super().can_edit(user)


class AttachmentPermissions(ResourcePermissions):
    """Attachments inherit visibility from their page and cannot be edited, only replaced."""

    def __init__(self, page: PagePermissions):
        super().__init__(page.owner, page.public)
        self.page = page

    def can_replace(self, user):
        return self.page.can_edit(user)

    def can_read(self, user):
        return self.page.can_read(user)
