## Passing a TCP connection to another process over an IPC pipe.
##
## The parent listens on 127.0.0.1 port 0 and on an IPC pipe at a path (argument 1), starts
## this program again as the child, accepts the child's pipe connection, connects a client to
## its own TCP server, and sends the accepted TCP connection to the child with ``write2``. The
## child sees one pending TCP handle, accepts it and answers the client, which checks the answer.

import os, osproc, strutils
import uv, uv_test_support

const
  question = "who serves me?"
  answer = "the child process"

let loop = getDefaultLoop()

# --- the child ----------------------------------------------------------------------------

var
  ipc: Pipe
  passed: TCP
  ipcConnect: Connect

proc onPassedRead(stream: ptr Stream; nread: cssize; buf: ptr Buffer) {.cdecl.} =
  if take(buf, nread) == question:
    writeCopy(stream, answer)
    check shutdown(create(Shutdown), stream, proc (req: ptr Shutdown; status: cint) {.cdecl.} =
      check status
      close(req.handle, noteClosed)
      close(addr ipc, noteClosed)
      dealloc(req))

proc onIpcRead(stream: ptr Stream; nread: cssize; buf: ptr Buffer) {.cdecl.} =
  discard take(buf, nread)
  if nread < 0:
    return
  let count = pendingCount(addr ipc)
  let kind = pendingType(addr ipc)
  echo "child: pendingCount=", count, " pendingType=", kind
  doAssert count == 1 and kind == hdlTcp
  check init(loop, addr passed)
  check accept(addr ipc, addr passed)
  doAssert pendingCount(addr ipc) == 0
  check readStart(addr passed, allocBuffer, onPassedRead)

proc onIpcConnect(req: ptr Connect; status: cint) {.cdecl.} =
  check status
  check readStart(addr ipc, allocBuffer, onIpcRead)

proc child(path: string) =
  check init(loop, addr ipc, 1)
  connect(addr ipcConnect, addr ipc, path.cstring, onIpcConnect)
  check run(loop, runDefault)
  check close(loop)

# --- the parent ---------------------------------------------------------------------------

var
  ipcServer, ipcSide: Pipe
  tcpServer, accepted, client: TCP
  clientConnect: Connect
  passReq: Write
  passByte = "h"
  serverAddress: SockAddrIn
  reply = ""

proc onPassed(req: ptr Write; status: cint) {.cdecl.} =
  check status
  close(addr accepted, noteClosed)  # the child holds its own copy now

proc onTcpConnection(listener: ptr Stream; status: cint) {.cdecl.} =
  check status
  check init(loop, addr accepted)
  check accept(listener, addr accepted)
  var buf = initBuffer(addr passByte[0], 1)
  check write2(addr passReq, addr ipcSide, addr buf, 1, addr accepted, onPassed)

proc onReply(stream: ptr Stream; nread: cssize; buf: ptr Buffer) {.cdecl.} =
  reply.add take(buf, nread)
  if nread < 0:
    check cint(nread), EOF
    echo "client: ", reply
    close(addr client, noteClosed)
    close(addr tcpServer, noteClosed)
    close(addr ipcServer, noteClosed)

proc onClientConnect(req: ptr Connect; status: cint) {.cdecl.} =
  check status
  check readStart(addr client, allocBuffer, onReply)
  writeCopy(addr client, question)

proc onIpcSideRead(stream: ptr Stream; nread: cssize; buf: ptr Buffer) {.cdecl.} =
  discard take(buf, nread)
  if nread < 0:
    close(addr ipcSide, noteClosed)

proc onIpcConnection(listener: ptr Stream; status: cint) {.cdecl.} =
  check status
  check init(loop, addr ipcSide, 1)
  check accept(listener, addr ipcSide)
  doAssert ipcSide.ipc == 1
  check readStart(addr ipcSide, allocBuffer, onIpcSideRead)
  check init(loop, addr client)
  check connect(addr clientConnect, addr client, addr serverAddress, onClientConnect)

proc parent(path: string) =
  check toIp4Addr("127.0.0.1", 0, serverAddress)
  check init(loop, addr tcpServer)
  check bindAddr(addr tcpServer, addr serverAddress, 0)
  check listen(addr tcpServer, 16, onTcpConnection)
  var nameLen = cint(sizeof(serverAddress))
  check getSockName(addr tcpServer, addr serverAddress, nameLen)

  check init(loop, addr ipcServer, 0)
  check bindPipe(addr ipcServer, path.cstring)
  check listen(addr ipcServer, 1, onIpcConnection)

  # A target run through an emulator (qemu-user, where the kernel cannot start the program by
  # itself) names the emulator's command in UVGEN_TEST_LAUNCHER; the child runs the same way.
  let launcher = getEnv("UVGEN_TEST_LAUNCHER").splitWhitespace
  let command = if launcher.len > 0: launcher[0] else: getAppFilename()
  var args = if launcher.len > 0: launcher[1 .. ^1] & getAppFilename() else: @[]
  args.add ["child", path]
  let childProcess = startProcess(command, args = args, options = {poParentStreams, poUsePath})
  check run(loop, runDefault)
  let childStatus = waitForExit(childProcess)
  close(childProcess)
  doAssert childStatus == 0, "the child exited with " & $childStatus
  doAssert reply == answer, "the client got " & reply
  check close(loop)

if paramStr(1) == "child":
  child(paramStr(2))
else:
  parent(paramStr(1))
