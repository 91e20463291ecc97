## The documents' uv_timer, uv_idle, uv_prepare, uv_check and uv_async: a one-shot and a
## repeating timer, one loop iteration's idle, prepare and check callbacks in libuv's order, and
## an async handle woken from another thread.

import std/sequtils
import uv

let loop = getDefaultLoop()
var
  order: seq[string]
  ticks = 0
  once, repeating: Timer
  idle: Idle
  prepare: Prepare
  check: Check
  async: Async

proc onOnce(handle: ptr Timer) {.cdecl.} = order.add "once"
proc onTick(handle: ptr Timer) {.cdecl.} =
  inc ticks
  order.add "tick"
  if ticks == 3: doAssert stop(handle) == 0

doAssert init(loop, addr once) == 0 and init(loop, addr repeating) == 0
doAssert start(addr once, onOnce, 2, 0) == 0
doAssert start(addr repeating, onTick, 1, 1) == 0
doAssert getRepeat(addr repeating) == 1 and getDueIn(addr once) <= 2
doAssert run(loop, runDefault) == 0
doAssert ticks == 3 and order.count("once") == 1, $order
setRepeat(addr once, 10)
doAssert getRepeat(addr once) == 10

order.setLen 0
proc onIdle(handle: ptr Idle) {.cdecl.} = order.add "idle"
proc onPrepare(handle: ptr Prepare) {.cdecl.} = order.add "prepare"
proc onCheck(handle: ptr Check) {.cdecl.} = order.add "check"
doAssert init(loop, addr idle) == 0 and start(addr idle, onIdle) == 0
doAssert init(loop, addr prepare) == 0 and start(addr prepare, onPrepare) == 0
doAssert init(loop, addr check) == 0 and start(addr check, onCheck) == 0
discard run(loop, runOnce)
doAssert order == @["idle", "prepare", "check"], $order
doAssert stop(addr idle) == 0 and stop(addr prepare) == 0 and stop(addr check) == 0

var woken = 0
proc onWake(handle: ptr Async) {.cdecl.} =
  inc woken
  close(handle, nil)
doAssert init(loop, addr async, onWake) == 0
var sender: Thread[ptr Async]
proc sendFromThread(handle: ptr Async) {.thread.} = doAssert send(handle) == 0
createThread(sender, sendFromThread, addr async)
close(addr once, nil)
close(addr repeating, nil)
close(addr idle, nil)
close(addr prepare, nil)
close(addr check, nil)
doAssert run(loop, runDefault) == 0
joinThread(sender)
doAssert woken == 1
echo "timers ticked ", ticks, " times; idle, prepare, check in order; async woke the loop"
