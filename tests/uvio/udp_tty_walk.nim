## UDP, TTY and walk, each checked: echo over IPv4 and IPv6, sends keep their data, a receiving
## socket with no reference lives and receives, errors at once and from the network, close with
## sends pending, the Future forms under async/await, the socket options; a terminal through a
## pseudo-terminal (write, read, raw mode, window size, reset); the handles a loop lists.

import std/[sequtils, strutils]
from std/posix import O_RDWR, O_NOCTTY
import uvio, uvio_test_support

type CallbackFailure = object of CatchableError

proc expectFailed(f: FutureBase; expected: int) =
  doAssert f.failed, "the Future did not fail"
  let e = f.error
  doAssert e of UvError and (ref UvError)(e).code == expected,
    "expected " & errName(expected) & ", got " & e.msg

proc ipv6Available(): bool =
  ## True when a UDP socket binds to ::1.
  let probe = newUdp()
  try:
    probe.bindAddr("::1", 0)
    result = true
  except UvError as e:
    echo "   skipped IPv6: ::1 is not available (", errName(e.code), ")"
  probe.close()
  run()

for host in ["127.0.0.1", "::1"]:
  scenario "UDP echo between two sockets on " & host & ", with callbacks"
  if host == "::1" and not ipv6Available(): continue
  block:
    let server = newUdp()
    server.bindAddr(host, 0)
    let serverAddress = server.getSockName()
    doAssert serverAddress.host == host and serverAddress.port > 0, $serverAddress
    doAssert server.handleType == hdlUdp and server.handleTypeName == "udp"
    server.startRecv(proc (server: Udp; data: string; sender: string; port: int; err: int) =
      doAssert err == 0, errName(err)
      server.send("echo:" & data, sender, port, proc (server: Udp; err: int) =
        doAssert err == 0, errName(err)
        server.close()))
    let client = newUdp()
    client.bindAddr(host, 0)
    var got: seq[Datagram]
    client.startRecv(proc (client: Udp; data: string; sender: string; port: int; err: int) =
      doAssert err == 0, errName(err)
      got.add (data, sender, port)
      client.close())
    client.send("hello", host, serverAddress.port, proc (client: Udp; err: int) =
      doAssert err == 0, errName(err))
    run()
    doAssert got == @[("echo:hello", host, serverAddress.port)], $got

scenario "send keeps a copy: the caller changes its string at once; an empty datagram arrives"
block:
  let receiver = newUdp()
  receiver.bindAddr("127.0.0.1", 0)
  let port = receiver.getSockName().port
  var got: seq[string]
  receiver.startRecv(proc (receiver: Udp; data: string; host: string; port: int; err: int) =
    doAssert err == 0, errName(err)
    got.add data
    if got.len == 2: receiver.close())
  let sender = newUdp()
  var message = "original"
  sender.send(message, "127.0.0.1", port, proc (sender: Udp; err: int) = doAssert err == 0)
  message[0] = 'X'
  message.setLen(0)
  sender.send(message, "127.0.0.1", port, proc (sender: Udp; err: int) =
    doAssert err == 0
    sender.close())
  run()
  doAssert got == @["original", ""], $got

scenario "a receiving socket with no reference stays alive and receives"
block:
  var port = 0
  var got = ""
  block:
    let receiver = newUdp()
    receiver.bindAddr("127.0.0.1", 0)
    port = receiver.getSockName().port
    receiver.startRecv(proc (receiver: Udp; data: string; host: string; port: int; err: int) =
      got = data
      receiver.close())
  GC_fullCollect()
  let sender = newUdp()
  sender.send("still there?", "127.0.0.1", port, proc (sender: Udp; err: int) = sender.close())
  run()
  doAssert got == "still there?", got

scenario "errors: at once (UvError, failed Futures) and from the network (ECONNREFUSED)"
block:
  let u = newUdp()
  u.bindAddr("127.0.0.1", 0)
  let port = u.getSockName().port
  let other = newUdp()
  expectUvError(EADDRINUSE): other.bindAddr("127.0.0.1", port)
  expectUvError(EINVAL): u.send("x", "not an address", 9, nil)
  expectUvError(EINVAL): u.send("x", "127.0.0.1", 70000, nil)
  expectFailed(u.send("x", "not an address", 9), EINVAL)
  expectUvError(ENOTCONN): discard u.getPeerName()
  expectUvError(ENOTCONN): u.disconnect()
  var raised = ""
  try: u.send("x", nil)
  except UvError as e: raised = errName(e.code)
  doAssert raised == "EDESTADDRREQ", raised       # not connected: an address is needed
  expectUvError(EINVAL): u.setTtl(0)
  doAssert u.sendQueueCount == 0 and u.sendQueueSize == 0
  other.close()
  # Two sockets both asking for address reuse share the port.
  let first = newUdp()
  first.bindAddr("127.0.0.1", 0, reuseAddress = true)
  let second = newUdp()
  second.bindAddr("127.0.0.1", first.getSockName().port, reuseAddress = true)
  doAssert second.getSockName().port == first.getSockName().port
  first.close()
  second.close()
  # A closed handle: EBADF, and the Future forms fail.
  u.close()
  expectUvError(EBADF): u.send("x", "127.0.0.1", port, nil)
  expectUvError(EBADF): u.startRecv(proc (u: Udp; data, host: string; port, err: int) = discard)
  expectUvError(EBADF): discard u.getSockName()
  expectFailed(u.send("x", "127.0.0.1", port), EBADF)
  expectFailed(u.recv(), EBADF)
  run()
  # A port nobody listens on: a connected socket hears of it (ICMP port unreachable).
  let connected = newUdp()
  connected.connect("127.0.0.1", port)
  doAssert connected.getPeerName() == ("127.0.0.1", port)
  raised = ""
  try: connected.send("x", "127.0.0.1", port, nil)
  except UvError as e: raised = errName(e.code)
  doAssert raised == "EISCONN", raised          # connected: no address
  var errors: seq[int]
  var sends = 0
  connected.startRecv(proc (connected: Udp; data: string; host: string; port: int; err: int) =
    errors.add err
    connected.close())
  connected.send("anyone?", proc (connected: Udp; err: int) =
    doAssert err == 0, errName(err)
    inc sends)
  run()
  doAssert sends == 1 and errors == @[ECONNREFUSED], $errors

scenario "close with sends pending: each callback gets ECANCELED (the first was already sent; on Windows none was pending)"
block:
  let receiver = newUdp()
  receiver.bindAddr("127.0.0.1", 0)
  let port = receiver.getSockName().port
  let sender = newUdp()
  var results: seq[int]
  for i in 0 ..< 5:
    sender.send("datagram " & $i, "127.0.0.1", port, proc (sender: Udp; err: int) =
      results.add err)
  let futureSend = sender.send("by a Future", "127.0.0.1", port)
  doAssert sender.sendQueueCount == 6, $sender.sendQueueCount
  when defined(windows):
    # libuv 1.44 on Windows: a datagram the socket takes at once is sent then and there, not
    # queued (src/win/udp.c uv__send): no byte counts as queued, and its callback, still run
    # from the loop, gets 0 though the socket closed first.
    doAssert sender.sendQueueSize == 0, $sender.sendQueueSize
  else:
    doAssert sender.sendQueueSize == 5 * "datagram 0".len + "by a Future".len, $sender.sendQueueSize
  sender.close()
  receiver.close()
  run()
  echo "   ", results.count(ECANCELED), " of 5 callback sends canceled"
  doAssert results.len == 5
  when defined(windows):
    doAssert results == @[0, 0, 0, 0, 0], $results
    doAssert futureSend.finished and not futureSend.failed
  else:
    doAssert results[0] == 0 and results[1 .. ^1] == @[ECANCELED, ECANCELED, ECANCELED, ECANCELED],
      $results
    expectFailed(futureSend, ECANCELED)

scenario "an exception in a receive callback comes out of run with its own type"
block:
  let receiver = newUdp()
  receiver.bindAddr("127.0.0.1", 0)
  receiver.startRecv(proc (receiver: Udp; data: string; host: string; port: int; err: int) =
    raise newException(CallbackFailure, "received " & data))
  let sender = newUdp()
  sender.send("boom", "127.0.0.1", receiver.getSockName().port, nil)
  var caught = false
  try:
    run()
  except CallbackFailure as e:
    caught = e.msg == "received boom"
  doAssert caught
  receiver.close()
  sender.close()
  run()

scenario "the Future forms under async/await: echo, datagrams queued before recv, connected sockets"
block:
  proc serve(server: Udp; count: int) {.async.} =
    for i in 0 ..< count:
      let (data, host, port) = await server.recv()
      await server.send(data.toUpperAscii, host, port)
    server.close()

  proc talk(port: int): Future[seq[string]] {.async.} =
    let client = newUdp()
    client.bindAddr("127.0.0.1", 0)
    for word in ["one", "two", "three"]:       # all sent before the first recv
      await client.send(word, "127.0.0.1", port)
    for i in 0 ..< 3:
      let datagram = await client.recv()
      doAssert datagram.port == port and datagram.host == "127.0.0.1", $datagram
      result.add datagram.data
    # Connected: send without an address, and trySend.
    client.connect("127.0.0.1", port)
    await client.send("four")
    doAssert client.trySend("five")
    for i in 0 ..< 2: result.add (await client.recv()).data
    client.disconnect()
    let unaddressed = client.send("six")      # disconnected: an address is needed again
    doAssert unaddressed.failed and errName((ref UvError)(unaddressed.readError).code) == "EDESTADDRREQ"
    client.close()

  let server = newUdp()
  server.bindAddr("127.0.0.1", 0)
  let port = server.getSockName().port
  let serving = serve(server, 5)
  doAssert waitFor(talk(port)) == @["ONE", "TWO", "THREE", "FOUR", "FIVE"]
  waitFor serving
  # A connected socket whose peer does not listen: the waiting recv fails with ECONNREFUSED.
  proc refused(port: int) {.async.} =
    let u = newUdp()
    u.connect("127.0.0.1", port)
    let answer = u.recv()
    await u.send("anyone?")
    var code = 0
    try:
      discard await answer
    except UvError as e:
      code = e.code
    doAssert code == ECONNREFUSED, errName(code)
    u.close()
  waitFor refused(port)
  # A waiting recv fails with ECANCELED when its socket closes; mixing the forms is refused.
  let u = newUdp()
  u.bindAddr("127.0.0.1", 0)
  let waiting = u.recv()
  expectFailed(u.recv(), EINVAL)
  expectUvError(EINVAL): u.startRecv(proc (u: Udp; data, host: string; port, err: int) = discard)
  u.close()
  expectFailed(waiting, ECANCELED)
  run()

scenario "socket options: broadcast, TTL, multicast (loop, TTL, membership)"
block:
  let u = newUdp()
  u.bindAddr("0.0.0.0", 0)
  u.setBroadcast(true)
  u.setBroadcast(false)
  u.setTtl(64)
  u.setMulticastTtl(4)
  u.setMulticastLoop(true)
  expectUvError(EINVAL): u.setMulticastTtl(256)
  u.setMembership("239.255.42.99", "127.0.0.1", join = true)
  u.setMembership("239.255.42.99", "127.0.0.1", join = false)
  expectUvError(EINVAL): u.setMembership("not an address", "127.0.0.1", join = true)
  u.close()
  run()

if startScenario("multicast interface: a datagram sent to a group through the loopback interface comes back to a member"):
  let u = newUdp()
  u.bindAddr("0.0.0.0", 0)
  u.setMulticastLoop(true)
  let port = u.getSockName().port
  u.setMembership("239.255.42.99", "127.0.0.1")
  var got = ""
  u.startRecv(proc (u: Udp; data: string; host: string; port: int; err: int) =
    doAssert err == 0, errName(err)
    got = data
    u.close())
  let sender = newUdp()
  expectUvError(EBADF): sender.setMulticastInterface("127.0.0.1")   # no socket before a bind
  sender.bindAddr("127.0.0.1", 0)
  sender.setMulticastInterface("127.0.0.1")
  sender.setMulticastLoop(true)
  sender.send("to the group", "239.255.42.99", port, proc (sender: Udp; err: int) =
    doAssert err == 0, errName(err)
    sender.close())
  run()
  doAssert got == "to the group", got

when defined(linux):
  # A pseudo-terminal: the test holds the master side, the Tty the terminal side.
  proc posix_openpt(flags: cint): cint {.importc, header: "<stdlib.h>".}
  proc grantpt(fd: cint): cint {.importc, header: "<stdlib.h>".}
  proc unlockpt(fd: cint): cint {.importc, header: "<stdlib.h>".}
  proc ptsname(fd: cint): cstring {.importc, header: "<stdlib.h>".}
  type WindowSize {.importc: "struct winsize", header: "<sys/ioctl.h>".} = object
    ws_row, ws_col, ws_xpixel, ws_ypixel: cushort
  var TIOCSWINSZ {.importc, header: "<sys/ioctl.h>".}: culong
  proc setWindowSize(fd: cint; request: culong; size: var WindowSize): cint {.
    importc: "ioctl", header: "<sys/ioctl.h>".}

  proc openPseudoTerminal(): tuple[master, terminal: cint] =
    ## A new pseudo-terminal's two descriptors.
    result.master = posix_openpt(O_RDWR or O_NOCTTY)
    doAssert result.master >= 0 and grantpt(result.master) == 0 and unlockpt(result.master) == 0
    result.terminal = posix.open(ptsname(result.master), O_RDWR or O_NOCTTY)
    doAssert result.terminal >= 0

  proc readExactly(s: Stream; count: int): Future[string] {.async.} =
    while result.len < count:
      let chunk = await s.read()
      doAssert chunk.len > 0, "the terminal ended after " & result.escape
      result.add chunk

scenario "TTY through a pseudo-terminal: write and read, setMode raw, getWinSize, resetMode"
when defined(linux):
  block:
    let (master, terminalFd) = openPseudoTerminal()
    doAssert guessHandle(terminalFd) == hdlTty and guessHandle(master) == hdlTty
    var size = WindowSize(ws_row: 33, ws_col: 101)
    doAssert setWindowSize(master, TIOCSWINSZ, size) == 0
    let terminal = newTty(terminalFd)
    let controller = newTty(master)
    doAssert terminal.handleTypeName == "tty" and terminal.readable and terminal.writable
    doAssert terminal.getWinSize() == (width: 101, height: 33), $terminal.getWinSize()

    proc converse() {.async.} =
      # The normal mode turns "\n" written into "\r\n".
      await terminal.write("a\n")
      doAssert (await controller.readExactly(3)) == "a\r\n"
      # Raw: bytes typed arrive at once, untranslated ("\r" stays) and not echoed; libuv's raw
      # mode still turns "\n" written into "\r\n".
      terminal.setMode(ttyRaw)
      await controller.write("typed\r")
      doAssert (await terminal.readExactly(6)) == "typed\r"
      await terminal.write("b\n")
      doAssert (await controller.readExactly(3)) == "b\r\n"   # no echo of "typed" before it
      # IO: no output processing either.
      terminal.setMode(ttyIO)
      await terminal.write("d\n")
      doAssert (await controller.readExactly(2)) == "d\n"
      # resetMode gives back the mode before the first setMode.
      resetMode()
      await terminal.write("c\n")
      doAssert (await controller.readExactly(3)) == "c\r\n"

    waitFor converse()
    terminal.close()
    controller.close()
    run()
  block:
    # The callback forms work on a Tty too (startRead and write are a Stream's).
    let (master, terminalFd) = openPseudoTerminal()
    let terminal = newTty(terminalFd)
    let controller = newTty(master)
    terminal.setMode(ttyRaw)
    var typed, shown = ""
    terminal.startRead(proc (terminal: Tty; data: string; err: int) =
      doAssert err == 0, errName(err)
      typed.add data
      if typed == "xyz":
        terminal.stopRead()
        terminal.write("shown", proc (terminal: Tty; err: int) = doAssert err == 0))
    controller.startRead(proc (controller: Tty; data: string; err: int) =
      doAssert err == 0, errName(err)
      shown.add data
      if shown == "shown":
        controller.close()
        terminal.close())
    controller.write("xyz", proc (controller: Tty; err: int) = doAssert err == 0)
    run()
    doAssert typed == "xyz" and shown == "shown", typed & " " & shown
    expectUvError(EINVAL): discard newTty(-1)
else:
  echo "   skipped: the pseudo-terminal test is Linux-only"

scenario "walk: a loop lists exactly the live handle objects on it"
block:
  let loop = newLoop()
  var listed: seq[Handle]
  for h in loop.handles: listed.add h
  doAssert listed.len == 0, "libuv's own handles are not listed: " & $listed.len
  let tcp = newTcp(loop)
  let udp = newUdp(loop)
  let timer = newTimer(loop)
  timer.start((proc (t: Timer) = discard), 1_000_000)
  let pipe = newPipe(loop)
  var kinds: seq[string]
  loop.walk(proc (h: Handle) = kinds.add h.handleTypeName)
  doAssert kinds.len == 4 and "tcp" in kinds and "udp" in kinds and "timer" in kinds and
    "pipe" in kinds, $kinds
  listed.setLen(0)
  for h in loop.handles: listed.add h
  doAssert listed.len == 4 and tcp in listed and udp in listed and timer in listed and
    pipe in listed
  doAssert udp in listed and listed[listed.find(udp)] of Udp
  udp.close()
  pipe.close()
  listed.setLen(0)
  for h in loop.handles: listed.add h
  doAssert listed.len == 4 and listed.count(Handle(udp)) == 1 and udp.isClosing  # closing ones too
  doAssert loop.runOnce()                   # the closes finish; the timer runs on
  listed.setLen(0)
  for h in loop.handles: listed.add h
  doAssert listed.len == 2 and tcp in listed and timer in listed, $listed.len
  for h in listed: h.close()
  listed.setLen(0)
  discard loop.runOnce()
  for h in loop.handles: listed.add h
  doAssert listed.len == 0
  loop.close()
  expectUvError(EBADF):
    for h in loop.handles: discard h

echo scenarioCount(), " scenarios passed"
