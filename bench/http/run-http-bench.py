#!/usr/bin/env python3
"""Run the HTTP benchmark and record its table in docs/benchmarks.md.

    bench/http/run-http-bench.py [--bench build/bench/http-bench]
        [--server build/tests/server/dfstd-test-server] [--quick] [--update]

Starts the bundled test server (tests/server/README.md) on 127.0.0.1 at a
free port with --breweries N, its stdin a pipe that only this script holds
(so the server ends with the script, however it ends), reads the URL it
prints, and runs http-bench against it.  The benchmark itself
(http-bench.c) measures std/http.df's stages against a hand-written
libsoup loop in one run and prints a Markdown table; this script adds the
date and the machine and, with --update, replaces the text between the
http-bench markers.
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import benchdoc  # noqa: E402  (bench/benchdoc.py)
BREWERIES, BREWERIES_QUICK = 5000, 200


def children_cpu():
    """CPU seconds of the children that have ended and been waited for."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_against_server(server, bench, breweries):
    """The benchmark's table, run against a server of its own, and a line
    on the server's CPU time per request."""
    proc = subprocess.Popen([server, "--port", "0", "--breweries", str(breweries)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        url = proc.stdout.readline().strip()
        if not url.startswith("http://127.0.0.1:"):
            sys.exit(f"run-http-bench: the server did not start (it printed {url!r})")
        cmd = [bench, "--url", url, "--breweries", str(breweries)]
        # Straight to 127.0.0.1 whatever proxy the environment names: GLib's
        # resolver that never proxies, for dfstd's session and the loop's
        # alike, not libproxy's (which asks on a thread of its own for every
        # connection, and throws a C++ exception that ASan cannot follow).
        env = dict(os.environ, GIO_USE_PROXY_RESOLVER="dummy")
        table = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True,
                               env=env).stdout.strip()
        # /stats is not counted among the requests it reports.
        with urllib.request.urlopen(url + "stats", timeout=30) as response:
            requests = json.load(response)["total"]
        before = children_cpu()   # the benchmark's, now that it has ended
    finally:
        proc.stdin.close()   # the server ends at the end of its input
        if proc.wait(timeout=30) != 0:
            sys.exit(f"run-http-bench: the server exited with {proc.returncode}")
    server_cpu = children_cpu() - before
    return (f"{table}\n\nThe server, a process of its own, used {server_cpu:.2f} s of CPU "
            f"for the {requests} requests of the whole run: "
            f"{server_cpu / requests * 1e6:.0f} µs per request.")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bench", default=os.path.join(ROOT, "build", "bench", "http-bench"))
    ap.add_argument("--server",
                    default=os.path.join(ROOT, "build", "tests", "server", "dfstd-test-server"))
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--update", action="store_true")
    args = ap.parse_args()

    for path in (args.bench, args.server):
        if not os.access(path, os.X_OK):
            sys.exit(f"run-http-bench: no program at {path} (build it: ninja -C build)")
    breweries = BREWERIES_QUICK if args.quick else BREWERIES
    table = run_against_server(args.server, args.bench, breweries)
    text = f"{benchdoc.measured_on(args.quick)}; N = {breweries}. {table}"
    print(text)
    if args.update:
        benchdoc.write_section("http-bench", text)


if __name__ == "__main__":
    main()
