## The documents' uv_process: a child's stdout arrives through a pipe and its exit status is
## right; a child killed with ``kill`` reports the signal.

import std/[posix, strutils]
import uv, uv_test_support

let loop = getDefaultLoop()
var
  output: Pipe
  child, sleeper: Process
  received: string
  exitStatus = -1'i64
  termSignal = -1.cint

proc onRead(stream: ptr Stream; nread: cssize; buf: ptr Buffer) {.cdecl.} =
  received.add take(buf, nread)
  if nread < 0:
    close(stream, nil)
proc onExit(handle: ptr Process; status: int64; signal: cint) {.cdecl.} =
  exitStatus = status
  termSignal = signal
  close(handle, nil)

doAssert init(loop, addr output, 0) == 0
var stdio: array[3, StdioContainer]
stdio[0].flags = cuint(stdioIgnore)
stdio[1].flags = cuint(stdioCreatePipe) or cuint(stdioWriteablePipe)
stdio[1].data = StdioContainerData(stream: addr output)
stdio[2].flags = cuint(stdioInheritFd)
stdio[2].data = StdioContainerData(fd: 2)
let args = allocCStringArray(["sh", "-c", "echo from the child; exit 7"])
var options = ProcessOptions(file: "/bin/sh", args: args, exitCb: onExit, stdioCount: 3, stdio: addr stdio[0])
doAssert spawn(loop, addr child, addr options) == 0
doAssert child.pid > 0 and getPid(addr child) == child.pid
doAssert readStart(addr output, allocBuffer, onRead) == 0
doAssert run(loop, runDefault) == 0
deallocCStringArray(args)
doAssert exitStatus == 7 and termSignal == 0, $exitStatus & " " & $termSignal
doAssert received == "from the child\n", received

let sleeping = allocCStringArray(["sh", "-c", "sleep 30"])
var sleepOptions = ProcessOptions(file: "/bin/sh", args: sleeping, exitCb: onExit)
doAssert spawn(loop, addr sleeper, addr sleepOptions) == 0
doAssert kill(addr sleeper, SIGTERM) == 0
doAssert run(loop, runDefault) == 0
deallocCStringArray(sleeping)
doAssert termSignal == SIGTERM
echo "child printed: ", received.strip, "; exit status 7; killed by SIGTERM"
