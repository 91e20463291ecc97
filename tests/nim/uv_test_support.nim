## What the Nim test programs share: read buffers and calls whose result is checked.

import uv

proc allocBuffer*(handle: ptr Handle; suggestedSize: csize_t; buf: ptr Buffer) {.cdecl.} =
  ## An ``AllocCb`` giving each read fresh memory; ``take`` frees it.
  buf.base = alloc(suggestedSize)
  buf.length = suggestedSize

proc take*(buf: ptr Buffer; nread: cssize): string =
  ## The ``nread`` bytes a read callback got (none when ``nread`` < 0), freeing the buffer.
  if nread > 0:
    result = newString(nread)
    copyMem(addr result[0], buf.base, nread)
  if buf.base != nil:
    dealloc(buf.base)

proc describe(rc: cint): string =
  if rc < 0: $rc & " (" & $errName(rc) & ")" else: $rc

proc expect*(rc: cint; expected: cint; what: string) =
  ## Ends the program with a message naming the call when ``rc`` is not the expected value.
  if rc != expected:
    quit(what & ": expected " & describe(expected) & ", got " & describe(rc), 1)

template check*(call: untyped; expected: cint = 0) =
  ## ``call`` must return ``expected`` (0: success).
  expect(call, expected, astToStr(call))

proc onCopyWritten(req: ptr Write; status: cint) {.cdecl.} =
  check status
  dealloc(req.data)
  dealloc(req)

proc writeCopy*(stream: ptr Stream; data: string) =
  ## Writes a copy of ``data``; the copy and its request are freed when the write completes.
  let req = create(Write)
  req.data = alloc(data.len)
  copyMem(req.data, unsafeAddr data[0], data.len)
  var buf = initBuffer(req.data, data.len.cuint)
  check write(req, stream, addr buf, 1, onCopyWritten)

proc echoRead*(stream: ptr Stream; nread: cssize; buf: ptr Buffer) {.cdecl.} =
  ## A ``ReadCb`` writing back what it reads: an echo server's side of a connection.
  let data = take(buf, nread)
  if nread > 0:
    writeCopy(stream, data)
  elif nread != EOF:
    expect(cint(nread), EOF, "echo server read")

proc noteClosed*(handle: ptr Handle) {.cdecl.} =
  ## A ``CloseCb`` for handles that need nothing else when closed.
  discard
