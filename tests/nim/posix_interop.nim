## A program in the documents' style that also imports Nim's own socket modules: the socket
## address types and SocketHandle are the OS's, so each name means one type. Binds a TCP server
## to 127.0.0.1 port 0, reads the port back, opens a socket made by posix into a TCP handle, and
## compares a failed call with an error constant from the C header.

import std/[posix, nativesockets, net]
import uv

let loop = getDefaultLoop()
var
  server, other, adopted: TCP
  address: SockAddrIn              # posix's Sockaddr_in, the one uv_misc re-exports
  bound: Sockaddr_storage
  boundLen = SockLen(sizeof(bound))  # a posix type next to the bindings

doAssert toIp4Addr("127.0.0.1", 0, address) == 0
doAssert init(loop, addr server) == 0
doAssert bindAddr(addr server, cast[ptr SockAddr](addr address), 0) == 0  # the documents' cast
var nameLen = cint(boundLen)
doAssert getSockName(addr server, addr bound, nameLen) == 0              # no cast needed
let port = nativesockets.ntohs(cast[ptr SockAddrIn](addr bound).sin_port)
doAssert port > 0'u16, "no port was chosen"
doAssert net.Port(port) != net.Port(0)

proc onConnection(listener: ptr Stream; status: cint) {.cdecl.} = discard
doAssert listen(addr server, 1, onConnection) == 0

# A second server on the same port: the constant is the header's value on this OS. posix has
# an EADDRINUSE too (the errno value), so the program names the one it means.
doAssert init(loop, addr other) == 0
var same = cast[ptr SockAddrIn](addr bound)[]
doAssert bindAddr(addr other, cast[ptr SockAddr](addr same), 0) == 0
let rc = listen(addr other, 1, onConnection)
doAssert rc == uv.EADDRINUSE, "expected EADDRINUSE, got " & $rc & " (" & $errName(rc) & ")"
doAssert uv.EADDRINUSE == -posix.EADDRINUSE, "UV_EADDRINUSE is the negated errno on Unix"

# A socket made by posix goes into a TCP handle as it is: SocketHandle is posix's.
let fd: SocketHandle = posix.socket(posix.AF_INET, posix.SOCK_STREAM, 0)
doAssert fd.cint >= 0
doAssert init(loop, addr adopted) == 0
doAssert open(addr adopted, fd) == 0

for handle in [addr server, addr other, addr adopted]:
  close(handle, nil)
doAssert run(loop, runDefault) == 0
echo "posix interop: port ", port, ", ", errName(rc)
