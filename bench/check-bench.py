#!/usr/bin/env python3
"""Time `dfc --check`, and checking and generating C, on generated programs of
1k, 10k and 100k stages.

    bench/check-bench.py [--dfc build/compiler/dfc] [--runs 5] [--update]
    bench/check-bench.py --pathological [--dfc ...] [--runs 1] [--update]

For each size: the fastest of --runs wall-clock times and the peak resident
memory of the dfc process (from wait4's rusage, so the figure is dfc's own,
not this script's), for `--check` and for `-o FILE.c`, and the bytes of
generated C and header per stage.  Prints a Markdown table; --update also writes it into
docs/benchmarks.md between the check-bench markers.  Growth is reported as
the ratio of consecutive times, measured in the same run.

--pathological times the inputs of bench/gen-pathological.py instead (they
are diagnosed, so dfc's exit status and messages are not checked), with the
bytes per flow statement from the difference of two statement counts; its
table goes between the check-bench-pathological markers.
"""
import argparse
import os
import subprocess
import sys
import tempfile

SIZES = [1_000, 10_000, 100_000]
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import benchdoc  # noqa: E402  (bench/benchdoc.py)
import benchproc  # noqa: E402  (bench/benchproc.py)

PATHOLOGICAL = [("errors", 10_000), ("long-line", 1_000_000), ("long-name", 30_000),
                ("aliases", 100_000), ("par", 20_000), ("missing", 20_000), ("statements", 100_000),
                ("statements", 200_000)]


def measure(dfc, path, must_pass=True, output=None):
    """Wall time (s) and peak RSS (KiB) of one `dfc --check path`, or with
    `output` of `dfc path -o output` (check and generate)."""
    command = [dfc, path, "-o", output] if output else [dfc, "--check", path]
    return benchproc.run_measured(command, must_pass)


def pathological(args):
    rows, statements = [], {}
    with tempfile.TemporaryDirectory() as tmp:
        for kind, n in PATHOLOGICAL:
            path = os.path.join(tmp, f"{kind}-{n}.df")
            with open(path, "w") as f:
                subprocess.run([sys.executable, os.path.join(HERE, "gen-pathological.py"), kind,
                                str(n)], stdout=f, check=True)
            results = [measure(args.dfc, path, must_pass=False) for _ in range(args.runs)]
            best = min(t for t, _ in results)
            rss = max(r for _, r in results)
            if kind == "statements":
                statements[n] = rss
            rows.append(f"| {kind} | {n:,} | {os.path.getsize(path) / 1e6:.2f} MB | "
                        f"{best * 1000:.1f} ms | {rss / 1024:.1f} MiB |")
    (n1, r1), (n2, r2) = sorted(statements.items())
    per = (r2 - r1) * 1024 / (n2 - n1)
    table = "\n".join([
        f"{benchdoc.measured_on()}; best of {args.runs} runs.",
        "",
        "| input | N | source | `--check` time | peak memory |",
        "|---|---:|---:|---:|---:|",
        *rows,
        "",
        f"Memory per flow statement (peak RSS difference, {n1:,} to {n2:,} statements): "
        f"{per:.0f} bytes.",
    ])
    print(table)
    if args.update:
        benchdoc.write_section("check-bench-pathological", table)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dfc", default=os.path.join(ROOT, "build", "compiler", "dfc"))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--update", action="store_true")
    ap.add_argument("--pathological", action="store_true")
    args = ap.parse_args()
    if args.pathological:
        pathological(args)
        return

    rows, prev = [], None
    with tempfile.TemporaryDirectory() as tmp:
        for n in SIZES:
            path = os.path.join(tmp, f"{n}.df")
            with open(path, "w") as f:
                subprocess.run([sys.executable, os.path.join(HERE, "gen-large.py"), str(n)],
                               stdout=f, check=True)
            size = os.path.getsize(path)
            out = os.path.join(tmp, f"{n}.c")
            results = [measure(args.dfc, path) for _ in range(args.runs)]
            generated = [measure(args.dfc, path, output=out) for _ in range(args.runs)]
            best = min(t for t, _ in results)
            rss = max(r for _, r in results)
            gen_best = min(t for t, _ in generated)
            gen_rss = max(r for _, r in generated)
            c_size = os.path.getsize(out) + os.path.getsize(os.path.join(tmp, f"{n}.h"))
            growth = f"{best / prev[0]:.1f}x / {gen_best / prev[1]:.1f}x" if prev else "—"
            prev = (best, gen_best)
            rows.append(f"| {n:,} | {size / 1e6:.1f} MB | {best * 1000:.1f} ms | "
                        f"{rss / 1024:.1f} MiB | {gen_best * 1000:.0f} ms | {gen_rss / 1024:.1f} MiB | "
                        f"{c_size / n:,.0f} B | {growth} |")

    table = "\n".join([
        f"{benchdoc.measured_on()}; best of {args.runs} runs.",
        "",
        "| stages | source | `--check` time | peak memory | check + generate | peak memory | "
        "C and header per stage | time vs. previous (10x input): check / generate |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
        *rows,
    ])
    print(table)
    if args.update:
        benchdoc.write_section("check-bench", table)


if __name__ == "__main__":
    main()
