## tryWrite on the write end of a pipe pair made by ``pipe()``: the bytes are written at once
## and the read end receives them.

import uv, uv_test_support

const message = "written without a request"
let loop = getDefaultLoop()
var
  fds: array[2, FileHandle]
  reader, writer: Pipe
  received = ""

proc onRead(stream: ptr Stream; nread: cssize; buf: ptr Buffer) {.cdecl.} =
  received.add take(buf, nread)
  if received.len >= message.len or nread < 0:
    close(addr reader, noteClosed)

check pipe(fds, NONBLOCK_PIPE, NONBLOCK_PIPE)
check init(loop, addr reader, 0)
check open(addr reader, fds[0])
check init(loop, addr writer, 0)
check open(addr writer, fds[1])
doAssert isReadable(addr reader) == 1 and isWriteable(addr writer) == 1
check readStart(addr reader, allocBuffer, onRead)

var text = message
var buf = initBuffer(addr text[0], cuint(text.len))
check tryWrite(addr writer, addr buf, 1), cint(message.len)
doAssert writer.sizeOfWriteQueue == 0 and getWriteQueueSize(addr writer) == 0
close(addr writer, noteClosed)

check run(loop, runDefault)
doAssert received == message, "the reader got " & received
check close(loop)
echo "tryWrite wrote ", message.len, " bytes: ", received
