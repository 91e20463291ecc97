## uv_fs in the documents' style: in a folder made by ``mkdtemp`` (its file system's status read
## with ``statfs``), a file is written on the thread pool (callbacks), then stat'ed, given to its own
## owner, renamed, listed (with ``scandir`` and with ``opendir``), read back and removed at once (no
## callbacks).

import std/[os, posix]
import uv

let loop = getDefaultLoop()

proc check(req: var FS; expected: int) =
  doAssert getResult(addr req) == expected, $getResult(addr req) & " (" & $errName(cint(getResult(addr req))) & ")"
  reqCleanup(addr req)

var made: FS
let tpl = getTempDir() / "uvgen-fs-XXXXXX"
doAssert mkdtemp(loop, addr made, cstring(tpl), nil) == 0
let folder = $getPath(addr made)
reqCleanup(addr made)
var fsStatusReq: FS
doAssert statfs(loop, addr fsStatusReq, cstring(folder), nil) == 0
let fsStatus = cast[ptr StatFs](getPtr(addr fsStatusReq))
doAssert fsStatus.bsize > 0 and fsStatus.blocks > 0 and fsStatus.bfree <= fsStatus.blocks
reqCleanup(addr fsStatusReq)
let first = folder / "first.txt"
let second = folder / "second.txt"

# On the thread pool: open, then write from the open's callback.
var openReq, writeReq: FS
var text = "hello from Nim"
var outBuf = initBuffer(addr text[0], cuint(text.len))
var written = -1
proc onWritten(req: ptr FS) {.cdecl.} =
  written = int(getResult(req))
proc onOpened(req: ptr FS) {.cdecl.} =
  let file = FileHandle(getResult(req))
  doAssert int(file) >= 0 and req.fsType == fsOpen
  doAssert write(req.loop, addr writeReq, file, addr outBuf, 1, 0, onWritten) == 0
doAssert open(loop, addr openReq, cstring(first), O_CREAT or O_WRONLY, 0o644, onOpened) == 0
doAssert run(loop, runDefault) == 0
doAssert written == text.len
let file = FileHandle(getResult(addr openReq))
reqCleanup(addr openReq)
reqCleanup(addr writeReq)
var closing: FS
discard close(loop, addr closing, file, nil)
check(closing, 0)

# At once, without callbacks.
var statReq: FS
doAssert stat(loop, addr statReq, cstring(first), nil) == 0
doAssert getStatBuf(addr statReq).size == uint64(text.len)
let owner = uv.Uid(getStatBuf(addr statReq).uid)  # posix has a Uid too
let group = uv.Gid(getStatBuf(addr statReq).gid)
reqCleanup(addr statReq)
var chowning: FS
discard chown(loop, addr chowning, cstring(first), owner, group, nil)
check(chowning, 0)
discard chown(loop, addr chowning, cstring(folder / "missing.txt"), owner, group, nil)
check(chowning, int(uv.ENOENT))
var renaming: FS
discard rename(loop, addr renaming, cstring(first), cstring(second), nil)
check(renaming, 0)
var listing: FS
doAssert scandir(loop, addr listing, cstring(folder), 0, nil) == 1
var entry: DirEntry
doAssert scandirNext(addr listing, addr entry) == 0
doAssert $entry.name == "second.txt" and entry.typ == direntFile
doAssert scandirNext(addr listing, addr entry) == uv.EOF
reqCleanup(addr listing)
var dirReq: FS
doAssert opendir(loop, addr dirReq, cstring(folder), nil) == 0
let dir = cast[ptr uv.Dir](getPtr(addr dirReq))  # posix has a DIR, the same name to Nim
reqCleanup(addr dirReq)
var dirEntries: array[4, DirEntry]
dir.dirents = addr dirEntries[0]
dir.nentries = csize_t(dirEntries.len)
doAssert readdir(loop, addr dirReq, dir, nil) == 1
doAssert $dirEntries[0].name == "second.txt" and dirEntries[0].typ == direntFile
reqCleanup(addr dirReq)
discard readdir(loop, addr dirReq, dir, nil)
check(dirReq, 0)
discard closedir(loop, addr dirReq, dir, nil)
check(dirReq, 0)
var opening: FS
let again = FileHandle(open(loop, addr opening, cstring(second), O_RDONLY, 0, nil))
check(opening, int(again))
var readBack = newString(64)
var inBuf = initBuffer(addr readBack[0], cuint(readBack.len))
var reading: FS
discard read(loop, addr reading, again, addr inBuf, 1, 0, nil)
check(reading, text.len)
readBack.setLen(text.len)
doAssert readBack == text
discard close(loop, addr closing, again, nil)
check(closing, 0)
var removing: FS
discard unlink(loop, addr removing, cstring(second), nil)
check(removing, 0)
discard rmdir(loop, addr removing, cstring(folder), nil)
check(removing, 0)
echo "fs: wrote, stat'ed, renamed, listed and read back: ", readBack
