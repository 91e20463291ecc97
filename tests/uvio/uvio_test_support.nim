## What the uvio test programs share: a scenario heading, a private folder for socket paths, and
## a check that a call raises UvError with a given code.

import std/[os, strutils]
import uvio

var scenarios = 0

proc scenario*(name: string) =
  ## Prints the scenario about to run.
  inc scenarios
  echo "-- ", name

proc scenarioCount*(): int = scenarios

let testFolder = getTempDir() / ("uvio-" & $getCurrentProcessId())

proc socketPath*(name: string): string =
  ## A socket path of this run (the folder is made on first use and removed at exit).
  createDir(testFolder)
  result = testFolder / name
  removeFile(result)

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

proc fdCount*(): int =
  ## The process's open descriptors.
  for kind, path in walkDir("/proc/self/fd"): inc result

proc rssKiB*(): int =
  ## The process's resident set, in KiB.
  for line in lines("/proc/self/status"):
    if line.startsWith("VmRSS:"):
      return parseInt(line.splitWhitespace()[1])
