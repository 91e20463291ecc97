# The generated modules are libuv's own API in Nim: a loop, a timer that fires three times.
import uv

var
  loop: Loop
  timer: Timer
  ticks = 0

proc onTick(handle: ptr Timer) {.cdecl.} =
  inc ticks
  echo "tick ", ticks
  if ticks == 3:
    discard stop(handle)
    close(handle, nil)

doAssert init(addr loop) == 0
doAssert init(addr loop, addr timer) == 0
doAssert start(addr timer, onTick, 10, 10) == 0
doAssert run(addr loop, runDefault) == 0
doAssert close(addr loop) == 0
