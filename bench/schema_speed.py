#!/usr/bin/env python3
"""Median wall time of `uvgen schema`, and with --root of the main job
`uvgen generate --root ROOT` (parse, plan, render every output, compare it
with the file there and write what changed: nothing, on an up-to-date
checkout) and `uvgen generate --root ROOT --check`, against
`clang -fsyntax-only` on a file that includes the same uv.h, run alternately
in one session, and their ratios.

With --target TRIPLE both parse for that target (`uvgen schema --target`,
`clang --target=`); `generate` always parses for the host.

usage: bench/schema_speed.py UVGEN [--clang CLANG] [--header UV_H] [--target TRIPLE] [--runs N] [--root ROOT]
"""
import argparse
import os
import statistics
import subprocess
import tempfile
import time


def median_seconds(command, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("uvgen")
    parser.add_argument("--clang", default="clang")
    parser.add_argument("--header", default="/usr/include/uv.h")
    parser.add_argument("--target", help="a target triple for `uvgen schema` and clang (not for generate)")
    parser.add_argument("--runs", type=int, default=31)
    parser.add_argument("--root", help="a checkout whose committed outputs `generate --check` compares")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        source = os.path.join(folder, "includes_uv.c")
        with open(source, "w") as f:
            f.write(f'#include "{args.header}"\n')
        uvgen = [args.uvgen, "schema", "--header", args.header, "-o", os.path.join(folder, "uv.json")]
        clang = [args.clang, "-fsyntax-only", source]
        if args.target:
            uvgen += ["--target", args.target]
            clang += [f"--target={args.target}"]
        generate = [args.uvgen, "generate", "--root", args.root] if args.root else None
        check = generate + ["--check"] if generate else None
        # Warm the page cache for all, then measure them interleaved in rounds
        # so that drift in machine load affects them alike.
        median_seconds(uvgen, 3)
        median_seconds(clang, 3)
        if generate:
            median_seconds(generate, 3)
            median_seconds(check, 3)
        uvgen_times, clang_times, generate_times, check_times = [], [], [], []
        for _ in range(args.runs):
            uvgen_times.append(median_seconds(uvgen, 1))
            clang_times.append(median_seconds(clang, 1))
            if generate:
                generate_times.append(median_seconds(generate, 1))
                check_times.append(median_seconds(check, 1))
    uvgen_median = statistics.median(uvgen_times)
    clang_median = statistics.median(clang_times)
    print(f"uvgen schema          median {uvgen_median * 1000:8.1f} ms over {args.runs} runs")
    print(f"clang -fsyntax-only   median {clang_median * 1000:8.1f} ms over {args.runs} runs")
    print(f"ratio uvgen/clang            {uvgen_median / clang_median:8.2f}  (target: at most 1.3)")
    if generate_times:
        for name, times in (("generate", generate_times), ("generate --check", check_times)):
            median = statistics.median(times)
            print(f"uvgen {name:16} median {median * 1000:6.1f} ms over {args.runs} runs")
            print(f"ratio {name + '/clang':23} {median / clang_median:8.2f}  (target: at most 1.3)")


if __name__ == "__main__":
    main()
