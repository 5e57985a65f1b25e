"""Parsing bank statements: 10,000-line CAMT.053 and ING CSV, and a busy account's year.

    python benchmarks/bank_parse.py [--lines 10000] [--year 50000] [--samples 5]

Targets: import of 10,000 lines well under 2 s including the database writes, so the pure
parse should stay under 0.5 s on an idle machine; a 50,000-line CAMT.053 (35 MB, issue 14)
is parsed from the file on disk with memory bounded — its peak is printed, measured in a
process of its own (peak RSS above the process's start, and Python's own allocations with
tracemalloc), next to what the whole document as one tree would take. Pure parsing only:
no database is used. A calibration figure (a fixed pure-Python loop) is printed too, so
figures from a loaded or slow machine can be compared with those of another. The number of
recognised bank layouts (format × bank) is printed first.
"""

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from finance.bank.formats import layouts, parse_statement, samples


def timed(function, repeat: int) -> tuple[list[float], list[float]]:
    """(wall-clock seconds, CPU seconds of this process) per run."""
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        function()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return wall, cpu


def _status_mb(field: str) -> float | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return None


def _start_measuring() -> float:
    """The resident memory now, with the peak reset to it (Linux: clear_refs 5)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return _status_mb("VmRSS")
    except OSError:  # elsewhere: the lifetime peak, which includes start-up
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _peak_mb() -> float:
    return _status_mb("VmHWM") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(mode: str, path: str) -> None:
    """Run in a fresh process: parse the file and report time and memory as JSON."""
    import gc

    gc.collect()
    baseline = _start_measuring()
    start, start_cpu = time.perf_counter(), time.process_time()
    if mode == "stream":
        with open(path, "rb") as handle:
            lines = len(parse_statement(handle).lines)
    elif mode == "tracemalloc":
        import tracemalloc

        tracemalloc.start()
        with open(path, "rb") as handle:
            lines = len(parse_statement(handle).lines)
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        print(json.dumps({"lines": lines, "traced_mb": peak}))
        return
    else:  # "tree": the whole document in memory as one tree, as the parser did before
        from xml.etree.ElementTree import fromstring

        data = Path(path).read_bytes()
        lines = len(fromstring(data).findall(".//{*}Ntry"))
    seconds, cpu = time.perf_counter() - start, time.process_time() - start_cpu
    print(
        json.dumps(
            {"lines": lines, "seconds": seconds, "cpu": cpu, "rss_mb": _peak_mb() - baseline}
        )
    )


def run_child(mode: str, path: str) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, "--child", mode, path],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--year", type=int, default=50_000)
    parser.add_argument("--samples", type=int, default=5)
    parser.add_argument("--child", nargs=2, metavar=("MODE", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return

    pairs = layouts.format_bank_pairs()
    print(
        f"bank layouts recognised: {len(pairs)} (format × bank), {len(layouts.LAYOUTS)} "
        f"variants, each with a fixture"
    )
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
    del files

    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "jaar.xml"
        path.write_bytes(samples.build_camt053(args.year, seed=7, rich=True))
        size = path.stat().st_size
        streamed = run_child("stream", str(path))
        traced = run_child("tracemalloc", str(path))
        tree = run_child("tree", str(path))
        assert streamed["lines"] == traced["lines"] == tree["lines"] == args.year
        print(
            f"CAMT.053 {args.year} lines, {size / 2**20:.1f} MB, read from the file: "
            f"{streamed['seconds']:.2f} s (CPU {streamed['cpu']:.2f} s), peak memory "
            f"{streamed['rss_mb']:.0f} MB above start (RSS; Python allocations "
            f"{traced['traced_mb']:.0f} MB by tracemalloc)"
        )
        print(
            f"  for comparison, the whole document as one tree: {tree['rss_mb']:.0f} MB "
            f"(RSS above start, {tree['seconds']:.2f} s) before any line is read"
        )


if __name__ == "__main__":
    main()
