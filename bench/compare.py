#!/usr/bin/env python3
"""Runs two commands side by side, interleaved, and prints medians: wall time, CPU time (user +
system of the whole process tree) and peak memory (the largest sum of the tree's resident sets
seen, sampled every 2 ms, and the largest single process's, as /usr/bin/time reports it).

Used by bench/floor.sh; one case per call:

    compare.py LABEL RUNS UNITS -- COMMAND_A... -- COMMAND_B...

UNITS (the units the case holds) gives the cost per unit. Each command may contain {i}, replaced
by the run's number (for output directories of their own). Prints one line:
LABEL, then for A and B: wall ms, cpu ms, tree peak MiB, process peak MiB; then the ratios.
"""

import os
import resource
import statistics
import subprocess
import sys
import time


def children(pid):
    """Every descendant of pid (through /proc/PID/task/*/children)."""
    out = []
    stack = [pid]
    while stack:
        p = stack.pop()
        try:
            tasks = os.listdir(f"/proc/{p}/task")
        except OSError:
            continue
        for t in tasks:
            try:
                with open(f"/proc/{p}/task/{t}/children") as f:
                    kids = [int(k) for k in f.read().split()]
            except OSError:
                continue
            out.extend(kids)
            stack.extend(kids)
    return out


def rss_kib(pid):
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * (os.sysconf("SC_PAGE_SIZE") // 1024)
    except OSError:
        return 0


def run(command, sample_memory):
    """Wall seconds, CPU seconds, peak tree RSS KiB, peak process RSS KiB of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    tree_peak = 0
    if sample_memory:
        while proc.poll() is None:
            tree = [proc.pid] + children(proc.pid)
            tree_peak = max(tree_peak, sum(rss_kib(p) for p in tree))
            time.sleep(0.002)
    proc.wait()
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode not in (0, 1):
        sys.exit(f"failed ({proc.returncode}): {' '.join(command)}")
    return wall, cpu, tree_peak


def process_peak(command):
    """The largest single process's resident set, by GNU time (KiB)."""
    out = subprocess.run(
        ["/usr/bin/time", "-f", "%M"] + command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    return int(out.stderr.strip().splitlines()[-1])


def main():
    args = sys.argv[1:]
    label, runs, units = args[0], int(args[1]), int(args[2])
    rest = args[3:]
    split = [i for i, a in enumerate(rest) if a == "--"]
    a, b = rest[split[0] + 1 : split[1]], rest[split[1] + 1 :]
    times = {"A": [], "B": []}
    cpus = {"A": [], "B": []}
    trees = {"A": [], "B": []}
    for i in range(runs):
        for key, command in (("A", a), ("B", b)):
            command = [c.replace("{i}", str(i)) for c in command]
            # Memory is sampled on every other run: the sampler costs some CPU.
            wall, cpu, tree = run(command, sample_memory=(i % 2 == 1 or runs == 1))
            times[key].append(wall)
            cpus[key].append(cpu)
            if tree:
                trees[key].append(tree)
    peak = {
        k: process_peak([c.replace("{i}", "peak") for c in cmd])
        for k, cmd in (("A", a), ("B", b))
    }
    med = {k: statistics.median(v) for k, v in times.items()}
    cpu = {k: statistics.median(v) for k, v in cpus.items()}
    tree = {k: max(v) if v else 0 for k, v in trees.items()}
    per_unit = {k: med[k] / units * 1000 for k in med}
    print(
        f"{label:<28} yusuan {med['A']*1000:9.1f} ms wall {cpu['A']*1000:9.1f} ms cpu "
        f"{tree['A']/1024:7.1f} MiB tree {peak['A']/1024:7.1f} MiB proc "
        f"{per_unit['A']:7.3f} ms/unit | floor {med['B']*1000:8.1f} ms wall {cpu['B']*1000:8.1f} ms cpu "
        f"{tree['B']/1024:7.1f} MiB | ratio wall {med['A']/med['B']:5.2f} cpu {cpu['A']/cpu['B']:5.2f} "
        f"mem {tree['A']/max(tree['B'],1):5.2f}",
        flush=True,
    )


if __name__ == "__main__":
    main()
