#!/usr/bin/env python3
"""uvio's speed beside C against libuv: the pump (1 GiB, 64 KiB writes, 16 in flight) and the
ping-pong (100,000 round trips of 64 bytes over a socketpair, one in flight), through uvio's
callback forms and its Future forms under async/await (bench/uvio_bench.nim), and the same in C
(bench/uvio_bench_c.c). Runs them interleaved and prints each median and its ratio to C.

Usage: bench/uvio_bench.py [--rounds N] [--nim NIM] [--flavour shim|direct] [--mm orc|refc]
A benchmark, not a test: run it on a quiet machine.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def build(work, nim, flavour, mm):
    c_binary = os.path.join(work, "uvio_bench_c")
    subprocess.run(["cc", "-O2", "-o", c_binary, os.path.join(ROOT, "bench", "uvio_bench_c.c"), "-luv"],
                   check=True)
    bindings = os.path.join(ROOT, "bindings", "nim" if flavour == "shim" else "nim-direct")
    nim_binary = os.path.join(work, "uvio_bench")
    subprocess.run([nim, "c", "-d:release", "--hints:off", "--mm:" + mm,
                    "--nimcache:" + os.path.join(work, "nimcache"),
                    "--path:" + os.path.join(ROOT, "bindings", "uvio"), "--path:" + bindings,
                    "-o:" + nim_binary, os.path.join(ROOT, "bench", "uvio_bench.nim")],
                   check=True, stdout=subprocess.DEVNULL)
    return c_binary, nim_binary


def figure(command):
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return float(out.split()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--nim", default="nim")
    parser.add_argument("--flavour", choices=["shim", "direct"], default="shim")
    parser.add_argument("--mm", choices=["orc", "refc"], default="orc")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        c_binary, nim_binary = build(work, args.nim, args.flavour, args.mm)
        programs = {
            ("pump", "C libuv"): [c_binary, "pump"],
            ("pump", "uvio callbacks"): [nim_binary, "pump", "callbacks"],
            ("pump", "uvio futures"): [nim_binary, "pump", "futures"],
            ("pingpong", "C libuv"): [c_binary, "pingpong"],
            ("pingpong", "uvio callbacks"): [nim_binary, "pingpong", "callbacks"],
            ("pingpong", "uvio futures"): [nim_binary, "pingpong", "futures"],
        }
        results = {key: [] for key in programs}
        for _ in range(args.rounds):
            for key, command in programs.items():   # interleaved: one of each per round
                results[key].append(figure(command))
    units = {"pump": "GiB/s", "pingpong": "round trips/s"}
    print(f"{args.rounds} interleaved rounds, medians; uvio over the {args.flavour} flavour, --mm:{args.mm}")
    for bench in ("pump", "pingpong"):
        c = statistics.median(results[(bench, "C libuv")])
        for name in ("C libuv", "uvio callbacks", "uvio futures"):
            m = statistics.median(results[(bench, name)])
            print(f"{bench:9} {name:15} {m:12.3f} {units[bench]:14} {m / c:5.2f}x C")


if __name__ == "__main__":
    sys.exit(main())
