## The documents' uv_udp: a server handle bound to 127.0.0.1 port 0 echoes each datagram back to
## its sender with ``send``; a client handle sends one with ``send``, receives the echo, then
## connects and sends one more with ``trySend`` and no address.

import std/nativesockets
import uv, uv_test_support

let loop = getDefaultLoop()
var
  server, client: UDP
  serverAddress, clientAddress: SockAddrIn
  bound: Sockaddr_storage
  echoes: seq[string]
  replies: array[4, UDPSend]
  replyTexts: array[4, string]
  replied = 0

proc onEchoSent(req: ptr UDPSend; status: cint) {.cdecl.} = doAssert status == 0

proc onServerRecv(handle: ptr UDP; nread: cssize; buf: ptr Buffer; sockaddr: ptr SockAddr;
                  flags: cuint) {.cdecl.} =
  let data = take(buf, nread)
  if nread <= 0 or sockaddr == nil: return
  let slot = replied
  inc replied
  replyTexts[slot] = "echo: " & data
  var reply = initBuffer(addr replyTexts[slot][0], cuint(replyTexts[slot].len))
  doAssert send(addr replies[slot], handle, addr reply, 1, sockaddr, onEchoSent) == 0

proc onClientRecv(handle: ptr UDP; nread: cssize; buf: ptr Buffer; sockaddr: ptr SockAddr;
                  flags: cuint) {.cdecl.} =
  let data = take(buf, nread)
  if nread > 0: echoes.add data

doAssert init(loop, addr server) == 0
doAssert toIp4Addr("127.0.0.1", 0, serverAddress) == 0
doAssert bindAddr(addr server, cast[ptr SockAddr](addr serverAddress), 0) == 0
var nameLen = cint(sizeof(bound))
doAssert getSockName(addr server, addr bound, nameLen) == 0
let port = ntohs(uint16(cast[ptr SockAddrIn](addr bound).sin_port))
doAssert toIp4Addr("127.0.0.1", cint(port), serverAddress) == 0
doAssert recvStart(addr server, allocBuffer, onServerRecv) == 0

doAssert init(loop, addr client, cuint(toInt(AF_INET))) == 0
doAssert toIp4Addr("127.0.0.1", 0, clientAddress) == 0
doAssert bindAddr(addr client, cast[ptr SockAddr](addr clientAddress), 0) == 0
doAssert recvStart(addr client, allocBuffer, onClientRecv) == 0

var request: UDPSend
var text = "hello over UDP"
var first = initBuffer(addr text[0], cuint(text.len))
var sent = 1.cint
proc onSent(req: ptr UDPSend; status: cint) {.cdecl.} = sent = status
doAssert send(addr request, addr client, addr first, 1, cast[ptr SockAddr](addr serverAddress), onSent) == 0
while echoes.len < 1: discard run(loop, runOnce)
doAssert sent == 0 and request.handle == addr client

doAssert connect(addr client, cast[ptr SockAddr](addr serverAddress)) == 0
var again = "again"
var second = initBuffer(addr again[0], cuint(again.len))
doAssert trySend(addr client, addr second, 1, nil) == cint(again.len)
while echoes.len < 2: discard run(loop, runOnce)
doAssert client.countOfSendQueue == 0

doAssert recvStop(addr server) == 0 and recvStop(addr client) == 0
close(addr server, nil)
close(addr client, nil)
doAssert run(loop, runDefault) == 0
echo echoes[0], "; ", echoes[1]
