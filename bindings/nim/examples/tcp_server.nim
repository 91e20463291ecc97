## The README's example: a TCP server on 127.0.0.1:7000 that accepts connections.
import uv

proc onConnection(server: ptr Stream; status: cint) {.cdecl.} =
  let client = create(TCP)
  if status == 0 and init(server.loop, client) == 0 and accept(server, client) == 0:
    echo "accepted a connection"
  close(client, proc (handle: ptr Handle) {.cdecl.} = dealloc(handle))

var (server, address) = (TCP(), Sockaddr_in())
doAssert toIp4Addr("127.0.0.1", 7000, address) == 0 and init(getDefaultLoop(), addr server) == 0
doAssert bindAddr(addr server, addr address, 0) == 0 and listen(addr server, 128, onConnection) == 0
discard run(getDefaultLoop(), runDefault)
