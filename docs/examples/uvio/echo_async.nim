# The same echo server and client with async/await.
import uvio

proc serve(server: Tcp) {.async.} =
  let conn = await server.accept()
  while true:
    let data = await conn.read()          # "" at the end of the stream
    if data.len == 0: break
    await conn.write(data)
  conn.close()
  server.close()

proc talk(port: int) {.async.} =
  let client = newTcp()
  await client.connect("127.0.0.1", port)
  await client.write("hello")
  echo "client got: ", await client.read()
  await client.shutdown()                 # the server reads the end and stops
  client.close()

let server = newTcp()
server.bindAddr("127.0.0.1", 0)
server.listen()                           # connections are taken with `await server.accept()`
asyncCheck serve(server)
waitFor talk(server.getSockName().port)
run()                                     # until the server side has closed too
