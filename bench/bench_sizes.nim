## What the pump and the ping-pong of bench/uvio_bench.py move, shared by their Nim programs (the
## C program, bench/uvio_bench_c.c, has the same numbers), and the clock they are timed with.

import std/[monotimes, times]

const
  chunkSize* = 64 * 1024          ## bytes per write of the pump
  inFlight* = 16                  ## the pump's writes in flight
  pumpBytes* = 1024 * 1024 * 1024 ## what the pump moves
  roundTrips* = 100_000           ## the ping-pong's round trips
  message* = 64                   ## bytes per ping

proc seconds*(start: MonoTime): float =
  ## Seconds since ``start``.
  (getMonoTime() - start).inNanoseconds.float / 1e9
