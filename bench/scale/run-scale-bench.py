#!/usr/bin/env python3
"""Run the scale-out benchmark and record its table in docs/benchmarks.md.

    bench/scale/run-scale-bench.py [--bench build/bench/scale-bench] [--quick] [--update]

Starts a redis-server of its own on 127.0.0.1 at a free port (no
persistence, in a temporary directory), then in the same run: Redis's own
XADD rate from redis-benchmark (pipelined 16 deep, as dfc's writer
pipelines its XADDs), items per second through one remote edge
(scale-bench throughput: src -> count, both in one process, every item
through the stream), and the added latency at low load (one item every
2 ms, emit to call) against the same graph without the stream.
"""
import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import benchdoc  # noqa: E402  (bench/benchdoc.py)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_redis(tmp):
    port = free_port()
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", tmp, "--protected-mode", "no", "--loglevel",
         "warning"], stdout=subprocess.DEVNULL)
    for _ in range(500):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.1) as c:
                c.sendall(b"PING\r\n")
                if c.recv(16).startswith(b"+PONG"):
                    return server, port
        except OSError:
            time.sleep(0.01)
    server.kill()
    sys.exit("run-scale-bench: redis-server did not start")


def redis_xadd_rate(port, n):
    out = subprocess.run(
        ["redis-benchmark", "-p", str(port), "-n", str(n), "-P", "16", "-q", "XADD",
         "rbench", "*", "v", "12345", "at", "1234567890123"],
        check=True, capture_output=True, text=True).stdout
    # "XADD rbench * v ...: 123456.79 requests per second, p50=..."
    return float(out.rsplit(":", 1)[1].split()[0].replace(",", ""))


def bench(cmd):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.split()
    items, seconds, rate, mean, median, peak = out
    return {"items": int(items), "rate": float(rate), "mean": float(mean),
            "median": int(median), "max": int(peak)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bench", default=os.path.join(ROOT, "build", "bench", "scale-bench"))
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--update", action="store_true")
    args = ap.parse_args()
    if not shutil.which("redis-server") or not shutil.which("redis-benchmark"):
        sys.exit("run-scale-bench: needs redis-server and redis-benchmark "
                 "(scripts/install-deps --test)")

    n = 20000 if args.quick else 200000
    low = 200 if args.quick else 1000
    with tempfile.TemporaryDirectory() as tmp:
        server, port = start_redis(tmp)
        try:
            xadd = redis_xadd_rate(port, n)
            through = bench([args.bench, "throughput", str(port), str(n)])
            remote = bench([args.bench, "latency", str(port), str(low), "2000"])
            local = bench([args.bench, "local-latency", str(low), "2000"])
        finally:
            server.terminate()
            server.wait()
    ratio = through["rate"] / xadd
    text = (f"{benchdoc.measured_on(args.quick)}.\n\n"
            "| measurement | figure | baseline in the same run | ratio |\n"
            "|---|---:|---:|---:|\n"
            f"| items through one remote edge ({n:,} items) | {through['rate']:,.0f} items/s "
            f"| redis-benchmark XADD, pipelined 16: {xadd:,.0f}/s | {ratio:.2f}x |\n"
            f"| emit to call at low load ({low:,} items, one per 2 ms), through the stream "
            f"| mean {remote['mean']:,.0f} µs, median {remote['median']:,} µs, "
            f"max {remote['max']:,} µs "
            f"| the same graph without the stream: mean {local['mean']:,.0f} µs "
            f"| +{remote['mean'] - local['mean']:,.0f} µs |\n\n"
            f"Aim: at least half of redis-benchmark's XADD rate: "
            f"{'met' if ratio >= 0.5 else 'missed'} ({ratio:.2f}x).")
    print(text)
    if args.update:
        benchdoc.write_section("scale-bench", text)


if __name__ == "__main__":
    main()
