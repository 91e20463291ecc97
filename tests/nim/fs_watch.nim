## The documents' uv_fs_event and uv_fs_poll: a change to a file in a temporary folder is reported
## by an FSEvent handle watching the folder (with the file's name) and by an FSPoll handle
## polling the file (with its old and new size).

import std/os
import uv

let
  loop = getDefaultLoop()
  folder = getTempDir() / "uvgen-fs-watch-" & $getCurrentProcessId()
  file = folder / "watched.txt"
createDir(folder)
writeFile(file, "12345")

var
  event: FSEvent
  poll: FSPoll
  grow: Timer
  changedName = ""
  oldSize, newSize: uint64

proc onEvent(handle: ptr FSEvent; filename: cstring; events: cint; status: cint) {.cdecl.} =
  doAssert status == 0
  if (events and cint(ord(fevChange))) != 0 and changedName.len == 0:
    changedName = $filename
    doAssert stop(handle) == 0

proc onPoll(handle: ptr FSPoll; status: cint; prev: ptr Stat; curr: ptr Stat) {.cdecl.} =
  doAssert status == 0
  oldSize = prev.size
  newSize = curr.size
  doAssert stop(handle) == 0
  doAssert stop(addr grow) == 0

var ticks = 0
proc onGrow(handle: ptr Timer) {.cdecl.} =
  # The poll's first status is taken on the thread pool: grow the file until it reports.
  let f = open(file, fmAppend)
  f.write("67")
  f.close()
  inc ticks
  doAssert ticks < 100, "no change reported in 3 s"

doAssert init(loop, addr event) == 0
doAssert start(addr event, onEvent, cstring(folder), 0) == 0
doAssert init(loop, addr poll) == 0
doAssert start(addr poll, onPoll, cstring(file), 10) == 0
var buffer: array[4096, char]
var size = csize_t(buffer.len)
doAssert getPath(addr poll, cast[cstring](addr buffer[0]), size) == 0 and int(size) == file.len
doAssert init(loop, addr grow) == 0 and start(addr grow, onGrow, 30, 30) == 0
doAssert run(loop, runDefault) == 0
close(addr event, nil)
close(addr poll, nil)
close(addr grow, nil)
doAssert run(loop, runDefault) == 0
removeDir(folder)
doAssert changedName == "watched.txt", changedName
doAssert newSize > oldSize and oldSize >= 5 and (newSize - oldSize) mod 2 == 0
echo "fs event: ", changedName, " changed; fs poll saw it grow"
