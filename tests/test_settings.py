from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from talentpool.envconfig import EmailConfig, email_config, env_bool, parse_database_url

REPO_ROOT = Path(__file__).resolve().parent.parent


def test_an_empty_database_url_means_sqlite_under_the_given_path(tmp_path):
    # given
    path = tmp_path / "var" / "talentpool.sqlite3"

    # when
    database = parse_database_url("", default_sqlite_path=path)

    # then
    assert (database["ENGINE"], database["NAME"]) == ("django.db.backends.sqlite3", str(path))
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert path.parent.is_dir()


def test_a_postgres_url_gives_user_password_host_port_name_and_options(tmp_path):
    # when
    database = parse_database_url(
        "postgres://talent%40pool:p%40ss%2Fw%3Ard@db.example.com:6543/talent_pool?sslmode=require&conn_max_age=0",
        default_sqlite_path=tmp_path / "unused.sqlite3",
    )

    # then
    assert database == {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "talent_pool",
        "USER": "talent@pool",
        "PASSWORD": "p@ss/w:rd",
        "HOST": "db.example.com",
        "PORT": "6543",
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {"sslmode": "require"},
    }


def test_a_sqlite_url_with_four_slashes_gives_an_absolute_path(tmp_path):
    # when
    database = parse_database_url("sqlite:////srv/talentpool/db.sqlite3", default_sqlite_path=tmp_path / "x")

    # then
    assert (database["ENGINE"], database["NAME"]) == (
        "django.db.backends.sqlite3",
        "/srv/talentpool/db.sqlite3",
    )


@pytest.mark.parametrize("url", ["mysql://talent:secret@db/talentpool", "nonsense"])
def test_a_database_url_with_an_unsupported_scheme_is_refused_naming_the_variable(tmp_path, url):
    # when / then
    with pytest.raises(ImproperlyConfigured, match=r"^DATABASE_URL has an unsupported scheme"):
        parse_database_url(url, default_sqlite_path=tmp_path / "x")


@pytest.mark.parametrize("url", ["postgres://talent:secret@db:5432", "postgres://talent:secret@db:5432/"])
def test_a_postgres_url_without_a_database_name_is_refused(tmp_path, url):
    # when / then
    with pytest.raises(ImproperlyConfigured, match=r"^DATABASE_URL names no database"):
        parse_database_url(url, default_sqlite_path=tmp_path / "x")


@pytest.mark.parametrize(
    "url", ["postgres://talent@db:99999/talentpool", "postgres://talent@db:pg/talentpool"]
)
def test_a_postgres_url_with_an_invalid_port_is_refused(tmp_path, url):
    # when / then
    with pytest.raises(ImproperlyConfigured, match=r"^DATABASE_URL has an invalid port"):
        parse_database_url(url, default_sqlite_path=tmp_path / "x")


def test_a_postgres_url_with_a_non_numeric_conn_max_age_is_refused_naming_the_variable(tmp_path):
    # when / then
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        parse_database_url(
            "postgres://talent@db/talentpool?conn_max_age=soon", default_sqlite_path=tmp_path / "x"
        )


def test_manage_py_stops_with_the_reason_when_database_url_is_unsupported():
    # given
    env = {**os.environ, "DATABASE_URL": "mysql://x@y/z"}

    # when
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    # then
    assert result.returncode != 0
    assert "DATABASE_URL has an unsupported scheme 'mysql'" in result.stderr


def test_an_empty_email_url_means_the_console(tmp_path):
    # when
    config = email_config("", default_file_path=tmp_path)

    # then
    assert config == EmailConfig(backend="django.core.mail.backends.console.EmailBackend")


def test_a_file_email_url_gives_the_directory(tmp_path):
    # when
    config = email_config("file:///var/mail/talentpool", default_file_path=tmp_path)

    # then
    assert config == EmailConfig(
        backend="django.core.mail.backends.filebased.EmailBackend", file_path="/var/mail/talentpool"
    )


def test_an_smtp_email_url_with_tls_gives_the_server_and_credentials(tmp_path):
    # when
    config = email_config("smtp://mailer:p%40ss@smtp.example.com:587?tls=1", default_file_path=tmp_path)

    # then
    assert config == EmailConfig(
        backend="django.core.mail.backends.smtp.EmailBackend",
        host="smtp.example.com",
        port=587,
        user="mailer",
        password="p@ss",
        use_tls=True,
        use_ssl=False,
    )


def test_an_smtps_email_url_uses_ssl_on_port_465(tmp_path):
    # when
    config = email_config("smtps://mailer:secret@smtp.example.com", default_file_path=tmp_path)

    # then
    assert config == EmailConfig(
        backend="django.core.mail.backends.smtp.EmailBackend",
        host="smtp.example.com",
        port=465,
        user="mailer",
        password="secret",
        use_tls=False,
        use_ssl=True,
    )


def test_an_email_url_with_an_unsupported_scheme_is_refused_naming_the_variable(tmp_path):
    # when / then
    with pytest.raises(ImproperlyConfigured, match=r"^EMAIL_URL has an unsupported scheme 'sendgrid'"):
        email_config("sendgrid://key@api", default_file_path=tmp_path)


def test_env_bool_refuses_a_value_that_is_not_a_boolean_naming_the_variable(monkeypatch):
    # given
    monkeypatch.setenv("SECURE_SSL_REDIRECT", "maybe")

    # when / then
    with pytest.raises(ImproperlyConfigured, match=r"^SECURE_SSL_REDIRECT must be one of .*'maybe'"):
        env_bool("SECURE_SSL_REDIRECT", default=True)


@pytest.mark.parametrize("local", ["19:00:03", "08:00:03"])
def test_the_system_checks_pass_at_the_very_time_of_a_default_quiet_hour(local):
    # Django warns about a fixed time default when the check runs within seconds of that time.
    moment = dt.datetime.fromisoformat(f"2026-03-10T{local}").replace(tzinfo=ZoneInfo(settings.TIME_ZONE))
    with time_machine.travel(moment, tick=False):
        problems = checks.run_checks()

    assert [problem.id for problem in problems] == []
