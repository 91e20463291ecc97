## pyuv's tests/test_ipc.py (with its child programs proc_ipc.py and proc_ipc_echo.py, here this
## same program started again with "child ..."), and a parent handing its listening TCP server
## to a child that accepts on it.

import std/[os, strutils]
import uvio, uvio_test_support

proc childCommand(args: varargs[string]): (string, seq[string]) =
  ## This program again. A target run through an emulator (qemu-user) names the emulator's
  ## command in UVGEN_TEST_LAUNCHER; the child runs the same way.
  let launcher = getEnv("UVGEN_TEST_LAUNCHER").splitWhitespace
  var rest: seq[string]
  if launcher.len > 0:
    rest = launcher[1 .. ^1] & getAppFilename()
    result[0] = launcher[0]
  else:
    result[0] = getAppFilename()
  result[1] = rest & @["child"] & @args

proc spawnChild(channel: Pipe; args: varargs[string]): Process =
  ## The child, its descriptor 0 an IPC pipe to ``channel``; its exit status must be 0.
  let (file, argv) = childCommand(args)
  spawn(file, argv, stdio = [createPipe(channel), inheritFd(1), inheritFd(2)],
        onExit = proc (p: Process; exitStatus: int; termSignal: int) =
          doAssert exitStatus == 0 and termSignal == 0,
            "the child exited with " & $exitStatus & ", signal " & $termSignal
          p.close())

# --- the children --------------------------------------------------------------------------

proc childListen(listenAfterWrite: bool) =
  ## proc_ipc.py: send a listening TCP server to the parent, accept one connection on it.
  let channel = newPipe(ipc = true)
  channel.open(0)
  let server = newTcp()
  server.bindAddr("127.0.0.1", 0)
  var accepted = false
  let onConnection = proc (server: Tcp; err: int) =
    if accepted: return
    doAssert err == 0
    let conn = newTcp()
    server.accept(conn)
    conn.close()
    accepted = true
    channel.write("accepted_connection", proc (channel: Pipe; err: int) =
      doAssert err == 0
      channel.close()
      server.close())
  if not listenAfterWrite: server.listen(onConnection, 12)
  channel.write("hello", nil, sendHandle = server)
  if listenAfterWrite: server.listen(onConnection, 12)
  run()

proc acceptPending(channel: Pipe): Handle =
  ## The handle that came with the bytes just read, as an object of its type (nil: none came).
  if channel.pendingCount == 0: return nil
  case channel.pendingHandleType
  of hdlNamedPipe:
    let p = newPipe()
    channel.accept(p)
    result = p
  of hdlTcp:
    let t = newTcp()
    channel.accept(t)
    result = t
  of hdlUdp:
    let u = newUdp()
    channel.accept(u)
    result = u
  else:
    doAssert false, "an unexpected handle type: " & $channel.pendingHandleType

proc childEcho() =
  ## proc_ipc_echo.py: send back the handle received.
  let channel = newPipe(ipc = true)
  channel.open(0)
  channel.startRead(proc (channel: Pipe; data: string; err: int) =
    if err != 0:
      channel.close()
      return
    let received = acceptPending(channel)
    doAssert received != nil, "no handle came with " & escape(data)
    channel.write(".", proc (channel: Pipe; err: int) =
      doAssert err == 0
      received.close(), sendHandle = received))
  run()

proc childServe() =
  ## Accept one connection on the TCP server the parent sends, and answer it.
  let channel = newPipe(ipc = true)
  channel.open(0)
  channel.startRead(proc (channel: Pipe; data: string; err: int) =
    doAssert err == 0 and channel.pendingHandleType == hdlTcp
    let server = newTcp()
    channel.accept(server)
    channel.close()
    server.listen(proc (server: Tcp; err: int) =
      doAssert err == 0
      let client = newTcp()
      server.accept(client)
      client.write("served by the child", proc (client: Tcp; err: int) =
        doAssert err == 0
        client.close()
        server.close())))
  run()

if paramCount() >= 2 and paramStr(1) == "child":
  case paramStr(2)
  of "listen_before_write": childListen(false)
  of "listen_after_write": childListen(true)
  of "echo": childEcho()
  of "serve": childServe()
  of "sleep": sleep(10_000)
  else: quit "unknown child " & paramStr(2)
  quit 0

# --- the parent ----------------------------------------------------------------------------

proc ipcTest(testType: string) =
  var tcpServer: Tcp
  var localAccepted = false
  var connections = 0
  var finished = false
  let channel = newPipe(ipc = true)
  discard spawnChild(channel, testType)
  channel.startRead(proc (channel: Pipe; data: string; err: int) =
    if err != 0: return
    let pending = if channel.pendingCount > 0: channel.pendingHandleType else: hdlUnknowHandle
    if tcpServer == nil:
      doAssert pending == hdlTcp, $pending
      tcpServer = newTcp()
      channel.accept(tcpServer)
      tcpServer.listen(proc (server: Tcp; err: int) =
        if localAccepted: return
        let conn = newTcp()
        server.accept(conn)
        conn.close()
        server.close()
        localAccepted = true, 12)
      doAssert data.strip() == "hello", data
      channel.write("world", nil)
      let port = tcpServer.getSockName().port
      for i in 0 ..< 100:
        newTcp().connect("127.0.0.1", port, proc (conn: Tcp; err: int) =
          inc connections
          conn.close())
    elif data.strip() == "accepted_connection":
      doAssert pending == hdlUnknowHandle
      finished = true
      channel.close())
  run()
  doAssert finished and connections == 100

scenario "IPCTest.test_ipc1: the child listens, then sends its server; both accept on it"
ipcTest("listen_before_write")

scenario "IPCTest.test_ipc2: the child sends its server, then listens"
ipcTest("listen_after_write")

proc sendRecv(sendHandle: Handle; expected: HandleType): Handle =
  ## Sends ``sendHandle`` to a child, which sends it back: the handle received.
  var back: Handle
  let channel = newPipe(ipc = true)
  discard spawnChild(channel, "echo")
  channel.write(".", nil, sendHandle = sendHandle)
  channel.startRead(proc (channel: Pipe; data: string; err: int) =
    doAssert err == 0
    if channel.pendingCount > 0:
      doAssert channel.pendingHandleType == expected, $channel.pendingHandleType
      back = acceptPending(channel)
      channel.close())
  run()
  doAssert back != nil
  doAssert back.handleType == expected
  back

scenario "IPCSendRecvTest.test_ipc_send_recv_pipe: a bound pipe goes to the child and back",
         defined(windows), onlyTcpHandles:
  let p = newPipe(ipc = true)
  let name = pipeName("test-pipe2")
  p.bindPipe(name)
  let back = Pipe(sendRecv(p, hdlNamedPipe))
  doAssert back.getSockName == name, back.getSockName
  p.close()
  back.close()
  run()

scenario "IPCSendRecvTest.test_ipc_send_recv_tcp: a bound TCP socket goes to the child and back"
block:
  let t = newTcp()
  t.bindAddr("127.0.0.1", 0)
  let back = Tcp(sendRecv(t, hdlTcp))
  doAssert back.getSockName == t.getSockName, $back.getSockName
  t.close()
  back.close()
  run()

scenario "IPCSendRecvTest.test_ipc_send_recv_udp: a bound UDP socket goes to the child and back",
         defined(windows), onlyTcpHandles:
  let u = newUdp()
  u.bindAddr("127.0.0.1", 0)
  let back = Udp(sendRecv(u, hdlUdp))
  doAssert back.getSockName == u.getSockName, $back.getSockName
  # The socket that came back receives what is sent to the address it was bound to.
  var got = ""
  back.startRecv(proc (back: Udp; data: string; host: string; port: int; err: int) =
    doAssert err == 0, errName(err)
    got = data
    back.close())
  let sender = newUdp()
  sender.send("over the returned socket", "127.0.0.1", u.getSockName.port,
              proc (sender: Udp; err: int) =
    doAssert err == 0, errName(err)
    sender.close())
  u.close()
  run()
  doAssert got == "over the returned socket", got

scenario "a parent hands its listening TCP server to a child, which accepts on it"
block:
  var answer = ""
  let server = newTcp()
  server.bindAddr("127.0.0.1", 0)
  server.listen(proc (server: Tcp; err: int) = doAssert false, "the parent must not accept")
  let port = server.getSockName().port
  let channel = newPipe(ipc = true)
  let child = spawnChild(channel, "serve")
  doAssert child.pid > 0
  channel.write("server", proc (channel: Pipe; err: int) =
    doAssert err == 0
    server.close()          # the child holds the listening socket now
    channel.close()
    let client = newTcp()
    client.connect("127.0.0.1", port, proc (client: Tcp; err: int) =
      doAssert err == 0, errName(err)
      client.startRead(proc (client: Tcp; data: string; err: int) =
        if err == 0: answer.add data
        else: client.close())), sendHandle = server)
  run()
  doAssert answer == "served by the child", answer

scenario "spawn: a program that does not exist raises ENOENT; a running child can be killed"
block:
  expectUvError(ENOENT): discard spawn("/nonexistent/uvio-program")
  var signal = 0
  let (file, args) = childCommand("sleep")    # (Windows has no sleep program)
  let sleeper = spawn(file, args, onExit = proc (p: Process; exitStatus, termSignal: int) =
    signal = termSignal
    p.close())
  sleeper.kill(15)
  run()
  doAssert signal == 15 and sleeper.exited

removeTestFolder()
echo scenarioCount(), " scenarios passed"
