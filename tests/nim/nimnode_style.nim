## Written as programs against nimnode's own modules are, with nimnode's names: a loop
## configured with ``optBlockSignal``, a poll watching ``peReadable``, an fs-event started with
## ``fsWatchEntry``, and a child spawned with ``prcDetached`` whose stdio containers are filled in
## field by field (``stdio[1].data.stream = ...``, ``stdio[2].data.fd = 2``). The child prints its
## pid and its session: detached, it leads a session of its own.

import std/[os, posix, strutils]
import uv

var loop: Loop
doAssert init(addr loop) == 0
doAssert configure(addr loop, optBlockSignal, SIGPROF) == 0

# A poll watching a pipe's read end for peReadable.
var
  fds: array[2, cint]
  poll: Poll
  polledEvents = 0.cint
doAssert posix.pipe(fds) == 0
proc onPoll(handle: ptr Poll; status: cint; events: cint) {.cdecl.} =
  doAssert status == 0
  polledEvents = events
  doAssert stop(handle) == 0
doAssert init(addr loop, addr poll, fds[0]) == 0
doAssert start(addr poll, cint(peReadable), onPoll) == 0
doAssert posix.write(fds[1], cstring("x"), 1) == 1

# An fs-event watching a folder with fsWatchEntry; a change to a file in it is fevChange.
let
  folder = getTempDir() / "uvgen-nimnode-style-" & $getCurrentProcessId()
  file = folder / "watched.txt"
createDir(folder)
writeFile(file, "1")
var
  event: FSEvent
  changed = ""
proc onEvent(handle: ptr FSEvent; filename: cstring; events: cint; status: cint) {.cdecl.} =
  doAssert status == 0
  if (events and cint(fevChange)) != 0 and changed.len == 0:
    changed = $filename
    doAssert stop(handle) == 0
doAssert init(addr loop, addr event) == 0
doAssert start(addr event, onEvent, cstring(folder), cuint(fsWatchEntry)) == 0
writeFile(file, "12")

# A detached child, its stdout through a pipe.
var
  output: Pipe
  child: Process
  received = ""
  exitStatus = -1'i64
proc onRead(stream: ptr Stream; nread: cssize; buf: ptr Buffer) {.cdecl.} =
  if nread > 0:
    received.add newString(nread)
    copyMem(addr received[received.len - nread], buf.base, nread)
  if buf.base != nil: dealloc(buf.base)
  if nread < 0: close(stream, nil)
proc onAlloc(handle: ptr Handle; suggestedSize: csize_t; buf: ptr Buffer) {.cdecl.} =
  buf.base = alloc(suggestedSize)
  buf.length = suggestedSize
proc onExit(handle: ptr Process; status: int64; termSignal: cint) {.cdecl.} =
  exitStatus = status
  close(handle, nil)
doAssert init(addr loop, addr output, 0) == 0
var stdio: array[3, StdioContainer]
stdio[0].flags = cuint(stdioIgnore)
stdio[1].flags = cuint(stdioCreatePipe) or cuint(stdioWriteablePipe)
stdio[1].data.stream = addr output
stdio[2].flags = cuint(stdioInheritFd)
stdio[2].data.fd = 2
let args = allocCStringArray(["sh", "-c", "read pid comm state ppid pgrp sid rest < /proc/$$/stat; echo $$ $sid; exit 3"])
var options: ProcessOptions
options.file = "/bin/sh"
options.args = args
options.exitCb = onExit
options.flags = cuint(prcDetached)
options.stdioCount = 3
options.stdio = addr stdio[0]
doAssert (addr stdio[1]).data.stream == cast[ptr Stream](addr output)
doAssert spawn(addr loop, addr child, addr options) == 0
doAssert readStart(addr output, onAlloc, onRead) == 0

# A timer ends the run should anything never come.
var guard: uv.Timer
proc onGuard(handle: ptr uv.Timer) {.cdecl.} =
  doAssert false, "nothing reported in 10 s: polled " & $polledEvents & ", changed " & changed & ", received " & received
doAssert init(addr loop, addr guard) == 0
doAssert start(addr guard, onGuard, 10_000, 0) == 0
unrefHandle(addr guard)

doAssert run(addr loop, runDefault) == 0
close(addr poll, nil)
close(addr event, nil)
close(addr guard, nil)
doAssert run(addr loop, runDefault) == 0
doAssert close(addr loop) == 0
deallocCStringArray(args)
discard posix.close(fds[0])
discard posix.close(fds[1])
removeDir(folder)

doAssert (polledEvents and cint(peReadable)) != 0, $polledEvents
doAssert changed == "watched.txt", changed
doAssert exitStatus == 3, $exitStatus
let ids = received.strip.split(' ')
doAssert ids.len == 2 and ids[0] == ids[1], "the child is not a session leader: " & received
echo "poll: readable; fs event: ", changed, " changed; detached child: exit status 3, its own session"
