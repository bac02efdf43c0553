from wiki.pages import AttachmentPermissions, PagePermissions
from wiki.principals import user

OWNER = user("rosa")
EDITOR = user("tomas", "editor")
READER = user("ivy", "reader")
ADMIN = user("root", "admin")
GUEST = user("guest")


def test_private_page_reading():
    page = PagePermissions("rosa", public=False)
    assert page.can_read(OWNER) and page.can_read(READER)
    assert not page.can_read(GUEST)


def test_admin_can_do_everything():
    page = PagePermissions("rosa")
    assert page.can_edit(ADMIN) and page.can_delete(ADMIN)


def test_owner_edits_own_page():
    assert PagePermissions("rosa").can_edit(OWNER)


def test_guest_cannot_edit():
    assert not PagePermissions("rosa").can_edit(GUEST)


def test_locked_page():
    page = PagePermissions("rosa", locked=True)
    assert not page.can_edit(OWNER)
    assert page.can_edit(ADMIN)


def test_attachment_follows_page():
    att = AttachmentPermissions(PagePermissions("rosa", public=False))
    assert not att.can_read(GUEST)
    assert att.can_replace(EDITOR)


def test_audit_log_records_denials():
    from wiki.audit import AuditLog

    log = AuditLog(clock=lambda: None)
    page = PagePermissions("rosa", public=False)
    assert not log.check(page, GUEST, "read", "Home")
    assert log.check(page, ADMIN, "delete", "Home")
    assert log.summary() == {"allowed": 1, "denied": 1}
    assert log.denied()[0].user == "guest"
