"""Parsing bank statements: a 10,000-line CAMT.053 and a 10,000-line ING CSV.

    python benchmarks/bank_parse.py [--lines 10000] [--samples 5]

Target (bank-statement issue): import of 10,000 lines well under 2 s including the database
writes, so the pure parse should stay under 0.5 s. Pure parsing only: no database is used.
A calibration figure (a fixed pure-Python loop) is printed too, so figures from a loaded or
slow machine can be compared with those of another.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from finance.bank.formats import parse_statement, samples


def timed(function, repeat: int) -> tuple[list[float], list[float]]:
    """(wall-clock seconds, CPU seconds of this process) per run."""
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        function()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--samples", type=int, default=5)
    args = parser.parse_args()

    calibration = min(timed(lambda: sum(range(5_000_000)), 3)[0])
    print(f"calibration: sum(range(5e6)) {calibration * 1000:.0f} ms (idle laptop: about 60-90 ms)")

    files = {
        "CAMT.053": samples.build_camt053(args.lines),
        "ING CSV": samples.build_csv(args.lines),
    }
    parse_statement(files["ING CSV"][:2000].rsplit(b"\r\n", 1)[0])  # warm caches and imports
    for label, data in files.items():
        statement = parse_statement(data)
        assert len(statement.lines) == args.lines
        wall, cpu = timed(lambda data=data: parse_statement(data), args.samples)
        median = statistics.median(wall)
        print(
            f"{label:9} {args.lines} lines, {len(data) / 1e6:.1f} MB: median {median:.3f} s, "
            f"best {min(wall):.3f} s, CPU median {statistics.median(cpu):.3f} s, "
            f"{args.lines / median:,.0f} lines/s (target < 0.5 s: "
            f"{'ok' if median < 0.5 else 'NOT MET on this machine'})"
        )


if __name__ == "__main__":
    main()
