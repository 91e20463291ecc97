## A TCP echo server on 127.0.0.1 port 0: getSockName tells the port the system chose, a client
## connects to it, sends a message and checks the echo.

import uv, uv_test_support

proc port(address: ptr SockAddrStorage): int =
  ## The port of an IPv4 address, from network byte order.
  let raw = cast[ptr SockAddrIn](address).sinPort
  int((raw shr 8) or ((raw and 0xff) shl 8))

const message = "hello over TCP"
let loop = getDefaultLoop()
var
  server, serverSide, client: TCP
  connectReq: Connect
  received = ""
  serverPort, peerPort: int

proc onConnection(listener: ptr Stream; status: cint) {.cdecl.} =
  check status
  check init(loop, addr serverSide)
  check accept(listener, addr serverSide)
  check setNoDelay(addr serverSide, 1)
  check readStart(addr serverSide, allocBuffer, echoRead)

proc onClientRead(stream: ptr Stream; nread: cssize; buf: ptr Buffer) {.cdecl.} =
  received.add take(buf, nread)
  if received.len >= message.len or nread < 0:
    close(addr client, noteClosed)
    close(addr serverSide, noteClosed)
    close(addr server, noteClosed)

proc onConnect(req: ptr Connect; status: cint) {.cdecl.} =
  check status
  var peer: SockAddrStorage
  var peerLen = cint(sizeof(peer))
  check getPeerName(addr client, addr peer, peerLen)
  peerPort = port(addr peer)
  check readStart(addr client, allocBuffer, onClientRead)
  writeCopy(addr client, message)

var any: SockAddrIn
check toIp4Addr("127.0.0.1", 0, any)
check init(loop, addr server)
check bindAddr(addr server, addr any, 0)
check listen(addr server, 16, onConnection)

var bound: SockAddrStorage
var boundLen = cint(sizeof(bound))
check getSockName(addr server, addr bound, boundLen)
doAssert boundLen == cint(sizeof(SockAddrIn)), "getSockName gave a name of " & $boundLen & " bytes"
serverPort = port(addr bound)
doAssert serverPort > 0
var text: array[16, char]
check toIp4Name(cast[ptr SockAddrIn](addr bound), cast[cstring](addr text[0]), csize_t(text.len))
doAssert $cast[cstring](addr text[0]) == "127.0.0.1"

var target: SockAddrIn
check toIp4Addr("127.0.0.1", cint(serverPort), target)
check init(loop, addr client)
check connect(addr connectReq, addr client, addr target, onConnect)
check run(loop, runDefault)
doAssert received == message, "the client got " & received
doAssert peerPort == serverPort
check close(loop)
echo "echoed: ", received
