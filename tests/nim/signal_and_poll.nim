## The documents' uv_signal and uv_poll: a signal the process sends itself reaches the loop, and
## a poll handle sees one end of a socket pair become readable.

import std/posix
import uv

let loop = getDefaultLoop()
var
  signal: Signal
  poll: Poll
  received, polled: cint

proc onSignal(handle: ptr Signal; signum: cint) {.cdecl.} =
  received = signum
  doAssert handle.signum == SIGUSR1
  doAssert stop(handle) == 0

doAssert init(loop, addr signal) == 0
doAssert start(addr signal, onSignal, SIGUSR1) == 0
doAssert posix.kill(getpid(), SIGUSR1) == 0  # uv_process has a kill(pid, signum) too
discard run(loop, runOnce)  # the signal's wake-up
doAssert received == SIGUSR1

var fds: array[2, cint]
doAssert socketpair(posix.AF_UNIX, posix.SOCK_STREAM, 0, fds) == 0
proc onReadable(handle: ptr Poll; status: cint; events: cint) {.cdecl.} =
  doAssert status == 0
  polled = events
  doAssert stop(handle) == 0

doAssert init(loop, addr poll, fds[0]) == 0
doAssert start(addr poll, cint(ord(peReadable)), onReadable) == 0
var byte = 'x'
doAssert posix.write(fds[1], addr byte, 1) == 1
doAssert run(loop, runDefault) == 0
doAssert polled == cint(ord(peReadable))

close(addr signal, nil)
close(addr poll, nil)
doAssert run(loop, runDefault) == 0
discard posix.close(fds[0])
discard posix.close(fds[1])
echo "signal ", received, " delivered; poll saw readable"
