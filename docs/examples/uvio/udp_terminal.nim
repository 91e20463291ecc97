# UDP echo with async/await and a callback, the loop's handles listed, and the terminal's size
# when the output is one.
import uvio

proc serve(server: Udp) {.async.} =
  let (data, host, port) = await server.recv()
  await server.send(data, host, port)     # back to where it came from
  server.close()

let server = newUdp()
server.bindAddr("127.0.0.1", 0)
asyncCheck serve(server)

let client = newUdp()
client.startRecv(proc (client: Udp; data: string; host: string; port: int; err: int) =
  echo "client got: ", data, " from ", host
  client.close())
client.send("hello", "127.0.0.1", server.getSockName().port, nil)

for h in defaultLoop().handles:          # the two sockets, both receiving
  echo "a ", h.handleTypeName, " handle, active: ", h.isActive
run()

if guessHandle(1) == hdlTty:
  let output = newTty(1)
  let (width, height) = output.getWinSize()
  output.write("this terminal has " & $width & " columns and " & $height & " rows\n",
               proc (output: Tty; err: int) = output.close())
  run()
