"""Writing the files the station creates: private, atomic, never through a symlink.

Why one module: audit logs, receipts, the stock book, key files, traces and printed faces
hold personal data or secrets.  The audit found them created 0644 (readable by every user
of the PC) and written *through* a symlink someone had planted at the output path, so the
station overwrote a file of the attacker's choosing.  Every place that writes a file calls
one of these functions, so the rule lives here once:

* mode 0600 by default (0640 where a group must read, as a parameter), set with ``fchmod``
  so a permissive umask cannot widen it; missing parent directories are created 0700;
* the final path must not be a symlink (refused with a typed error; the open itself also
  uses ``O_NOFOLLOW``, so a symlink planted between the check and the open is refused too);
* whole files are written atomically: a temp file in the same directory (``O_EXCL`` +
  ``O_NOFOLLOW``), ``fsync``, ``os.replace`` — a crash or a full disk mid-write leaves the
  old content, never half a receipt;
* logs (audit, witness) are appended with ``O_APPEND | O_NOFOLLOW | O_CREAT`` and ``fsync``.

Existing parent directories are taken as they are: the user chose them (``/tmp`` is a
symlink on some systems).  Folders the station owns and empties or fills with many files
(a blank set, the printer's output) are made with ``ensure_dir(..., refuse_symlink=True)``.
"""

from __future__ import annotations

import contextlib
import io
import os
import secrets
import stat
from pathlib import Path
from typing import IO, Protocol

from station.errors import ErrorCode, StationError

PRIVATE = 0o600  # the owner only: audit logs, receipts, books, keys, traces, faces
GROUP_READ = 0o640  # the owner writes, the group (e.g. a reporting account) reads
DIR_MODE = 0o700

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


class FileWriteError(StationError):
    """A file the station creates could not be written (safely)."""

    default_message = "无法写入文件 (cannot write the file)"
    code = ErrorCode.FILE_WRITE


class SymlinkRefused(FileWriteError):
    """The output path is a symlink: writing would change whatever it points to."""

    default_message = "输出路径是符号链接，拒绝写入 (output path is a symlink: refused)"
    code = ErrorCode.SYMLINK_REFUSED


def _os_error(error: type[StationError], path: Path, exc: OSError) -> StationError:
    import errno

    if exc.errno == errno.ELOOP:  # O_NOFOLLOW met a symlink planted after our check
        return _symlink_error(error, path)
    return error(
        f"无法写入文件 {path.name} (cannot write {path.name})",
        detail=f"{path}: {exc.strerror or exc}",
    )


def _symlink_error(error: type[StationError], path: Path) -> StationError:
    if issubclass(SymlinkRefused, error):  # the generic types: say precisely what it was
        error = SymlinkRefused
    return error(
        f"输出路径是符号链接，拒绝写入：{path.name} (refusing to write through a symlink)",
        detail=f"{path} is a symlink; remove it or choose another path",
    )


def refuse_symlink(
    path: str | os.PathLike[str], error: type[StationError] = SymlinkRefused
) -> None:
    """Raise ``error`` if ``path`` itself is a symlink (a missing path is fine)."""
    p = Path(path)
    if p.is_symlink():
        raise _symlink_error(error, p)


def ensure_dir(
    path: str | os.PathLike[str],
    *,
    refuse_symlink: bool = False,
    error: type[StationError] = FileWriteError,
) -> Path:
    """``path`` as a directory, creating each missing level with mode 0700.

    ``refuse_symlink``: the leaf must be a real directory, not a symlink to one (for
    folders the station fills or empties on its own).
    """
    p = Path(path)
    if refuse_symlink and p.is_symlink():
        raise _symlink_error(error, p)
    missing: list[Path] = []
    probe = p
    while not probe.exists() and not probe.is_symlink() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    for level in reversed(missing):
        try:
            os.mkdir(level, DIR_MODE)
        except FileExistsError:
            pass  # made by a concurrent writer meanwhile
        except OSError as exc:
            raise _os_error(error, level, exc) from None
        else:
            with contextlib.suppress(OSError):
                os.chmod(level, DIR_MODE)  # umask may have narrowed it further; never wider
    if not p.is_dir():
        raise error(
            f"不是文件夹：{p.name} (not a folder)", detail=f"{p} exists and is not a directory"
        )
    return p


def _check_target(path: Path, error: type[StationError]) -> None:
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise _os_error(error, path, exc) from None
    if stat.S_ISLNK(st.st_mode):
        raise _symlink_error(error, path)
    if not stat.S_ISREG(st.st_mode):
        raise error(
            f"无法写入 {path.name}：不是普通文件 (not a regular file)",
            detail=f"{path} exists and is not a regular file",
        )


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _fsync_dir(directory: Path) -> None:
    """Make the rename itself durable (best effort: not every file system allows it)."""
    try:
        fd = os.open(directory, os.O_RDONLY | _CLOEXEC)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def write_file(
    path: str | os.PathLike[str],
    data: bytes | str,
    *,
    mode: int = PRIVATE,
    error: type[StationError] = FileWriteError,
) -> Path:
    """Atomically replace ``path`` with ``data`` (text is written as UTF-8).

    The old content survives any failure before the final rename; a symlink at ``path`` is
    refused (``error``), never followed.
    """
    p = Path(path)
    raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    directory = p.parent if str(p.parent) else Path(".")
    ensure_dir(directory, error=error)
    _check_target(p, error)
    tmp = directory / f".{p.name}.{secrets.token_hex(6)}.tmp"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC, mode)
    except OSError as exc:
        raise _os_error(error, p, exc) from None
    try:
        try:
            os.fchmod(fd, mode)
            _write_all(fd, raw)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, p)  # rename never follows a symlink at p: it would replace the link
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise _os_error(error, p, exc) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(directory)
    return p


def append_file(
    path: str | os.PathLike[str],
    data: bytes | str,
    *,
    mode: int = PRIVATE,
    error: type[StationError] = FileWriteError,
) -> Path:
    """Append ``data`` to ``path`` (created ``mode`` if missing) and fsync.

    For logs that only grow (audit, ledger witness).  A symlink at ``path`` is refused; an
    existing file with wider permissions is narrowed to ``mode``.
    """
    p = Path(path)
    raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    ensure_dir(p.parent if str(p.parent) else Path("."), error=error)
    _check_target(p, error)
    try:
        fd = os.open(p, os.O_WRONLY | os.O_APPEND | os.O_CREAT | _NOFOLLOW | _CLOEXEC, mode)
    except OSError as exc:
        raise _os_error(error, p, exc) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise error(f"无法写入 {p.name}：不是普通文件 (not a regular file)", detail=f"{p}")
        if stat.S_IMODE(st.st_mode) & ~mode:
            os.fchmod(fd, stat.S_IMODE(st.st_mode) & mode)
        _write_all(fd, raw)
        os.fsync(fd)
    except OSError as exc:
        raise _os_error(error, p, exc) from None
    finally:
        os.close(fd)
    return p


def create_private(
    path: str | os.PathLike[str],
    *,
    mode: int = PRIVATE,
    error: type[StationError] = FileWriteError,
) -> Path:
    """Make sure ``path`` exists as a regular file, creating it empty with ``mode``.

    For files another library opens by name (the SQLite book): created here first, the
    library then opens a file whose mode is already right.  An existing file is left as
    it is; a symlink is refused.
    """
    p = Path(path)
    ensure_dir(p.parent if str(p.parent) else Path("."), error=error)
    _check_target(p, error)
    try:
        # read-only is enough to create it, and lets a read-only user open an existing book
        fd = os.open(p, os.O_RDONLY | os.O_CREAT | _NOFOLLOW | _CLOEXEC, mode)
    except OSError as exc:
        raise _os_error(error, p, exc) from None
    try:
        st = os.fstat(fd)
        if st.st_size == 0 and stat.S_IMODE(st.st_mode) != mode:
            os.fchmod(fd, mode)  # an empty file we just made: make the mode exact
    except OSError as exc:
        raise _os_error(error, p, exc) from None
    finally:
        os.close(fd)
    return p


class SavesToStream(Protocol):
    """An image (Pillow) or anything else that saves itself into a binary stream."""

    def save(self, fp: IO[bytes], format: str) -> None: ...


def write_image(
    path: str | os.PathLike[str],
    image: SavesToStream,
    *,
    format: str = "PNG",
    mode: int = PRIVATE,
    error: type[StationError] = FileWriteError,
) -> Path:
    """Encode ``image`` in memory, then ``write_file`` it (a face preview, a printed panel)."""
    buf = io.BytesIO()
    image.save(buf, format)
    return write_file(path, buf.getvalue(), mode=mode, error=error)
