#!/usr/bin/env python3
"""Time `dfc --check` on generated programs of 1k, 10k and 100k stages.

    bench/check-bench.py [--dfc build/compiler/dfc] [--runs 5] [--update]

For each size: the fastest of --runs wall-clock times and the peak resident
memory of the dfc process (from wait4's rusage, so the figure is dfc's own,
not this script's).  Prints a Markdown table; --update also writes it into
docs/benchmarks.md between the check-bench markers.  Growth is reported as
the ratio of consecutive times, measured in the same run.
"""
import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time

SIZES = [1_000, 10_000, 100_000]
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BEGIN, END = "<!-- check-bench:begin -->", "<!-- check-bench:end -->"


def measure(dfc, path):
    """Wall time (s) and peak RSS (KiB) of one `dfc --check path`."""
    start = time.perf_counter()
    proc = subprocess.Popen([dfc, "--check", path], stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    err = proc.stderr.read().decode()
    proc.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0 or err:
        sys.exit(f"dfc --check {path} failed:\n{err}")
    return elapsed, usage.ru_maxrss


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dfc", default=os.path.join(ROOT, "build", "compiler", "dfc"))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--update", action="store_true")
    args = ap.parse_args()

    rows, prev = [], None
    with tempfile.TemporaryDirectory() as tmp:
        for n in SIZES:
            path = os.path.join(tmp, f"{n}.df")
            with open(path, "w") as f:
                subprocess.run([sys.executable, os.path.join(HERE, "gen-large.py"), str(n)],
                               stdout=f, check=True)
            size = os.path.getsize(path)
            results = [measure(args.dfc, path) for _ in range(args.runs)]
            best = min(t for t, _ in results)
            rss = max(r for _, r in results)
            growth = f"{best / prev:.1f}x" if prev else "—"
            prev = best
            rows.append(f"| {n:,} | {size / 1e6:.1f} MB | {best * 1000:.1f} ms | "
                        f"{rss / 1024:.1f} MiB | {growth} |")

    table = "\n".join([
        f"Measured {time.strftime('%Y-%m-%d')} on {platform.machine()}, "
        f"{os.cpu_count()} cores; best of {args.runs} runs.",
        "",
        "| stages | source | `--check` time | peak memory | time vs. previous (10x input) |",
        "|---:|---:|---:|---:|---:|",
        *rows,
    ])
    print(table)
    if args.update:
        doc = os.path.join(ROOT, "docs", "benchmarks.md")
        text = open(doc).read()
        head, rest = text.split(BEGIN, 1)
        _, tail = rest.split(END, 1)
        with open(doc, "w") as f:
            f.write(f"{head}{BEGIN}\n{table}\n{END}{tail}")


if __name__ == "__main__":
    main()
