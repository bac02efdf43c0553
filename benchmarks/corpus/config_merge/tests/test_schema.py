from layered.schema import validate

SCHEMA = {"db": {"host": str, "port": int}, "debug": bool}


def test_valid_config():
    assert validate({"db": {"host": "h", "port": 1}, "debug": True}, SCHEMA) == []


def test_problems_are_listed():
    problems = validate({"db": {"host": "h", "port": "x"}}, SCHEMA)
    assert problems == ["db.port: expected int, got str", "debug: missing"]
