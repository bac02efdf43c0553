"""What the landlock layer lets a process read: bubblewrap's view, built from grants."""

from __future__ import annotations

from pathlib import Path

from untilgreen.sandbox.isolation import landlock_readable


def test_a_hidden_path_is_left_out_by_granting_its_siblings(tmp_path: Path) -> None:
    (tmp_path / "work" / "project" / ".venv").mkdir(parents=True)
    (tmp_path / "work" / "other").mkdir()
    (tmp_path / "work" / "notes.txt").write_text("")
    (tmp_path / "work" / "link").symlink_to(tmp_path / "work" / "project")
    hidden = tmp_path / "work" / "project"
    venv = hidden / ".venv"
    readable = landlock_readable(workdir=tmp_path / "shadow", readonly=[venv], hidden=[hidden])
    # /tmp (where tmp_path lives) is hidden as a whole, so none of this is granted by the walk from /
    assert not any(path.startswith(str(tmp_path)) for path in readable[:-1])
    assert readable[-1] == str(venv)  # the interpreter's paths come back, even inside a hidden path
    assert (
        "/usr" in readable and "/proc" not in readable and "/dev" not in readable and "/dev/null" in readable
    )


def test_siblings_along_the_way_down_are_granted(tmp_path: Path) -> None:
    # A hidden path outside the shared /tmp: its parent's other entries stay readable, the symlink does not.
    home_like = Path("/var/tmp") / f"untilgreen-test-{tmp_path.name}"
    (home_like / "secret").mkdir(parents=True)
    (home_like / "public").mkdir()
    (home_like / "alias").symlink_to(home_like / "secret")
    try:
        readable = landlock_readable(workdir=tmp_path, hidden=[home_like / "secret"])
        mine = sorted(path for path in readable if path.startswith(str(home_like)))
        assert mine == [str(home_like / "public")]
        assert "/var/tmp" not in readable and "/var" not in readable and "/usr" in readable
    finally:
        (home_like / "alias").unlink()
        for name in ("secret", "public"):
            (home_like / name).rmdir()
        home_like.rmdir()
