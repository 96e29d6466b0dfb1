#!/usr/bin/env python3
"""Run the flow benchmark and record its table in docs/benchmarks.md.

    bench/flows/run-flow-bench.py [--bench build/bench/flow-bench] [--quick] [--update]

The benchmark itself (flow-bench.c) measures generated flows against
hand-written C and the naive GLib way in one run and prints a Markdown
table; this script adds the date and machine and, with --update, replaces
the text between the flow-bench markers.
"""
import argparse
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import benchdoc  # noqa: E402  (bench/benchdoc.py)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bench", default=os.path.join(ROOT, "build", "bench", "flow-bench"))
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--update", action="store_true")
    args = ap.parse_args()

    cmd = [args.bench] + (["--quick"] if args.quick else [])
    table = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.strip()
    text = f"{benchdoc.measured_on(args.quick)}.\n\n{table}"
    print(text)
    if args.update:
        benchdoc.write_section("flow-bench", text)


if __name__ == "__main__":
    main()
