## ping.c in Nim, on the bindings uvgen_add_bindings() generated: sends "ping"
## across a socketpair and prints what arrived. Built with -d:uvshimLibrary it
## links the installed libuvshim instead of compiling the shim in.

import uv

var
  loop: Loop
  left, right: Pipe
  request: Write
  arrived = ""
  buffer: array[64, char]
  message = "ping"

proc onAlloc(handle: ptr Handle; suggestedSize: csize_t; buf: ptr Buffer) {.cdecl.} =
  buf[] = initBuffer(addr buffer[0], cuint(buffer.len))

proc onRead(stream: ptr Stream; nread: cssize; buf: ptr Buffer) {.cdecl.} =
  for i in 0 ..< max(nread, 0): arrived.add buffer[i]
  if nread != 0: close(stream, nil)

proc onWrite(req: ptr Write; status: cint) {.cdecl.} =
  close(req.handle, nil)

var fds: array[2, SocketHandle]
doAssert init(addr loop) == 0 and socketPair(1, 0, fds, 0, 0) == 0  # SOCK_STREAM
doAssert init(addr loop, addr left, 0) == 0 and open(addr left, FileHandle(fds[0])) == 0
doAssert init(addr loop, addr right, 0) == 0 and open(addr right, FileHandle(fds[1])) == 0
doAssert readStart(addr right, onAlloc, onRead) == 0
var buf = initBuffer(addr message[0], cuint(message.len))
doAssert write(addr request, addr left, addr buf, 1, onWrite) == 0
doAssert run(addr loop, runDefault) == 0 and close(addr loop) == 0
echo "arrived: ", arrived
