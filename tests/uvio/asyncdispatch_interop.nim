## uvio beside std/asyncdispatch (uvio_asyncdispatch): one async proc awaits asyncdispatch's
## sleepAsync and AsyncSocket and uvio's pipes, TCP and sleepAsync, all driven by asyncdispatch's
## waitFor; timers of both fire in deadline order; exceptions and failed Futures of uvio surface;
## an asynchttpserver answers while uvio works; a loop of one's own is attached and detached.

when not defined(linux):
  echo "skipped: uvio_asyncdispatch needs Linux (epoll)"
  quit 77

import std/[asyncdispatch, asyncnet, asynchttpserver, strutils]
import uvio except async, await, multisync   # Nim 1.6's asyncdispatch has its own copies
import uvio_asyncdispatch, uvio_test_support

type CallbackFailure = object of CatchableError

attachToAsyncdispatch()

proc asyncEchoServer(server: AsyncSocket) {.async.} =
  ## asyncdispatch's side: echoes each line of one connection.
  let conn = await server.accept()
  while true:
    let line = await conn.recvLine()
    if line.len == 0: break
    await conn.send(line & "\n")
  conn.close()

proc uvioEchoServer(server: Tcp) {.async.} =
  ## uvio's side: echoes what one connection sends.
  let conn = await server.accept()
  while true:
    let data = await conn.read()
    if data.len == 0: break
    await conn.write(data)
  conn.close()

proc readExactly(s: Stream; size: int): Future[string] {.async.} =
  var got = ""
  while got.len < size:
    let data = await s.read()
    doAssert data.len > 0, "the stream ended early"
    got.add data
  return got

scenario "one async proc awaits asyncdispatch's sleepAsync and AsyncSocket, uvio's pipes, Tcp and sleepAsync"
block:
  proc interleaved(): Future[seq[string]] {.async.} =
    var steps: seq[string]
    let adServer = newAsyncSocket()
    adServer.setSockOpt(OptReuseAddr, true)
    adServer.bindAddr(Port(0), "127.0.0.1")
    adServer.listen()
    let adServing = asyncEchoServer(adServer)
    let adClient = newAsyncSocket()
    await adClient.connect("127.0.0.1", adServer.getLocalAddr()[1])

    let uvServer = newTcp()
    uvServer.bindAddr("127.0.0.1", 0)
    uvServer.listen()
    let uvServing = uvioEchoServer(uvServer)
    let uvClient = newTcp()
    await uvClient.connect("127.0.0.1", uvServer.getSockName().port)
    let (a, b) = pipePair()

    for i in 1 .. 3:
      await asyncdispatch.sleepAsync(2)
      steps.add "asyncdispatch slept"
      await adClient.send("line " & $i & "\n")
      steps.add "AsyncSocket echoed " & await adClient.recvLine()
      await a.write("pipe " & $i)
      steps.add "pipe carried " & await b.readExactly(6)
      await uvClient.write("tcp " & $i)
      steps.add "uvio Tcp echoed " & await uvClient.readExactly(5)
      await uvio.sleepAsync(2)
      steps.add "uvio slept"
    # Both at once: a read of each kind in flight together.
    await adClient.send("both\n")
    await uvClient.write("both!")
    let adLine = adClient.recvLine()
    let uvData = uvClient.readExactly(5)
    await adLine and uvData
    steps.add "at once: " & adLine.read & " and " & uvData.read

    adClient.close()
    await uvClient.shutdown()
    await adServing
    await uvServing
    uvClient.close()
    uvServer.close()
    adServer.close()
    a.close()
    b.close()
    return steps

  let steps = asyncdispatch.waitFor interleaved()
  var expected: seq[string]
  for i in 1 .. 3:
    expected.add @["asyncdispatch slept", "AsyncSocket echoed line " & $i, "pipe carried pipe " & $i,
                   "uvio Tcp echoed tcp " & $i, "uvio slept"]
  expected.add "at once: both and both!"
  doAssert steps == expected, $steps

scenario "timers of both libraries fire in the order of their deadlines"
block:
  proc record(name: string; timer: Future[void]; order: ref seq[string]) {.async.} =
    await timer
    order[].add name
  proc timers(): Future[seq[string]] {.async.} =
    await asyncdispatch.sleepAsync(1)     # started from a resumed async proc
    let order = new seq[string]
    # 50 ms apart: the order holds unless the process is held up that long (each library fires
    # all its timers that are due when it gets to run).
    let all = @[record("uvio 150", uvio.sleepAsync(150), order),
                record("asyncdispatch 50", asyncdispatch.sleepAsync(50), order),
                record("uvio 100", uvio.sleepAsync(100), order),
                record("asyncdispatch 200", asyncdispatch.sleepAsync(200), order),
                record("uvio 1", uvio.sleepAsync(1), order)]
    for f in all: await f
    return order[]
  let order = asyncdispatch.waitFor timers()
  doAssert order == @["uvio 1", "asyncdispatch 50", "uvio 100", "uvio 150", "asyncdispatch 200"], $order

scenario "an exception raised in a uvio callback comes out of asyncdispatch's waitFor with its type"
block:
  # From a timer callback (the loop runs because an asyncdispatch timer for it fired).
  newTimer().start((proc (t: Timer) =
    t.close()
    raise newException(CallbackFailure, "from a uvio timer")), 5)
  var caught = ""
  try:
    asyncdispatch.waitFor asyncdispatch.sleepAsync(200)
  except CallbackFailure as e:
    caught = e.msg
  doAssert caught == "from a uvio timer", caught
  # From a read callback (the loop runs because libuv's descriptor became readable).
  let (a, b) = pipePair()
  b.startRead(proc (b: Pipe; data: string; err: int) =
    b.close()
    raise newException(CallbackFailure, "from a uvio read of " & data))
  a.write("ping", nil)
  caught = ""
  try:
    asyncdispatch.waitFor asyncdispatch.sleepAsync(200)
  except CallbackFailure as e:
    caught = e.msg
  doAssert caught == "from a uvio read of ping", caught
  # The loop goes on working afterwards.
  proc after(a: Pipe): Future[string] {.async.} =
    let (c, d) = pipePair()
    await c.write("still working")
    result = await d.readExactly(13)
    a.close()
    c.close()
    d.close()
  doAssert asyncdispatch.waitFor(after(a)) == "still working"

scenario "a uvio Future that fails raises its UvError at the await"
block:
  proc refused(): Future[int] {.async.} =
    let probe = newTcp()
    probe.bindAddr("127.0.0.1", 0)
    let port = probe.getSockName().port
    probe.close()                         # nobody listens there now
    await uvio.sleepAsync(1)
    let client = newTcp()
    try:
      await client.connect("127.0.0.1", port)
    except UvError as e:
      result = e.code
    client.close()
  doAssert asyncdispatch.waitFor(refused()) == ECONNREFUSED

scenario "uvio calls made at top level, outside async procs, are seen by asyncdispatch's waitFor"
block:
  let (a, b) = pipePair()
  let got = newFuture[string]("top level read")
  b.startRead(proc (b: Pipe; data: string; err: int) =
    if not got.finished: got.complete(data)
    b.close())
  a.write("from the top level", proc (a: Pipe; err: int) = a.close())
  doAssert asyncdispatch.waitFor(got) == "from the top level"

scenario "an asynchttpserver answers a uvio client while uvio pipes ping-pong"
block:
  proc handler(req: Request) {.async.} =
    await req.respond(Http200, "served " & req.url.path)
  proc pingPong(rounds: int): Future[int] {.async.} =
    let (a, b) = pipePair()
    for i in 1 .. rounds:
      await a.write("ping")
      discard await b.readExactly(4)
      await b.write("pong")
      discard await a.readExactly(4)
      result = i
    a.close()
    b.close()
  proc request(port: int): Future[string] {.async.} =
    let client = newTcp()
    await client.connect("127.0.0.1", port)
    await client.write("GET /hello HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
    while true:
      let data = await client.read()
      if data.len == 0: break
      result.add data
    client.close()
  proc both(): Future[(string, int)] {.async.} =
    let server = newAsyncHttpServer()
    server.listen(Port(0), "127.0.0.1")
    let port = int(server.getPort())
    let serving = server.acceptRequest(handler)
    let pinging = pingPong(200)
    let response = await request(port)
    await serving
    server.close()
    return (response, await pinging)
  let (response, rounds) = asyncdispatch.waitFor both()
  doAssert response.startsWith("HTTP/1.1 200"), response
  doAssert response.endsWith("served /hello"), response
  doAssert rounds == 200

scenario "a loop of one's own: attached, used, detached and closed"
block:
  let loop = newLoop()
  attachToAsyncdispatch(loop)
  proc overOwnLoop(loop: Loop): Future[string] {.async.} =
    let (a, b) = pipePair(loop)
    await uvio.sleepAsync(5, loop)
    await a.write("own loop")
    result = await b.readExactly(8)
    a.close()
    b.close()
  doAssert asyncdispatch.waitFor(overOwnLoop(loop)) == "own loop"
  detachFromAsyncdispatch(loop)
  loop.close()
  asyncdispatch.waitFor asyncdispatch.sleepAsync(5)   # asyncdispatch goes on without it

removeTestFolder()
echo scenarioCount(), " scenarios passed"
