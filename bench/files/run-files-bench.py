#!/usr/bin/env python3
"""Run the files benchmark and record its table in docs/benchmarks.md.

    bench/files/run-files-bench.py [--bench build/bench/files-bench] [--quick] [--update]

The benchmark itself (files-bench.c) measures, in one run, write_csv
against an fwrite loop, read_lines against cat, and sqlite_insert at two
batch sizes, and prints a Markdown table; this script adds the date and
the machine and, with --update, replaces the text between the files-bench
markers.
"""
import argparse
import os
import platform
import subprocess
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BEGIN, END = "<!-- files-bench:begin -->", "<!-- files-bench:end -->"


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bench", default=os.path.join(ROOT, "build", "bench", "files-bench"))
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--update", action="store_true")
    args = ap.parse_args()

    cmd = [args.bench] + (["--quick"] if args.quick else [])
    table = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.strip()
    text = (f"Measured {time.strftime('%Y-%m-%d')} on {platform.machine()} ({cpu_model()}), "
            f"{os.cpu_count()} cores, {platform.system()} {platform.release()}"
            f"{' (--quick)' if args.quick else ''}. {table}")
    print(text)
    if args.update:
        doc = os.path.join(ROOT, "docs", "benchmarks.md")
        content = open(doc).read()
        head, rest = content.split(BEGIN, 1)
        _, tail = rest.split(END, 1)
        with open(doc, "w") as f:
            f.write(f"{head}{BEGIN}\n{text}\n{END}{tail}")


if __name__ == "__main__":
    main()
