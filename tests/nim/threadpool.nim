## uv_threadpool in the documents' style: ``queueWork`` squares numbers on the thread pool and
## completes each request on the loop's thread; work still waiting for a thread is cancelled
## with ``cancel`` and completes with ``ECANCELED``.

import std/[os, posix, strutils]
import uv

proc pthread_self(): uint {.importc, header: "<pthread.h>".}

let loop = getDefaultLoop()
let loopThread = pthread_self()
const jobs = 8
var
  requests: array[jobs, Work]
  inputs, outputs: array[jobs, int]
  ranOn: array[jobs, uint]
  completed = 0

proc square(req: ptr Work) {.cdecl.} =
  let i = cast[int](req.data)
  outputs[i] = inputs[i] * inputs[i]
  ranOn[i] = pthread_self()

proc afterSquare(req: ptr Work; status: cint) {.cdecl.} =
  doAssert status == 0 and pthread_self() == loopThread
  inc completed

for i in 0 ..< jobs:
  inputs[i] = i + 1
  requests[i].data = cast[pointer](i)
  doAssert queueWork(loop, addr requests[i], square, afterSquare) == 0
doAssert run(loop, runDefault) == 0
doAssert completed == jobs
for i in 0 ..< jobs:
  doAssert outputs[i] == (i + 1) * (i + 1) and ranOn[i] != loopThread

# Every pool thread waits, so one more request waits for a thread: cancel it.
# A blocker waits for a byte on a pipe: releasing them is writing one byte per blocker.
var release: array[2, cint]
doAssert posix.pipe(release) == 0
proc waitForRelease(req: ptr Work) {.cdecl.} =
  var token: char
  doAssert posix.read(release[0], addr token, 1) == 1
var blockersDone = 0
proc afterBlock(req: ptr Work; status: cint) {.cdecl.} =
  doAssert status == 0
  inc blockersDone
var cancelledStatus = 1.cint
var cancelledRan = false
proc neverRuns(req: ptr Work) {.cdecl.} = cancelledRan = true
proc afterCancel(req: ptr Work; status: cint) {.cdecl.} = cancelledStatus = status

let poolSize = block:
  let size = getEnv("UV_THREADPOOL_SIZE", "4")
  try: max(1, min(parseInt(size), 1024)) except ValueError: 4
var blockers = newSeq[Work](poolSize)
for i in 0 ..< poolSize:
  doAssert queueWork(loop, addr blockers[i], waitForRelease, afterBlock) == 0
var waiting: Work
doAssert queueWork(loop, addr waiting, neverRuns, afterCancel) == 0
doAssert cancel(addr waiting) == 0
let bytes = repeat('x', poolSize)
doAssert posix.write(release[1], cstring(bytes), poolSize) == poolSize
doAssert run(loop, runDefault) == 0
doAssert cancelledStatus == uv.ECANCELED and not cancelledRan and blockersDone == poolSize
discard posix.close(release[0])
discard posix.close(release[1])
echo "squares: ", outputs[0], " .. ", outputs[jobs - 1], "; cancelled: ", errName(cancelledStatus)
