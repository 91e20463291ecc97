## A pipe echo server and client over a Unix socket path (argument 1): the client sends a
## message, the server echoes it back, the client checks what it gets.

import os
import uv, uv_test_support

let path = paramStr(1)
const message = "hello over a pipe"
let loop = getDefaultLoop()
var
  server, serverSide, client: Pipe
  connectReq: Connect
  received = ""

proc onConnection(listener: ptr Stream; status: cint) {.cdecl.} =
  check status
  check init(loop, addr serverSide, 0)
  check accept(listener, addr serverSide)
  check readStart(addr serverSide, allocBuffer, echoRead)

proc onClientRead(stream: ptr Stream; nread: cssize; buf: ptr Buffer) {.cdecl.} =
  received.add take(buf, nread)
  if received.len >= message.len or nread < 0:
    close(addr client, noteClosed)
    close(addr serverSide, noteClosed)
    close(addr server, noteClosed)

proc onConnect(req: ptr Connect; status: cint) {.cdecl.} =
  check status
  # The documents cast to ptr Stream at every call; that keeps compiling.
  check readStart(cast[ptr Stream](addr client), allocBuffer, onClientRead)
  writeCopy(addr client, message)

check init(loop, addr server, 0)
check bindPipe(addr server, path.cstring)
check listen(addr server, 16, onConnection)
check init(loop, addr client, 0)
connect(addr connectReq, addr client, path.cstring, onConnect)
check run(loop, runDefault)
doAssert received == message, "the client got " & received
doAssert connectReq.handle == addr client
doAssert client.typ == hdlNamedPipe and client.ipc == 0
check close(loop)
echo "echoed: ", received
