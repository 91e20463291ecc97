## getSockName of a pipe bound to a path (argument 1): a buffer too small for the name gives
## ENOBUFS and the size needed; a buffer of that size gets the name.

import os
import uv, uv_test_support

let path = paramStr(1)
let loop = getDefaultLoop()
var server: Pipe
check init(loop, addr server, 0)
check bindPipe(addr server, path.cstring)

var small: array[4, char]
var size = csize_t(small.len)
check getSockName(addr server, cast[cstring](addr small[0]), size), ENOBUFS
# libuv asks for room for the name and its terminating null byte.
doAssert size == csize_t(path.len + 1), "needed size " & $size & ", path length " & $path.len

var name = newString(size)
check getSockName(addr server, name.cstring, size)
doAssert size == csize_t(path.len), "name length " & $size
name.setLen(size)
doAssert name == path, "name " & name

close(addr server, noteClosed)
check run(loop, runDefault)
check close(loop)
echo "ENOBUFS, then ", size, " bytes: ", name
