"""The database goes away and comes back: residents get a Japanese 503, /healthz says so, and the
portal recovers by itself, on the same running server."""

import contextlib
import shutil
import socket
import threading

import pytest

from tests.production import PostgresDatabase, ProductionSite, free_port, on_postgres


class TcpGate:
    """A loopback TCP forwarder in front of PostgreSQL: closing it closes the port the portal uses."""

    def __init__(self, target_port, port):
        self.target_port, self.port = target_port, port
        self.sockets, self.listener = [], None

    def open(self):
        self.listener = socket.create_server(("127.0.0.1", self.port), reuse_port=False)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            self.sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)

    def close(self):
        # shutdown() wakes the thread blocked in accept(); close() alone would leave the port listening.
        for s in [self.listener, *self.sockets]:
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            s.close()
        self.sockets = []


@pytest.fixture
def site_with_breakable_database(tmp_path, static_root):
    """Yield (site, break_db, restore_db) for this suite's database kind."""
    if on_postgres():
        database = PostgresDatabase("niimi_down")
        gate = TcpGate(database.port, free_port())
        gate.open()
        site = ProductionSite(tmp_path, database.url(port=gate.port), static_root).prepare().start()
        yield site, gate.close, gate.open
        site.stop()
        gate.close()
        database.drop()
    else:
        db_file = tmp_path / "db.sqlite3"
        site = ProductionSite(tmp_path, f"sqlite:///{db_file}", static_root).prepare().start()
        away = tmp_path / "db.sqlite3.away"

        def break_db():
            shutil.move(db_file, away)
            db_file.mkdir()  # a folder where the file was: SQLite cannot open it

        def restore_db():
            db_file.rmdir()
            shutil.move(away, db_file)

        yield site, break_db, restore_db
        site.stop()


def test_database_outage_gives_japanese_503_and_recovers(site_with_breakable_database):
    site, break_db, restore_db = site_with_breakable_database
    client = site.client()
    assert client.get("/")[0] == 200
    assert client.get("/healthz")[0] == 200

    break_db()
    # A page already in the page cache still reaches residents during the outage.
    status, headers, _ = client.get("/")
    assert status == 200  # only the page cache can answer while the database is down (no X-Page-Cache in production)
    for attempt in range(3):  # every worker, whatever connection it held; a new query misses the cache
        status, headers, html = client.get(f"/search/?q=outage{attempt}")
        assert status == 503
        assert "ただいまご利用いただけません" in html
        assert "Traceback" not in html and "OperationalError" not in html
        assert headers["Retry-After"] == "60"
    status, _, body = client.get("/healthz")
    assert status == 503
    assert '"database": "unreachable"' in body

    restore_db()
    statuses = [client.get(f"/search/?q=back{attempt}")[0] for attempt in range(4)]
    assert statuses[-1] == 200, statuses
    assert client.get("/healthz")[0] == 200
