## A Pipe embedded in a user object and a Pipe on the stack, used through field
## syntax: ``c.pipe.data = ...``, ``c.pipe.typ``, ``p.loop``. In the shim flavour
## these are the shim's fixed-size storage and its accessors, in the direct one
## libuv's own struct and fields.

import uv, uv_test_support

type Connection = object
  id: int8  # something before the handle, so that its alignment matters
  pipe: Pipe
  name: string

let loop = getDefaultLoop()
var connection = Connection(id: 7, name: "embedded")
var standalone: Pipe

check init(loop, addr connection.pipe, 0)
check init(loop, addr standalone, 1)
connection.pipe.data = addr connection
doAssert connection.pipe.data == addr connection
doAssert cast[ptr Connection](connection.pipe.data).name == "embedded"
doAssert connection.pipe.typ == hdlNamedPipe and standalone.typ == hdlNamedPipe
doAssert connection.pipe.loop == loop and (addr standalone).loop == loop
doAssert connection.pipe.sizeOfWriteQueue == 0
doAssert standalone.ipc == 1 and connection.pipe.ipc == 0
doAssert cast[uint](addr connection.pipe) mod uint(alignof(Pipe)) == 0
close(addr connection.pipe, noteClosed)
close(addr standalone, noteClosed)
check run(loop, runDefault)
doAssert connection.id == 7 and connection.name == "embedded"
echo "embedded and standalone pipes work; Pipe is ", sizeof(Pipe), " bytes"
