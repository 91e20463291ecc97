# A TCP echo server and a client, with callbacks.
import uvio

let server = newTcp()
server.bindAddr("127.0.0.1", 0)          # port 0: any free port
server.listen(proc (server: Tcp; err: int) =
  let conn = newTcp()
  server.accept(conn)
  conn.startRead(proc (conn: Tcp; data: string; err: int) =
    if err == 0:
      conn.write(data, nil)              # echo it; `data` may be dropped at once
    else:
      conn.close()))                     # EOF (or an error): done with this one

let client = newTcp()
client.connect("127.0.0.1", server.getSockName().port, proc (client: Tcp; err: int) =
  doAssert err == 0, errName(err)
  client.write("hello", nil)
  client.startRead(proc (client: Tcp; data: string; err: int) =
    echo "client got: ", data
    client.close()
    server.close()))

run()   # returns when nothing is active any more
