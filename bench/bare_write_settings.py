"""The product's settings with the benchmark's bare write route (bench/bare_write.py) added."""

from qcexchange.settings import *  # noqa: F403

ROOT_URLCONF = "bench.bare_write"
