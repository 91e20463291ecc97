# A parent hands its listening TCP server to a child process over an IPC pipe; the child
# accepts a connection on it and answers.
import std/os
import uvio

if paramCount() == 1 and paramStr(1) == "child":
  let channel = newPipe(ipc = true)
  channel.open(0)                         # the parent made descriptor 0 an IPC pipe
  channel.startRead(proc (channel: Pipe; data: string; err: int) =
    if channel.pendingCount > 0 and channel.pendingHandleType == hdlTcp:
      let server = newTcp()
      channel.accept(server)              # the server the bytes came with
      channel.close()
      server.listen(proc (server: Tcp; err: int) =
        let conn = newTcp()
        server.accept(conn)
        conn.write("hello from the child", proc (conn: Tcp; err: int) =
          conn.close()
          server.close())))
  run()
  quit 0

let server = newTcp()
server.bindAddr("127.0.0.1", 0)
server.listen(proc (server: Tcp; err: int) = discard)   # connections wait for the child
let port = server.getSockName().port
let channel = newPipe(ipc = true)
let child = spawn(getAppFilename(), ["child"],
                  stdio = [createPipe(channel), inheritFd(1), inheritFd(2)],
                  onExit = proc (p: Process; exitStatus, termSignal: int) =
                    echo "child exited with ", exitStatus
                    p.close())
echo "child ", child.pid, " started"
channel.write("take it", proc (channel: Pipe; err: int) =
  server.close()                          # the child has its own copy now
  channel.close()
  let client = newTcp()
  client.connect("127.0.0.1", port, proc (client: Tcp; err: int) =
    client.startRead(proc (client: Tcp; data: string; err: int) =
      if err == 0: echo "client got: ", data
      else: client.close())), sendHandle = server)
run()
