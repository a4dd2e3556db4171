"""Time seed_demo on a fresh SQLite database at scale 1 and 10, and its idempotent re-run.

Run from the repository root: python bench/bench_seed_demo.py
"""

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
    for scale in (1, 10):
        with tempfile.TemporaryDirectory() as var_dir:
            manage("migrate", "-v", "0", var_dir=var_dir)
            first = manage("seed_demo", "--scale", str(scale), var_dir=var_dir)
            again = manage("seed_demo", "--scale", str(scale), var_dir=var_dir)
            entries = 548 * scale
            print(
                f"scale {scale:>2}: {entries:>5} entries seeded in {first:.1f} s "
                f"({entries / first:.0f} entries/s incl. start-up); re-run {again:.1f} s"
            )


if __name__ == "__main__":
    main()
