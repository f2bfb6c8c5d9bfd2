"""Losing the database in the middle of a request, as when PostgreSQL restarts or a connection is killed.

`connection_lost_at(prefix)` installs a wrapper with Django's public `connection.execute_wrapper`: when the
request reaches the first statement starting with `prefix` (e.g. 'INSERT INTO "staff_meetingattachment"'),
a second connection terminates the request's backend with `pg_terminate_backend`, and the statement then
meets the closed connection, exactly as it would after a restart. PostgreSQL only (tests marked `postgres`).
"""

import contextlib
import wsgiref.util

import psycopg
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection


class ConnectionKiller:
    def __init__(self, prefix, occurrence=1):
        self.prefix, self.occurrence, self.seen = prefix, occurrence, 0
        self.fired, self.inside_transaction = False, None

    def __call__(self, execute, sql, params, many, context):
        if not self.fired and sql.startswith(self.prefix):
            self.seen += 1
        if not self.fired and self.seen == self.occurrence:
            self.fired = True
            self.inside_transaction = connection.in_atomic_block
            raw = context["cursor"].connection  # psycopg's own connection (public psycopg API from here on)
            password = connection.settings_dict.get("PASSWORD") or None
            with psycopg.connect(raw.info.dsn, password=password, autocommit=True) as other:
                other.execute("SELECT pg_terminate_backend(%s)", [raw.info.backend_pid])
        return execute(sql, params, many, context)


@contextlib.contextmanager
def connection_lost_at(prefix, occurrence=1):
    """Within the block, the request's connection is killed at the `occurrence`-th statement starting with `prefix`;
    the test asserts `killer.fired` (the point was reached) and `killer.inside_transaction`."""
    killer = ConnectionKiller(prefix, occurrence)
    with connection.execute_wrapper(killer):
        yield killer


def wsgi_get(path):
    """GET `path` through Django's WSGI handler, as gunicorn calls it: the request_started and request_finished
    signals run `close_old_connections` (which the test client leaves out), so a connection the database
    dropped is replaced without restarting anything. Returns (status code, body)."""
    environ = {"PATH_INFO": path, "HTTP_HOST": "testserver", "SERVER_NAME": "testserver"}
    wsgiref.util.setup_testing_defaults(environ)
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"] = int(status.split()[0])

    body = b"".join(WSGIHandler()(environ, start_response))
    return answer["status"], body.decode()
