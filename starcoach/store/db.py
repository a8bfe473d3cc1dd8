"""Opening the history database safely: refuse what we must not touch, migrate, configure.

Threads: one connection (``check_same_thread=False``) is shared by every thread and every
use of it is serialized by a re-entrant lock, so a transaction started by the recorder's
thread can never interleave with one from the UI thread. Other processes (the command line
while the window is open) are handled by SQLite itself: WAL mode lets readers run beside a
writer, and writers wait up to ``busy_timeout_ms`` for each other.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from starcoach.store.errors import DatabaseError
from starcoach.store.schema import MIGRATIONS, split_statements

log = logging.getLogger(__name__)

SQLITE_MAGIC = b"SQLite format 3\x00"
HEADER_SIZE = 100
USER_VERSION_OFFSET = 60
"""Where SQLite keeps ``PRAGMA user_version`` in the file header (4 bytes, big-endian)."""

BUSY_TIMEOUT_MS = 5000


class Database:
    """An open, migrated SQLite database. Use :meth:`read` and :meth:`write` for access."""

    def __init__(
        self,
        path: Path,
        *,
        migrations: Sequence[tuple[int, str]] = MIGRATIONS,
        busy_timeout_ms: int = BUSY_TIMEOUT_MS,
        read_only: bool = False,
    ) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self._migrations = tuple(migrations)
        self.latest_version = self._migrations[-1][0] if self._migrations else 0
        self._lock = threading.RLock()
        self._conn: sqlite3.Connection | None = None
        existed = self._inspect_file()
        if read_only:
            self._open_read_only(existed, busy_timeout_ms)
            return
        try:
            conn = sqlite3.connect(
                str(self.path),
                timeout=busy_timeout_ms / 1000,
                isolation_level=None,  # autocommit; transactions are explicit (BEGIN ...)
                check_same_thread=False,  # shared across threads under self._lock
            )
        except sqlite3.Error as exc:
            raise DatabaseError(f"Cannot open the history database {self.path}: {exc}") from exc
        conn.row_factory = sqlite3.Row
        try:
            self._conn = conn
            self._configure(existed, busy_timeout_ms)
        except BaseException:
            self._conn = None
            conn.close()
            raise

    def _open_read_only(self, existed: bool, busy_timeout_ms: int) -> None:
        """A folder StarCoach cannot write to: read the history, never change it.

        SQLite needs to create the ``-shm`` file to read a WAL database; when the folder
        refuses that, the file is opened as immutable (what another process may still be
        writing to the ``-wal`` file is then not seen).
        """
        if not existed:
            raise DatabaseError(f"There is no history in {self.path.parent} yet.")
        last: sqlite3.Error | None = None
        for options in ("mode=ro", "mode=ro&immutable=1"):
            uri = f"{self.path.resolve().as_uri()}?{options}"
            conn: sqlite3.Connection | None = None
            try:
                conn = sqlite3.connect(
                    uri,
                    uri=True,
                    timeout=busy_timeout_ms / 1000,
                    isolation_level=None,
                    check_same_thread=False,
                )
                conn.row_factory = sqlite3.Row
                version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            except sqlite3.Error as exc:
                last = exc
                if conn is not None:
                    conn.close()
                continue
            self._conn = conn
            try:
                self._refuse_newer(version)
                if version < self.latest_version:
                    raise DatabaseError(
                        f"The history database {self.path} needs an upgrade, and its folder "
                        "is not writable; make the folder writable and try again."
                    )
            except BaseException:
                self._conn = None
                conn.close()
                raise
            return
        raise DatabaseError(f"Cannot read the history database {self.path}: {last}")

    # -- opening -----------------------------------------------------------------------

    def _inspect_file(self) -> bool:
        """Refuse a damaged or too-new file before SQLite opens it (and so before anything
        could write to it). Returns whether the file already held a database."""
        if self.path.is_dir():
            raise DatabaseError(f"The history database {self.path} is a folder, not a file")
        try:
            with self.path.open("rb") as fh:
                header = fh.read(HEADER_SIZE)
        except FileNotFoundError:
            return False
        except OSError as exc:
            raise DatabaseError(f"Cannot read the history database {self.path}: {exc}") from exc
        if not header:
            return False  # an empty file is an empty database
        if len(header) < HEADER_SIZE or not header.startswith(SQLITE_MAGIC):
            raise self._damaged("it is not an SQLite database")
        version = int.from_bytes(header[USER_VERSION_OFFSET : USER_VERSION_OFFSET + 4], "big")
        self._refuse_newer(version)
        return True

    def _configure(self, existed: bool, busy_timeout_ms: int) -> None:
        conn = self._connection()
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            # The header may be stale when the newest transactions are still in the -wal
            # file: ask SQLite too.
            self._refuse_newer(self._user_version())
            if existed:
                problems = [row[0] for row in conn.execute("PRAGMA quick_check(5)")]
                if problems != ["ok"]:
                    raise self._damaged("; ".join(str(p) for p in problems))
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                # Some network file systems cannot share memory for WAL; SQLite falls back.
                log.warning("WAL mode unavailable for %s; using journal mode %s", self.path, mode)
            conn.execute("PRAGMA synchronous = FULL")
            self._migrate()
            conn.execute("PRAGMA foreign_keys = ON")
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
                raise self._busy() from exc
            if _is_read_only_error(exc):
                raise not_writable(self.path.parent, str(exc)) from exc
            raise self._damaged(str(exc)) from exc

    def _refuse_newer(self, version: int) -> None:
        if version > self.latest_version:
            raise DatabaseError(
                f"The history database {self.path} was written by a newer StarCoach "
                f"(schema {version}, this version knows {self.latest_version}); it is left "
                "untouched. Update StarCoach to open it."
            )

    def _damaged(self, reason: str) -> DatabaseError:
        return DatabaseError(
            f"The history database {self.path} cannot be read ({reason}); it may be damaged "
            "and is left untouched. Move it elsewhere to start a new history."
        )

    def _busy(self) -> DatabaseError:
        return DatabaseError(
            f"The history database {self.path} is busy (another StarCoach is writing to it); "
            "try again in a moment."
        )

    def _user_version(self) -> int:
        return int(self._connection().execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        """Apply each pending migration in its own transaction, with its version bump.

        Foreign keys are still off here (SQLite ignores that pragma inside a transaction),
        so a migration may rebuild a table; ``foreign_key_check`` guards the result.
        """
        conn = self._connection()
        current = self._user_version()
        pending = [(v, sql) for v, sql in self._migrations if v > current]
        if not pending:
            return
        if current > 0:
            self._backup(current)
        for version, script in pending:
            statements = split_statements(script)
            conn.execute("BEGIN IMMEDIATE")
            try:
                # Another process may have migrated while we waited for the write lock.
                now = self._user_version()
                if now >= version:
                    conn.execute("ROLLBACK")
                    continue
                for statement in statements:
                    conn.execute(statement)
                if conn.execute("PRAGMA foreign_key_check").fetchone() is not None:
                    raise DatabaseError(
                        f"Upgrading the history database {self.path} to schema {version} "
                        f"failed a consistency check; it was left at schema {now}."
                    )
                conn.execute(f"PRAGMA user_version = {int(version)}")
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
                    raise self._busy() from exc
                raise DatabaseError(
                    f"Upgrading the history database {self.path} to schema {version} failed "
                    f"({exc}); it was left at schema {self._user_version()}."
                ) from exc
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            log.info("history database %s migrated to schema %d", self.path, version)

    def _backup(self, version: int) -> None:
        """Copy the database aside before changing the schema of one holding data."""
        target = self.path.with_name(f"{self.path.name}.schema{version}.bak")
        try:
            with sqlite3.connect(str(target)) as dest:
                self._connection().backup(dest)
            dest.close()
        except (sqlite3.Error, OSError) as exc:
            raise DatabaseError(
                f"Cannot back up the history database {self.path} to {target} before "
                f"upgrading it: {exc}"
            ) from exc

    # -- use ---------------------------------------------------------------------------

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise DatabaseError(f"The history database {self.path} is closed")
        return self._conn

    @property
    def version(self) -> int:
        with self._lock:
            return self._user_version()

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A consistent snapshot for several SELECTs, holding the lock."""
        with self._lock, self._errors():
            conn = self._connection()
            conn.execute("BEGIN DEFERRED")
            try:
                yield conn
            finally:
                if conn.in_transaction:
                    conn.execute("COMMIT")

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, committed on success and rolled back on any error.

        ``BEGIN IMMEDIATE`` takes the write lock up front, so two processes never both read
        and then fail to upgrade to writing (SQLITE_BUSY mid-transaction).
        """
        if self.read_only:
            raise DatabaseError(
                f"The data folder {self.path.parent} is not writable: the history can be "
                "read and exported, but nothing can be changed or recorded."
            )
        with self._lock, self._errors():
            conn = self._connection()
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """SQLite failures the user can meet become DatabaseError; IntegrityError (a bug or
        an id collision the caller handles) passes through."""
        try:
            yield
        except sqlite3.IntegrityError:
            raise
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise self._busy() from exc
            if _is_read_only_error(exc):
                raise not_writable(self.path.parent, str(exc)) from exc
            raise DatabaseError(f"The history database {self.path} failed: {exc}") from exc
        except sqlite3.DatabaseError as exc:
            raise self._damaged(str(exc)) from exc

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    @property
    def closed(self) -> bool:
        return self._conn is None


def not_writable(folder: Path, reason: str) -> DatabaseError:
    return DatabaseError(
        f"The data folder {folder} is not writable ({reason}). StarCoach needs to write there "
        "to record and keep sessions: make it writable, or point STARCOACH_HOME at another "
        "folder. 'starcoach history' and 'starcoach export' still work read-only."
    )


def _is_read_only_error(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return "readonly" in text or "read-only" in text or "read only" in text
