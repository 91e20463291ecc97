## The pump and the ping-pong of bench/uvio_bench.py in std/asyncdispatch: async/await over the
## two ends of a Unix socketpair as AsyncFD (``send`` and ``recvInto`` with a buffer of one's own,
## the fastest of asyncdispatch's stream calls). Usage: asyncdispatch_bench pump|pingpong
## Prints the figure: GiB/s for the pump, round trips per second for the ping-pong.

import std/[asyncdispatch, monotimes, nativesockets, os, posix, strutils]
import bench_sizes

proc socketPair(): (AsyncFD, AsyncFD) =
  var fds: array[2, cint]
  doAssert posix.socketpair(posix.AF_UNIX, posix.SOCK_STREAM, 0, fds) == 0
  for fd in fds:
    setBlocking(SocketHandle(fd), false)
    register(AsyncFD(fd))
  (AsyncFD(fds[0]), AsyncFD(fds[1]))

proc pump(): float =
  let (writer, reader) = socketPair()
  var chunk = newString(chunkSize)
  proc send() {.async.} =
    var writes: seq[Future[void]]
    var queued = 0
    while queued < pumpBytes:
      writes.add writer.send(addr chunk[0], chunkSize)
      queued += chunkSize
      if writes.len == inFlight:
        await writes[0]
        writes.delete(0)
    for w in writes: await w
  proc receive(): Future[int] {.async.} =
    var buffer = newString(chunkSize)
    var received = 0
    while received < pumpBytes:
      received += await reader.recvInto(addr buffer[0], chunkSize)
    return received
  let start = getMonoTime()
  let sending = send()
  let received = waitFor receive()
  waitFor sending
  result = pumpBytes / seconds(start) / (1024.0 * 1024 * 1024)
  doAssert received == pumpBytes
  closeSocket(writer)
  closeSocket(reader)

proc pingPong(): float =
  let (a, b) = socketPair()
  var ping = 'p'.repeat(message)
  proc echoSide() {.async.} =
    var buffer = newString(message)
    while true:
      let n = await b.recvInto(addr buffer[0], message)
      if n == 0: break
      await b.send(addr buffer[0], n)
  proc pingSide() {.async.} =
    var buffer = newString(message)
    for i in 0 ..< roundTrips:
      await a.send(addr ping[0], message)
      var got = 0
      while got < message:
        got += await a.recvInto(addr buffer[0], message - got)
    discard posix.shutdown(SocketHandle(a), SHUT_WR)
  let start = getMonoTime()
  let echoing = echoSide()
  waitFor pingSide()
  result = roundTrips / seconds(start)
  waitFor echoing
  closeSocket(a)
  closeSocket(b)

case paramStr(1)
of "pump": echo formatFloat(pump(), ffDecimal, 3)
of "pingpong": echo formatFloat(pingPong(), ffDecimal, 0)
else: quit "usage: asyncdispatch_bench pump|pingpong"
