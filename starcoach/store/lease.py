"""Who owns a recording: an OS file lock held by the recording process for the whole take.

A take's row says 'recording' from before its first sample until its outcome is stored. That
alone cannot tell a live recording from one a crash cut short, and treating a live one as
crashed destroys it (another process finalised its spool while it was still being written).
So the recording process holds a *lease*: an exclusive lock on ``<step>.rec.lock`` beside the
spool, taken before the row is written and released after the outcome is stored. The OS drops
the lock when the process dies, however it dies, so:

- ``is_held(path)`` true: some process (this one included) is recording it -- hands off;
- false while the row still says 'recording': its owner is gone -- it may be recovered, and
  whoever recovers or discards it takes the lease first (``try_acquire``), so two recovering
  processes never work on the same take.

POSIX: ``fcntl.flock`` (per open file description, so two opens in one process conflict too,
which is what the window needs: its own live recording is not offered back to itself).
Windows: ``msvcrt.locking`` on the file's first byte, non-blocking. Limitation: on network
file systems that do not pass locks through (some NFS and SMB set-ups) a lock may not be seen
by another machine; one data folder used from two machines at once is not supported.

The lock file is removed on release while the lock is still held; a process that opened it
just before and then gets the lock checks that the path still names the same file, else it
knows the owner finished.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from pathlib import Path
from types import TracebackType

LEASE_SUFFIX = ".rec.lock"

_BUSY_ERRNOS = frozenset({errno.EAGAIN, errno.EWOULDBLOCK, errno.EACCES, errno.EDEADLK})


def lease_path(audio_path: Path | str) -> Path:
    """``recordings/s1/action.flac`` → ``recordings/s1/action.rec.lock``."""
    path = Path(audio_path)
    return path.with_name(path.stem + LEASE_SUFFIX)


class Lease:
    """A held lease; ``release()`` (or leaving the ``with`` block) gives it up."""

    def __init__(self, path: Path, fd: int) -> None:
        self.path = path
        self._fd: int | None = fd

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        """Remove the lock file, then unlock; safe to call twice."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        with contextlib.suppress(OSError):
            if _same_file(fd, self.path):
                self.path.unlink()
        with contextlib.suppress(OSError):
            _unlock(fd)
        os.close(fd)

    def __enter__(self) -> Lease:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()


def try_acquire(audio_path: Path | str) -> Lease | None:
    """The lease of the recording at ``audio_path``, or None when another owner holds it.

    Raises OSError when the lock file cannot be created (a read-only folder).
    """
    path = lease_path(audio_path)
    for _ in range(5):
        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0)
        fd = os.open(path, flags, 0o644)
        try:
            if not _lock(fd):
                os.close(fd)
                return None
            if _same_file(fd, path):
                return Lease(path, fd)
            # The owner released (and removed the file) between our open and our lock.
            _unlock(fd)
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)
    return None


def is_held(audio_path: Path | str) -> bool:
    """True while some process (this one too) holds the lease of ``audio_path``.

    Never creates anything, so it works in a read-only data folder.
    """
    path = lease_path(audio_path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        return False
    except OSError:
        return False  # unreadable: nobody can be holding it through this folder
    try:
        if not _lock(fd, shared=True):
            return True
        _unlock(fd)
        return False
    finally:
        os.close(fd)


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _lock(fd: int, shared: bool = False) -> bool:
        # msvcrt has no shared locks; a probe takes the exclusive lock for an instant.
        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError as exc:
            if exc.errno in _BUSY_ERRNOS:
                return False
            raise
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

    def _same_file(fd: int, path: Path) -> bool:
        # Windows cannot remove a file another process has open; the name always fits.
        return path.exists()

else:
    import fcntl

    def _lock(fd: int, shared: bool = False) -> bool:
        try:
            fcntl.flock(fd, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno in _BUSY_ERRNOS:
                return False
            raise
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)

    def _same_file(fd: int, path: Path) -> bool:
        try:
            named = os.stat(path)
        except FileNotFoundError:
            return False
        mine = os.fstat(fd)
        return (named.st_dev, named.st_ino) == (mine.st_dev, mine.st_ino)
