"""Greetings and recipient lists for outgoing mail."""


def greeting(user):
    return f"Dear {user.display_name()},"


def recipient_line(user):
    return f"{user.display_name()} <{user.email}>"


def reply_greeting(directory, sender_address):
    """Greeting for a reply to an incoming message; strangers get a generic one."""
    user = directory.by_email(sender_address)
    if user is None:
        return "Hello,"
    return greeting(user)


def group_recipients(directory, group):
    return ", ".join(recipient_line(u) for u in directory.members(group))
