## The documents' uv_tty on a real pseudo-terminal: the window size set on the master side, raw
## mode delivering input without a newline, normal mode turning a written newline into CR LF,
## and resetTTYMode.

import std/[posix, strutils, termios]
import uv, uv_test_support

proc posix_openpt(flags: cint): cint {.importc, header: "<stdlib.h>".}
proc grantpt(fd: cint): cint {.importc, header: "<stdlib.h>".}
proc unlockpt(fd: cint): cint {.importc, header: "<stdlib.h>".}
proc ptsname(fd: cint): cstring {.importc, header: "<stdlib.h>".}
var TIOCSWINSZ {.importc, header: "<sys/ioctl.h>".}: culong

proc canonical(fd: cint): bool =
  var mode: Termios
  doAssert tcGetAttr(fd, addr mode) == 0
  (mode.c_lflag and ICANON) != 0

let master = posix_openpt(O_RDWR or O_NOCTTY)
doAssert master >= 0 and grantpt(master) == 0 and unlockpt(master) == 0
let slave = posix.open(ptsname(master), O_RDWR or O_NOCTTY)
doAssert slave >= 0
var size = IOctl_WinSize(ws_row: 24, ws_col: 80)
doAssert ioctl(master, TIOCSWINSZ, addr size) == 0

let loop = getDefaultLoop()
var tty: TTY
doAssert guessHandle(FileHandle(slave)) == hdlTty
doAssert init(loop, addr tty, FileHandle(slave), 1) == 0
var width, height: cint
doAssert getWindowSize(addr tty, width, height) == 0
doAssert width == 80 and height == 24, $width & "x" & $height

# Raw mode: three bytes without a newline reach the reader at once.
var input: string
proc onRead(stream: ptr Stream; nread: cssize; buf: ptr Buffer) {.cdecl.} =
  input.add take(buf, nread)
doAssert setMode(addr tty, ttyRaw) == 0
doAssert not canonical(slave)
doAssert readStart(addr tty, allocBuffer, onRead) == 0
doAssert posix.write(master, cstring("abc"), 3) == 3
for turn in 0 ..< 5000:
  if input.len >= 3: break
  discard run(loop, runNoWait)
  discard usleep(1000)
doAssert input == "abc", "read " & input
doAssert readStop(addr tty) == 0

# Normal mode: the terminal shows the written newline as CR LF.
doAssert setMode(addr tty, ttyNormal) == 0
doAssert canonical(slave)
var text = "hello\n"
var request: Write
var written = 1.cint
proc onWritten(req: ptr Write; status: cint) {.cdecl.} = written = status
var buf = initBuffer(addr text[0], cuint(text.len))
doAssert write(addr request, addr tty, addr buf, 1, onWritten) == 0
while written == 1: discard run(loop, runOnce)
doAssert written == 0
var shown = newString(16)
var got = 0
while got < 7:
  let n = posix.read(master, addr shown[got], shown.len - got)
  doAssert n > 0
  got += n
shown.setLen(got)
doAssert shown == "hello\r\n", shown.escape

doAssert setMode(addr tty, ttyRaw) == 0
doAssert resetTTYMode() == 0
doAssert canonical(slave)
close(addr tty, nil)
doAssert run(loop, runDefault) == 0
discard posix.close(slave)
discard posix.close(master)
echo "tty: 80x24, raw read abc, normal write shown as ", shown.escape
