# What keeps a handle alive, and what happens to one dropped.
import uvio

block:
  # Nothing references this timer after the block, but it is running: the loop keeps it
  # until it has fired.
  let timer = newTimer()
  timer.start((proc (t: Timer) = echo "the timer fired"), 10)

block:
  # Neither active nor referenced: closed, and its memory freed, without a call.
  discard newPipe()

let (a, b) = pipePair()
var message = "written"
a.write(message, proc (a: Pipe; err: int) = a.close())
message = "changed at once"               # the write keeps its own copy
b.startRead(proc (b: Pipe; data: string; err: int) =
  if err == 0: echo "read: ", data
  else: b.close())

run()
b.close()                                 # closing twice does nothing
try:
  b.write("too late", nil)
except UvError as e:
  echo "a closed handle: ", errName(e.code)   # EBADF
