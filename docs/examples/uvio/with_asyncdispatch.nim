# One async proc awaits std/asyncdispatch and uvio alike; asyncdispatch's waitFor runs both loops.
import std/[asyncdispatch, asyncnet, strutils]
import uvio except async, await, multisync   # Nim 1.6's asyncdispatch has its own copies of these
import uvio_asyncdispatch

attachToAsyncdispatch()                       # asyncdispatch's poll now runs uvio's default loop

proc echoLine(server: AsyncSocket) {.async.} =     # an asyncdispatch server
  let conn = await server.accept()
  await conn.send((await conn.recvLine()) & "\n")
  conn.close()

proc main() {.async.} =
  let server = newAsyncSocket()
  server.bindAddr(Port(0), "127.0.0.1")
  server.listen()
  let serving = echoLine(server)
  let client = newTcp()                       # a uvio client
  await client.connect("127.0.0.1", int(server.getLocalAddr()[1]))
  await client.write("hello\n")
  echo "uvio got: ", (await client.read()).strip()
  await asyncdispatch.sleepAsync(10)          # both libraries' timers, in one proc
  await uvio.sleepAsync(10)
  await serving
  client.close()
  server.close()

asyncdispatch.waitFor main()
