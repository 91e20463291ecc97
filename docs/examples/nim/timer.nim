import uv   # the generated modules: libuv's API as it is

var loop: Loop
var timer: Timer
var ticks = 0

proc onTick(handle: ptr Timer) {.cdecl.} =
  inc ticks
  echo "tick ", ticks
  if ticks == 3: close(handle, nil)   # closing stops it

doAssert init(addr loop) == 0 and init(addr loop, addr timer) == 0
doAssert start(addr timer, onTick, 10, 10) == 0
doAssert run(addr loop, runDefault) == 0 and close(addr loop) == 0
