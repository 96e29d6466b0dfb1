#!/usr/bin/env python3
"""Time checking and generating one long flow, per visibility.

    bench/flow-gen-bench.py [--dfc build/compiler/dfc] [--runs 3] [--update]
                            [--sizes 1000,10000,100000] [--against OTHER_DFC]

Writes one flow of N call statements for each visibility (none, initial,
all) and runs `dfc --check FILE` and `dfc FILE -o OUT.c` on it.  The flow
repeats a group of nine calls that uses every construct lowering has to
place values through: a plain call, a call with two outputs, an `if`/`else`
whose paths merge, a nested block, a `par` of two branches and a join.
Its values are owned (`free = g_free`), so every one gets a free placed.
Under `all` each value has a name of its own (`a3`, `b3`, …), as that
visibility requires; under `none` and `initial` every statement reads the
one before it.

For each size and visibility: the fastest of --runs wall-clock times of
each command and the peak resident memory of the generating dfc (from
wait4's rusage, so the figure is dfc's own).  Growth is the ratio of
consecutive sizes' generation times, measured in the same run.  With
--against, a second dfc runs the same inputs, the two taking turns run by
run, and the table gets its generation times and peak memory too (for a
before/after comparison).
Prints a Markdown table; --update writes it into docs/benchmarks.md
between the flow-gen-bench markers.
"""
import argparse
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import benchdoc  # noqa: E402  (bench/benchdoc.py)
import benchproc  # noqa: E402  (bench/benchproc.py)

VISIBILITIES = ["none", "initial", "all"]
CALLS_PER_GROUP = 9

DECLARATIONS = """type Text = char * { free = g_free; copy = g_strdup; };
stage step(x: Text) -> (x: Text);
stage test(x: Text) -> (ok: gboolean, x: Text);
stage left(x: Text) -> (l: Text);
stage right(x: Text) -> (r: Text);
stage join(l: Text, r: Text) -> (x: Text);
"""


def group_shared(i):
    """Nine calls, each reading what the statement before it left (the
    first reads the flow's input, `v0`: under `initial` the inputs stay
    visible, so `x` cannot be one)."""
    first = "    step(x = v0);\n" if i == 0 else "    step;\n"
    return first + ("    test;\n"
                    "    if (ok) step; else step;\n"
                    "    { step; step; }\n"
                    "    par { left; right; }\n"
                    "    join;\n")


def group_named(i):
    """The same nine calls under `all`: every value has its own name."""
    return (f"    step(x = v{i}) => (a{i} = x);\n"
            f"    test(x = a{i}) => (k{i} = ok, b{i} = x);\n"
            f"    if (k{i}) step(x = b{i}) => (c{i} = x); else step(x = b{i}) => (c{i} = x);\n"
            f"    {{ step(x = c{i}) => (d{i} = x); step(x = d{i}) => (e{i} = x); }}\n"
            f"    par {{ left(x = e{i}) => (l{i} = l); right(x = e{i}) => (r{i} = r); }}\n"
            f"    join(l = l{i}, r = r{i}) => (v{i + 1} = x);\n")


def flow_source(visibility, calls):
    """A program whose one flow has `calls` call statements (rounded down
    to whole groups)."""
    groups = max(1, calls // CALLS_PER_GROUP)
    if visibility == "all":
        head = f"flow f(v0: Text) -> (v{groups}: Text) visibility all {{\n"
        body = "".join(group_named(i) for i in range(groups))
    else:
        head = f"flow f(v0: Text) -> (x: Text) visibility {visibility} {{\n"
        body = "".join(group_shared(i) for i in range(groups))
    return DECLARATIONS + head + body + "}\n", groups * CALLS_PER_GROUP


def measure(dfcs, path, out, runs):
    """Per dfc: (fastest --check, fastest generation, peak RSS of generation
    KiB).  The dfcs take turns run by run, so a slow spell of the machine
    falls on all of them."""
    checks = [[] for _ in dfcs]
    gens = [[] for _ in dfcs]
    for _ in range(runs):
        for i, dfc in enumerate(dfcs):
            checks[i].append(benchproc.run_measured([dfc, "--check", path])[0])
            gens[i].append(benchproc.run_measured([dfc, path, "-o", out]))
    return [(min(checks[i]), min(t for t, _ in gens[i]), max(r for _, r in gens[i]))
            for i in range(len(dfcs))]


def ms(seconds):
    return f"{seconds * 1000:,.0f} ms" if seconds >= 0.01 else f"{seconds * 1000:.1f} ms"


def table(args, rows, against):
    head = "| visibility | call statements | `--check` | generate C | peak RSS (generate) | growth (generate) |"
    rule = "|---|---:|---:|---:|---:|---:|"
    if against:
        head += " generate C, before | before / now | peak RSS, before |"
        rule += "---:|---:|---:|"
    lines = [f"{benchdoc.measured_on()}. Each time is the fastest of {args.runs} runs.", "", head, rule]
    previous = {}
    for vis, n, check, gen, rss, other in rows:
        growth = f"{gen / previous[vis]:.1f}x" if vis in previous else "—"
        previous[vis] = gen
        line = f"| `{vis}` | {n:,} | {ms(check)} | {ms(gen)} | {rss / 1024:.1f} MiB | {growth} |"
        if against:
            other_gen, other_rss = other
            line += f" {ms(other_gen)} | {other_gen / gen:.1f}x | {other_rss / 1024:.1f} MiB |"
        lines.append(line)
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dfc", default=os.path.join(ROOT, "build", "compiler", "dfc"))
    parser.add_argument("--against", help="a second dfc to time on the same inputs")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--update", action="store_true")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.c")
        for vis in VISIBILITIES:
            for size in sizes:
                path = os.path.join(tmp, f"{vis}-{size}.df")
                source, calls = flow_source(vis, size)
                with open(path, "w") as f:
                    f.write(source)
                dfcs = [args.dfc] + ([args.against] if args.against else [])
                results = measure(dfcs, path, out, args.runs)
                check, gen, rss = results[0]
                other = (results[1][1], results[1][2]) if args.against else None
                rows.append((vis, calls, check, gen, rss, other))
                print(f"{vis} {calls}: check {ms(check)}, generate {ms(gen)}, {rss / 1024:.1f} MiB"
                      + (f", before {ms(other[0])}" if other is not None else ""), file=sys.stderr)
    text = table(args, rows, args.against is not None)
    print(text)
    if args.update:
        benchdoc.write_section("flow-gen-bench", text)


if __name__ == "__main__":
    main()
