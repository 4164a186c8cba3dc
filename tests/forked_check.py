"""`kfm-bot check` on many repositories, each case its own forked process with its own limits.

Run as `python -m tests.forked_check < request.json > answer.json` by
tests/test_bad_inputs_check.py. A fresh `kfm-bot check` spends about half its CPU starting the
interpreter and importing the gates; paid once per case, that was most of the hostile-input
suite's time. This server pays it once, then forks one child per case: each child is still a
separate process with its own address-space and CPU limits, its own output file, and its own
exit status and resource usage (from wait4), so one input cannot hide or slow down another.

What a fresh process would have paid is kept in the figure: the server reports the CPU it spent
starting up and importing, and the test adds it to every child's own CPU before comparing with
the 2 s bound. What it imports is learnt from one clean run (`preload`); importing more than a
given case needs only makes that sum larger, and anything it missed a case imports itself.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import resource
import sys
import time
import traceback
from typing import Any, NoReturn

from kfm_bot.cli import main


def cpu_seconds(usage: resource.struct_rusage) -> float:
    return usage.ru_utime + usage.ru_stime


def _child(job: dict[str, Any], memory: int, cpu: int) -> NoReturn:
    """The case, as `python -m kfm_bot check ARGS > out 2>&1` would run it; never returns."""
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    # CPU time, not wall time, is what a case costs: this machine's neighbours share the CPUs.
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    out = os.open(job["out"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(out, 1)
    os.dup2(out, 2)
    code = 1
    try:
        main(["check", *job["args"]])
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 1
    except BaseException:  # what the interpreter would print for an escaped error
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
    os._exit(code)  # no atexit handlers or buffers of the server's own to run twice


def _modules_a_check_imports(args: list[str]) -> list[str]:
    """The modules one `kfm-bot check ARGS` run imports, in order, learnt in a throwaway child:
    the command and its gates import most of what they use lazily, on first use."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        quiet = os.open(os.devnull, os.O_WRONLY)
        os.dup2(quiet, 1)
        os.dup2(quiet, 2)
        with contextlib.suppress(SystemExit):
            main(["check", *args])
        os.write(write, json.dumps(list(sys.modules)).encode())
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        names: list[str] = json.loads(pipe.read() or b"[]")
    os.waitpid(pid, 0)
    return names


def preload(args: list[str]) -> None:
    """Import here, once, what every case would otherwise import for itself."""
    for name in _modules_a_check_imports(args):
        if name not in sys.modules:
            # A name that is not importable on its own (an alias a package installs) is
            # imported by the child that needs it, and charged to that child.
            with contextlib.suppress(Exception):
                importlib.import_module(name)


def serve(jobs: list[dict[str, Any]], children: int, memory: int, cpu: int) -> dict[str, Any]:
    """Every job run in a forked child, at most `children` at a time; results by job key.

    The start-up CPU is this process's own so far (interpreter, imports); the throwaway
    child's CPU is not in it, nor any case's."""
    startup = cpu_seconds(resource.getrusage(resource.RUSAGE_SELF))
    pending = list(reversed(jobs))
    running: dict[int, tuple[str, float]] = {}
    results: dict[str, dict[str, Any]] = {}
    while pending or running:
        while pending and len(running) < children:
            job = pending.pop()
            sys.stdout.flush()  # nothing of ours for the child to write out a second time
            pid = os.fork()
            if pid == 0:
                _child(job, memory, cpu)
            running[pid] = (job["key"], time.monotonic())
        pid, status, usage = os.wait4(-1, 0)
        key, started = running.pop(pid)
        results[key] = {
            "code": os.waitstatus_to_exitcode(status),
            "cpu_seconds": cpu_seconds(usage),
            "wall_seconds": time.monotonic() - started,
        }
    return {"startup_cpu_seconds": startup, "results": results}


if __name__ == "__main__":
    request = json.load(sys.stdin)
    preload(request["preload"])
    answer = serve(request["jobs"], request["children"], request["memory"], request["cpu"])
    json.dump(answer, sys.stdout)
