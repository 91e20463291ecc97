## pyuv's tests/test_pipe.py, scenario by scenario, against uvio's Pipe.

import std/[strutils, os]
import uvio, uvio_test_support

const linesep = "\n"

proc pingServer(name: string; message: string | seq[string]; closeCb: proc (h: Pipe) = nil): Pipe =
  ## A server that writes ``message`` to each connection and closes when the peer is gone.
  let server = newPipe()
  server.pendingInstances(100)
  server.bindPipe(name)
  server.listen(proc (server: Pipe; err: int) =
    doAssert err == 0
    let client = newPipe()
    server.accept(client)
    client.startRead(proc (client: Pipe; data: string; err: int) =
      if err != 0:
        doAssert err == EOF, errName(err)
        client.close(closeCb)
        server.close(closeCb))
    client.write(message, proc (client: Pipe; err: int) = doAssert err == 0))
  server

scenario "PipeErrorTest.test_client1: connecting to a path that does not exist fails in the callback"
block:
  var seen = 0
  let client = newPipe()
  let nowhere = when defined(windows): pipeName("does-not-exist") else: "/pipe/that/does/not/exist"
  client.connect(nowhere, proc (client: Pipe; err: int) =
    doAssert err == ENOENT, errName(err)
    inc seen
    client.close())
  run()
  doAssert seen == 1

scenario "PipeBlockingTest.test_pipe_set_blocking"
block:
  let pipe = newPipe()
  pipe.bindPipe(pipeName("test-pipe"))
  pipe.setBlocking(true)
  pipe.setBlocking(false)
  pipe.close()
  run()

proc pingPong(name: string) =
  var got = ""
  let server = pingServer(name, "PING" & linesep)
  doAssert server.getSockName() == name, escape(server.getSockName())
  let client = newPipe()
  client.connect(name, proc (client: Pipe; err: int) =
    doAssert err == 0, errName(err)
    doAssert client.getPeerName() == name
    client.startRead(proc (client: Pipe; data: string; err: int) =
      doAssert err == 0, errName(err)
      got = data.strip()
      client.close()))
  run()
  doAssert got == "PING", got
  doAssert server.isClosing and client.isClosing

scenario "PipeTest.test_pipe1: PING to the client, getsockname and getpeername"
pingPong(pipeName("test-pipe"))

when defined(linux):
  scenario "PipeTest.test_pipe1_abstract: the same on an abstract name"
  pingPong("\0uvio-test-pipe-" & $getCurrentProcessId())
else:
  skipScenario "PipeTest.test_pipe1_abstract: the same on an abstract name",
    "abstract socket names are Linux's"

proc expectFromServer(message: string | seq[string]; expected: string; strip: bool) =
  var got = ""
  let name = pipeName("test-pipe")
  discard pingServer(name, message)
  let client = newPipe()
  client.connect(name, proc (client: Pipe; err: int) =
    doAssert err == 0
    client.startRead(proc (client: Pipe; data: string; err: int) =
      doAssert err == 0
      got = if strip: data.strip() else: data
      client.close()))
  run()
  doAssert got == expected, escape(got)

scenario "PipeTestNull.test_pipe_null: a NUL byte inside the data"
expectFromServer("PIN\0G" & linesep, "PIN\0G", strip = true)

scenario "PipeTestList.test_pipe_list: a write of a list of strings"
expectFromServer(@["PING", linesep], "PING" & linesep, strip = false)

scenario "PipeTestListNull.test_pipe_list_null: a list with a NUL string"
expectFromServer(@["PING", "\0", linesep], "PING\0" & linesep, strip = false)

scenario "PipeShutdownTest.test_pipe1: shutdown, then three close callbacks"
block:
  var shutdowns, closes = 0
  let name = pipeName("test-pipe")
  discard pingServer(name, "PING" & linesep, proc (h: Pipe) = inc closes)
  let client = newPipe()
  client.connect(name, proc (client: Pipe; err: int) =
    doAssert err == 0
    client.startRead(proc (client: Pipe; data: string; err: int) =
      doAssert err == 0 and data.strip() == "PING"
      client.shutdown(proc (client: Pipe; err: int) =
        doAssert err == 0
        inc shutdowns
        client.close(proc (h: Pipe) = inc closes))))
  run()
  doAssert shutdowns == 1 and closes == 3, $shutdowns & " " & $closes

scenario "PipeTestFileno.test_fileno: descriptors of the server, the accepted and the client"
block:
  let name = pipeName("test-pipe")
  var checked = 0
  let server = newPipe()
  server.bindPipe(name)
  doAssert server.fileno() >= 0
  server.listen(proc (server: Pipe; err: int) =
    doAssert err == 0 and server.fileno() >= 0
    let client = newPipe()
    server.accept(client)
    doAssert client.fileno() >= 0
    inc checked
    client.close()
    server.close())
  let client = newPipe()
  client.connect(name, proc (client: Pipe; err: int) =
    doAssert err == 0 and client.fileno() >= 0
    inc checked
    client.close())
  when defined(windows):
    # libuv 1.44 on Windows gives the connecting pipe its handle once the connect completes, on
    # the loop (src/win/pipe.c uv__process_pipe_connect_req).
    expectUvError(EBADF): discard client.fileno()
  else:
    doAssert client.fileno() >= 0
  run()
  doAssert checked == 2

scenario "PipeBytesBind.test_bind_bytes: bind and close"
block:
  let p = newPipe()
  p.bindPipe(pipeName("test-pipe"))
  p.close()
  run()

scenario "PipeTestIPC.test_ipc_attr"
block:
  doAssert not newPipe().ipc
  doAssert not newPipe(ipc = false).ipc
  doAssert newPipe(ipc = true).ipc
  doAssert not newPipe(defaultLoop(), false).ipc
  doAssert newPipe(defaultLoop(), true).ipc

removeTestFolder()
echo scenarioCount(), " scenarios passed"
