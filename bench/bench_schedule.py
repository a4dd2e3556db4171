"""Time the pure schedule code at the demo's size and ten times it, and assign_venues on cmqa-40.

Run from the repository root: python bench/bench_schedule.py
"""

import datetime as dt
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from judging.schedule import plan as schedule  # noqa: E402

TOPICS = ("onsite", "tackling", "management", "service", "innovation")


def pure(entries: int, venues: int, enterprises: int) -> float:
    rng = random.Random(1)
    items = [
        schedule.Entry(i, rng.randrange(enterprises), rng.choice(TOPICS)) for i in range(entries)
    ]
    specs = [schedule.VenueSpec(v) for v in range(venues)]
    sessions = schedule.venue_sessions(
        dt.date(2021, 9, 24),
        morning=(dt.time(8, 30), dt.time(12)),
        afternoon=(dt.time(13, 30), dt.time(18)),
    )
    started = time.perf_counter()
    result = schedule.assign_entries(items, specs)
    for venue in specs:
        order = schedule.draw_order(result.entries_of(venue.key), seed=2021)
        schedule.pack_slots(order, sessions=sessions, slot_minutes=10)
    return time.perf_counter() - started


def manage(*args: str, var_dir: str) -> float:
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={"QCX_VAR_DIR": var_dir, "PATH": "/usr/bin:/bin"},
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.monotonic() - started


def main() -> None:
    for entries, venues, enterprises in ((309, 7, 120), (3090, 70, 1200)):
        seconds = pure(entries, venues, enterprises)
        print(f"pure assign+draw+pack {entries} entries / {venues} venues: {seconds * 1000:.0f} ms")
    with tempfile.TemporaryDirectory() as var_dir:
        manage("migrate", "-v", "0", var_dir=var_dir)
        manage("seed_demo", var_dir=var_dir)
        first = manage("assign_venues", "cmqa-40", "--seed", "2021", var_dir=var_dir)
        again = manage("assign_venues", "cmqa-40", "--seed", "2021", var_dir=var_dir)
        print(f"assign_venues cmqa-40 (548 entries, 10 venues), process wall time: {first:.2f} s")
        print(f"assign_venues cmqa-40 re-run with the same seed: {again:.2f} s")


if __name__ == "__main__":
    main()
