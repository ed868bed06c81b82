"""Live changes between the stations of one server: LISTEN/NOTIFY, not polling.

Every write transaction of a station ends with `NOTIFY screening_changes` in the same
round trip as its COMMIT (postgres.PostgresBackend.commit): PostgreSQL delivers it to
every listening connection when, and only if, the transaction commits. A desk waits for
it with a `ChangeListener` on a connection of its own, in a worker thread:

    listener = store.change_listener()      # None on a SQLite file (the desk polls it)
    while running:
        try:
            if listener.wait(1.0):          # True: someone committed a change
                refresh()
        except StoreError:                  # the server cannot be reached: say so
            listener.pause(5.0)             # and try again; the next wait reconnects
    listener.close()                        # wake() from another thread ends a wait at once

Decisions:

- **No payload.** A notification says only that something changed (never what, never
  whom): whoever listens reads what it shows again, as after F5. PostgreSQL folds
  identical notifications of one transaction into one.
- **A notification missed is a change.** While the listener's connection is down it
  hears nothing, so the first successful wait after a reconnection returns True (the
  first connection of all does not: nothing was shown yet).
- **A dead server is noticed without traffic**: a server that stops closes its
  connections (the socket becomes readable, reading it fails), and TCP keepalives
  (postgres.NETWORK_DEFAULTS) end a connection whose host vanished.
"""

from __future__ import annotations

import contextlib
import select
import socket
from collections.abc import Callable

import psycopg

from ..errors import DatabaseUnavailable, ErrorCode
from ..target import ServerAddress

CHANNEL = "screening_changes"


class ChangeListener:
    """Waits for other connections' committed changes (see the module's docstring)."""

    def __init__(self, address: ServerAddress,
                 connect: Callable[[ServerAddress], psycopg.Connection]) -> None:
        self.address = address
        self._connect = connect  # postgres.connect: the stations' settings, errors in words
        self._conn: psycopg.Connection | None = None
        self._connected_before = False
        self._wake_in, self._wake_out = socket.socketpair()
        self._wake_in.setblocking(False)

    # -- from the listening thread ------------------------------------------------------

    def wait(self, timeout: float) -> bool:
        """Whether something changed within `timeout` seconds (or may have: the connection
        was made again). Raises DatabaseUnavailable (and the like) while the server cannot
        be reached or refuses this station."""
        if self._conn is None:
            self._conn = self._connect(self.address)
            try:
                self._conn.execute(f"LISTEN {CHANNEL}")
            except psycopg.Error:
                self._drop()
                raise DatabaseUnavailable(ErrorCode.SERVER_UNREACHABLE,
                                          where=self.address.display) from None
            missed, self._connected_before = self._connected_before, True
            if missed:
                return True
        pgconn = self._conn.pgconn
        ready, _, _ = select.select([pgconn.socket, self._wake_in], [], [], max(0.0, timeout))
        if self._wake_in in ready:
            self._drain_wake()
        if pgconn.socket not in ready:
            return False
        try:
            pgconn.consume_input()
        except psycopg.OperationalError:
            self._drop()
            raise DatabaseUnavailable(ErrorCode.SERVER_UNREACHABLE,
                                      where=self.address.display) from None
        if pgconn.status != psycopg.pq.ConnStatus.OK:
            self._drop()
            raise DatabaseUnavailable(ErrorCode.SERVER_UNREACHABLE, where=self.address.display)
        changed = False
        while pgconn.notifies() is not None:
            changed = True
        return changed

    def pause(self, seconds: float) -> None:
        """Sleep before trying again (a `wake` ends it at once)."""
        ready, _, _ = select.select([self._wake_in], [], [], max(0.0, seconds))
        if ready:
            self._drain_wake()

    def close(self) -> None:
        self._drop()
        for end in (self._wake_in, self._wake_out):
            end.close()

    # -- from any thread ----------------------------------------------------------------

    def wake(self) -> None:
        """End the current `wait` or `pause` now (a window closing)."""
        with contextlib.suppress(OSError):
            self._wake_out.send(b"x")

    # -------------------------------------------------------------------------------------

    def _drain_wake(self) -> None:
        with contextlib.suppress(BlockingIOError, OSError):
            while self._wake_in.recv(64):
                pass

    def _drop(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(psycopg.Error):
                self._conn.close()
            self._conn = None
