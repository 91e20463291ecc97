## The pump and the ping-pong of bench/uvio_bench.py through uvio: its callback forms and its
## Future forms under async/await. Usage: uvio_bench pump|pingpong callbacks|futures
## Prints the figure: GiB/s for the pump, round trips per second for the ping-pong.

import std/[monotimes, os, strutils]
import uvio
import bench_sizes

proc pumpCallbacks(): float =
  let (writer, reader) = pipePair()
  var chunk = newString(chunkSize)
  var queued, received = 0
  # One callback for every write, as the C program has one function.
  var written: proc (w: Pipe; err: int)
  proc next(w: Pipe) =
    queued += chunkSize
    w.write(addr chunk[0], chunkSize, written)
  written = proc (w: Pipe; err: int) =
    doAssert err == 0
    if queued < pumpBytes: next(w)
    elif received >= pumpBytes: w.close()
  reader.startRead(proc (r: Pipe; data: string; err: int) =
    doAssert err == 0
    received += data.len
    if received >= pumpBytes:
      r.close()
      writer.close())
  let start = getMonoTime()
  for i in 0 ..< inFlight: next(writer)
  run()
  doAssert received == pumpBytes
  pumpBytes / seconds(start) / (1024.0 * 1024 * 1024)

proc pumpFutures(): float =
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
  let received = waitFor receive()
  waitFor sending
  let rate = pumpBytes / seconds(start) / (1024.0 * 1024 * 1024)
  doAssert received == pumpBytes
  writer.close()
  reader.close()
  run()
  rate

proc pingPongCallbacks(): float =
  let (a, b) = pipePair()
  let ping = 'p'.repeat(message)
  var trips = 0
  var got = 0
  b.startRead(proc (b: Pipe; data: string; err: int) =
    doAssert err == 0
    b.write(data, nil))
  a.startRead(proc (a: Pipe; data: string; err: int) =
    doAssert err == 0
    got += data.len
    if got == message:
      got = 0
      inc trips
      if trips == roundTrips:
        a.close()
        b.close()
      else:
        a.write(ping, nil))
  let start = getMonoTime()
  a.write(ping, nil)
  run()
  roundTrips / seconds(start)

proc pingPongFutures(): float =
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
  waitFor pingSide()
  let rate = roundTrips / seconds(start)
  waitFor echoing
  a.close()
  b.close()
  run()
  rate

let what = paramStr(1) & " " & paramStr(2)
case what
of "pump callbacks": echo formatFloat(pumpCallbacks(), ffDecimal, 3)
of "pump futures": echo formatFloat(pumpFutures(), ffDecimal, 3)
of "pingpong callbacks": echo formatFloat(pingPongCallbacks(), ffDecimal, 0)
of "pingpong futures": echo formatFloat(pingPongFutures(), ffDecimal, 0)
else: quit "usage: uvio_bench pump|pingpong callbacks|futures"
