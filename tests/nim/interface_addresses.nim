## uv_misc's interface addresses in the documents' style: every address libuv lists is one the
## system's getifaddrs() lists for an interface that is up, and the other way round; the loopback
## interface is internal, with 127.0.0.1/255.0.0.0; an address can be copied and assigned, and read
## and written in place through the ``ptr InterfaceAddress`` libuv hands out.

import std/[posix, sequtils, sets, strutils]
import uv

type
  Ifaddrs {.importc: "struct ifaddrs", header: "<ifaddrs.h>", incompleteStruct.} = object
    ifa_next: ptr Ifaddrs
    ifa_name: cstring
    ifa_flags: cuint
    ifa_addr: ptr SockAddr
    ifa_netmask: ptr SockAddr

proc getifaddrs(list: var ptr Ifaddrs): cint {.importc, header: "<ifaddrs.h>".}
proc freeifaddrs(list: ptr Ifaddrs) {.importc, header: "<ifaddrs.h>".}
var IFF_UP {.importc, header: "<net/if.h>".}: cint
var IFF_RUNNING {.importc, header: "<net/if.h>".}: cint

proc text(address: ptr SockAddr): string =
  ## An address as text, through libuv's own toIpName (uv_ip_name).
  var buffer: array[64, char]
  doAssert toIpName(address, cast[cstring](addr buffer[0]), csize_t(buffer.len)) == 0
  $cast[cstring](addr buffer[0])

proc text(address: SockAddrN): string =
  var copy = address
  text(cast[ptr SockAddr](addr copy))

# What the system lists: (interface, address) for each IPv4 and IPv6 address of an interface
# that is up and running, as libuv's Unix code filters them.
var system: HashSet[string]
var list: ptr Ifaddrs
doAssert getifaddrs(list) == 0
var entry = list
while entry != nil:
  let up = (entry.ifa_flags and cuint(IFF_UP)) != 0 and (entry.ifa_flags and cuint(IFF_RUNNING)) != 0
  if up and entry.ifa_addr != nil and entry.ifa_addr.sa_family.cint in [posix.AF_INET, posix.AF_INET6]:
    system.incl($entry.ifa_name & " " & text(entry.ifa_addr))
  entry = entry.ifa_next
freeifaddrs(list)

var addresses: ptr InterfaceAddress
var count: cint
doAssert getInterfaceAddresses(addresses, count) == 0
let each = cast[ptr UncheckedArray[InterfaceAddress]](addresses)
var listed: HashSet[string]
var loopback = 0
for i in 0 ..< count:
  let a = each[i]
  listed.incl($a.name & " " & text(a.address))
  if a.address.address4.sin_family.cint == posix.AF_INET and text(a.address) == "127.0.0.1":
    inc loopback
    doAssert a.isInternal != 0, "the loopback interface is internal"
    doAssert a.netmask.address4.sin_family.cint == posix.AF_INET
    doAssert text(a.netmask) == "255.0.0.0", "loopback netmask " & text(a.netmask)
  if a.address.address4.sin_family.cint == posix.AF_INET6:
    doAssert a.address.address6.sin6_family.cint == posix.AF_INET6
doAssert listed == system, "libuv lists " & $listed & ", getifaddrs " & $system
doAssert loopback == 1, "127.0.0.1 listed " & $loopback & " times"

# Assigning an address: the bytes land in the record libuv gave.
let original = text(each[0].address)
var copy = each[0]
var changed: SockAddrN
doAssert toIp4Addr("192.0.2.7", 0, changed.address4) == 0
copy.address = changed
doAssert text(copy.address) == "192.0.2.7" and $copy.name == $each[0].name
doAssert text(each[0].address) == original, "a copy is not the record libuv gave"

# Through the pointer libuv hands out, as nimnode's fields were read, and in place.
doAssert text(addresses.address) == original
doAssert addresses.address.address4.sin_family == each[0].address.address4.sin_family
addresses.address.address4.sin_port = 7
doAssert each[0].address.address4.sin_port == 7, "a ptr's address is the record itself"
freeInterfaceAddresses(addresses, count)
echo "interfaces: ", count, " addresses: ", join(toSeq(listed.items), ", ")
