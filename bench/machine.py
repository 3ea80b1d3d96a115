"""What the benchmarks ran on, in one line: the processor, cores, memory, Python, the load before the run, and
how fast this machine runs plain Python (a loop of 5 million additions, best of 3).

Machines of the same description (2 cores, the same processor name) differ in speed, and every absolute
figure (requests per second, CPU per request, messages per second) moves with it; the ratios measured in the
same run (against a floor or a baseline) move much less. The loop's time helps a reader tell a slower machine
from slower code; it measures the interpreter only, not memory, the kernel or the network.
"""

import os
import platform
import time
from pathlib import Path

LOOP_ADDITIONS = 5_000_000


def _first(path: str, prefix: str) -> str | None:
    try:
        lines = Path(path).read_text().splitlines()
    except OSError:
        return None
    return next((line.split(":", 1)[1].strip() for line in lines if line.startswith(prefix)), None)


def python_loop_seconds() -> float:
    best = float("inf")
    for _ in range(3):
        started = time.process_time()
        total = 0
        for number in range(LOOP_ADDITIONS):
            total += number
        best = min(best, time.process_time() - started)
    return best


def machine() -> str:
    cpu = _first("/proc/cpuinfo", "model name") or platform.processor() or platform.machine()
    memory = _first("/proc/meminfo", "MemTotal")
    ram = f"{int(memory.split()[0]) / 2**20:.1f} GB RAM" if memory else "RAM unknown"
    return (
        f"{os.cpu_count()} cores ({cpu}), {ram}, Python {platform.python_version()}, "
        f"load average before the run {os.getloadavg()[0]:.2f}, "
        f"a Python loop of {LOOP_ADDITIONS:,} additions {python_loop_seconds():.2f} s"
    )
