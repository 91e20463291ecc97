## bare-pipe's test.js, scenario by scenario, against uvio's Pipe: the lifecycle scenarios with
## async/await (bare-pipe's streams are promise-based), the IPC ones with callbacks.

import std/strutils
import uvio, uvio_test_support

var names = 0
proc name(): string =
  inc names
  pipeName("bare-pipe-" & $names & ".sock")

proc readAll(p: Pipe): Future[string] {.async.} =
  ## Everything the peer writes until it ends its side.
  var all = ""
  while true:
    let chunk = await p.read()
    if chunk.len == 0: break
    all.add chunk
  return all

proc echoServer(n: string): Pipe =
  ## A pipe server that writes back what each connection writes (``peer.pipe(peer)``).
  let server = newPipe()
  server.bindPipe(n)
  server.listen(proc (server: Pipe; err: int) =
    doAssert err == 0
    let peer = newPipe()
    server.accept(peer)
    peer.startRead(proc (peer: Pipe; data: string; err: int) =
      if err == 0: peer.write(data, nil)
      else: peer.close()))
  server

proc lifecycle(serverWrites, clientWrites: bool): Future[void] {.async.} =
  let n = name()
  let server = newPipe()
  server.bindPipe(n)
  server.listen()
  let client = newPipe()
  await client.connect(n)
  let serverSide = await server.accept()
  if clientWrites: await client.write("hello server")
  await client.shutdown()                       # .end()
  let fromClient = await serverSide.readAll()   # 'data', then 'end'
  doAssert fromClient == (if clientWrites: "hello server" else: ""), fromClient
  if serverWrites: await serverSide.write("hello client")
  await serverSide.shutdown()
  let fromServer = await client.readAll()
  doAssert fromServer == (if serverWrites: "hello client" else: ""), fromServer
  var closed = 0
  let allClosed = newFuture[void]("closed")
  for h in [client, serverSide, server]:
    h.close(proc (p: Pipe) =
      inc closed
      if closed == 3: allClosed.complete())
  await allClosed
  doAssert closed == 3

const noEofAfterShutdown = "libuv 1.44 on Windows: uv_shutdown of a pipe only flushes it " &
  "(src/win/pipe.c uv__pipe_shutdown), the peer reads no EOF until the pipe is closed"

scenario "server + client: both write, both end, three closes", defined(windows), noEofAfterShutdown:
  waitFor lifecycle(serverWrites = true, clientWrites = true)

scenario "server + client, only server writes", defined(windows), noEofAfterShutdown:
  waitFor lifecycle(serverWrites = true, clientWrites = false)

scenario "server + client, only client writes", defined(windows), noEofAfterShutdown:
  waitFor lifecycle(serverWrites = false, clientWrites = true)

scenario "immediate destroy: the server side sees the end, the client closed at once"
block:
  proc immediate() {.async.} =
    let n = name()
    let server = newPipe()
    server.bindPipe(n)
    server.listen()
    let client = newPipe()
    let connecting = client.connect(n)
    client.close()                      # .destroy() before the connection is made
    var failed = false
    try:
      await connecting
    except UvError as e:
      failed = true
      doAssert e.code == ECANCELED, errName(e.code)
    doAssert failed
    let serverSide = await server.accept()
    doAssert (await serverSide.read()) == ""     # 'end'
    serverSide.close()
    server.close()
  waitFor immediate()

scenario "pipe: a pair of connected pipes", defined(windows), noEofAfterShutdown:
  proc pair() {.async.} =
    let (read, write) = pipePair()
    await write.write("hello pipe")
    await write.shutdown()
    doAssert (await read.readAll()) == "hello pipe"
    read.close()
    write.close()
  waitFor pair()

scenario "ipc, data only"
block:
  let (left, right) = pipePair(ipc = true)
  var got = ""
  right.startRead(proc (right: Pipe; data: string; err: int) =
    got = data
    left.close()
    right.close())
  left.write("hello ipc", nil)
  run()
  doAssert got == "hello ipc"

scenario "ipc, pipe handle pass: the received pipe talks to the echo server", defined(windows), onlyTcpHandles:
  let echo = name()
  let server = echoServer(echo)
  let (left, right) = pipePair(ipc = true)
  var sent, echoed = false
  right.startRead(proc (right: Pipe; data: string; err: int) =
    doAssert err == 0 and data == "here"
    doAssert right.pendingCount == 1
    doAssert right.pendingHandleType == hdlNamedPipe
    let received = newPipe()
    right.accept(received)
    received.startRead(proc (received: Pipe; data: string; err: int) =
      doAssert data == "ping"
      echoed = true
      received.close()
      left.close()
      right.close()
      server.close())
    received.write("ping", nil))
  let peer = newPipe()
  peer.connect(echo, proc (peer: Pipe; err: int) =
    doAssert err == 0
    let whenSent = proc (left: Pipe; err: int) =
      doAssert err == 0
      sent = true
      peer.close()
    left.write("here", whenSent, sendHandle = peer))
  run()
  doAssert sent and echoed

proc tcpEchoServer(): Tcp =
  let server = newTcp()
  server.bindAddr("127.0.0.1", 0)
  server.listen(proc (server: Tcp; err: int) =
    doAssert err == 0
    let sock = newTcp()
    server.accept(sock)
    sock.startRead(proc (sock: Tcp; data: string; err: int) =
      if err == 0: sock.write(data, nil)
      else: sock.close()))
  server

scenario "ipc, tcp handle pass: the received socket talks to the TCP echo server"
block:
  let server = tcpEchoServer()
  let (left, right) = pipePair(ipc = true)
  var sent, echoed = false
  let peer = newTcp()
  right.startRead(proc (right: Pipe; data: string; err: int) =
    doAssert err == 0 and right.pendingHandleType == hdlTcp
    let received = newTcp()
    right.accept(received)
    received.startRead(proc (received: Tcp; data: string; err: int) =
      doAssert data == "ping"
      echoed = true
      received.close()
      peer.close()
      left.close()
      right.close()
      server.close())
    received.write("ping", nil))
  peer.connect("127.0.0.1", server.getSockName().port, proc (peer: Tcp; err: int) =
    doAssert err == 0
    let whenSent = proc (left: Pipe; err: int) =
      doAssert err == 0
      sent = true
    left.write("here", whenSent, sendHandle = peer))
  run()
  doAssert sent and echoed

scenario "ipc, multiple pending handles drain in order", defined(windows), onlyTcpHandles:
  let serverA = echoServer(name())
  let serverB = echoServer(name())
  let server = tcpEchoServer()
  let (left, right) = pipePair(ipc = true)
  var received: seq[(HandleType, Stream)]
  var bytes = ""
  var sentOrder: seq[string]
  let peerA = newPipe()
  let peerT = newTcp()
  let peerB = newPipe()
  right.startRead(proc (right: Pipe; data: string; err: int) =
    doAssert err == 0
    bytes.add data
    while right.pendingCount > 0:
      let kind = right.pendingHandleType
      let target: Stream = if kind == hdlNamedPipe: newPipe() else: newTcp()
      right.accept(target)
      received.add((kind, target))
    if received.len == 3:
      doAssert received[0][0] == hdlNamedPipe, "first is pipe"
      doAssert received[1][0] == hdlTcp, "second is tcp"
      doAssert received[2][0] == hdlNamedPipe, "third is pipe"
      for (kind, target) in received: target.close()
      for h in [Stream(peerA), peerT, peerB, left, right, serverA, serverB, server]: h.close())
  var connected = 0
  proc tryWrite() =
    inc connected
    if connected < 3: return
    left.write("a", (proc (p: Pipe; err: int) = sentOrder.add "first"), sendHandle = peerA)
    left.write("b", (proc (p: Pipe; err: int) = sentOrder.add "second"), sendHandle = peerT)
    left.write("c", (proc (p: Pipe; err: int) = sentOrder.add "third"), sendHandle = peerB)
  peerA.connect(serverA.getSockName(), proc (p: Pipe; err: int) = tryWrite())
  peerT.connect("127.0.0.1", server.getSockName().port, proc (t: Tcp; err: int) = tryWrite())
  peerB.connect(serverB.getSockName(), proc (p: Pipe; err: int) = tryWrite())
  run()
  doAssert received.len == 3 and bytes == "abc", bytes
  doAssert sentOrder == @["first", "second", "third"], $sentOrder

removeTestFolder()
echo scenarioCount(), " scenarios passed"
