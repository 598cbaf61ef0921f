"""Servers a test starts, kills and starts again: a Redis and an osmem search engine of its own."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import psycopg
import pytest
from django.db import DatabaseError, connection
from elasticsearch import Elasticsearch
from osmem_server import OsmemServer

from integrations.search import client as search_client
from integrations.search import indices


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, *, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.02)
    raise TimeoutError(f"nothing listens on {port}")


def real_clock_environment() -> dict[str, str]:
    """This environment without libfaketime (CI's shifted clock), which redis-server does not
    survive: it fails in ``clock_gettime`` at start. Redis needs no shifted clock."""
    environment = dict(os.environ)
    preload = [lib for lib in environment.pop("LD_PRELOAD", "").split() if "faketime" not in lib]
    if preload:
        environment["LD_PRELOAD"] = " ".join(preload)
    return environment


class RedisServer:
    """``redis-server`` on a free port, without persistence: killed, it comes back empty."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.skip("needs redis-server on the PATH")
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=real_clock_environment(),
        )
        wait_for_port(self.port)

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


@contextmanager
def redis_server() -> Iterator[RedisServer]:
    server = RedisServer()
    server.start()
    try:
        yield server
    finally:
        server.kill()


class SearchEngine:
    """An osmem server on a fixed port, so that the app's client reaches it again after a restart."""

    def __init__(self) -> None:
        self.port = free_port()
        self.server: OsmemServer | None = None
        self.client: Elasticsearch | None = None

    def start(self) -> None:
        self.server = OsmemServer.start(japanese=False, addr=f"127.0.0.1:{self.port}")

    def kill(self) -> None:
        """Gone at once, as a crashed process is: everything it held is lost."""
        if self.server is not None:
            self.server.process.kill()
            self.server.process.wait()

    def restart_empty(self) -> None:
        self.kill()
        self.start()


@contextmanager
def search_engine_of_its_own() -> Iterator[SearchEngine]:
    """Point the app at an osmem server of this test's own (``indices`` checks start afresh)."""
    previous = search_client._client
    engine = SearchEngine()
    engine.start()
    engine.client = Elasticsearch(
        f"http://127.0.0.1:{engine.port}",
        node_class=search_client.PlainJsonNode,
        request_timeout=5,
        max_retries=0,
    )
    search_client.set_client(engine.client)
    indices.forget_checks()
    try:
        yield engine
    finally:
        engine.client.close()
        if engine.server is not None:
            engine.server.close()
        indices.forget_checks()
        search_client.set_client(previous)


@contextmanager
def celery_broker(url: str) -> Iterator[None]:
    """Tasks go to the broker at ``url`` (not run in-process) until the block ends.

    ``memory://`` is a queue nobody reads: queued work waits there, as it does for a busy worker.
    """
    from talentpool.celery import app
    from talentpool.core.queueing import broker_pause_reset

    def reset_connections() -> None:
        # Only forget them: kombu keeps pools per broker URL, and others may still use them.
        app._pool = None  # type: ignore[attr-defined]
        app.amqp._producer_pool = None  # type: ignore[attr-defined]

    previous = (app.conf.broker_url, app.conf.task_always_eager)
    reset_connections()
    app.conf.update(broker_url=url, task_always_eager=False)
    broker_pause_reset()
    try:
        yield
    finally:
        reset_connections()
        app.conf.update(broker_url=previous[0], task_always_eager=previous[1])
        broker_pause_reset()


def database_connections_terminate() -> int:
    """Terminate every connection to the test database but this call's own, as a restart or a
    failover does; return how many. PostgreSQL only.

    The caller's Django connection is terminated too: ``database_settled`` reconnects it.
    """
    db = connection.settings_dict
    with psycopg.connect(
        host=db["HOST"] or None,
        port=db["PORT"] or None,
        user=db["USER"] or None,
        password=db["PASSWORD"] or None,
        dbname=db["NAME"],
        autocommit=True,
    ) as admin:
        rows = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchall()
    return sum(1 for (terminated,) in rows if terminated)


def database_settled(check: Callable[[], bool], *, timeout: float = 60.0) -> bool:
    """Wait until ``check()`` holds (it reads the database), through terminated connections."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return True
        except DatabaseError:
            connection.close()  # Terminated under us: the next query connects afresh.
        time.sleep(0.1)
    connection.close()
    return False
