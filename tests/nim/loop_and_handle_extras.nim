## The rest of the documents' uv_loop, uv_handle, uv_request and uv_version: configure,
## the backend's descriptor and timeout, walk over a loop's handles, printing them, AnyHandle and
## AnyRequest as room for any handle or request, and the version constants.

import uv

var loop: Loop
doAssert init(addr loop) == 0
doAssert configure(addr loop, optMetricsIdleTime, 0) == 0   # the variadic argument is ignored here
doAssert getBackendFd(addr loop) >= 0
doAssert getBackendTimeout(addr loop) == 0               # nothing active: no waiting

# AnyHandle has room for any handle: a Pipe lives in one.
var room: AnyHandle
let pipe = cast[ptr Pipe](addr room)
doAssert init(addr loop, pipe, 0) == 0
var tcp: TCP
doAssert init(addr loop, addr tcp) == 0
doAssert sizeof(AnyHandle) >= sizeof(Pipe) and sizeof(AnyRequest) >= sizeof(Write)

type Seen = object
  pipes, tcps: int

proc countHandle(handle: ptr Handle; arg: pointer) {.cdecl.} =
  let seen = cast[ptr Seen](arg)
  case handle.typ
  of hdlNamedPipe: inc seen.pipes
  of hdlTcp: inc seen.tcps
  else: discard

var seen: Seen
walk(addr loop, countHandle, addr seen)
doAssert seen == Seen(pipes: 1, tcps: 1), "walk saw " & $seen

printAllHandles(addr loop, stdout)
printActiveHandles(addr loop, stdout)

close(pipe, nil)
close(addr tcp, nil)
doAssert run(addr loop, runDefault) == 0
doAssert close(addr loop) == 0

doAssert VERSION_HEX == version(), "uv.h is " & $VERSION_HEX & ", the library " & $version()
doAssert VERSION_IS_RELEASE == 1 and VERSION_SUFFIX == ""
echo "walked ", seen.pipes + seen.tcps, " handles; libuv ", versionString()
