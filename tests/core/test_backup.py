"""scripts/backup and scripts/restore, on a seeded PostgreSQL database."""

import subprocess
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True)


def _url(name):
    settings = connection.settings_dict
    host, port = settings["HOST"] or "127.0.0.1", settings["PORT"] or "5432"
    return f"postgres://{settings['USER']}@{host}:{port}/{name}"


def _row_counts(url):
    tables = subprocess.run(
        ["psql", url, "-tAc", "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    query = " UNION ALL ".join(f"SELECT '{t}', count(*) FROM \"{t}\"" for t in tables)
    rows = subprocess.run(["psql", url, "-tAc", query], capture_output=True, text=True, check=True).stdout
    return dict(line.split("|") for line in rows.split())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="backups are of the PostgreSQL database")
def test_a_backup_restores_into_a_new_database_with_every_row(tmp_path, settings):
    settings.DEBUG = True
    call_command("load_seed", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    source = _url(connection.settings_dict["NAME"])
    target = _url(f"onesource_restore_{uuid.uuid4().hex[:8]}")
    dump = tmp_path / "backup.dump"

    subprocess.run([ROOT / "scripts/backup", dump], env={"DATABASE_URL": source, "PATH": "/usr/bin:/bin"}, check=True)
    subprocess.run([ROOT / "scripts/restore", dump, target], check=True, capture_output=True)
    try:
        original, restored = _row_counts(source), _row_counts(target)
        assert restored == original
        # The seed's partners; the demo's eight users and the committee's other members (governance demo).
        from apps.governance.demo import MEMBERS

        users = 8 + len([m for m in MEMBERS if m[0] != "committee"])
        assert int(restored["partners_partner"]) == 9 and int(restored["accounts_user"]) == users
        again = subprocess.run([ROOT / "scripts/restore", dump, target], capture_output=True, text=True)
        assert again.returncode == 1 and "already exists" in again.stderr
    finally:
        subprocess.run(["psql", _url("postgres"), "-qc", f'DROP DATABASE IF EXISTS "{target.rsplit("/", 1)[1]}"'])
