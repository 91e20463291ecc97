## The documents' uv_dns: ``getAddrInfo`` resolves "localhost" on the thread pool and, without a
## callback, at once; ``getNameInfo`` turns 127.0.0.1 port 80 back into numeric text, with and
## without a callback.

import std/nativesockets
import uv

# getnameinfo(3)'s flags, from the system's header: their values differ between OSes.
when defined(windows):
  const netdb = "<ws2tcpip.h>"
else:
  const netdb = "<netdb.h>"
var
  NI_NUMERICHOST {.importc, header: netdb.}: cint
  NI_NUMERICSERV {.importc, header: netdb.}: cint

let loop = getDefaultLoop()

proc ipv4Addresses(list: ptr AddrInfo): seq[string] =
  var entry = list
  while entry != nil:
    if entry.ai_family == toInt(AF_INET):
      var text: array[64, char]
      doAssert toIp4Name(cast[ptr SockAddrIn](entry.ai_addr), cast[cstring](addr text[0]), csize_t(text.len)) == 0
      result.add $cast[cstring](addr text[0])
    entry = entry.ai_next

var hints: AddrInfo
hints.ai_family = toInt(AF_INET)
hints.ai_socktype = toInt(SOCK_STREAM)

var resolved: seq[string]
var resolveStatus = 1.cint
proc onResolved(req: ptr GetAddrInfo; status: cint; res: ptr AddrInfo) {.cdecl.} =
  resolveStatus = status
  resolved = ipv4Addresses(res)
  uv.freeAddrInfo(res)  # the OS module has a freeaddrinfo too: the same name to Nim

var resolve: GetAddrInfo
doAssert getAddrInfo(loop, addr resolve, onResolved, "localhost", nil, addr hints) == 0

var named: string
proc onNamed(req: ptr GetNameInfo; status: cint; hostname: cstring; service: cstring) {.cdecl.} =
  doAssert status == 0
  named = $hostname & ":" & $service

var address: SockAddrIn
doAssert toIp4Addr("127.0.0.1", 80, address) == 0
var name: GetNameInfo
doAssert getNameInfo(loop, addr name, onNamed, cast[ptr SockAddr](addr address), NI_NUMERICHOST or NI_NUMERICSERV) == 0
doAssert run(loop, runDefault) == 0
doAssert resolveStatus == 0 and "127.0.0.1" in resolved, $resolved
doAssert named == "127.0.0.1:80", named

# Without a callback the answer is in the request at once.
var now: GetAddrInfo
doAssert getAddrInfo(loop, addr now, nil, "localhost", nil, addr hints) == 0
doAssert "127.0.0.1" in ipv4Addresses(now.addrInfo)
uv.freeAddrInfo(now.addrInfo)
var nameNow: GetNameInfo
doAssert toIp4Addr("127.0.0.1", 8080, address) == 0
doAssert getNameInfo(loop, addr nameNow, nil, cast[ptr SockAddr](addr address), NI_NUMERICHOST or NI_NUMERICSERV) == 0
doAssert NI_MAXHOST == 1025 and NI_MAXSERV == 32
echo "localhost is 127.0.0.1; ", named, "; ", nameNow.host, ":", nameNow.service
