"""Backup and restore of the database and the media volume, in one archive.

An archive is a tar file holding ``manifest.json`` (when, which database, the
last migration of each app), the database (``database.dump`` from pg_dump's
custom format on PostgreSQL; ``database.sqlite3`` on the embedded default) and
``media.tar.gz`` (the uploaded MoU documents). Restore replaces both.
"""

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection, connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from ceop_crm.exceptions import ApplicationError


@dataclass(frozen=True)
class _Postgres:
    env: dict[str, str]
    name: str

    @classmethod
    def from_settings(cls) -> "_Postgres":
        db = connections["default"].settings_dict
        env = {**os.environ}
        for key, variable in (
            ("HOST", "PGHOST"),
            ("PORT", "PGPORT"),
            ("USER", "PGUSER"),
            ("PASSWORD", "PGPASSWORD"),
        ):
            if db.get(key):
                env[variable] = str(db[key])
        return cls(env=env, name=db["NAME"])

    def run(self, *command: str) -> None:
        done = subprocess.run(  # noqa: S603 - fixed programs, arguments from settings
            command, env=self.env, capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            raise ApplicationError(f"{command[0]} failed: {done.stderr.strip()}")


def _migration_state() -> dict[str, str]:
    state: dict[str, str] = {}
    for app, name in MigrationRecorder.Migration.objects.order_by(
        "app", "applied", "id"
    ).values_list("app", "name"):
        state[app] = name
    return state


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    archive.addfile(info, io.BytesIO(data))


def backup_create(*, folder: Path) -> Path:
    """Write an archive of the database and the media folder into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    path = folder / f"ceop-backup-{stamp}.tar"
    manifest = {
        "created_at": timezone.now().isoformat(),
        "vendor": connection.vendor,
        "migrations": _migration_state(),
    }
    with tempfile.TemporaryDirectory() as scratch, tarfile.open(path, "w") as archive:
        scratch_path = Path(scratch)
        if connection.vendor == "postgresql":
            dump = scratch_path / "database.dump"
            pg = _Postgres.from_settings()
            pg.run(
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--file={dump}",
                pg.name,
            )
            archive.add(dump, "database.dump")
        elif connection.vendor == "sqlite":
            copy = scratch_path / "database.sqlite3"
            connection.ensure_connection()
            with sqlite3.connect(copy) as target:
                connection.connection.backup(target)
            archive.add(copy, "database.sqlite3")
        else:  # pragma: no cover - the project runs on these two only
            raise ApplicationError(f"No backup for a {connection.vendor} database.")
        media = scratch_path / "media.tar.gz"
        with tarfile.open(media, "w:gz") as media_archive:
            root = Path(settings.MEDIA_ROOT)
            if root.exists():
                media_archive.add(root, ".")
        archive.add(media, "media.tar.gz")
        _add_bytes(archive, "manifest.json", json.dumps(manifest, indent=2).encode())
    return path


def backup_restore(*, path: Path) -> dict:
    """Replace the database and the media folder with the archive's."""
    with tempfile.TemporaryDirectory() as scratch, tarfile.open(path) as archive:
        names = set(archive.getnames())
        manifest_file = archive.extractfile("manifest.json")
        if manifest_file is None:
            raise ApplicationError("The archive holds no manifest.json.")
        manifest = json.load(manifest_file)
        if manifest["vendor"] != connection.vendor:
            raise ApplicationError(
                f"This archive is of a {manifest['vendor']} database; "
                f"this installation runs on {connection.vendor}."
            )
        archive.extractall(scratch, filter="data")
        scratch_path = Path(scratch)
        if "database.dump" in names:
            connection.close()
            pg = _Postgres.from_settings()
            pg.run(
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                f"--dbname={pg.name}",
                str(scratch_path / "database.dump"),
            )
        else:
            connection.ensure_connection()
            with sqlite3.connect(scratch_path / "database.sqlite3") as source:
                source.backup(connection.connection)
        root = Path(settings.MEDIA_ROOT)
        if root.exists():
            shutil.rmtree(root)
        root.mkdir(parents=True)
        with tarfile.open(scratch_path / "media.tar.gz") as media_archive:
            media_archive.extractall(root, filter="data")
    # Every figure the web processes share was counted before the restore.
    from partners.reports import report_figures_invalidate

    report_figures_invalidate()
    return manifest
