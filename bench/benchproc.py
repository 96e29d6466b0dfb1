"""benchproc.py — one command's wall time and peak memory, for bench/'s scripts.

run_measured(command, must_pass) runs the command with its standard error
kept aside and returns (wall seconds, peak RSS in KiB).  The memory is the
child's own, from wait4's rusage, not the script's.  With must_pass the
command must exit 0 and print nothing on standard error, or the script
stops with what it printed.
"""
import os
import subprocess
import sys
import tempfile
import time


def run_measured(command, must_pass=True):
    start = time.perf_counter()
    with tempfile.TemporaryFile() as err_file:
        proc = subprocess.Popen(command, stderr=err_file)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        err_file.seek(0)
        err = err_file.read().decode(errors="replace")
    if must_pass and (os.waitstatus_to_exitcode(status) != 0 or err):
        sys.exit(f"{' '.join(command)} failed:\n{err}")
    return elapsed, usage.ru_maxrss
