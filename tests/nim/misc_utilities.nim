## uv_misc's utilities in the documents' style: the allocator, process title, memory, uptime,
## load, paths, addresses as text and the high-resolution clock, and libuv 1.44's process ids,
## environment, system name, wall clock, random bytes and shared libraries, each checked against
## what the system or Nim says.

import std/os
import uv

proc c_malloc(size: csize_t): pointer {.importc: "malloc", header: "<stdlib.h>".}
proc c_realloc(p: pointer; size: csize_t): pointer {.importc: "realloc", header: "<stdlib.h>".}
proc c_calloc(count, size: csize_t): pointer {.importc: "calloc", header: "<stdlib.h>".}
proc c_free(p: pointer) {.importc: "free", header: "<stdlib.h>".}
proc posixGetUid(): cuint {.importc: "getuid", header: "<unistd.h>".}

var allocations = 0
proc countingMalloc(size: csize_t): pointer {.cdecl.} =
  inc allocations
  c_malloc(size)
proc countingRealloc(p: pointer; size: csize_t): pointer {.cdecl.} = c_realloc(p, size)
proc countingCalloc(count: csize_t; size: csize_t): pointer {.cdecl.} = c_calloc(count, size)
proc countingFree(p: pointer) {.cdecl.} = c_free(p)

# Before any other libuv call, as libuv requires.
doAssert replaceAllocator(countingMalloc, countingRealloc, countingCalloc, countingFree) == 0
doAssert replaceAllocator(nil, countingRealloc, countingCalloc, countingFree) == uv.EINVAL

var argv = allocCStringArray([getAppFilename()])
let args = setupArgs(1, argv)
doAssert setProcessTitle("uvgen-misc") == 0
var title: array[64, char]
doAssert getProcessTitle(cast[cstring](addr title[0]), csize_t(title.len)) == 0
doAssert $cast[cstring](addr title[0]) == "uvgen-misc"
doAssert allocations > 0, "libuv allocated nothing through the replaced allocator"
doAssert args != nil

let before = hrTime()
var rss: csize_t
doAssert getResidentSetMemory(rss) == 0 and rss > 0
doAssert getTotalMemory() > uint64(rss)
var uptime: cdouble
doAssert getUpTime(uptime) == 0 and uptime > 0
var load: array[3, cdouble]
getLoadAverage(load)
doAssert load[0] >= 0

proc text(call: proc (buffer: cstring; size: var csize_t): cint): string =
  var buffer: array[4096, char]
  var size = csize_t(buffer.len)
  doAssert call(cast[cstring](addr buffer[0]), size) == 0
  result = newString(size)
  copyMem(addr result[0], addr buffer[0], size)

doAssert text(getCurrentDir) == os.getCurrentDir()
doAssert text(getExePath) == getAppFilename()
doAssert text(getHomeDir).len > 0 and text(getTpmDir).len > 0
let here = os.getCurrentDir()
doAssert chgCurrentDir(cstring(getTempDir())) == 0
doAssert text(getCurrentDir) == os.getCurrentDir()
doAssert os.getCurrentDir() != here, "chgCurrentDir did not move"
doAssert chgCurrentDir(cstring(here)) == 0

var address: array[16, uint8]
doAssert inetPton(cint(10), "::1", addr address) == 0   # AF_INET6 on Linux
var shown: array[64, char]
doAssert inetNtop(cint(10), addr address, cast[cstring](addr shown[0]), csize_t(shown.len)) == 0
doAssert $cast[cstring](addr shown[0]) == "::1"

doAssert hrTime() > before
deallocCStringArray(argv)
echo "misc utilities: title, memory, uptime, load, paths, addresses and the clock work"

# The records libuv fills in: resource usage, CPUs and the password entry.
var usage: ResourceUsage
doAssert getResourceUsage(usage) == 0
doAssert usage.maxrss > 0'u64 and usage.utime.second >= 0 and usage.utime.usecond < 1_000_000

var cpus: ptr CpuInfo
var count: cint
doAssert getCpuInfo(cpus, count) == 0 and count > 0
let first = cpus[]
doAssert first.model != nil and first.cpuTimes.user + first.cpuTimes.idle > 0'u64
freeCpuInfo(cpus, count)

var entry: Password
doAssert getPassword(entry) == 0
doAssert $entry.homedir == getEnv("HOME", $entry.homedir) and entry.username != nil
doAssert culong(entry.uid) == culong(posixGetUid())
freePassword(entry)

# libuv 1.44's utilities beyond the documents.
proc posixGetPid(): cint {.importc: "getpid", header: "<unistd.h>".}
doAssert getProcessId() == posixGetPid() and getParentProcessId() > 0
doAssert availableParallelism() >= 1 and getFreeMemory() <= getTotalMemory()
doAssert setEnvVar("UVGEN_NIM_TEST", "from Nim") == 0
var envBuffer: array[32, char]
var envSize = csize_t(envBuffer.len)
doAssert getEnvVar("UVGEN_NIM_TEST", cast[cstring](addr envBuffer[0]), envSize) == 0
doAssert $cast[cstring](addr envBuffer[0]) == "from Nim" and envSize == 8 and getEnv("UVGEN_NIM_TEST") == "from Nim"
doAssert unsetEnvVar("UVGEN_NIM_TEST") == 0
var system: SystemName
doAssert getSystemName(system) == 0 and $cast[cstring](addr system.sysname[0]) == "Linux"
var wallClock: TimeVal64
doAssert getTimeOfDay(wallClock) == 0 and wallClock.sec > 1_700_000_000
var randomReq: Random
var randomBytes: array[32, uint8]
doAssert getRandom(getDefaultLoop(), addr randomReq, addr randomBytes[0], csize_t(randomBytes.len), 0, nil) == 0
doAssert randomBytes != default(array[32, uint8])  # 32 zero bytes: odds of 2^-256
var libc: Library
doAssert openLibrary("libc.so.6", libc) == 0
var getpidAddress: pointer
doAssert getSymbol(libc, "getpid", getpidAddress) == 0
doAssert cast[proc (): cint {.cdecl.}](getpidAddress)() == posixGetPid()
closeLibrary(libc)
echo "records: ", count, " CPUs, user ", entry.uid
