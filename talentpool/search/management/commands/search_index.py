"""Operate the search indices: rebuild with an atomic alias swap, reconcile, or show status."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from integrations.search.indices import SearchIndex
from talentpool.search.candidates import candidate_index
from talentpool.search.openings import opening_index

INDICES: dict[str, SearchIndex] = {"candidates": candidate_index, "openings": opening_index}


class Command(BaseCommand):
    help = (
        "Rebuild the search indices (a new index, loaded in keyset-paged chunks, then both aliases "
        "swapped at once), reconcile them with the database, or show their status. Interrupting a "
        "rebuild leaves the old index serving; run it again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        action = parser.add_mutually_exclusive_group(required=True)
        action.add_argument("--rebuild", action="store_true", help="Build new indices and swap the aliases.")
        action.add_argument(
            "--reconcile", action="store_true", help="Repair missing, stale and orphaned documents."
        )
        action.add_argument("--status", action="store_true", help="Show the indices behind each alias.")
        parser.add_argument("--index", choices=sorted(INDICES), action="append", help="Only this index.")
        parser.add_argument("--chunk-size", type=int, default=1000)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["chunk_size"] < 1:
            raise CommandError("--chunk-size must be at least 1.")
        for kind in options["index"] or sorted(INDICES):
            index = INDICES[kind]
            if options["status"]:
                self.status(index)
            elif options["reconcile"]:
                index.ensure()
                counts = index.reconcile(chunk_size=options["chunk_size"])
                self.stdout.write(
                    f"{kind}: " + ", ".join(f"{name} {count}" for name, count in counts.items())
                )
            else:
                self.rebuild(index, chunk_size=options["chunk_size"])

    def status(self, index: SearchIndex) -> None:
        read = index.indices_behind(index.read_alias)
        write = index.indices_behind(index.write_alias)
        count = index.client.count(index=index.read_alias)["count"] if read else 0
        self.stdout.write(
            f"{index.kind}: read {', '.join(read) or '-'}; write {', '.join(write) or '-'}; {count} documents"
        )

    def rebuild(self, index: SearchIndex, *, chunk_size: int) -> None:
        started = time.monotonic()
        self.stdout.write(f"{index.kind}: building a new index")

        def progress(done: int) -> None:
            rate = done / max(time.monotonic() - started, 1e-6)
            self.stdout.write(f"\r{index.kind}: {done} documents ({rate:.0f}/s)", ending="")
            self.stdout.flush()

        try:
            name = index.rebuild(chunk_size=chunk_size, progress=progress)
        except KeyboardInterrupt:
            self.stdout.write("")
            raise CommandError(
                f"{index.kind}: interrupted; the old index still serves. Run the command again."
            ) from None
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(f"{index.kind}: now serving {name} ({time.monotonic() - started:.1f} s)")
        )
