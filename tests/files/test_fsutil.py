"""The one writer of the station's files (issue 14, finding 6): private modes, no writing
through symlinks, atomic replacement, append-only logs."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from station import fsutil
from station.fsutil import (
    FileWriteError,
    SymlinkRefused,
    append_file,
    create_private,
    ensure_dir,
    write_file,
    write_image,
)


def mode_of(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The most permissive umask a user could have: the writer must not rely on it."""
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


def test_new_file_is_0600_and_new_parents_0700(tmp_path: Path, open_umask: None) -> None:
    target = tmp_path / "a" / "b" / "receipt.txt"
    write_file(target, "回执")
    assert target.read_text(encoding="utf-8") == "回执"
    assert mode_of(target) == 0o600
    assert mode_of(tmp_path / "a") == 0o700
    assert mode_of(tmp_path / "a" / "b") == 0o700
    assert [p.name for p in target.parent.iterdir()] == ["receipt.txt"]  # no temp left


def test_group_readable_on_request(tmp_path: Path, open_umask: None) -> None:
    target = write_file(tmp_path / "report.csv", b"a,b\n", mode=fsutil.GROUP_READ)
    assert mode_of(target) == 0o640


def test_replacing_a_0644_file_leaves_0600(tmp_path: Path) -> None:
    target = tmp_path / "old.txt"
    target.write_text("old")
    target.chmod(0o644)
    write_file(target, "new")
    assert target.read_text() == "new"
    assert mode_of(target) == 0o600


def test_symlink_at_the_target_is_refused_and_its_target_untouched(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    link = tmp_path / "out.txt"
    link.symlink_to(victim)
    with pytest.raises(SymlinkRefused) as info:
        write_file(link, "overwrite")
    assert "out.txt" in info.value.message and "\n" not in str(info.value)
    assert victim.read_text() == "precious"
    assert link.is_symlink()
    # a dangling link too: writing would create the file it names
    dangling = tmp_path / "dangling.txt"
    dangling.symlink_to(tmp_path / "created-by-attacker")
    with pytest.raises(SymlinkRefused):
        write_file(dangling, "x")
    assert not (tmp_path / "created-by-attacker").exists()


def test_symlink_planted_at_the_temp_name_is_not_followed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the temp name is random; make it predictable to plant the link an attacker would race
    monkeypatch.setattr(fsutil.secrets, "token_hex", lambda n: "f" * (2 * n))
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    (tmp_path / f".out.txt.{'f' * 12}.tmp").symlink_to(victim)
    with pytest.raises(FileWriteError):
        write_file(tmp_path / "out.txt", "overwrite")
    assert victim.read_text() == "precious"
    assert not (tmp_path / "out.txt").exists()


def test_caller_error_type_is_used(tmp_path: Path) -> None:
    class MyError(fsutil.StationError):
        pass

    link = tmp_path / "x"
    link.symlink_to(tmp_path / "y")
    with pytest.raises(MyError):
        write_file(link, "x", error=MyError)


def test_old_content_survives_a_failure_mid_write(tmp_path: Path) -> None:
    """A real failure part-way through: the file-size limit (EFBIG) hits after 4 KB of a
    100 KB receipt.  The old content must be whole, and no temp file left behind."""
    target = tmp_path / "book.txt"
    target.write_text("old content\n")
    code = (
        "import resource, signal, sys\n"
        "from station.fsutil import write_file, FileWriteError\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))\n"
        "try:\n"
        f"    write_file({str(target)!r}, b'N' * 100_000)\n"
        "except FileWriteError as exc:\n"
        "    print('refused', exc.detail)\n"
        "    sys.exit(3)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 3, proc.stderr
    assert "refused" in proc.stdout
    assert target.read_text() == "old content\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.txt"]


def test_interrupted_write_leaves_old_content(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An exception that is not an OSError (Ctrl-C) between the first and second chunk."""
    target = tmp_path / "r.txt"
    target.write_text("old")
    real = fsutil._write_all

    def half_then_interrupt(fd: int, data: bytes) -> None:
        real(fd, data[: len(data) // 2])
        raise KeyboardInterrupt

    monkeypatch.setattr(fsutil, "_write_all", half_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        write_file(target, "new content that is long enough")
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.txt"]


def test_append_creates_0600_appends_and_narrows(tmp_path: Path, open_umask: None) -> None:
    log = tmp_path / "logs" / "audit.jsonl"
    append_file(log, "one\n")
    append_file(log, "two\n")
    assert log.read_text() == "one\ntwo\n"
    assert mode_of(log) == 0o600
    assert mode_of(log.parent) == 0o700
    log.chmod(0o644)
    append_file(log, "three\n")
    assert mode_of(log) == 0o600
    assert log.read_text() == "one\ntwo\nthree\n"


def test_append_refuses_symlink_even_when_planted_after_the_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    victim = tmp_path / "victim"
    victim.write_text("precious")
    link = tmp_path / "audit.jsonl"
    link.symlink_to(victim)
    with pytest.raises(SymlinkRefused):
        append_file(link, "x\n")
    # the check skipped (a link planted between check and open): O_NOFOLLOW still refuses
    monkeypatch.setattr(fsutil, "_check_target", lambda p, e: None)
    with pytest.raises(SymlinkRefused):
        append_file(link, "x\n")
    assert victim.read_text() == "precious"


def test_create_private(tmp_path: Path, open_umask: None) -> None:
    db = create_private(tmp_path / "data" / "inventory.db")
    assert db.stat().st_size == 0 and mode_of(db) == 0o600
    db.write_bytes(b"SQLite format 3\x00")
    create_private(db)  # an existing book is left as it is
    assert db.read_bytes().startswith(b"SQLite")
    link = tmp_path / "link.db"
    link.symlink_to(db)
    with pytest.raises(SymlinkRefused):
        create_private(link)


def test_ensure_dir(tmp_path: Path, open_umask: None) -> None:
    d = ensure_dir(tmp_path / "x" / "y")
    assert mode_of(d) == 0o700 and mode_of(tmp_path / "x") == 0o700
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "linked").symlink_to(real)
    assert ensure_dir(tmp_path / "linked").is_dir()  # a folder the user chose: followed
    with pytest.raises(SymlinkRefused):
        ensure_dir(tmp_path / "linked", refuse_symlink=True)
    (tmp_path / "file").write_text("")
    with pytest.raises(FileWriteError):
        ensure_dir(tmp_path / "file")


def test_not_a_regular_file(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    with pytest.raises(FileWriteError):
        write_file(tmp_path / "d", "x")
    os.mkfifo(tmp_path / "fifo")
    with pytest.raises(FileWriteError):
        append_file(tmp_path / "fifo", "x")


def test_write_image(tmp_path: Path) -> None:
    from PIL import Image

    path = write_image(tmp_path / "face.png", Image.new("1", (8, 8)))
    assert mode_of(path) == 0o600
    with Image.open(path) as img:
        assert img.size == (8, 8)
