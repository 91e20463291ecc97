## The pump and the ping-pong of bench/uvio_bench.py through uvio's Future forms under
## async/await, driven by std/asyncdispatch's waitFor through uvio_asyncdispatch: the cost of
## running uvio beside asyncdispatch. Usage: uvio_asyncdispatch_bench pump|pingpong
## Prints the figure: GiB/s for the pump, round trips per second for the ping-pong.

import std/[asyncdispatch, monotimes, os, strutils]
import uvio except async, await, multisync
import uvio_asyncdispatch
import bench_sizes

proc pump(): float =
  let (writer, reader) = pipePair()
  var chunk = newString(chunkSize)
  proc send() {.async.} =
    var writes: seq[Future[void]]
    var queued = 0
    while queued < pumpBytes:
      writes.add writer.write(addr chunk[0], chunkSize)
      queued += chunkSize
      if writes.len == inFlight:
        await writes[0]
        writes.delete(0)
    for w in writes: await w
  proc receive(): Future[int] {.async.} =
    var buffer = newString(chunkSize)
    var received = 0
    while received < pumpBytes:
      received += await reader.readInto(addr buffer[0], chunkSize)
    return received
  let start = getMonoTime()
  let sending = send()
  let received = asyncdispatch.waitFor receive()
  asyncdispatch.waitFor sending
  result = pumpBytes / seconds(start) / (1024.0 * 1024 * 1024)
  doAssert received == pumpBytes
  writer.close()
  reader.close()

proc pingPong(): float =
  let (a, b) = pipePair()
  let ping = 'p'.repeat(message)
  proc echoSide() {.async.} =
    while true:
      let data = await b.read()
      if data.len == 0: break
      await b.write(data)
  proc pingSide() {.async.} =
    for i in 0 ..< roundTrips:
      await a.write(ping)
      var got = 0
      while got < message:
        got += (await a.read()).len
    await a.shutdown()
  let start = getMonoTime()
  let echoing = echoSide()
  asyncdispatch.waitFor pingSide()
  result = roundTrips / seconds(start)
  asyncdispatch.waitFor echoing
  a.close()
  b.close()

attachToAsyncdispatch()
case paramStr(1)
of "pump": echo formatFloat(pump(), ffDecimal, 3)
of "pingpong": echo formatFloat(pingPong(), ffDecimal, 0)
else: quit "usage: uvio_asyncdispatch_bench pump|pingpong"
