## The pump and the ping-pong of bench/uvio_bench.py in chronos (status-im/nim-chronos, its own
## event loop and Futures): async/await over the two ends of a Unix socketpair as StreamTransport
## (``fromPipe``, with a 64 KiB read buffer; ``write`` and ``readOnce``/``readExactly`` into a
## buffer of one's own). Needs Nim 1.6.16 or newer and chronos, stew and results on the path.
## Usage: chronos_bench pump|pingpong
## Prints the figure: GiB/s for the pump, round trips per second for the ping-pong.

import std/[monotimes, nativesockets, os, posix, strutils]
import chronos
import bench_sizes

proc socketPair(): (StreamTransport, StreamTransport) =
  var fds: array[2, cint]
  doAssert posix.socketpair(posix.AF_UNIX, posix.SOCK_STREAM, 0, fds) == 0
  for fd in fds: setBlocking(SocketHandle(fd), false)
  (fromPipe(AsyncFD(fds[0]), bufferSize = chunkSize), fromPipe(AsyncFD(fds[1]), bufferSize = chunkSize))

proc pump(): float =
  let (writer, reader) = socketPair()
  var chunk = newString(chunkSize)
  proc send() {.async.} =
    var writes: seq[Future[int]]
    var queued = 0
    while queued < pumpBytes:
      writes.add writer.write(addr chunk[0], chunkSize)
      queued += chunkSize
      if writes.len == inFlight:
        discard await writes[0]
        writes.delete(0)
    for w in writes: discard await w
  proc receive(): Future[int] {.async.} =
    var buffer = newString(chunkSize)
    var received = 0
    while received < pumpBytes:
      received += await reader.readOnce(addr buffer[0], chunkSize)
    return received
  let start = getMonoTime()
  let sending = send()
  let received = waitFor receive()
  waitFor sending
  result = pumpBytes / seconds(start) / (1024.0 * 1024 * 1024)
  doAssert received == pumpBytes
  waitFor writer.closeWait()
  waitFor reader.closeWait()

proc pingPong(): float =
  let (a, b) = socketPair()
  var ping = 'p'.repeat(message)
  proc echoSide() {.async.} =
    var buffer = newString(message)
    while true:
      let n = await b.readOnce(addr buffer[0], message)
      if n == 0: break
      discard await b.write(addr buffer[0], n)
  proc pingSide() {.async.} =
    var buffer = newString(message)
    for i in 0 ..< roundTrips:
      discard await a.write(addr ping[0], message)
      await a.readExactly(addr buffer[0], message)
    await a.closeWait()               # (shutdownWait is for sockets made by chronos)
  let start = getMonoTime()
  let echoing = echoSide()
  waitFor pingSide()
  result = roundTrips / seconds(start)
  waitFor echoing
  waitFor b.closeWait()

case paramStr(1)
of "pump": echo formatFloat(pump(), ffDecimal, 3)
of "pingpong": echo formatFloat(pingPong(), ffDecimal, 0)
else: quit "usage: chronos_bench pump|pingpong"
