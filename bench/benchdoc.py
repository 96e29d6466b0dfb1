"""benchdoc.py — what every script of bench/ writes into docs/benchmarks.md.

measured_on(quick) is the line that says where and when a table was
measured; write_section(name, text) puts text between the page's
<!-- NAME:begin --> and <!-- NAME:end --> markers, leaving the rest alone.
"""
import os
import platform
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOC = os.path.join(ROOT, "docs", "benchmarks.md")


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def measured_on(quick=False):
    return (f"Measured {time.strftime('%Y-%m-%d')} on {platform.machine()} ({cpu_model()}), "
            f"{os.cpu_count()} cores, {platform.system()} {platform.release()}"
            f"{' (--quick)' if quick else ''}")


def write_section(name, text):
    begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
    with open(DOC) as f:
        content = f.read()
    head, rest = content.split(begin, 1)
    _, tail = rest.split(end, 1)
    with open(DOC, "w") as f:
        f.write(f"{head}{begin}\n{text}\n{end}{tail}")
