#!/usr/bin/env python3
"""uvio's speed beside C against libuv and beside Nim's other event loops: the pump (1 GiB, 64 KiB
writes, 16 in flight) and the ping-pong (100,000 round trips of 64 bytes over a socketpair, one in
flight), through uvio's callback forms and its Future forms under async/await
(bench/uvio_bench.nim), the same in C (bench/uvio_bench_c.c), in std/asyncdispatch
(bench/asyncdispatch_bench.nim), in chronos (bench/chronos_bench.nim) and through uvio's Futures
driven by asyncdispatch (bench/uvio_asyncdispatch_bench.nim). Runs each program between two runs of
C and prints its median figure and the median of its ratios to the C runs beside it, with their
quartiles. A peer that cannot be built says why in one line and is left out.

Usage: bench/uvio_bench.py [--rounds N] [--nim NIM] [--flavour shim|direct] [--mm orc|refc]
                           [--chronos DIR] [--chronos-nim NIM]
A benchmark, not a test: run it on a quiet machine.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "bench")
CHRONOS_PACKAGES = ("chronos", "results", "stew")   # chronos and what its core imports


def nim_version(nim):
    """(major, minor, patch) of a Nim compiler, or None when it does not run."""
    try:
        out = subprocess.run([nim, "--version"], check=True, capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    found = re.search(r"Version (\d+)\.(\d+)\.(\d+)", out)
    return tuple(int(part) for part in found.groups()) if found else None


def build_nim(work, nim, mm, source, paths):
    """Compiles a Nim program; its path, or the compiler's last line of error."""
    binary = os.path.join(work, os.path.splitext(os.path.basename(source))[0])
    command = [nim, "c", "-d:release", "--hints:off", "--mm:" + mm,
               "--nimcache:" + os.path.join(work, "nimcache", os.path.basename(binary)),
               *["--path:" + path for path in paths], "-o:" + binary, source]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        lines = (result.stdout + result.stderr).strip().splitlines()
        return None, lines[-1] if lines else "the compiler failed"
    return binary, None


def build(work, args):
    """The programs to run, keyed by (benchmark, name); prints why a peer is left out."""
    c_binary = os.path.join(work, "uvio_bench_c")
    subprocess.run(["cc", "-O2", "-o", c_binary, os.path.join(BENCH, "uvio_bench_c.c"), "-luv"],
                   check=True)
    bindings = os.path.join(ROOT, "bindings", "nim" if args.flavour == "shim" else "nim-direct")
    uvio_paths = [os.path.join(ROOT, "bindings", "uvio"), bindings]
    uvio_binary, error = build_nim(work, args.nim, args.mm, os.path.join(BENCH, "uvio_bench.nim"),
                                   uvio_paths)
    if error:
        sys.exit("uvio_bench.nim does not build: " + error)
    programs = {}
    for bench in ("pump", "pingpong"):
        programs[(bench, "C libuv")] = [c_binary, bench]
        programs[(bench, "uvio callbacks")] = [uvio_binary, bench, "callbacks"]
        programs[(bench, "uvio futures")] = [uvio_binary, bench, "futures"]

    peers = [("asyncdispatch", "asyncdispatch_bench.nim", args.nim, []),
             ("uvio over asyncdispatch", "uvio_asyncdispatch_bench.nim", args.nim, uvio_paths)]
    chronos_paths = [os.path.join(args.chronos, package) for package in CHRONOS_PACKAGES]
    missing = [path for path in chronos_paths if not os.path.isdir(path)]
    chronos_nim = args.chronos_nim or args.nim
    version = nim_version(chronos_nim)
    if missing:
        print(f"chronos: left out, {missing[0]} is missing (--chronos DIR holds chronos/, results/, stew/)")
    elif version is None or version < (1, 6, 16):
        print(f"chronos: left out, it needs Nim 1.6.16 or newer and {chronos_nim} is "
              f"{'.'.join(map(str, version)) if version else 'not a Nim compiler'} (--chronos-nim NIM)")
    else:
        peers.append(("chronos", "chronos_bench.nim", chronos_nim, chronos_paths))
    for name, source, nim, paths in peers:
        binary, error = build_nim(work, nim, args.mm, os.path.join(BENCH, source), paths)
        if error:
            print(f"{name}: left out, {source} does not build: {error}")
            continue
        for bench in ("pump", "pingpong"):
            programs[(bench, name)] = [binary, bench]
    return programs


def figure(command):
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return float(out.split()[-1])


def run_bracketed(programs, rounds):
    """Runs each program ``rounds`` times, every run between two runs of C of the same benchmark
    (C, X, C, Y, C, ...), and gives each run's figure and its ratio to the mean of the two C runs
    beside it. The machine's speed drifts within a minute (the pump's by a quarter here); a ratio
    to the C runs just before and after a run measures the program, not the drift."""
    figures = {key: [] for key in programs}
    ratios = {key: [] for key in programs}
    for _ in range(rounds):
        for bench in ("pump", "pingpong"):
            c_key = (bench, "C libuv")
            others = [key for key in programs if key[0] == bench and key != c_key]
            before = figure(programs[c_key])
            figures[c_key].append(before)
            for key in others:
                value = figure(programs[key])
                after = figure(programs[c_key])
                figures[key].append(value)
                figures[c_key].append(after)
                ratios[key].append(value / ((before + after) / 2))
                before = after
    return figures, ratios


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--nim", default="nim", help="the Nim of uvio and asyncdispatch")
    parser.add_argument("--flavour", choices=["shim", "direct"], default="shim")
    parser.add_argument("--mm", choices=["orc", "refc"], default="orc")
    parser.add_argument("--chronos", default=os.path.join(os.path.dirname(ROOT), "shared", "peers", "nim-chronos"),
                        help="a folder holding chronos/, results/ and stew/ (default: ../shared/peers/nim-chronos)")
    parser.add_argument("--chronos-nim", help="the Nim of chronos (default: --nim), 1.6.16 or newer")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        programs = build(work, args)
        figures, ratios = run_bracketed(programs, args.rounds)
    units = {"pump": "GiB/s", "pingpong": "round trips/s"}
    version = ".".join(map(str, nim_version(args.nim) or ()))
    print(f"{args.rounds} rounds, each run between two runs of C; Nim {version} --mm:{args.mm}, "
          f"uvio over the {args.flavour} flavour")
    print(f"{'':9} {'':24} {'median':>12} {'':14} {'ratio to C':>10} {'(quartiles)':>13}")
    for bench in ("pump", "pingpong"):
        for (name_bench, name), values in figures.items():
            if name_bench != bench:
                continue
            m = statistics.median(values)
            if name == "C libuv":
                print(f"{bench:9} {name:24} {m:12.3f} {units[bench]:14} {1:9.2f}x")
                continue
            r = ratios[(bench, name)]
            low, _, high = statistics.quantiles(r, n=4) if len(r) > 1 else (r[0], r[0], r[0])
            print(f"{bench:9} {name:24} {m:12.3f} {units[bench]:14} {statistics.median(r):9.2f}x"
                  f"  ({low:.2f}-{high:.2f})")


if __name__ == "__main__":
    sys.exit(main())
