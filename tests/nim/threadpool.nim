## uv_threadpool in the documents' style: ``queueWork`` squares numbers on the thread pool and
## completes each request on the loop's thread; work still waiting for a thread is cancelled
## with ``cancel`` and completes with ``ECANCELED``.

import std/[locks, os, strutils]
import uv

# The calling thread, as the OS names it (the pool's threads are not Nim's).
when defined(windows):
  proc currentThread(): uint32 {.importc: "GetCurrentThreadId", header: "<windows.h>".}
else:
  proc currentThread(): uint {.importc: "pthread_self", header: "<pthread.h>".}

let loop = getDefaultLoop()
let loopThread = currentThread()
const jobs = 8
var
  requests: array[jobs, Work]
  inputs, outputs: array[jobs, int]
  ranOn: array[jobs, typeof(currentThread())]
  completed = 0

# The work callbacks run on pool threads, which Nim did not start: no stack-trace frames there
# (on Windows Nim keeps them in thread-local storage it only sets up for its own threads).
{.push stackTrace: off, lineTrace: off.}
proc square(req: ptr Work) {.cdecl.} =
  let i = cast[int](req.data)
  outputs[i] = inputs[i] * inputs[i]
  ranOn[i] = currentThread()

{.pop.}

proc afterSquare(req: ptr Work; status: cint) {.cdecl.} =
  doAssert status == 0 and currentThread() == loopThread
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
# A blocker waits for a token: releasing them is handing out one token per blocker.
var
  releaseLock: Lock
  released: Cond
  tokens = 0
initLock(releaseLock)
initCond(released)
{.push stackTrace: off, lineTrace: off.}
proc waitForRelease(req: ptr Work) {.cdecl.} =
  acquire(releaseLock)
  while tokens == 0: wait(released, releaseLock)
  dec tokens
  release(releaseLock)
{.pop.}
var blockersDone = 0
proc afterBlock(req: ptr Work; status: cint) {.cdecl.} =
  doAssert status == 0
  inc blockersDone
var cancelledStatus = 1.cint
var cancelledRan = false
proc neverRuns(req: ptr Work) {.cdecl, stackTrace: off, lineTrace: off.} = cancelledRan = true
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
acquire(releaseLock)
tokens = poolSize
broadcast(released)
release(releaseLock)
doAssert run(loop, runDefault) == 0
doAssert cancelledStatus == uv.ECANCELED and not cancelledRan and blockersDone == poolSize
deinitCond(released)
deinitLock(releaseLock)
echo "squares: ", outputs[0], " .. ", outputs[jobs - 1], "; cancelled: ", errName(cancelledStatus)
