## What the uvio test programs share: a scenario heading, scenarios skipped with a reason, a
## private folder for socket paths (pipe names on Windows), and a check that a call raises
## UvError with a given code.

import std/[os, strutils]
import uvio

var scenarios = 0

proc scenario*(name: string) =
  ## Prints the scenario about to run.
  inc scenarios
  echo "-- ", name

proc skipScenario*(name, reason: string) =
  ## Prints a scenario that does not run here, with the reason: "-- <name>: skipped (<reason>)"
  ## (the target harness, scripts/targets/test, lists each such line).
  echo "-- ", name, ": skipped (", reason, ")"

proc skipReason(name: string): string =
  ## Why the environment's UVIO_SKIP_SCENARIOS skips this scenario ("" for not): one line per
  ## scenario, the start of its name, a tab, the reason (scripts/targets/test sets it from
  ## tests/targets/skipped.tsv).
  for line in getEnv("UVIO_SKIP_SCENARIOS").splitLines:
    let fields = line.split('\t', 1)
    if fields.len == 2 and fields[0].len > 0 and name.startsWith(fields[0]):
      return fields[1]

proc startScenario*(name: string): bool =
  ## Prints the scenario about to run and true, or, when UVIO_SKIP_SCENARIOS skips it, prints it
  ## skipped and false. ``if startScenario(name):`` is the ``scenario`` template's form for a body
  ## that Nim 1.6 cannot pass through a template (its VM fails on some).
  let reason = skipReason(name)
  if reason.len > 0:
    skipScenario(name, reason)
  else:
    scenario(name)
  reason.len == 0

template scenario*(name: string; body: untyped) =
  ## Runs ``body`` as the scenario ``name``, unless UVIO_SKIP_SCENARIOS skips it here.
  if startScenario(name):
    block:
      body

const onlyTcpHandles* = "libuv 1.44 on Windows passes only TCP handles over an IPC pipe " &
  "(src/win/pipe.c uv__pipe_write_ipc gives ENOTSUP for any other)"
  ## Why a scenario that passes a pipe or a UDP socket over an IPC pipe does not run on Windows.

template scenario*(name: string; skipHere: static bool; reason: string; body: untyped) =
  ## Runs ``body`` as the scenario ``name``, but where ``skipHere`` (``defined(windows)``, ...)
  ## prints it skipped with ``reason`` and does not compile it.
  when skipHere:
    skipScenario(name, reason)
  else:
    # Not scenario(name, body): Nim 1.6 declares the names of a body passed on from one template
    # to another in the module's scope, where two scenarios' names collide.
    if startScenario(name):
      block:
        body

proc scenarioCount*(): int = scenarios

let testFolder = getTempDir() / ("uvio-" & $getCurrentProcessId())

proc socketPath*(name: string): string =
  ## A socket path of this run (the folder is made on first use and removed at exit).
  createDir(testFolder)
  result = testFolder / name
  removeFile(result)

proc pipeName*(name: string): string =
  ## A pipe name of this run: a socket path (``socketPath``) on Unix,
  ## ``\\.\pipe\uvio-<pid>-<name>`` on Windows.
  when defined(windows):
    r"\\.\pipe\uvio-" & $getCurrentProcessId() & "-" & name
  else:
    socketPath(name)

proc removeTestFolder*() =
  removeDir(testFolder)

template expectUvError*(expected: int; body: untyped) =
  ## ``body`` must raise ``UvError`` with the code ``expected``.
  var raised = false
  try:
    body
  except UvError as e:
    raised = true
    doAssert e.code == expected, "expected " & errName(expected) & ", got " & errName(e.code) &
      " (" & e.msg & ")"
  doAssert raised, "expected UvError " & errName(expected) & ", nothing was raised"

when defined(linux):
  proc fdCount*(): int =
    ## The process's open descriptors (from /proc: Linux only).
    for kind, path in walkDir("/proc/self/fd"): inc result

  proc rssKiB*(): int =
    ## The process's resident set, in KiB (from /proc: Linux only).
    for line in lines("/proc/self/status"):
      if line.startsWith("VmRSS:"):
        return parseInt(line.splitWhitespace()[1])
