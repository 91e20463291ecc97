## pyuv's tests/test_tcp.py, scenario by scenario, against uvio's Tcp. Servers listen on port 0
## of the loopback address and clients find the port with getSockName (pyuv uses port 1234).

import std/[nativesockets, strutils]
import uvio, uvio_test_support

const linesep = "\n"

proc freePort(): int =
  ## A port nobody listens on (bound, then closed).
  let t = newTcp()
  t.bindAddr("127.0.0.1", 0)
  result = t.getSockName().port
  t.close()
  run()

proc serverSending(message: string | seq[string]; closeCb: proc (t: Tcp) = nil): Tcp =
  ## A server on 127.0.0.1 that writes ``message`` to each connection and closes when the
  ## connection ends.
  let server = newTcp()
  server.bindAddr("0.0.0.0", 0)
  server.listen(proc (server: Tcp; err: int) =
    doAssert err == 0
    let client = newTcp()
    server.accept(client)
    client.startRead(proc (client: Tcp; data: string; err: int) =
      if err != 0:
        client.close(closeCb)
        server.close(closeCb))
    client.write(message, proc (client: Tcp; err: int) = doAssert err == 0))
  server

proc readOnce(port: int; expected: string) =
  var got = ""
  let client = newTcp()
  client.connect("127.0.0.1", port, proc (client: Tcp; err: int) =
    doAssert err == 0, errName(err)
    client.startRead(proc (client: Tcp; data: string; err: int) =
      doAssert err == 0
      got = data
      client.close())
    doAssert client.readable and client.writable)
  run()
  doAssert got == expected, escape(got)

scenario "TCPErrorTest.test_client1: nobody listens: ECONNREFUSED in the callback"
block:
  var seen = false
  newTcp().connect("127.0.0.1", freePort(), proc (client: Tcp; err: int) =
    doAssert err == ECONNREFUSED, errName(err)
    seen = true
    client.close())
  run()
  doAssert seen

scenario "TCPErrorTest.test_client2: a new handle is neither readable nor writable"
block:
  let client = newTcp()
  doAssert not client.readable and not client.writable
  client.close()
  run()

scenario "TCPErrorTest.test_open: a socket made elsewhere, opened, then connected"
block:
  var seen = false
  let sock = createNativeSocket(AF_INET, SOCK_STREAM, IPPROTO_TCP)
  let client = newTcp()
  client.open(int(sock))
  client.connect("127.0.0.1", freePort(), proc (client: Tcp; err: int) =
    doAssert err == ECONNREFUSED, errName(err)
    seen = true
    client.close())
  run()
  doAssert seen

scenario "TCPErrorTest.test_raise: writing to an unconnected socket raises UvError"
block:
  let tcp = newTcp()
  var raised = false
  try:
    tcp.write("PING", proc (t: Tcp; err: int) = doAssert false, "no callback expected")
  except UvError as e:
    raised = true
    echo "   ", errName(e.code)
  doAssert raised
  tcp.close()
  run()

scenario "TCPTest.test_tcp1: PING to the client; readable and writable once connected"
readOnce(serverSending("PING" & linesep).getSockName().port, "PING" & linesep)

scenario "TCPTest.test_tcp_bind: bind to any address and close"
block:
  let server = newTcp()
  server.bindAddr("0.0.0.0", 0)
  server.close()
  run()

scenario "TCPTest2.test_tcp_write_cancel: 1,024 writes, then close: each callback runs once"
block:
  var callbacks, canceled = 0
  let server = newTcp()
  server.bindAddr("0.0.0.0", 0)
  server.listen(proc (server: Tcp; err: int) =
    doAssert err == 0
    let client = newTcp()
    server.accept(client)
    for x in 0 ..< 1024:
      client.write("PING".repeat(1000), proc (t: Tcp; err: int) =
        inc callbacks
        if err == ECANCELED: inc canceled
        else: doAssert err == 0, errName(err))
    client.close()
    server.close())
  let client = newTcp()
  client.connect("127.0.0.1", server.getSockName().port, proc (client: Tcp; err: int) =
    doAssert err == 0 and client.readable and client.writable
    client.close())
  run()
  echo "   ", canceled, " of 1024 canceled"
  doAssert callbacks == 1024

scenario "TCPTest3.test_tcp_write_saturate: write until the queue holds bytes, then close"
block:
  var closed = false
  let server = newTcp()
  server.bindAddr("0.0.0.0", 0)
  let client = newTcp()
  server.listen(proc (server: Tcp; err: int) =
    doAssert err == 0
    let connection = newTcp()
    server.accept(connection)
    var writes = 0
    while connection.writeQueueSize == 0:
      connection.write("PING".repeat(1000), nil)
      inc writes
    echo "   queued after ", writes, " writes"
    connection.close(proc (c: Tcp) =
      closed = true
      client.close()
      server.close()))
  client.connect("127.0.0.1", server.getSockName().port, proc (client: Tcp; err: int) =
    doAssert err == 0 and client.readable and client.writable)
  run()
  doAssert closed

scenario "TCPTestMemoryview.test_tcp_memoryview: the pointer form writes the caller's memory"
block:
  var payload = "PING"
  let server = newTcp()
  server.bindAddr("0.0.0.0", 0)
  server.listen(proc (server: Tcp; err: int) =
    let client = newTcp()
    server.accept(client)
    client.startRead(proc (client: Tcp; data: string; err: int) =
      if err != 0:
        client.close()
        server.close())
    client.write(addr payload[0], payload.len, proc (t: Tcp; err: int) = doAssert err == 0))
  readOnce(server.getSockName().port, "PING")

scenario "TCPTestNull.test_tcp_null: a NUL byte inside the data"
readOnce(serverSending("PIN\0G" & linesep).getSockName().port, "PIN\0G" & linesep)

scenario "TCPTestList.test_tcp_list: twelve strings in one write"
readOnce(serverSending(@["PING1", "PING2", "PING3", "PING4", "PING5", "PING6", "PING7", "PING8",
                         "PING9", "PING10", "PING11", "PING12"]).getSockName().port,
         "PING1PING2PING3PING4PING5PING6PING7PING8PING9PING10PING11PING12")

scenario "TCPTestListNull.test_tcp_list_null: NUL and 0xFF bytes in a list"
readOnce(serverSending(@["PING1", "PING2", "PING3", "PING4", "PING5", "PING\0\xFF6"]).getSockName().port,
         "PING1PING2PING3PING4PING5PING\0\xFF6")

scenario "TCPTestInvalidData.test_invalid_data: what is not bytes does not compile"
block:
  let t = newTcp()
  doAssert not compiles(t.write(1234, proc (t: Tcp; err: int) = discard))
  doAssert not compiles(t.write(@[1, 2, 3, 4, 5], proc (t: Tcp; err: int) = discard))
  doAssert compiles(t.write(@["PING"], proc (t: Tcp; err: int) = discard))
  t.close()
  run()

scenario "TCPShutdownTest.test_tcp_shutdown: shutdown, then three close callbacks"
block:
  var shutdowns, closes = 0
  let server = serverSending("PING" & linesep, proc (t: Tcp) = inc closes)
  let client = newTcp()
  client.connect("127.0.0.1", server.getSockName().port, proc (client: Tcp; err: int) =
    doAssert err == 0
    client.startRead(proc (client: Tcp; data: string; err: int) =
      doAssert err == 0 and data == "PING" & linesep
      client.shutdown(proc (client: Tcp; err: int) =
        doAssert err == 0
        inc shutdowns
        client.close(proc (t: Tcp) = inc closes))))
  run()
  doAssert shutdowns == 1 and closes == 3

scenario "TCPFlagsTest.test_tcp_flags: no delay and keep-alive":
  let tcp = newTcp()
  tcp.bindAddr("127.0.0.1", 0)   # the socket exists once bound
  tcp.setNoDelay(true)
  tcp.setKeepAlive(true, 60)
  tcp.close()
  run()

scenario "TCPTryTest.test_tcp1_try: tryWrite on an accepted connection"
block:
  var written = 0
  let server = newTcp()
  server.bindAddr("0.0.0.0", 0)
  server.listen(proc (server: Tcp; err: int) =
    doAssert err == 0
    let connection = newTcp()
    server.accept(connection)
    connection.startRead(proc (c: Tcp; data: string; err: int) =
      if err != 0:
        c.close()
        server.close())
    while written == 0:
      written = connection.tryWrite("x"))
  readOnce(server.getSockName().port, "x")
  doAssert written == 1

scenario "TCPTestFileno.test_fileno"
block:
  var checked = 0
  let server = newTcp()
  server.bindAddr("0.0.0.0", 0)
  doAssert server.fileno() >= 0
  server.listen(proc (server: Tcp; err: int) =
    doAssert err == 0 and server.fileno() >= 0
    let client = newTcp()
    server.accept(client)
    doAssert client.fileno() >= 0
    inc checked
    client.close()
    server.close())
  let client = newTcp()
  client.connect("127.0.0.1", server.getSockName().port, proc (client: Tcp; err: int) =
    doAssert err == 0 and client.fileno() >= 0
    inc checked
    client.close())
  run()
  doAssert checked == 2

proc ipv6Loopback(): bool =
  ## Whether this machine has ::1 (containers may not).
  let t = newTcp()
  try:
    t.bindAddr("::1", 0)
    result = true
  except UvError:
    result = false
  t.close()
  run()

scenario "TCPEarlyBindTest: bind IPv4 text, and IPv6 text when ::1 exists"
block:
  let a = newTcp()
  a.bindAddr("127.0.0.1", 0)
  doAssert a.getSockName().host == "127.0.0.1"
  a.close()
  if ipv6Loopback():
    let b = newTcp()
    b.bindAddr("::1", 0)
    doAssert b.getSockName().host == "::1"
    b.close()
  else:
    echo "   skipped the IPv6 half: this machine has no ::1"
  expectUvError(EINVAL): newTcp().bindAddr("not an address", 0)
  run()

scenario "TCPSocketFromfdTest.test_fromfd_inet: getSockName agrees with the socket's own name"
block:
  let client = newTcp()
  client.bindAddr("127.0.0.1", 0)
  let (host, port) = getLocalAddr(SocketHandle(client.fileno()), AF_INET)
  doAssert client.getSockName() == (host, int(port))
  client.close()
  run()

echo scenarioCount(), " scenarios passed"
