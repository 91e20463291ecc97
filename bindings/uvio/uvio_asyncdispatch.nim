## Lets std/asyncdispatch drive uvio's loop, so that one async proc awaits an ``AsyncSocket``, an
## asyncdispatch ``sleepAsync`` and uvio's streams and timers alike (both libraries complete
## std/asyncfutures' ``Future``). Linux only (see below).
##
## .. code-block:: nim
##   import std/asyncdispatch
##   import uvio except async, await, multisync
##   import uvio_asyncdispatch
##   attachToAsyncdispatch()          # the default loop; asyncdispatch's poll runs it from now on
##   asyncdispatch.waitFor main()     # (or runForever, poll)
##
## How: libuv's backend descriptor (its epoll instance) is registered with asyncdispatch's
## selector; when it is readable the loop runs once without waiting (``runNoWait``), and the
## Futures it completes run their callbacks at once, as under uvio's ``run``. Each uvio call that
## gives the loop work (uvio's ``setWorkHook``) queues a check of the loop in asyncdispatch's
## callback queue; the check runs the loop if it has work now and else arms an asyncdispatch
## timer for uvio's next timer (``backendTimeout``).
##
## Rules:
##
## - Drive the program with asyncdispatch's ``waitFor``, ``runForever`` or ``poll``, not uvio's
##   ``run`` or ``waitFor`` (which would not resume the async procs: asyncdispatch queues them).
##   With both modules imported, ``waitFor`` and ``sleepAsync`` need their module's name
##   (``asyncdispatch.waitFor``, ``uvio.sleepAsync``), and under Nim 1.6 ``async``, ``await`` and
##   ``multisync`` come from one of them only: ``import uvio except async, await, multisync``.
## - An exception raised in a uvio callback comes out of asyncdispatch's ``poll`` (so
##   ``waitFor``) with its own type.
## - ``detachFromAsyncdispatch`` before closing a loop of one's own.
##
## Not on Windows: asyncdispatch waits on an I/O completion port there, and libuv's loop has no
## descriptor to wait on (``backendFd`` is -1). Not on macOS and the BSDs either: libuv's
## documentation warns that a kqueue inside another kqueue may never report events.

import std/[asyncdispatch, monotimes, times]
import uvio

when not defined(linux):
  {.error: "uvio_asyncdispatch needs Linux (epoll): see the module's documentation".}

type
  Bridge = ref object
    loop: Loop
    fd: AsyncFD
    attached: bool
    checkQueued: bool      ## a check of the loop waits in asyncdispatch's callback queue
    checkCallback: proc () {.gcsafe.}   ## that check (made once)
    timerArmed: bool
    timerDue: MonoTime     ## when the earliest armed asyncdispatch timer fires

var bridges {.threadvar.}: seq[Bridge]

proc check(b: Bridge) {.gcsafe.}

proc queueCheck(b: Bridge) =
  if not b.checkQueued:
    b.checkQueued = true
    b.loop.updateTime()    # a timer set by the calls of this wave counts from now
    asyncdispatch.callSoon(b.checkCallback)

proc arm(b: Bridge) =
  ## Arranges the loop's next run: at once if it has work, else when its next timer is due.
  let timeout = b.loop.backendTimeout()
  if timeout == 0:
    if b.loop.isAlive(): b.queueCheck()
  elif timeout > 0:
    let due = getMonoTime() + initDuration(milliseconds = timeout)
    if not b.timerArmed or due < b.timerDue:
      b.timerArmed = true
      b.timerDue = due
      asyncdispatch.sleepAsync(timeout).addCallback(proc () =
        if b.timerDue == due: b.timerArmed = false
        if b.attached: b.check())

proc runLoop(b: Bridge) =
  # Futures completed by the loop run their callbacks at once, inside libuv's callbacks, as under
  # uvio's own run (asyncdispatch's callSoon would queue them until after the loop's run).
  let queueing = getCallSoonProc()
  setCallSoonProc(nil)
  try:
    discard b.loop.runNoWait()
  finally:
    setCallSoonProc(queueing)
    if b.attached: b.arm()

proc check(b: Bridge) {.gcsafe.} =
  var timeout = b.loop.backendTimeout()
  if timeout > 0:
    b.loop.updateTime()    # a timer may be due by now
    timeout = b.loop.backendTimeout()
  if timeout == 0: b.runLoop()
  else: b.arm()

proc onBackendReadable(b: Bridge): Callback =
  result = proc (fd: AsyncFD): bool =
    if b.attached:
      try:
        b.runLoop()
      except Exception as e:
        # Raised out of this callback it would unregister the descriptor: raise it from the
        # callback queue instead, out of asyncdispatch's poll.
        let failure = e
        asyncdispatch.callSoon(proc () = raise failure)
    not b.attached         # false: stay registered

proc onWork(loop: Loop) {.nimcall, gcsafe.} =
  for b in bridges:
    if b.loop == loop: b.queueCheck()

proc attachToAsyncdispatch*(loop: Loop = defaultLoop()) =
  ## From now on asyncdispatch's ``poll`` (and so its ``waitFor`` and ``runForever``) runs
  ## ``loop`` too. Attaching an attached loop does nothing.
  for b in bridges:
    if b.loop == loop: return
  let b = Bridge(loop: loop, fd: AsyncFD(loop.backendFd()), attached: true)
  b.checkCallback = proc () =
    b.checkQueued = false
    if b.attached: b.check()
  register(b.fd)
  addRead(b.fd, onBackendReadable(b))
  bridges.add b
  setWorkHook(onWork)
  b.queueCheck()

proc detachFromAsyncdispatch*(loop: Loop = defaultLoop()) =
  ## asyncdispatch stops running ``loop`` (do it before closing the loop).
  for i, b in bridges:
    if b.loop == loop:
      b.attached = false
      unregister(b.fd)
      bridges.delete(i)
      if bridges.len == 0: setWorkHook(nil)
      return
