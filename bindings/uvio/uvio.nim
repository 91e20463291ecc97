## uvio: libuv's pipes, TCP, UDP, terminals, timers and processes as Nim objects that own their
## handle, with closures and std/asyncfutures' ``Future`` (so ``{.async.}`` and ``await`` work).
##
## uvio is written over the generated modules ``uv_loop``, ``uv_handle``, ``uv_stream``, ... and
## works over either flavour of them: put ``bindings/uvio`` on the path beside ``bindings/nim``
## (the shim flavour) or ``bindings/nim-direct`` (the direct flavour).
##
## Lifetime rules:
##
## - Each handle object owns its libuv handle and the memory of it. An active handle (listening,
##   reading, connecting, writing, receiving, sending, a running timer, a running process, a
##   pending close) is kept alive by its loop even when the program keeps no reference to it.
## - A handle that is neither active nor referenced is closed, and its memory freed, by the loop.
## - ``close`` twice is harmless (the second call does nothing). Any other call on a closed (or
##   closing) handle raises ``UvError`` with ``EBADF``; ``isActive`` and ``isClosing`` answer.
## - A write or a send keeps a copy of its data until its callback (but the ``pointer`` form,
##   whose memory the caller keeps valid). Closing a stream with writes pending (a UDP socket with
##   sends pending) answers each with ``ECANCELED``.
## - SIGPIPE is ignored once the first loop is made (POSIX): a write to a vanished peer ends with
##   ``EPIPE`` or ``ECONNRESET``.
## - An exception raised inside a callback stops the loop and comes out of ``run`` (or
##   ``waitFor``) with its own type; the loop can be run again afterwards.

import std/[asyncfutures, asyncmacro, deques]
import uv_loop, uv_handle, uv_stream, uv_pipe, uv_tcp, uv_timer, uv_error, uv_misc, uv_process,
       uv_signal, uv_udp, uv_tty
when not defined(windows):
  import std/posix

export asyncfutures, asyncmacro
export HandleType, TTYMode

const readBufferSize = 64 * 1024
  ## The size of each stream's reusable read buffer.
const readQueueLimit = 256 * 1024
  ## Bytes a stream read through Futures holds, unasked for, before it stops reading.

type
  UvError* = object of OSError
    ## A libuv call failed; ``code`` is libuv's (negative) error code.
    code*: int

  LoopObj = object
    raw: ptr uv_loop.Loop
    owned: bool
    failure: ref Exception
  Loop* = ref LoopObj
    ## An event loop. ``defaultLoop()`` is the one every constructor takes by default.

  RawHandle = object
    ## The libuv memory of a handle. Under ORC, destroying it (when its handle object goes)
    ## closes the libuv handle, whose close callback frees the memory.
    p: ptr uv_handle.Handle

  Handle* = ref object of RootObj
    ## What every handle has.
    raw: RawHandle
    loop: Loop
    holds: int                 ## the reasons the loop keeps this object alive
    closing: bool
    onClose: proc (h: Handle) {.closure.}

  ReadMode = enum
    readNone, readCallback, readFutures

  Stream* = ref object of Handle
    ## A Pipe, a Tcp or a Tty.
    readMode: ReadMode
    reading: bool
    readBuffer: string         ## reusable; its length is its capacity outside a read callback
    onRead: proc (s: Stream; data: string; err: int) {.closure.}
    onConnection: proc (s: Stream; err: int) {.closure.}
    listening: bool
    connections: int           ## connections announced and not yet taken by ``accept``
    acceptWaiters: Deque[proc (err: int) {.closure.}]
    chunks: Deque[string]      ## read and not yet asked for (Future forms)
    chunkOffset: int
    queuedBytes: int
    readEnd: int               ## 0, or EOF or the error that ended reading
    readWaiter: Future[string]
    intoWaiter: Future[int]
    intoBuffer: pointer
    intoSize: int

  Pipe* = ref object of Stream
    ## A Unix domain socket, a named pipe on Windows, or an IPC pipe.
  Tcp* = ref object of Stream
    ## A TCP socket.
  Timer* = ref object of Handle
    ## A timer.
    onTimeout: proc (t: Timer) {.closure.}
    running: bool
  Process* = ref object of Handle
    ## A child process.
    onExit: proc (p: Process; exitStatus: int; termSignal: int) {.closure.}
    exited: bool
    exitStatus, termSignal: int
    exitWaiter: Future[int]
  Signal* = ref object of Handle
    ## A signal watcher.
    onSignal: proc (s: Signal; signum: int) {.closure.}
    watching: bool
  Datagram* = tuple[data: string, host: string, port: int]
    ## A datagram received, with the address it came from.
  Udp* = ref object of Handle
    ## A UDP socket.
    recvMode: ReadMode
    receiving: bool
    recvBuffer: string         ## reusable; its length is its capacity outside a receive callback
    onRecv: proc (u: Udp; data: string; host: string; port: int; err: int) {.closure.}
    datagrams: Deque[Datagram] ## received and not yet asked for (Future form)
    recvError: int             ## an error received while no Future waited
    recvWaiter: Future[Datagram]
  Tty* = ref object of Stream
    ## A terminal.

  RequestObj {.acyclic.} = object
    ## A write, connect or shutdown in flight. Reused through the loop's free list. Acyclic:
    ## nothing but the free list and libuv (through a raw pointer) refers to a request, so no
    ## cycle runs through one, and ORC need not look for any.
    raw: pointer
    stream {.cursor.}: Stream  ## kept alive by the request's ``hold`` of it, not by this field
    nextFree: Request
    data: string
    parts: seq[string]
    buffer: Buffer             ## what a write of one buffer writes
    buffers: seq[Buffer]       ## what a write of several writes (else empty)
    sendHandle: Handle         ## the handle a write sends over an IPC pipe, alive until it is done
    onDone: proc (s: Stream; err: int) {.closure.}
    future: Future[void]
  Request = ref RequestObj

  StdioKind* = enum
    ## What a child process gets as one of its descriptors.
    ioIgnore, ioInheritFd, ioInheritStream, ioPipe
  Stdio* = object
    ## One of a child's descriptors (0, 1, 2, 3, ...), for ``spawn``.
    kind*: StdioKind
    fd*: int
    stream*: Stream
    readable*, writable*: bool

# --- errors ------------------------------------------------------------------------------------

let
  EOF* = int(uv_error.EOF)                     ## The end of a stream.
  ECANCELED* = int(uv_error.ECANCELED)         ## The operation was canceled (its handle closed).
  ECONNREFUSED* = int(uv_error.ECONNREFUSED)   ## Nobody listens there.
  ENOENT* = int(uv_error.ENOENT)               ## No such file or directory.
  EPIPE* = int(uv_error.EPIPE)                 ## The peer went away.
  ECONNRESET* = int(uv_error.ECONNRESET)       ## The peer reset the connection.
  EADDRINUSE* = int(uv_error.EADDRINUSE)       ## The address is in use.
  EBADF* = int(uv_error.EBADF)                 ## The handle is closed.
  ENOTCONN* = int(uv_error.ENOTCONN)           ## The socket is not connected.
  EAGAIN* = int(uv_error.EAGAIN)               ## Try again.
  EINVAL* = int(uv_error.EINVAL)               ## An invalid argument.
  ENOTSOCK* = int(uv_error.ENOTSOCK)           ## Not a socket.
  EADDRNOTAVAIL* = int(uv_error.EADDRNOTAVAIL) ## The address is not available.
  EACCES* = int(uv_error.EACCES)               ## Permission denied.
  ENAMETOOLONG* = int(uv_error.ENAMETOOLONG)   ## The name is too long.
  ENOTSUP* = int(uv_error.ENOTSUP)             ## The operation is not supported.
  ETIMEDOUT* = int(uv_error.ETIMEDOUT)         ## The operation timed out.

proc errName*(code: int): string =
  ## libuv's name of an error code: ``errName(ECONNREFUSED) == "ECONNREFUSED"``.
  $uv_error.errName(cint(code))

proc newUvError(code: int; what: string): ref UvError =
  result = newException(UvError, what & ": " & errName(code) & " (" &
                        $uv_error.strError(cint(code)) & ")")
  result.code = code

proc check(code: cint; what: string) {.inline.} =
  if code < 0: raise newUvError(int(code), what)

# --- loops -------------------------------------------------------------------------------------

var theDefaultLoop {.threadvar.}: Loop
var sigpipeIgnored {.threadvar.}: bool

proc ignoreSigpipe() =
  when not defined(windows):
    if not sigpipeIgnored:
      sigpipeIgnored = true
      posix.signal(SIGPIPE, SIG_IGN)

proc defaultLoop*(): Loop =
  ## The default loop, made on first use.
  if theDefaultLoop == nil:
    ignoreSigpipe()
    theDefaultLoop = Loop(raw: getDefaultLoop(), owned: false)
  theDefaultLoop

proc newLoop*(): Loop =
  ## A loop of its own; ``close`` it when done with it.
  ignoreSigpipe()
  let raw = cast[ptr uv_loop.Loop](allocShared0(sizeof(uv_loop.Loop)))
  let rc = uv_loop.init(raw)
  if rc < 0:
    deallocShared(raw)
    raise newUvError(int(rc), "newLoop")
  Loop(raw: raw, owned: true)

proc fail(loop: Loop; e: ref Exception) =
  ## An exception raised inside a callback: kept for ``run`` to raise, and the loop stopped.
  if loop.failure == nil:
    loop.failure = e
  uv_loop.stop(loop.raw)

proc raiseFailure(loop: Loop) =
  if loop.failure != nil:
    let e = loop.failure
    loop.failure = nil
    raise e

proc run*(loop: Loop = defaultLoop()) =
  ## Runs the loop until nothing is active or ``stop`` is called; raises what a callback raised.
  if loop.raw == nil: raise newUvError(EBADF, "run")
  discard uv_loop.run(loop.raw, runDefault)
  loop.raiseFailure()

proc runOnce*(loop: Loop = defaultLoop()): bool =
  ## Runs one iteration of the loop, waiting for something to happen if anything is active;
  ## true while something is still active.
  if loop.raw == nil: raise newUvError(EBADF, "runOnce")
  result = uv_loop.run(loop.raw, runOnce) != 0
  loop.raiseFailure()

# For another event loop that drives this one (uvio_asyncdispatch): it polls ``backendFd``, wakes
# within ``backendTimeout`` and calls ``runNoWait``.

proc runNoWait*(loop: Loop = defaultLoop()): bool =
  ## Runs what is ready now without waiting; true while something is still active.
  if loop.raw == nil: raise newUvError(EBADF, "runNoWait")
  result = uv_loop.run(loop.raw, RunMode.runNoWait) != 0
  loop.raiseFailure()

proc backendFd*(loop: Loop = defaultLoop()): int =
  ## The descriptor that becomes readable when the loop has events (epoll's on Linux, kqueue's
  ## on BSD and macOS; -1 on Windows).
  if loop.raw == nil: raise newUvError(EBADF, "backendFd")
  int(uv_loop.getBackendFd(loop.raw))

proc backendTimeout*(loop: Loop = defaultLoop()): int =
  ## Milliseconds until the loop's next timer is due, -1 for none, 0 when ``runNoWait`` has work
  ## now (or nothing is active).
  if loop.raw == nil: raise newUvError(EBADF, "backendTimeout")
  int(uv_loop.getBackendTimeout(loop.raw))

proc updateTime*(loop: Loop = defaultLoop()) =
  ## Brings the loop's idea of the time (``now``, which timers count from) up to date.
  if loop.raw == nil: raise newUvError(EBADF, "updateTime")
  uv_loop.updateTime(loop.raw)

var workHook {.threadvar.}: proc (loop: Loop) {.nimcall, gcsafe.}

proc setWorkHook*(hook: proc (loop: Loop) {.nimcall, gcsafe.}) =
  ## ``hook(loop)`` runs whenever a call gives ``loop`` work (a handle starts, a request or a close
  ## begins, a timer is set): so the event loop driving this one learns that ``runNoWait`` has
  ## something to do. ``nil`` removes it.
  workHook = hook

proc stop*(loop: Loop = defaultLoop()) =
  ## Makes ``run`` return after this iteration.
  if loop.raw == nil: raise newUvError(EBADF, "stop")
  uv_loop.stop(loop.raw)

proc isAlive*(loop: Loop = defaultLoop()): bool =
  ## True when the loop has active (and referenced) handles or requests.
  loop.raw != nil and uv_loop.isAlive(loop.raw) != 0

proc now*(loop: Loop = defaultLoop()): int =
  ## The loop's idea of the time, in milliseconds.
  int(uv_loop.now(loop.raw))

proc close*(loop: Loop) =
  ## Closes a loop after its handles are closed (``EBUSY`` otherwise); closing twice is harmless.
  if loop.raw == nil: return
  # Close callbacks of handles dropped without a reference still have to run.
  discard uv_loop.run(loop.raw, runNoWait)
  check uv_loop.close(loop.raw), "close(loop)"
  if loop.owned:
    deallocShared(loop.raw)
  loop.raw = nil
  if loop == theDefaultLoop:
    theDefaultLoop = nil

# --- handles -----------------------------------------------------------------------------------

proc freeOnClose(raw: ptr uv_handle.Handle) {.cdecl.} =
  deallocShared(raw)

proc abandon(raw: ptr uv_handle.Handle) =
  ## The handle object is gone: close its libuv handle, which then frees its memory.
  raw.data = nil
  if uv_handle.isClosing(raw) == 0:
    uv_handle.close(raw, freeOnClose)

when defined(gcDestructors):
  when (NimMajor, NimMinor) >= (2, 0):
    proc `=destroy`(r: RawHandle) =
      if r.p != nil: abandon(r.p)
  else:
    proc `=destroy`(r: var RawHandle) =
      if r.p != nil: abandon(r.p)
  proc `=copy`(dest: var RawHandle; source: RawHandle) {.error.}
  template newHandle[H](h: var H) = new(h)
else:
  proc finalize[H](h: H) =
    if h.raw.p != nil:
      abandon(h.raw.p)
      h.raw.p = nil
  template newHandle[H](h: var H) = new(h, finalize[H])

proc hold(h: Handle) {.inline.} =
  if h.holds == 0: GC_ref(h)
  inc h.holds
  if workHook != nil: workHook(h.loop)

proc release(h: Handle) {.inline.} =
  dec h.holds
  if h.holds == 0: GC_unref(h)

template guarded(loop: Loop; body: untyped) =
  try:
    body
  except Exception as e:
    loop.fail(e)

proc usable(h: Handle; what: string) {.inline.} =
  if h.raw.p == nil or h.closing:
    raise newUvError(EBADF, what & " on a closed handle")

proc attach[H: Handle](h: H; loop: Loop; raw: pointer) =
  h.raw.p = cast[ptr uv_handle.Handle](raw)
  h.raw.p.data = cast[pointer](h)
  h.loop = loop

template fromData(T: typedesc; p: pointer): untyped = cast[T](p)

template initHandle[H: Handle](h: var H; R: typedesc; loop: Loop; what: string; initCall: untyped) =
  ## Makes ``h`` a new handle object owning new libuv memory of type ``R``, which ``initCall``
  ## (libuv's init, given the memory as ``raw``) initializes. A failed init raises ``UvError``
  ## named ``what``, with the memory freed and no object made.
  let raw {.inject.} = cast[ptr R](allocShared0(sizeof(R)))
  let rc = initCall
  if rc < 0:
    deallocShared(raw)
    raise newUvError(int(rc), what)
  newHandle(h)
  h.attach(loop, raw)

proc loop*(h: Handle): Loop = h.loop
  ## The loop the handle runs on.

proc isActive*(h: Handle): bool =
  ## True while the handle is active (listening, reading, writing, a running timer, ...);
  ## false once closed.
  h.raw.p != nil and not h.closing and uv_handle.isActive(h.raw.p) != 0

proc isClosing*(h: Handle): bool =
  ## True once ``close`` was called (also after the close finished).
  h.raw.p == nil or h.closing

proc isClosed*(h: Handle): bool =
  ## True once the close finished (its callback ran).
  h.raw.p == nil

proc handleType*(h: Handle): HandleType =
  ## The kind of the libuv handle.
  h.usable("handleType")
  h.raw.p.typ

proc fileno*(h: Handle): int =
  ## The handle's file descriptor (a HANDLE's value on Windows).
  h.usable("fileno")
  var fd: FD
  check uv_handle.fileno(h.raw.p, fd), "fileno"
  when defined(windows): cast[int](fd) else: int(fd)

proc refHandle*(h: Handle) =
  ## The loop waits for this handle again (the default).
  h.usable("refHandle")
  uv_handle.refHandle(h.raw.p)

proc unrefHandle*(h: Handle) =
  ## The loop does not wait for this handle (``run`` may return while it is active).
  h.usable("unrefHandle")
  uv_handle.unrefHandle(h.raw.p)

proc hasRefHandle*(h: Handle): bool =
  ## True when the loop waits for this handle.
  h.usable("hasRefHandle")
  uv_handle.hasRefHandle(h.raw.p) != 0

proc sendBufferSize*(h: Handle): int =
  ## The operating system's send buffer size of the socket.
  h.usable("sendBufferSize")
  var value: cint = 0
  check uv_handle.sizeofSendBuffer(h.raw.p, value), "sendBufferSize"
  int(value)

proc `sendBufferSize=`*(h: Handle; size: int) =
  ## Sets the send buffer size (Linux sets double the size).
  h.usable("sendBufferSize=")
  var value = cint(size)
  check uv_handle.sizeofSendBuffer(h.raw.p, value), "sendBufferSize="

proc receiveBufferSize*(h: Handle): int =
  ## The operating system's receive buffer size of the socket.
  h.usable("receiveBufferSize")
  var value: cint = 0
  check uv_handle.sizeofRecvBuffer(h.raw.p, value), "receiveBufferSize"
  int(value)

proc `receiveBufferSize=`*(h: Handle; size: int) =
  ## Sets the receive buffer size (Linux sets double the size).
  h.usable("receiveBufferSize=")
  var value = cint(size)
  check uv_handle.sizeofRecvBuffer(h.raw.p, value), "receiveBufferSize="

proc failReads(s: Stream; code: int)
proc stopReceiving(u: Udp; code: int)

proc onClosed(raw: ptr uv_handle.Handle) {.cdecl.} =
  let h {.cursor.} = fromData(Handle, raw.data)
  if h != nil:
    h.raw.p = nil
    let cb = h.onClose
    h.onClose = nil
    h.loop.guarded:
      if cb != nil: cb(h)
    h.release()            # the hold of the pending close
  deallocShared(raw)

proc closeHandle(h: Handle) =
  h.closing = true
  h.hold()
  if h of Stream:
    let s = Stream(h)
    if s.reading:
      s.reading = false
      s.release()
    if s.listening:
      s.listening = false
      s.release()
    s.failReads(ECANCELED)
  elif h of Timer:
    let t = Timer(h)
    if t.running:
      t.running = false
      t.release()
  elif h of Signal:
    let s = Signal(h)
    if s.watching:
      s.watching = false
      s.release()
  elif h of Process:
    let p = Process(h)
    if not p.exited:
      p.exited = true          # libuv calls no exit callback after the close
      p.release()
  elif h of Udp:
    Udp(h).stopReceiving(ECANCELED)
  uv_handle.close(h.raw.p, onClosed)

proc close*[H: Handle](h: H; cb: proc (h: H) {.closure.} = nil) =
  ## Closes the handle; ``cb`` runs once it is closed. Pending writes, connects and reads end with
  ## ``ECANCELED``. Closing a closed handle does nothing.
  if h.raw.p == nil or h.closing: return
  if cb != nil:
    h.onClose = proc (x: Handle) = cb(H(x))
  closeHandle(h)

# --- requests ----------------------------------------------------------------------------------

var freeRequests {.threadvar.}: Request     ## requests done, linked through ``nextFree``
var freeRequestCount {.threadvar.}: int

proc takeRequest(s: Stream): Request =
  ## A request for stream ``s``, which it keeps alive (``hold``) until it is done.
  if freeRequests != nil:
    result = move freeRequests
    freeRequests = move result.nextFree
    dec freeRequestCount
  else:
    result = Request(raw: allocShared0(max(sizeof(Write), max(sizeof(Connect), sizeof(Shutdown)))))
  result.stream = s
  GC_ref(result)
  cast[ptr uv_stream.Write](result.raw).data = cast[pointer](result)
  s.hold()

proc giveBack(r: Request) =
  ## The request is done: its stream and data go, its memory waits for the next one.
  # Each field is tested first: most are nil already (``finish`` moved them out), and the test
  # is cheaper than the assignment's destructor call.
  r.stream = nil
  if r.sendHandle != nil: r.sendHandle = nil
  if r.onDone != nil: r.onDone = nil
  if r.future != nil: r.future = nil
  if r.data.len > 0: r.data.setLen(0)
  if r.parts.len > 0:
    r.parts.setLen(0)
    r.buffers.setLen(0)
  if freeRequestCount < 64:
    r.nextFree = move freeRequests
    freeRequests = r
    inc freeRequestCount
  else:
    deallocShared(r.raw)
    r.raw = nil
  GC_unref(r)

proc finish(r: Request; status: cint) =
  ## The request is done: its callback or its Future gets the status.
  let s {.cursor.} = r.stream       # kept alive by the request's hold until ``release``
  # One still pending when its stream was closed ends with ECANCELED everywhere: libuv on
  # Windows ends it with what the closed pipe gave (EOF, EINVAL, ...).
  let status = if status < 0 and s.closing: cint(ECANCELED) else: status
  let cb = move r.onDone
  let fut = move r.future
  let sent = move r.sendHandle      # alive until the callback has run
  r.giveBack()
  s.loop.guarded:
    if cb != nil:
      cb(s, int(status))
    elif fut != nil:
      if status == 0: fut.complete()
      else: fut.fail(newUvError(int(status), "stream"))
  s.release()

proc onWritten(req: ptr uv_stream.Write; status: cint) {.cdecl.} =
  finish(fromData(Request, req.data), status)
proc onConnected(req: ptr Connect; status: cint) {.cdecl.} =
  finish(fromData(Request, req.data), status)
proc onShutDown(req: ptr Shutdown; status: cint) {.cdecl.} =
  finish(fromData(Request, req.data), status)

proc abort(r: Request; code: cint; what: string) =
  ## A request libuv refused at once.
  let s {.cursor.} = r.stream
  r.giveBack()
  s.release()
  raise newUvError(int(code), what)

proc rawStream(s: Stream): ptr uv_stream.Stream {.inline.} =
  cast[ptr uv_stream.Stream](s.raw.p)

# --- streams: writing --------------------------------------------------------------------------

proc startWrite(r: Request; sendHandle: Handle) =
  ## Starts the write of ``r.buffers``, or of ``r.buffer`` when that is empty.
  let s {.cursor.} = r.stream
  let req = cast[ptr uv_stream.Write](r.raw)
  let buffers = if r.buffers.len > 0: addr r.buffers[0] else: addr r.buffer
  let count = cuint(max(r.buffers.len, 1))
  var rc: cint
  if sendHandle != nil:
    if sendHandle.raw.p == nil or sendHandle.closing:
      r.abort(cint(EBADF), "write (the handle to send is closed)")
    r.sendHandle = sendHandle
    # libuv takes any handle with a descriptor here (a UDP one too, on Unix) though it types it
    # as a stream.
    rc = uv_stream.write2(req, s.rawStream, buffers, count,
                          cast[ptr uv_stream.Stream](sendHandle.raw.p), onWritten)
  else:
    rc = uv_stream.write(req, s.rawStream, buffers, count, onWritten)
  if rc < 0: r.abort(rc, "write")

proc queueWrite(s: Stream; data: string): Request =
  s.usable("write")
  result = s.takeRequest()
  result.data.add data
  # An empty write still needs a valid base pointer.
  if result.data.len == 0: result.data.add '\0'
  result.buffer = initBuffer(addr result.data[0], cuint(data.len))

proc queueWrite(s: Stream; data: openArray[string]): Request =
  s.usable("write")
  result = s.takeRequest()
  if data.len == 0:
    result.buffer = initBuffer(nil, 0)
    return
  result.parts.setLen(data.len)
  result.buffers.setLen(data.len)
  for i, part in data:
    result.parts[i] = part
    if result.parts[i].len == 0:
      result.buffers[i] = initBuffer(nil, 0)
    else:
      result.buffers[i] = initBuffer(addr result.parts[i][0], cuint(part.len))

proc queueWrite(s: Stream; data: pointer; size: int): Request =
  s.usable("write")
  result = s.takeRequest()
  result.buffer = initBuffer(data, cuint(size))

template asStreamCallback[S](cb: proc (s: S; err: int) {.closure.}): proc (s: Stream; err: int) {.closure.} =
  ## The callback as a stream or a request keeps it: the same closure (no wrapper to allocate on
  ## every call), typed for any stream. Sound because it is only ever called with the stream of
  ## type ``S`` it was given for; the copy through a pointer counts the reference as any copy does.
  when S is Stream and Stream is S: cb
  else: cast[ptr proc (s: Stream; err: int) {.closure.}](unsafeAddr cb)[]

template asStreamReadCallback[S](cb: proc (s: S; data: string; err: int) {.closure.}):
    proc (s: Stream; data: string; err: int) {.closure.} =
  ## The read callback as the stream keeps it (see ``asStreamCallback``).
  when S is Stream and Stream is S: cb
  else: cast[ptr proc (s: Stream; data: string; err: int) {.closure.}](unsafeAddr cb)[]

proc write*[S: Stream](s: S; data: string; cb: proc (s: S; err: int) {.closure.};
                       sendHandle: Handle = nil) =
  ## Writes a copy of ``data``; ``cb`` gets 0 or the error. With ``sendHandle`` (an IPC pipe
  ## only: a Pipe, a Tcp, or on Unix a Udp), the handle goes with the bytes.
  let r = queueWrite(s, data)
  r.onDone = asStreamCallback[S](cb)
  r.startWrite(sendHandle)

proc write*[S: Stream](s: S; data: openArray[string]; cb: proc (s: S; err: int) {.closure.}) =
  ## Writes copies of the strings in order, in one request.
  let r = queueWrite(s, data)
  r.onDone = asStreamCallback[S](cb)
  r.startWrite(nil)

proc write*[S: Stream](s: S; data: pointer; size: int; cb: proc (s: S; err: int) {.closure.}) =
  ## Writes ``size`` bytes at ``data`` without copying them: they must stay valid and unchanged
  ## until ``cb`` runs.
  let r = queueWrite(s, data, size)
  r.onDone = asStreamCallback[S](cb)
  r.startWrite(nil)

proc failedFuture[T](what: string; e: ref Exception): Future[T] =
  result = newFuture[T](what)
  result.fail(e)

proc write*(s: Stream; data: string; sendHandle: Handle = nil): Future[void] =
  ## Writes a copy of ``data`` (with ``sendHandle``, as the callback form); the Future completes
  ## when it is written.
  result = newFuture[void]("uvio.write")
  try:
    let r = queueWrite(s, data)
    r.future = result
    r.startWrite(sendHandle)
  except UvError as e:
    result.fail(e)

proc write*(s: Stream; data: openArray[string]): Future[void] =
  ## Writes copies of the strings in order.
  result = newFuture[void]("uvio.write")
  try:
    let r = queueWrite(s, data)
    r.future = result
    r.startWrite(nil)
  except UvError as e:
    result.fail(e)

proc write*(s: Stream; data: pointer; size: int): Future[void] =
  ## Writes ``size`` bytes at ``data`` without copying them (valid until the Future completes).
  result = newFuture[void]("uvio.write")
  try:
    let r = queueWrite(s, data, size)
    r.future = result
    r.startWrite(nil)
  except UvError as e:
    result.fail(e)

proc tryWrite*(s: Stream; data: string): int =
  ## Writes what the socket takes at once: the bytes written, 0 when it takes nothing now
  ## (``EAGAIN``); other errors raise ``UvError``.
  s.usable("tryWrite")
  if data.len == 0: return 0
  var buf = initBuffer(unsafeAddr data[0], cuint(data.len))
  let rc = uv_stream.tryWrite(s.rawStream, addr buf, 1)
  if rc == uv_error.EAGAIN: return 0
  check rc, "tryWrite"
  int(rc)

proc shutdownRequest(s: Stream): Request =
  s.usable("shutdown")
  result = s.takeRequest()

proc startShutdown(r: Request) =
  let rc = uv_stream.shutdown(cast[ptr Shutdown](r.raw), r.stream.rawStream, onShutDown)
  if rc < 0: r.abort(rc, "shutdown")

proc shutdown*[S: Stream](s: S; cb: proc (s: S; err: int) {.closure.}) =
  ## Ends the writing side once the pending writes are written; ``cb`` gets 0 or the error.
  let r = shutdownRequest(s)
  r.onDone = asStreamCallback[S](cb)
  r.startShutdown()

proc shutdown*(s: Stream): Future[void] =
  ## Ends the writing side once the pending writes are written.
  result = newFuture[void]("uvio.shutdown")
  try:
    let r = shutdownRequest(s)
    r.future = result
    r.startShutdown()
  except UvError as e:
    result.fail(e)

# --- streams: reading --------------------------------------------------------------------------

proc setLengthOnly(s: var string; n: int) {.inline.} =
  ## Sets the length of a string whose capacity is at least ``n`` without touching its bytes
  ## (``setLen`` zeroes the bytes it adds, which a read buffer need not).
  when defined(nimSeqsV2):
    cast[ptr int](addr s)[] = n
  else:
    cast[ptr int](cast[pointer](s))[] = n

proc onAlloc(raw: ptr uv_handle.Handle; suggestedSize: csize_t; buf: ptr Buffer) {.cdecl.} =
  let s {.cursor.} = fromData(Stream, raw.data)
  if s.intoBuffer != nil:
    buf[] = initBuffer(s.intoBuffer, cuint(s.intoSize))
  else:
    if s.readBuffer.len == 0:
      s.readBuffer = newString(readBufferSize)
    buf[] = initBuffer(addr s.readBuffer[0], cuint(s.readBuffer.len))

proc stopReading(s: Stream) =
  if s.reading:
    s.reading = false
    discard uv_stream.readStop(s.rawStream)
    s.release()

proc takeChunk(s: Stream; size = high(int)): string =
  ## The next queued bytes (at most ``size``).
  let first = s.chunks.peekFirst
  let n = min(size, first.len - s.chunkOffset)
  if s.chunkOffset == 0 and n == first.len:
    result = s.chunks.popFirst()
  else:
    result = first[s.chunkOffset ..< s.chunkOffset + n]
    s.chunkOffset += n
    if s.chunkOffset == first.len:
      discard s.chunks.popFirst()
      s.chunkOffset = 0
  s.queuedBytes -= n

proc futureRead(s: Stream; nread: int; fromInto: bool) =
  if nread > 0:
    if fromInto:
      let fut = s.intoWaiter
      s.intoWaiter = nil
      s.intoBuffer = nil
      fut.complete(nread)
      return
    var chunk = newStringOfCap(nread)
    chunk.setLengthOnly(nread)
    copyMem(addr chunk[0], addr s.readBuffer[0], nread)
    if s.readWaiter != nil:
      let fut = s.readWaiter
      s.readWaiter = nil
      fut.complete(chunk)
    else:
      s.queuedBytes += nread
      s.chunks.addLast chunk
      if s.queuedBytes >= readQueueLimit:
        s.stopReading()
  elif nread < 0:
    s.readEnd = nread
    s.stopReading()
    s.failReads(nread)

proc failReads(s: Stream; code: int) =
  ## Answers the waiting reads: "" or 0 at the end of the stream, else the error.
  if s.readWaiter != nil:
    let fut = s.readWaiter
    s.readWaiter = nil
    if code == EOF: fut.complete("") else: fut.fail(newUvError(code, "read"))
  if s.intoWaiter != nil:
    let fut = s.intoWaiter
    s.intoWaiter = nil
    s.intoBuffer = nil
    if code == EOF: fut.complete(0) else: fut.fail(newUvError(code, "readInto"))
  if s.acceptWaiters.len > 0 and code == ECANCELED:
    while s.acceptWaiters.len > 0:
      let waiter = s.acceptWaiters.popFirst()
      waiter(code)

proc onRead(raw: ptr uv_stream.Stream; nread: cssize; buf: ptr Buffer) {.cdecl.} =
  let s {.cursor.} = fromData(Stream, raw.data)
  if s == nil: return
  s.hold()              # the callback may stop reading and drop the last other reference
  s.loop.guarded:
    if s.readMode == readCallback:
      if nread > 0:
        s.readBuffer.setLengthOnly(int(nread))
        try:
          s.onRead(s, s.readBuffer, 0)
        finally:
          s.readBuffer.setLengthOnly(readBufferSize)
      elif nread < 0:
        s.stopReading()
        s.onRead(s, "", int(nread))
    else:
      futureRead(s, int(nread), buf.base != nil and buf.base == s.intoBuffer)
  s.release()

proc startReading(s: Stream) =
  if not s.reading:
    check uv_stream.readStart(s.rawStream, onAlloc, onRead), "read"
    s.reading = true
    s.hold()

proc startRead*[S: Stream](s: S; cb: proc (s: S; data: string; err: int) {.closure.}) =
  ## Calls ``cb`` with each chunk read (``err`` = 0), then once with ``err`` = ``EOF`` (or the
  ## error) and ``data`` = "", after which reading has stopped. ``data`` lives in a buffer the
  ## stream reuses: a callback that keeps it keeps a copy.
  s.usable("startRead")
  if s.readMode == readFutures:
    raise newUvError(EINVAL, "startRead on a stream read through Futures")
  s.onRead = asStreamReadCallback[S](cb)
  s.readMode = readCallback
  s.startReading()

proc stopRead*(s: Stream) =
  ## Stops reading (``startRead`` may start it again).
  s.usable("stopRead")
  s.stopReading()

proc read*(s: Stream): Future[string] =
  ## The next chunk read from the stream; "" at its end.
  result = newFuture[string]("uvio.read")
  try:
    s.usable("read")
    if s.readMode == readCallback:
      raise newUvError(EINVAL, "read on a stream read with startRead")
    if s.readWaiter != nil or s.intoWaiter != nil:
      raise newUvError(EINVAL, "read while another read waits")
    s.readMode = readFutures
    if s.chunks.len > 0:
      result.complete(s.takeChunk())
      if not s.reading and s.readEnd == 0 and s.queuedBytes < readQueueLimit:
        s.startReading()
    elif s.readEnd == EOF:
      result.complete("")
    elif s.readEnd != 0:
      raise newUvError(s.readEnd, "read")
    else:
      s.readWaiter = result
      s.startReading()
  except UvError as e:
    if not result.finished: result.fail(e)

proc readInto*(s: Stream; buffer: pointer; size: int): Future[int] =
  ## Reads at most ``size`` bytes into ``buffer`` (which must stay valid until the Future
  ## completes): the number of bytes, 0 at the end of the stream.
  result = newFuture[int]("uvio.readInto")
  try:
    s.usable("readInto")
    if s.readMode == readCallback:
      raise newUvError(EINVAL, "readInto on a stream read with startRead")
    if s.readWaiter != nil or s.intoWaiter != nil:
      raise newUvError(EINVAL, "readInto while another read waits")
    if size <= 0:
      raise newUvError(EINVAL, "readInto with no room")
    s.readMode = readFutures
    if s.chunks.len > 0:
      let chunk = s.takeChunk(size)
      copyMem(buffer, unsafeAddr chunk[0], chunk.len)
      result.complete(chunk.len)
      if not s.reading and s.readEnd == 0 and s.queuedBytes < readQueueLimit:
        s.startReading()
    elif s.readEnd == EOF:
      result.complete(0)
    elif s.readEnd != 0:
      raise newUvError(s.readEnd, "readInto")
    else:
      s.intoWaiter = result
      s.intoBuffer = buffer
      s.intoSize = size
      s.startReading()
  except UvError as e:
    if not result.finished: result.fail(e)

# --- streams: servers --------------------------------------------------------------------------

proc onConnectionCb(raw: ptr uv_stream.Stream; status: cint) {.cdecl.} =
  let s {.cursor.} = fromData(Stream, raw.data)
  if s == nil: return
  s.loop.guarded:
    if s.onConnection != nil:
      s.onConnection(s, int(status))
    elif status == 0:
      inc s.connections
      if s.acceptWaiters.len > 0:
        s.acceptWaiters.popFirst()(0)
    else:
      while s.acceptWaiters.len > 0:
        s.acceptWaiters.popFirst()(int(status))

proc startListening(s: Stream; backlog: int) =
  s.usable("listen")
  if s.listening: raise newUvError(EINVAL, "listen (already listening)")
  check uv_stream.listen(s.rawStream, cint(backlog), onConnectionCb), "listen"
  s.listening = true
  s.hold()

proc listen*[S: Stream](server: S; cb: proc (server: S; err: int) {.closure.}; backlog = 511) =
  ## Listens; ``cb`` runs for each incoming connection, which it takes with ``accept``. The
  ## server stays alive while it listens, referenced or not.
  server.onConnection = asStreamCallback[S](cb)
  server.startListening(backlog)

proc listen*(server: Stream; backlog = 511) =
  ## Listens; take the connections with ``accept(server)`` (a Future).
  server.onConnection = nil
  server.startListening(backlog)

proc acceptInto(server: Stream; client: Handle) =
  ## libuv's accept into any handle: a stream, or on Unix a UDP socket from an IPC pipe.
  server.usable("accept")
  client.usable("accept")
  check uv_stream.accept(server.rawStream, cast[ptr uv_stream.Stream](client.raw.p)), "accept"

proc accept*(server: Stream; client: Stream) =
  ## Takes one incoming connection (or a handle received over an IPC pipe) into ``client``.
  server.acceptInto(client)

proc newPipe*(loop = defaultLoop(); ipc = false): Pipe
proc newTcp*(loop = defaultLoop()): Tcp
proc newTimer*(loop = defaultLoop()): Timer
proc start*(t: Timer; cb: proc (t: Timer) {.closure.}; timeout: int; repeat = 0)

proc accept*[S: Stream](server: S): Future[S] =
  ## The next incoming connection, as a new handle of the server's type.
  let fut = newFuture[S]("uvio.accept")
  result = fut
  try:
    server.usable("accept")
    if not server.listening or server.onConnection != nil:
      raise newUvError(EINVAL, "accept (call listen(server) first)")
    let take = proc (err: int) =
      if err != 0:
        fut.fail(newUvError(err, "accept"))
        return
      dec server.connections
      var client: S
      when S is Pipe: client = newPipe(server.loop)
      elif S is Tcp: client = newTcp(server.loop)
      else: {.error: "accept needs a Pipe or a Tcp server".}
      try:
        accept(server, client)
      except UvError as e:
        client.close()
        fut.fail(e)
        return
      fut.complete(client)
    if server.connections > 0: take(0)
    else: server.acceptWaiters.addLast take
  except UvError as e:
    fut.fail(e)

# --- streams: the rest -------------------------------------------------------------------------

proc readable*(s: Stream): bool =
  ## True when the stream can be read.
  s.usable("readable")
  uv_stream.isReadable(s.rawStream) != 0

proc writable*(s: Stream): bool =
  ## True when the stream can be written.
  s.usable("writable")
  uv_stream.isWriteable(s.rawStream) != 0

proc writeQueueSize*(s: Stream): int =
  ## Bytes queued and not yet written.
  s.usable("writeQueueSize")
  int(uv_stream.getWriteQueueSize(s.rawStream))

proc setBlocking*(s: Stream; blocking: bool) =
  ## Writes complete at once (blocking) or not.
  s.usable("setBlocking")
  check uv_stream.setBlocking(s.rawStream, cint(ord(blocking))), "setBlocking"

# --- pipes -------------------------------------------------------------------------------------

proc rawPipe(p: Pipe): ptr uv_pipe.Pipe {.inline.} = cast[ptr uv_pipe.Pipe](p.raw.p)

proc newPipe*(loop = defaultLoop(); ipc = false): Pipe =
  ## A pipe; with ``ipc`` it passes handles between processes.
  result.initHandle(uv_pipe.Pipe, loop, "newPipe", uv_pipe.init(loop.raw, raw, cint(ord(ipc))))

proc open*(p: Pipe; fd: int) =
  ## Makes an open descriptor (a socket or a pipe) this pipe.
  p.usable("open")
  check uv_pipe.open(p.rawPipe, FileHandle(fd)), "open"

proc bindPipe*(p: Pipe; name: string) =
  ## Binds the pipe to a path (Unix), a name (Windows, ``\\.\pipe\...``) or, on Linux, an
  ## abstract name starting with "\0".
  p.usable("bindPipe")
  when defined(linux):
    if name.len > 0 and name[0] == '\0':
      var address: Sockaddr_un
      if name.len > sizeof(address.sun_path):
        raise newUvError(ENAMETOOLONG, "bindPipe")
      address.sun_family = TSa_Family(AF_UNIX)
      copyMem(addr address.sun_path[0], unsafeAddr name[0], name.len)
      let fd = posix.socket(AF_UNIX, SOCK_STREAM or SOCK_CLOEXEC, 0)
      if fd == SocketHandle(-1): raise newUvError(-int(errno), "bindPipe")
      let size = SockLen(sizeof(address.sun_family) + name.len)
      if posix.bindSocket(fd, cast[ptr SockAddr](addr address), size) != 0:
        let code = -int(errno)
        discard posix.close(fd)
        raise newUvError(code, "bindPipe")
      let rc = uv_pipe.open(p.rawPipe, FileHandle(fd))
      if rc < 0:
        discard posix.close(fd)
        check rc, "bindPipe"
      return
  check uv_pipe.bindPipe(p.rawPipe, name.cstring), "bindPipe"

proc connectRequest(s: Stream): Request =
  s.usable("connect")
  s.takeRequest()

proc startPipeConnect(r: Request; name: string) =
  let p = Pipe(r.stream)
  when defined(linux):
    if name.len > 0 and name[0] == '\0':
      # libuv 1.44 connects only to paths: connect the socket here, then tell the callback from
      # the loop, as libuv would.
      var address: Sockaddr_un
      var code = 0
      if name.len > sizeof(address.sun_path):
        code = ENAMETOOLONG
      else:
        address.sun_family = TSa_Family(AF_UNIX)
        copyMem(addr address.sun_path[0], unsafeAddr name[0], name.len)
        let fd = posix.socket(AF_UNIX, SOCK_STREAM or SOCK_CLOEXEC, 0)
        if fd == SocketHandle(-1):
          code = -int(errno)
        else:
          let size = SockLen(sizeof(address.sun_family) + name.len)
          if posix.connect(fd, cast[ptr SockAddr](addr address), size) != 0:
            code = -int(errno)
            discard posix.close(fd)
          else:
            let rc = uv_pipe.open(p.rawPipe, FileHandle(fd))
            if rc < 0:
              code = int(rc)
              discard posix.close(fd)
      newTimer(p.loop).start(proc (t: Timer) =
        t.close()
        finish(r, cint(code)), 0)
      return
  uv_pipe.connect(cast[ptr Connect](r.raw), p.rawPipe, name.cstring, onConnected)

proc connect*(p: Pipe; name: string; cb: proc (p: Pipe; err: int) {.closure.}) =
  ## Connects to a pipe server; ``cb`` gets 0 or the error (``ENOENT``, ``ECONNREFUSED``, ...).
  let r = connectRequest(p)
  r.onDone = asStreamCallback[Pipe](cb)
  r.startPipeConnect(name)

proc connect*(p: Pipe; name: string): Future[void] =
  ## Connects to a pipe server.
  result = newFuture[void]("uvio.connect")
  try:
    let r = connectRequest(p)
    r.future = result
    r.startPipeConnect(name)
  except UvError as e:
    if not result.finished: result.fail(e)

proc pipeName(p: Pipe; peer: bool): string =
  var buffer = newString(256)
  var size = csize_t(buffer.len)
  var rc =
    if peer: uv_pipe.getPeerName(p.rawPipe, buffer.cstring, size)
    else: uv_pipe.getSockName(p.rawPipe, buffer.cstring, size)
  if rc == uv_error.ENOBUFS:
    buffer = newString(int(size) + 1)
    size = csize_t(buffer.len)
    rc =
      if peer: uv_pipe.getPeerName(p.rawPipe, buffer.cstring, size)
      else: uv_pipe.getSockName(p.rawPipe, buffer.cstring, size)
  check rc, (if peer: "getPeerName" else: "getSockName")
  buffer.setLen(int(size))
  buffer

proc getSockName*(p: Pipe): string =
  ## The name the pipe is bound to ("" for none).
  p.usable("getSockName")
  p.pipeName(false)

proc getPeerName*(p: Pipe): string =
  ## The name of the pipe's peer.
  p.usable("getPeerName")
  p.pipeName(true)

proc pendingInstances*(p: Pipe; count: int) =
  ## The number of pipe instances a server keeps waiting (Windows only).
  p.usable("pendingInstances")
  uv_pipe.pendingInstances(p.rawPipe, cint(count))

proc pendingCount*(p: Pipe): int =
  ## Handles received over this IPC pipe and not yet accepted.
  p.usable("pendingCount")
  int(uv_pipe.pendingCount(p.rawPipe))

proc pendingHandleType*(p: Pipe): HandleType =
  ## The kind of the next handle to accept (``hdlTcp``, ``hdlNamedPipe``, ...).
  p.usable("pendingHandleType")
  uv_pipe.pendingType(p.rawPipe)

proc ipc*(p: Pipe): bool =
  ## True for a pipe that passes handles.
  p.usable("ipc")
  p.rawPipe.ipc != 0

proc pipePair*(loop = defaultLoop(); ipc = false): tuple[a, b: Pipe] =
  ## Two pipes connected to each other, both ways: a socketpair on Unix, the two ends of a
  ## named pipe on Windows (``uv_pipe``; ``uv_socketpair`` gives SOCKETs there, which a pipe
  ## cannot open). On Windows libuv takes the parent process for the peer of a pipe opened with
  ## ``ipc`` and prepares a TCP handle written over it for that process (wine does not mind):
  ## pass handles between processes there (``createPipe`` of ``spawn``).
  when defined(windows):
    # uv_pipe makes fds[0] readable and fds[1] writable; the other flag given to each makes both
    # ends duplex, and NONBLOCK_PIPE overlapped, as libuv's pipes are.
    var fds: array[2, FileHandle]
    check uv_pipe.pipe(fds, cint(uv_process.stdioWriteablePipe) or NONBLOCK_PIPE,
                       cint(uv_process.stdioReadablePipe) or NONBLOCK_PIPE), "pipePair"
  else:
    var fds: array[2, SocketHandle]
    check uv_pipe.socketPair(posix.SOCK_STREAM, 0, fds, 0, 0), "pipePair"
  result.a = newPipe(loop, ipc)
  result.b = newPipe(loop, ipc)
  result.a.open(int(fds[0]))
  result.b.open(int(fds[1]))

# --- tcp ---------------------------------------------------------------------------------------

proc rawTcp(t: Tcp): ptr uv_tcp.TCP {.inline.} = cast[ptr uv_tcp.TCP](t.raw.p)

proc newTcp*(loop = defaultLoop()): Tcp =
  ## A TCP socket (made when it is bound or connected).
  result.initHandle(uv_tcp.TCP, loop, "newTcp", uv_tcp.init(loop.raw, raw))

proc socketAddress(host: string; port: int; what: string): Sockaddr_storage =
  if port < 0 or port > 65535: raise newUvError(EINVAL, what & " (port " & $port & ")")
  if uv_misc.toIp4Addr(host.cstring, cint(port), cast[ptr Sockaddr_in](addr result)[]) != 0:
    check uv_misc.toIp6Addr(host.cstring, cint(port), cast[ptr Sockaddr_in6](addr result)[]), what

proc bindAddr*(t: Tcp; host: string; port: int) =
  ## Binds to an IPv4 or IPv6 address given as text; port 0 picks a free port.
  t.usable("bindAddr")
  var address = socketAddress(host, port, "bindAddr")
  check uv_tcp.bindAddr(t.rawTcp, cast[ptr SockAddr](addr address), 0), "bindAddr"

proc startTcpConnect(r: Request; host: string; port: int) =
  var address = socketAddress(host, port, "connect")
  let rc = uv_tcp.connect(cast[ptr Connect](r.raw), Tcp(r.stream).rawTcp,
                          cast[ptr SockAddr](addr address), onConnected)
  if rc < 0: r.abort(rc, "connect")

proc connect*(t: Tcp; host: string; port: int; cb: proc (t: Tcp; err: int) {.closure.}) =
  ## Connects to an IPv4 or IPv6 address given as text; ``cb`` gets 0 or the error.
  let r = connectRequest(t)
  r.onDone = asStreamCallback[Tcp](cb)
  try:
    r.startTcpConnect(host, port)
  except UvError:
    if r.stream != nil: r.abort(cint(EINVAL), "connect")
    raise

proc connect*(t: Tcp; host: string; port: int): Future[void] =
  ## Connects to an IPv4 or IPv6 address given as text.
  result = newFuture[void]("uvio.connect")
  try:
    let r = connectRequest(t)
    r.future = result
    try:
      r.startTcpConnect(host, port)
    except UvError:
      if r.stream != nil: r.abort(cint(EINVAL), "connect")
      raise
  except UvError as e:
    result.fail(e)

proc addressText(address: var Sockaddr_storage): tuple[host: string, port: int] =
  var text = newString(64)
  check uv_misc.toIpName(cast[ptr SockAddr](addr address), text.cstring, csize_t(text.len)),
        "address"
  text.setLen(text.cstring.len)
  let bytes = cast[ptr array[4, uint8]](addr address)
  (text, int(bytes[2]) shl 8 or int(bytes[3]))

proc getSockName*(t: Tcp): tuple[host: string, port: int] =
  ## The address the socket is bound to.
  t.usable("getSockName")
  var address: Sockaddr_storage
  var size = cint(sizeof(address))
  check uv_tcp.getSockName(t.rawTcp, cast[ptr SockAddr](addr address), size), "getSockName"
  addressText(address)

proc getPeerName*(t: Tcp): tuple[host: string, port: int] =
  ## The address of the socket's peer.
  t.usable("getPeerName")
  var address: Sockaddr_storage
  var size = cint(sizeof(address))
  check uv_tcp.getPeerName(t.rawTcp, cast[ptr SockAddr](addr address), size), "getPeerName"
  addressText(address)

proc setNoDelay*(t: Tcp; enable: bool) =
  ## Turns Nagle's algorithm off (``enable``) or on.
  t.usable("setNoDelay")
  check uv_tcp.setNoDelay(t.rawTcp, cint(ord(enable))), "setNoDelay"

proc setKeepAlive*(t: Tcp; enable: bool; delay = 60) =
  ## TCP keep-alive, the first probe after ``delay`` seconds.
  t.usable("setKeepAlive")
  check uv_tcp.setKeepAlive(t.rawTcp, cint(ord(enable)), cuint(delay)), "setKeepAlive"

proc open*(t: Tcp; fd: int) =
  ## Makes an open socket this handle.
  t.usable("open")
  check uv_tcp.open(t.rawTcp, SocketHandle(fd)), "open"

# --- timers ------------------------------------------------------------------------------------

proc rawTimer(t: Timer): ptr uv_timer.Timer {.inline.} = cast[ptr uv_timer.Timer](t.raw.p)

proc newTimer*(loop = defaultLoop()): Timer =
  ## A timer.
  result.initHandle(uv_timer.Timer, loop, "newTimer", uv_timer.init(loop.raw, raw))

proc onTimer(raw: ptr uv_timer.Timer) {.cdecl.} =
  let t {.cursor.} = fromData(Timer, raw.data)
  if t == nil: return
  let keep = t
  let once = uv_timer.getRepeat(raw) == 0
  if once: keep.running = false
  keep.loop.guarded:
    keep.onTimeout(keep)
  if once: keep.release()    # the hold of the start that fired

proc start*(t: Timer; cb: proc (t: Timer) {.closure.}; timeout: int; repeat = 0) =
  ## Calls ``cb`` after ``timeout`` ms, then every ``repeat`` ms if ``repeat`` > 0.
  t.usable("start")
  t.onTimeout = cb
  if workHook != nil: workHook(t.loop)
  check uv_timer.start(t.rawTimer, onTimer, uint64(timeout), uint64(repeat)), "start"
  if not t.running:
    t.running = true
    t.hold()

proc stop*(t: Timer) =
  ## Stops the timer.
  t.usable("stop")
  discard uv_timer.stop(t.rawTimer)
  if t.running:
    t.running = false
    t.release()

proc sleepAsync*(ms: int; loop = defaultLoop()): Future[void] =
  ## Completes after ``ms`` milliseconds.
  let fut = newFuture[void]("uvio.sleepAsync")
  newTimer(loop).start(proc (t: Timer) =
    t.close()
    fut.complete(), ms)
  fut

proc waitFor*[T](fut: Future[T]; loop = defaultLoop()): T =
  ## Runs the loop until ``fut`` is finished; its value, or its error raised.
  while not fut.finished:
    if not loop.runOnce() and not fut.finished:
      raise newUvError(EINVAL, "waitFor: nothing left on the loop to finish the Future")
  fut.read()

# --- signals -----------------------------------------------------------------------------------

proc newSignal*(loop = defaultLoop()): Signal =
  ## A signal watcher.
  result.initHandle(uv_signal.Signal, loop, "newSignal", uv_signal.init(loop.raw, raw))

proc onSignalCb(raw: ptr uv_signal.Signal; signum: cint) {.cdecl.} =
  let s {.cursor.} = fromData(Signal, raw.data)
  if s == nil: return
  let keep = s
  keep.loop.guarded:
    keep.onSignal(keep, int(signum))

proc start*(s: Signal; cb: proc (s: Signal; signum: int) {.closure.}; signum: int) =
  ## Calls ``cb`` each time the process gets ``signum``.
  s.usable("start")
  s.onSignal = cb
  check uv_signal.start(cast[ptr uv_signal.Signal](s.raw.p), onSignalCb, cint(signum)), "start"
  if not s.watching:
    s.watching = true
    s.hold()

proc stop*(s: Signal) =
  ## Stops watching.
  s.usable("stop")
  discard uv_signal.stop(cast[ptr uv_signal.Signal](s.raw.p))
  if s.watching:
    s.watching = false
    s.release()

# --- processes ---------------------------------------------------------------------------------

proc ignoreStdio*(): Stdio = Stdio(kind: ioIgnore)
  ## The child's descriptor is closed (``/dev/null``).
proc inheritFd*(fd: int): Stdio = Stdio(kind: ioInheritFd, fd: fd)
  ## The child gets the parent's descriptor ``fd``.
proc inheritStream*(s: Stream): Stdio = Stdio(kind: ioInheritStream, stream: s)
  ## The child gets the stream's descriptor.
proc createPipe*(p: Pipe; readable = true; writable = true): Stdio =
  ## A new pipe between ``p`` (not yet open; made with ``ipc`` to pass handles) and the child.
  Stdio(kind: ioPipe, stream: p, readable: readable, writable: writable)

proc onExitCb(raw: ptr uv_process.Process; exitStatus: int64; termSignal: cint) {.cdecl.} =
  let p {.cursor.} = fromData(Process, raw.data)
  if p == nil: return
  let keep = p
  keep.exited = true
  keep.exitStatus = int(exitStatus)
  keep.termSignal = int(termSignal)
  keep.loop.guarded:
    if keep.onExit != nil: keep.onExit(keep, int(exitStatus), int(termSignal))
    if keep.exitWaiter != nil:
      let fut = keep.exitWaiter
      keep.exitWaiter = nil
      fut.complete(int(exitStatus))
  keep.release()   # the hold of the running process

proc spawn*(file: string; args: openArray[string] = []; loop = defaultLoop();
            stdio: openArray[Stdio] = [inheritFd(0), inheritFd(1), inheritFd(2)];
            cwd = ""; env: openArray[string] = [];
            onExit: proc (p: Process; exitStatus: int; termSignal: int) {.closure.} = nil): Process =
  ## Starts ``file`` (searched in ``PATH``) with ``args`` (without the program's name). The
  ## process object stays alive until the child exits; ``onExit`` then gets its status.
  var argv = newSeq[string](args.len + 1)
  argv[0] = file
  for i, a in args: argv[i + 1] = a
  let cargs = allocCStringArray(argv)
  let cenv = if env.len > 0: allocCStringArray(env) else: nil
  var containers = newSeq[StdioContainer](max(stdio.len, 1))
  for i, s in stdio:
    case s.kind
    of ioIgnore:
      containers[i].flags = cuint(uv_process.stdioIgnore)
    of ioInheritFd:
      containers[i].flags = cuint(uv_process.stdioInheritFd)
      containers[i].data = StdioContainerData(fd: cint(s.fd))
    of ioInheritStream, ioPipe:
      s.stream.usable("spawn")
      if s.kind == ioPipe:
        containers[i].flags = cuint(uv_process.stdioCreatePipe) or
          (if s.readable: cuint(uv_process.stdioReadablePipe) else: 0'u32) or
          (if s.writable: cuint(uv_process.stdioWriteablePipe) else: 0'u32)
      else:
        containers[i].flags = cuint(uv_process.stdioInheritStream)
      containers[i].data = StdioContainerData(stream: s.stream.rawStream)
  var options: ProcessOptions
  options.exitCb = onExitCb
  options.file = file.cstring
  options.args = cargs
  options.env = cenv
  options.cwd = if cwd.len > 0: cwd.cstring else: nil
  options.stdioCount = cint(stdio.len)
  options.stdio = addr containers[0]
  let raw = allocShared0(sizeof(uv_process.Process))
  let rc = uv_process.spawn(loop.raw, cast[ptr uv_process.Process](raw), addr options)
  deallocCStringArray(cargs)
  if cenv != nil: deallocCStringArray(cenv)
  newHandle(result)
  result.attach(loop, raw)
  if rc < 0:
    # libuv wants a handle it failed to spawn closed all the same.
    result.exited = true
    result.close()
    raise newUvError(int(rc), "spawn " & file)
  result.onExit = onExit
  result.hold()

proc pid*(p: Process): int =
  ## The child's process id.
  p.usable("pid")
  int(uv_process.getPid(cast[ptr uv_process.Process](p.raw.p)))

proc kill*(p: Process; signum: int) =
  ## Sends ``signum`` to the child.
  p.usable("kill")
  check uv_process.kill(cast[ptr uv_process.Process](p.raw.p), cint(signum)), "kill"

proc exited*(p: Process): bool = p.exited
  ## True once the child exited.

proc exitStatus*(p: Process): int = p.exitStatus
  ## The child's exit status, once it exited.

proc termSignal*(p: Process): int = p.termSignal
  ## The signal that ended the child (0 for none), once it exited.

proc waitExit*(p: Process): Future[int] =
  ## The child's exit status, when it exits.
  result = newFuture[int]("uvio.waitExit")
  if p.exited: result.complete(p.exitStatus)
  elif p.exitWaiter != nil: result.fail(newUvError(EINVAL, "waitExit (already waited for)"))
  else: p.exitWaiter = result

# --- udp ---------------------------------------------------------------------------------------

const recvQueueLimit = 64
  ## Datagrams a socket received through Futures holds, unasked for, before it stops receiving.

type
  SendRequestObj {.acyclic.} = object
    ## A datagram in flight. Acyclic, as a stream's request is: only libuv (through a raw
    ## pointer) refers to one.
    raw: ptr uv_udp.UDPSend    ## libuv's request, then the datagram's bytes
    udp: Udp
    onSent: proc (u: Udp; err: int) {.closure.}
    future: Future[void]
  SendRequest = ref SendRequestObj

proc rawUdp(u: Udp): ptr uv_udp.UDP {.inline.} = cast[ptr uv_udp.UDP](u.raw.p)

proc newUdp*(loop = defaultLoop()): Udp =
  ## A UDP socket (made when it is bound, connected, sends or receives).
  result.initHandle(uv_udp.UDP, loop, "newUdp", uv_udp.init(loop.raw, raw))

proc open*(u: Udp; fd: int) =
  ## Makes an open datagram socket this handle.
  u.usable("open")
  check uv_udp.open(u.rawUdp, SocketHandle(fd)), "open"

proc accept*(channel: Pipe; client: Udp) =
  ## Takes a UDP socket received over the IPC pipe ``channel`` (``pendingHandleType`` is
  ## ``hdlUdp``) into ``client``. libuv passes UDP sockets on Unix only.
  channel.acceptInto(client)

proc bindAddr*(u: Udp; host: string; port: int; reuseAddress = false) =
  ## Binds to an IPv4 or IPv6 address given as text; port 0 picks a free port. With
  ## ``reuseAddress`` other sockets may bind the same address (``SO_REUSEADDR``).
  u.usable("bindAddr")
  var address = socketAddress(host, port, "bindAddr")
  let flags = if reuseAddress: cuint(ord(udpReuseAddr)) else: 0
  check uv_udp.bindAddr(u.rawUdp, cast[ptr SockAddr](addr address), flags), "bindAddr"

proc connect*(u: Udp; host: string; port: int) =
  ## Sends every datagram to this address (``send`` without an address) and receives only from
  ## it. It takes effect at once: there is no callback.
  u.usable("connect")
  var address = socketAddress(host, port, "connect")
  check uv_udp.connect(u.rawUdp, cast[ptr SockAddr](addr address)), "connect"

proc disconnect*(u: Udp) =
  ## Undoes ``connect`` (``ENOTCONN`` when not connected).
  u.usable("disconnect")
  check uv_udp.connect(u.rawUdp, nil), "disconnect"

proc udpAddress(u: Udp; peer: bool): tuple[host: string, port: int] =
  var address: Sockaddr_storage
  var size = cint(sizeof(address))
  if peer:
    check uv_udp.getPeerName(u.rawUdp, cast[ptr SockAddr](addr address), size), "getPeerName"
  else:
    check uv_udp.getSockName(u.rawUdp, cast[ptr SockAddr](addr address), size), "getSockName"
  addressText(address)

proc getSockName*(u: Udp): tuple[host: string, port: int] =
  ## The address the socket is bound to.
  u.usable("getSockName")
  u.udpAddress(false)

proc getPeerName*(u: Udp): tuple[host: string, port: int] =
  ## The address the socket is connected to (``ENOTCONN`` when not connected).
  u.usable("getPeerName")
  u.udpAddress(true)

proc sent(r: SendRequest; status: cint) =
  ## The datagram is sent (or failed): its callback or its Future gets the status.
  let u = r.udp
  let cb = r.onSent
  let fut = r.future
  deallocShared(r.raw)
  r.raw = nil
  r.udp = nil
  GC_unref(r)
  u.loop.guarded:
    if cb != nil:
      cb(u, int(status))
    elif fut != nil:
      if status == 0: fut.complete()
      else: fut.fail(newUvError(int(status), "send"))
  u.release()              # the hold of the send

proc onSentCb(req: ptr uv_udp.UDPSend; status: cint) {.cdecl.} =
  sent(fromData(SendRequest, req.data), status)

proc startSend(u: Udp; data: string; address: ptr SockAddr;
               onSent: proc (u: Udp; err: int) {.closure.}; future: Future[void]) =
  ## Sends a copy of ``data`` to ``address`` (nil: the connected peer). The copy lives in the
  ## request's own memory, after libuv's request; the request object is made once libuv has
  ## taken the datagram, so a send refused at once leaves nothing to free but that memory.
  u.usable("send")
  let raw = cast[ptr uv_udp.UDPSend](allocShared0(sizeof(uv_udp.UDPSend) + max(data.len, 1)))
  let copy = cast[pointer](cast[uint](raw) + uint(sizeof(uv_udp.UDPSend)))
  if data.len > 0: copyMem(copy, unsafeAddr data[0], data.len)
  var buffer = initBuffer(copy, cuint(data.len))
  let rc = uv_udp.send(raw, u.rawUdp, addr buffer, 1, address, onSentCb)
  if rc < 0:
    deallocShared(raw)
    raise newUvError(int(rc), "send")
  # libuv calls back from the loop, never from within uv_udp_send.
  let r = SendRequest(raw: raw, udp: u, onSent: onSent, future: future)
  raw.data = cast[pointer](r)
  GC_ref(r)
  u.hold()

proc send*(u: Udp; data: string; host: string; port: int;
           cb: proc (u: Udp; err: int) {.closure.}) =
  ## Sends a copy of ``data`` as one datagram to an IPv4 or IPv6 address given as text; ``cb``
  ## gets 0 or the error (``ECANCELED`` when the socket closes first). The socket stays alive
  ## until then. An unbound socket is bound to any address and a free port first.
  var address = socketAddress(host, port, "send")
  u.startSend(data, cast[ptr SockAddr](addr address), cb, nil)

proc send*(u: Udp; data: string; cb: proc (u: Udp; err: int) {.closure.}) =
  ## Sends a copy of ``data`` to the address the socket is connected to.
  u.startSend(data, nil, cb, nil)

proc send*(u: Udp; data: string; host: string; port: int): Future[void] =
  ## Sends a copy of ``data`` as one datagram; the Future completes when it is sent.
  result = newFuture[void]("uvio.send")
  try:
    var address = socketAddress(host, port, "send")
    u.startSend(data, cast[ptr SockAddr](addr address), nil, result)
  except UvError as e:
    result.fail(e)

proc send*(u: Udp; data: string): Future[void] =
  ## Sends a copy of ``data`` to the address the socket is connected to.
  result = newFuture[void]("uvio.send")
  try:
    u.startSend(data, nil, nil, result)
  except UvError as e:
    result.fail(e)

proc trySendTo(u: Udp; data: string; address: ptr SockAddr): int =
  u.usable("trySend")
  var buffer =
    if data.len == 0: initBuffer(nil, 0)
    else: initBuffer(unsafeAddr data[0], cuint(data.len))
  let rc = uv_udp.trySend(u.rawUdp, addr buffer, 1, address)
  if rc == uv_error.EAGAIN: return -1
  check rc, "trySend"
  int(rc)

proc trySend*(u: Udp; data: string; host: string; port: int): bool =
  ## Sends ``data`` at once if the socket takes it: true when sent, false when it would have to
  ## wait (``EAGAIN``, or sends queued before it); other errors raise ``UvError``.
  var address = socketAddress(host, port, "trySend")
  u.trySendTo(data, cast[ptr SockAddr](addr address)) >= 0

proc trySend*(u: Udp; data: string): bool =
  ## ``trySend`` to the address the socket is connected to.
  u.trySendTo(data, nil) >= 0

proc sendQueueSize*(u: Udp): int =
  ## Bytes queued and not yet sent.
  u.usable("sendQueueSize")
  int(uv_udp.getSendQueueSize(u.rawUdp))

proc sendQueueCount*(u: Udp): int =
  ## Sends queued and not yet finished.
  u.usable("sendQueueCount")
  int(uv_udp.getSendQueueCount(u.rawUdp))

proc onUdpAlloc(raw: ptr uv_handle.Handle; suggestedSize: csize_t; buf: ptr Buffer) {.cdecl.} =
  let u {.cursor.} = fromData(Udp, raw.data)
  if u.recvBuffer.len == 0:
    u.recvBuffer = newString(readBufferSize)
  buf[] = initBuffer(addr u.recvBuffer[0], cuint(u.recvBuffer.len))

proc senderText(address: ptr SockAddr): tuple[host: string, port: int] =
  ## The text of an IPv4 or IPv6 address libuv gives (the port is at the same place in both).
  var text = newString(64)
  check uv_misc.toIpName(address, text.cstring, csize_t(text.len)), "address"
  text.setLen(text.cstring.len)
  let bytes = cast[ptr array[4, uint8]](address)
  (text, int(bytes[2]) shl 8 or int(bytes[3]))

proc stopReceiving(u: Udp; code: int) =
  ## Stops receiving; a ``recv`` waiting fails with ``code`` (0: it goes on waiting).
  if u.receiving:
    u.receiving = false
    discard uv_udp.recvStop(u.rawUdp)
    u.release()
  if code != 0 and u.recvWaiter != nil:
    let fut = u.recvWaiter
    u.recvWaiter = nil
    fut.fail(newUvError(code, "recv"))

proc futureRecv(u: Udp; nread: int; host: string; port: int) =
  if nread < 0:
    if u.recvWaiter != nil:
      let fut = u.recvWaiter
      u.recvWaiter = nil
      fut.fail(newUvError(nread, "recv"))
    else:
      u.recvError = nread
    return
  var data = newString(nread)
  if nread > 0: copyMem(addr data[0], addr u.recvBuffer[0], nread)
  if u.recvWaiter != nil:
    let fut = u.recvWaiter
    u.recvWaiter = nil
    fut.complete((data, host, port))
  else:
    u.datagrams.addLast((data, host, port))
    if u.datagrams.len >= recvQueueLimit:
      u.stopReceiving(0)

proc onUdpRecv(raw: ptr uv_udp.UDP; nread: cssize; buf: ptr Buffer; address: ptr SockAddr;
               flags: cuint) {.cdecl.} =
  let u {.cursor.} = fromData(Udp, raw.data)
  if u == nil: return
  if nread == 0 and address == nil: return   # nothing more to receive for now
  let keep = u          # the callback may drop the last other reference
  keep.loop.guarded:
    let (host, port) = if address != nil: senderText(address) else: ("", 0)
    if keep.recvMode == readCallback:
      if nread >= 0:
        keep.recvBuffer.setLengthOnly(int(nread))
        try:
          keep.onRecv(keep, keep.recvBuffer, host, port, 0)
        finally:
          keep.recvBuffer.setLengthOnly(readBufferSize)
      else:
        keep.onRecv(keep, "", host, port, int(nread))
    else:
      futureRecv(keep, int(nread), host, port)

proc startReceiving(u: Udp) =
  if not u.receiving:
    check uv_udp.recvStart(u.rawUdp, onUdpAlloc, onUdpRecv), "recv"
    u.receiving = true
    u.hold()

proc startRecv*(u: Udp; cb: proc (u: Udp; data: string; host: string; port: int;
                                  err: int) {.closure.}) =
  ## Calls ``cb`` with each datagram received (``err`` = 0; ``data`` may be "") and the address
  ## it came from, or with an error (``err`` < 0, ``data`` = "": ``ECONNREFUSED`` on a connected
  ## socket whose peer does not listen), after which receiving goes on. ``data`` lives in a
  ## buffer the socket reuses: a callback that keeps it keeps a copy. A receiving socket stays
  ## alive, referenced or not. An unbound socket is bound to any address and a free port first.
  u.usable("startRecv")
  if u.recvMode == readFutures:
    raise newUvError(EINVAL, "startRecv on a socket received from through Futures")
  u.onRecv = cb
  u.recvMode = readCallback
  u.startReceiving()

proc stopRecv*(u: Udp) =
  ## Stops receiving (``startRecv`` may start it again).
  u.usable("stopRecv")
  u.stopReceiving(0)

proc recv*(u: Udp): Future[Datagram] =
  ## The next datagram received, with the address it came from. Between calls the socket keeps
  ## receiving and holds up to 64 datagrams; an error received fails the next call.
  result = newFuture[Datagram]("uvio.recv")
  try:
    u.usable("recv")
    if u.recvMode == readCallback:
      raise newUvError(EINVAL, "recv on a socket received from with startRecv")
    if u.recvWaiter != nil:
      raise newUvError(EINVAL, "recv while another recv waits")
    u.recvMode = readFutures
    if u.datagrams.len > 0:
      result.complete(u.datagrams.popFirst())
      u.startReceiving()
    elif u.recvError != 0:
      let code = u.recvError
      u.recvError = 0
      raise newUvError(code, "recv")
    else:
      u.startReceiving()
      u.recvWaiter = result
  except UvError as e:
    if not result.finished: result.fail(e)

proc setBroadcast*(u: Udp; enable: bool) =
  ## Allows sending to broadcast addresses (``SO_BROADCAST``).
  u.usable("setBroadcast")
  check uv_udp.setBroadcast(u.rawUdp, cint(ord(enable))), "setBroadcast"

proc setTtl*(u: Udp; ttl: int) =
  ## The time to live of the datagrams sent: 1 through 255.
  u.usable("setTtl")
  check uv_udp.setTTL(u.rawUdp, cint(ttl)), "setTtl"

proc setMulticastLoop*(u: Udp; enable: bool) =
  ## Multicast datagrams sent come back to the sockets of this host (``enable``) or not.
  u.usable("setMulticastLoop")
  check uv_udp.setMulticastLoop(u.rawUdp, cint(ord(enable))), "setMulticastLoop"

proc setMulticastTtl*(u: Udp; ttl: int) =
  ## The time to live of the multicast datagrams sent: 1 through 255.
  u.usable("setMulticastTtl")
  check uv_udp.setMulticastTTL(u.rawUdp, cint(ttl)), "setMulticastTtl"

proc setMulticastInterface*(u: Udp; interfaceAddr: string) =
  ## The interface (given by its address) multicast datagrams are sent from.
  u.usable("setMulticastInterface")
  check uv_udp.setMulticastInterface(u.rawUdp, interfaceAddr.cstring), "setMulticastInterface"

proc setMembership*(u: Udp; multicastAddr: string; interfaceAddr = ""; join = true) =
  ## Joins (``join``) or leaves a multicast group on the interface with the address
  ## ``interfaceAddr`` ("" lets the system choose).
  u.usable("setMembership")
  let membership = if join: memberJoinGroup else: memberLeaveGroup
  check uv_udp.setMemberShip(u.rawUdp, multicastAddr.cstring,
                             if interfaceAddr.len > 0: interfaceAddr.cstring else: nil,
                             membership), "setMembership"

# --- tty ---------------------------------------------------------------------------------------

proc rawTty(t: Tty): ptr uv_tty.TTY {.inline.} = cast[ptr uv_tty.TTY](t.raw.p)

proc newTty*(fd: int; loop = defaultLoop()): Tty =
  ## A terminal on the descriptor ``fd`` (0, 1, 2 or an open terminal; ``EINVAL`` for a file).
  ## libuv finds out itself whether it is readable and, on Unix, reopens a terminal so that it
  ## can be non-blocking without changing what other processes share. Closing the handle closes
  ## ``fd`` (but 0, 1 and 2). Reading and writing are a stream's.
  result.initHandle(uv_tty.TTY, loop, "newTty", uv_tty.init(loop.raw, raw, FileHandle(fd), 0))

proc setMode*(t: Tty; mode: TTYMode) =
  ## ``ttyNormal`` (lines, echo), ``ttyRaw`` (each byte as typed, untranslated and not echoed;
  ## "\n" written still becomes "\r\n") or ``ttyIO`` (raw both ways, for binary data; only on
  ## Unix).
  t.usable("setMode")
  check uv_tty.setMode(t.rawTty, mode), "setMode"

proc getWinSize*(t: Tty): tuple[width, height: int] =
  ## The terminal's size in columns and rows.
  t.usable("getWinSize")
  var width, height: cint
  check uv_tty.getWindowSize(t.rawTty, width, height), "getWinSize"
  (int(width), int(height))

proc resetMode*() =
  ## Gives the first terminal set to a mode other than ``ttyNormal`` the mode it had before
  ## (libuv keeps that one terminal's): call it before the program exits, while that terminal is
  ## open. Async-signal-safe.
  check uv_tty.resetTTYMode(), "resetMode"

proc guessHandle*(fd: int): HandleType =
  ## What the descriptor ``fd`` is: ``hdlTty``, ``hdlNamedPipe`` (a pipe or a Unix socket),
  ## ``hdlTcp``, ``hdlUdp``, ``hdlFile`` or ``hdlUnknowHandle``.
  uv_handle.guessHandle(FileHandle(fd))

# --- walking a loop's handles ------------------------------------------------------------------

proc collectHandle(raw: ptr uv_handle.Handle; arg: pointer) {.cdecl.} =
  let data = raw.data
  if data == nil: return                   # libuv's own, or one whose object is gone
  let h {.cursor.} = fromData(Handle, data)
  if h.raw.p == raw:
    cast[ptr seq[Handle]](arg)[].add h

iterator handles*(loop: Loop): Handle =
  ## The handle objects on the loop (closing ones too: ``isClosing`` tells), in the loop's order.
  ## libuv's own handles, which have no object, are left out. The list is taken when the loop
  ## starts: a handle made in its body is not in it.
  if loop.raw == nil: raise newUvError(EBADF, "handles")
  var found: seq[Handle]
  uv_handle.walk(loop.raw, collectHandle, addr found)
  for h in found: yield h

proc walk*(loop: Loop; cb: proc (h: Handle) {.closure.}) =
  ## Calls ``cb`` with each handle object on the loop, as ``handles`` lists them.
  for h in loop.handles: cb(h)

proc handleTypeName*(kind: HandleType): string =
  ## libuv's name of a kind of handle: "tcp", "pipe", "udp", "tty", "timer", ...
  case kind
  of hdlAsync: "async"
  of hdlCheck: "check"
  of hdlFsEvent: "fs_event"
  of hdlFsPoll: "fs_poll"
  of hdlHandle: "handle"
  of hdlIdle: "idle"
  of hdlNamedPipe: "pipe"
  of hdlPoll: "poll"
  of hdlPrepare: "prepare"
  of hdlProcess: "process"
  of hdlStream: "stream"
  of hdlTcp: "tcp"
  of hdlTimer: "timer"
  of hdlTty: "tty"
  of hdlUdp: "udp"
  of hdlSignal: "signal"
  of hdlFile: "file"
  else: "unknown"

proc handleTypeName*(h: Handle): string =
  ## libuv's name of the handle's kind: ``newUdp().handleTypeName == "udp"``.
  handleTypeName(h.handleType)
