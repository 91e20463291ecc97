## The pipe pump of bench/shim_bench.cpp in Nim: GiB through a socketpair in
## 64 KiB writes, through whichever flavour of the modules is on the path.
## Prints the rate in GiB/s. Usage: pump [GiB]

import std/[monotimes, os, strutils, times]
import uv

const chunkSize = 64 * 1024
var
  loop: Loop
  writer, reader: Pipe
  request: Write
  outData = newString(chunkSize)
  inData = newString(chunkSize)
  chunk: Buffer
  toWrite, written, received: int64

proc onAlloc(handle: ptr Handle; suggestedSize: csize_t; buf: ptr Buffer) {.cdecl.} =
  buf[] = initBuffer(addr inData[0], cuint(inData.len))

proc onRead(stream: ptr Stream; nread: cssize; buf: ptr Buffer) {.cdecl.} =
  if nread > 0: received += nread
  if nread < 0 or received >= toWrite: close(stream, nil)

proc writeNext()

proc onWrite(req: ptr Write; status: cint) {.cdecl.} =
  doAssert status == 0
  written += chunkSize
  if written < toWrite: writeNext() else: close(addr writer, nil)

proc writeNext() =
  chunk = initBuffer(addr outData[0], cuint(outData.len))
  doAssert write(addr request, addr writer, addr chunk, 1, onWrite) == 0

let gib = if paramCount() > 0: parseFloat(paramStr(1)) else: 1.0
toWrite = int64(gib * 1024 * 1024 * 1024) div chunkSize * chunkSize
var fds: array[2, SocketHandle]
doAssert init(addr loop) == 0
doAssert socketPair(1, 0, fds, 0, 0) == 0  # SOCK_STREAM
doAssert init(addr loop, addr writer, 0) == 0 and open(addr writer, FileHandle(fds[0])) == 0
doAssert init(addr loop, addr reader, 0) == 0 and open(addr reader, FileHandle(fds[1])) == 0
let start = getMonoTime()
doAssert readStart(addr reader, onAlloc, onRead) == 0
writeNext()
doAssert run(addr loop, runDefault) == 0
let seconds = (getMonoTime() - start).inNanoseconds.float / 1e9
doAssert received == toWrite and close(addr loop) == 0
echo formatFloat(float(toWrite) / seconds / (1024.0 * 1024 * 1024), ffDecimal, 3)
