"""Time seed_demo on a fresh SQLite database at scale 1 and 10, and its idempotent re-run.

Run from the repository root: python bench/bench_seed_demo.py [--scales 1 10] [--scores]

With --scores the demo is scored too (seed_demo --scores: cards in bulk, ledger, locks).
The first scale is the baseline of the run: for each larger one it prints the ratio of
seconds per entry (1.00: linear) and, at scale 10, the time against the 60 s target.
"""

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


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
    parser = argparse.ArgumentParser()
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--scores", action="store_true", help="seed_demo --scores")
    args = parser.parse_args()
    extra = ["--scores"] if args.scores else []
    baseline = None
    for scale in args.scales:
        with tempfile.TemporaryDirectory() as var_dir:
            manage("migrate", "-v", "0", var_dir=var_dir)
            first = manage("seed_demo", "--scale", str(scale), *extra, var_dir=var_dir)
            again = manage("seed_demo", "--scale", str(scale), *extra, var_dir=var_dir)
            entries = 548 * scale
            print(
                f"scale {scale:>2}: {entries:>5} entries seeded{' and scored' if extra else ''} "
                f"in {first:.1f} s ({entries / first:.0f} entries/s incl. start-up); "
                f"re-run {again:.1f} s"
            )
            if baseline is None:
                baseline = first / entries
                continue
            print(
                f"  seconds per entry vs scale {args.scales[0]}: ratio {first / entries / baseline:.2f}"
            )
            if scale == 10:
                print(f"  scale 10: {first:.1f} s / 60 s target = {first / 60:.2f} "
                      f"({'met' if first < 60 else 'NOT met'})")  # fmt: skip


if __name__ == "__main__":
    main()
