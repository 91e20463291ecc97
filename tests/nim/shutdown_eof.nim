## shutdown of one end of a socket pair opened as pipes: the pending write completes first, the
## shutdown callback gets 0, and the peer reads the data and then EOF.

from std/posix import SOCK_STREAM
import uv, uv_test_support

const message = "last words"
let loop = getDefaultLoop()
var
  sockets: array[2, SocketHandle]
  closing, peer: Pipe
  shutdownReq: Shutdown
  shutdownStatus = cint(1)
  received = ""
  sawEof = false

proc onShutdown(req: ptr Shutdown; status: cint) {.cdecl.} =
  shutdownStatus = status
  doAssert req.handle == addr closing

proc onPeerRead(stream: ptr Stream; nread: cssize; buf: ptr Buffer) {.cdecl.} =
  received.add take(buf, nread)
  if nread == EOF:
    sawEof = true
    close(addr peer, noteClosed)
    close(addr closing, noteClosed)
  elif nread < 0:
    check cint(nread), EOF

check socketPair(SOCK_STREAM, 0, sockets, 0, 0)
check init(loop, addr closing, 0)
check open(addr closing, FileHandle(sockets[0]))
check init(loop, addr peer, 0)
check open(addr peer, FileHandle(sockets[1]))
check readStart(addr peer, allocBuffer, onPeerRead)

writeCopy(addr closing, message)
check shutdown(addr shutdownReq, addr closing, onShutdown)
doAssert isWriteable(addr closing) == 0, "still writable after shutdown"
check run(loop, runDefault)
doAssert shutdownStatus == 0, "shutdown status " & $shutdownStatus
doAssert received == message and sawEof, "the peer got " & received
check close(loop)
echo "read ", received, ", then EOF"
