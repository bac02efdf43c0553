"""Load users from the HR system's CSV export."""

import csv
import io

from .models import User


def load_csv(text):
    """Rows: username,email,first,last,groups (groups separated by ';'), active (yes/no)."""
    users = []
    for row in csv.DictReader(io.StringIO(text)):
        groups = {g.strip() for g in row.get("groups", "").split(";") if g.strip()}
        users.append(User(
            username=row["username"].strip(),
            email=row["email"].strip(),
            first_name=row.get("first", "").strip(),
            last_name=row.get("last", "").strip(),
            groups=groups,
            active=row.get("active", "yes").strip().lower() != "no",
        ))
    return users
