## The rules of uvio, each checked: handles kept alive while active and freed when dropped
## (descriptors and RSS over 20,000 connections), close twice, calls on closed handles, writes
## keep their data, close cancels pending writes, SIGPIPE, exceptions out of run and waitFor,
## Futures failed at once, and 1,000 connections at once.

import std/strutils
when not defined(windows):
  from std/posix import RLimit, getrlimit, setrlimit, RLIMIT_NOFILE
import uvio, uvio_test_support

type CallbackFailure = object of CatchableError

scenario "an active handle lives with no reference: a listening server, a reader, a timer"
block:
  let name = pipeName("alive.sock")
  var accepted, fired = 0
  var got = ""
  block:
    let server = newPipe()
    server.bindPipe(name)
    server.listen(proc (server: Pipe; err: int) =
      doAssert err == 0
      let conn = newPipe()
      server.accept(conn)
      inc accepted
      conn.startRead(proc (conn: Pipe; data: string; err: int) =
        if err == 0: got.add data
        else:
          conn.close()
          server.close()))
    newTimer().start((proc (t: Timer) = inc fired), 5)
  GC_fullCollect()
  let client = newPipe()
  client.connect(name, proc (client: Pipe; err: int) =
    doAssert err == 0
    client.write("kept alive", proc (client: Pipe; err: int) = client.close()))
  run()
  doAssert accepted == 1 and got == "kept alive" and fired == 1, $accepted & " " & got & " " & $fired

scenario "close twice: one callback; every other call on a closed handle raises EBADF"
block:
  var closes = 0
  let p = newPipe()
  p.close(proc (p: Pipe) = inc closes)
  p.close(proc (p: Pipe) = inc closes)
  doAssert p.isClosing and not p.isActive
  expectUvError(EBADF): p.bindPipe(pipeName("closed.sock"))
  expectUvError(EBADF): p.startRead(proc (p: Pipe; data: string; err: int) = discard)
  expectUvError(EBADF): p.write("x", proc (p: Pipe; err: int) = discard)
  expectUvError(EBADF): discard p.fileno()
  run()
  doAssert closes == 1 and p.isClosed
  p.close()
  expectUvError(EBADF): p.connect("x", proc (p: Pipe; err: int) = discard)
  let t = newTimer()
  t.close()
  expectUvError(EBADF): t.start((proc (t: Timer) = discard), 1)
  let f = p.write("x")            # the Future forms fail their Future instead
  doAssert f.failed
  run()

scenario "a write keeps a copy: the caller changes its string at once"
block:
  let (a, b) = pipePair()
  var data = "original"
  var got = ""
  a.write(data, proc (a: Pipe; err: int) = doAssert err == 0)
  data[0] = 'X'
  data.setLen(0)
  var parts = @["one", "two"]
  a.write(parts, proc (a: Pipe; err: int) =
    doAssert err == 0
    a.close())
  parts[0] = "ONE"
  b.startRead(proc (b: Pipe; data: string; err: int) =
    if err == 0: got.add data
    else: b.close())
  run()
  doAssert got == "originalonetwo", got

scenario "close with writes pending: each write's callback gets ECANCELED"
block:
  let (a, b) = pipePair()
  when not defined(windows):
    a.sendBufferSize = 4096       # a Windows pipe has no socket buffer (ENOTSUP)
  let chunk = 'x'.repeat(256 * 1024)
  var callbacks, canceled = 0
  var writes = 0
  while a.writeQueueSize == 0 or writes < 4:
    a.write(chunk, proc (a: Pipe; err: int) =
      inc callbacks
      if err == ECANCELED: inc canceled
      else: doAssert err == 0, errName(err))
    inc writes
  let futureWrite = a.write(chunk)
  a.close()
  b.close()
  run()
  echo "   ", canceled, " of ", writes, " callback writes canceled"
  doAssert callbacks == writes and canceled >= 1
  doAssert futureWrite.failed
  let e = futureWrite.readError()
  doAssert e of UvError and (ref UvError)(e).code == ECANCELED

scenario "SIGPIPE: a write to a vanished peer ends with EPIPE or ECONNRESET"
block:
  var ends: seq[int]
  let (a, b) = pipePair()
  b.close()
  run()
  when defined(windows):
    # libuv on Windows refuses the write at once (WriteFile gives ERROR_NO_DATA): it raises.
    expectUvError(EPIPE): a.write("anyone there?", proc (a: Pipe; err: int) = doAssert false)
    ends.add EPIPE
    a.close()
  else:
    a.write("anyone there?", proc (a: Pipe; err: int) =
      ends.add err
      a.close())
  run()
  doAssert ends.len == 1 and (ends[0] == EPIPE or ends[0] == ECONNRESET), errName(ends[0])
  # TCP: the peer closes; writes go on until one fails.
  let server = newTcp()
  server.bindAddr("127.0.0.1", 0)
  server.listen(proc (server: Tcp; err: int) =
    let conn = newTcp()
    server.accept(conn)
    conn.close()
    server.close())
  var tcpEnd = 0
  let client = newTcp()
  client.connect("127.0.0.1", server.getSockName().port, proc (client: Tcp; err: int) =
    doAssert err == 0
    let t = newTimer()
    let onTick = proc (t: Timer) =
      if client.isClosing:
        t.close()
        return
      client.write('y'.repeat(65536), proc (client: Tcp; err: int) =
        if err != 0 and tcpEnd == 0:
          tcpEnd = err
          client.close())
    t.start(onTick, 1, repeat = 1))
  run()
  doAssert tcpEnd == EPIPE or tcpEnd == ECONNRESET, errName(tcpEnd)
  echo "   pipe: ", errName(ends[0]), ", tcp: ", errName(tcpEnd)

scenario "an exception in a callback comes out of run with its own type; the loop runs again"
block:
  var caught = false
  newTimer().start((proc (t: Timer) = raise newException(CallbackFailure, "from a timer")), 1)
  try:
    run()
  except CallbackFailure as e:
    caught = true
    doAssert e.msg == "from a timer"
  doAssert caught
  var again = false
  newTimer().start((proc (t: Timer) = again = true), 1)
  run()
  doAssert again
  # From a read callback, and a doAssert's AssertionDefect from a write callback.
  let (a, b) = pipePair()
  b.startRead(proc (b: Pipe; data: string; err: int) =
    raise newException(KeyError, "read " & data))
  discard a.write("k")
  caught = false
  try:
    run()
  except KeyError as e:
    caught = e.msg == "read k"
  doAssert caught
  a.close()
  b.close()
  run()

scenario "an exception in an async proc comes out of waitFor with its own type"
block:
  proc failing() {.async.} =
    await sleepAsync(1)
    raise newException(CallbackFailure, "from async")
  var caught = false
  try:
    waitFor failing()
  except CallbackFailure as e:
    caught = e.msg.startsWith("from async")   # asyncfutures appends the async traceback
  doAssert caught
  proc connectNowhere() {.async.} =
    await newPipe().connect("/nonexistent/uvio.sock")
  caught = false
  try:
    waitFor connectNowhere()
  except UvError as e:
    caught = e.code == ENOENT
  doAssert caught

when not defined(linux):
  skipScenario "20,000 connections made and dropped with no reference kept: descriptors and RSS stay bounded",
    "counts descriptors and RSS in /proc, which is Linux's"
else:
  scenario "20,000 connections made and dropped with no reference kept: descriptors and RSS stay bounded"
  block:
    # Neither side closes anything: a client is dropped once connected, the server's side once it
    # has read the end. Under ORC each goes when its last reference does; refc's collector scans
    # the stack conservatively, so a stale word may keep one or two alive until later.
    const slack = when defined(gcDestructors): 0 else: 4
    let name = pipeName("churn.sock")
    var accepted, connected, ended = 0
    let server = newPipe()
    server.bindPipe(name)
    let onConnection = proc (server: Pipe; err: int) =
      doAssert err == 0
      let conn = newPipe()
      server.accept(conn)
      inc accepted
      conn.startRead(proc (conn: Pipe; data: string; err: int) =
        if err != 0: inc ended)
    server.listen(onConnection, 1024)
    let ticker = newTimer()          # runOnce never waits long
    ticker.start((proc (t: Timer) = discard), 2, repeat = 2)
    proc round(count: int) =
      for i in 0 ..< count:
        newPipe().connect(name, proc (client: Pipe; err: int) =
          doAssert err == 0
          inc connected)
      let target = connected + count
      var iterations = 0
      while connected < target or accepted < target or ended + slack < accepted:
        discard runOnce()
        GC_fullCollect()
        inc iterations
        doAssert iterations < 5000, "connections do not end: " & $accepted & " accepted, " &
          $ended & " ended"
    var warmFds, warmRss = 0
    for r in 0 ..< 40:
      round(500)
      if defined(uvioTrace): echo "   round ", r, ": ", fdCount(), " descriptors, ", rssKiB(), " KiB, occupied ", getOccupiedMem(), " total ", getTotalMem()
      if r == 3:
        warmFds = fdCount()
        warmRss = rssKiB()
    server.close()
    var settle = 0
    while ended < accepted and settle < 200:   # refc: the last stale words go with the stack
      discard runOnce()
      GC_fullCollect()
      inc settle
    ticker.close()
    let fds = fdCount()
    let rss = rssKiB()
    echo "   descriptors ", warmFds, " -> ", fds, ", RSS ", warmRss, " KiB -> ", rss, " KiB"
    doAssert accepted == 20_000 and connected == 20_000 and ended + slack >= 20_000
    doAssert fds <= warmFds + 16, "descriptors grew from " & $warmFds & " to " & $fds
    doAssert rss <= warmRss + 8 * 1024, "RSS grew from " & $warmRss & " KiB to " & $rss & " KiB"

scenario "1,000 TCP connections at once, each answered"
block:
  var enoughDescriptors = true    # Windows has no descriptor limit to raise
  when not defined(windows):
    var limit: RLimit
    doAssert getrlimit(RLIMIT_NOFILE, limit) == 0
    if limit.rlim_cur < 2200 and limit.rlim_max >= 2200:
      limit.rlim_cur = 2200
      doAssert setrlimit(RLIMIT_NOFILE, limit) == 0
    if limit.rlim_cur < 2200:
      echo "   skipped: the descriptor limit is ", limit.rlim_max
      enoughDescriptors = false
  if enoughDescriptors:
    let server = newTcp()
    server.bindAddr("127.0.0.1", 0)
    let onConnection = proc (server: Tcp; err: int) =
      doAssert err == 0
      let conn = newTcp()
      server.accept(conn)
      conn.startRead(proc (conn: Tcp; data: string; err: int) =
        if err == 0: conn.write("re:" & data, nil)
        else: conn.close())
    server.listen(onConnection, 1024)
    let port = server.getSockName().port
    var answered, open = 0
    proc startClient(i: int) =
      let client = newTcp()
      let talk = proc (client: Tcp) =
        client.write($i, proc (client: Tcp; err: int) = doAssert err == 0)
        client.startRead(proc (client: Tcp; data: string; err: int) =
          doAssert err == 0 and data == "re:" & $i, data
          inc answered
          client.close()
          if answered == 1000: server.close())
      client.connect("127.0.0.1", port, proc (client: Tcp; err: int) =
        doAssert err == 0, errName(err)
        inc open
        when defined(windows): talk(client))
      # The write and the read wait for the connection on Unix; libuv on Windows refuses them
      # (EPIPE) until the socket is connected.
      when not defined(windows): talk(client)
    for i in 0 ..< 1000: startClient(i)
    while answered < 1000 or not server.isClosing:   # a handle refc still keeps must not stall us
      discard runOnce()
    doAssert open == 1000 and answered == 1000

removeTestFolder()
echo scenarioCount(), " scenarios passed"
