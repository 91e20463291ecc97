# uvio: pipes, TCP, timers and processes over libuv as Nim objects with closures and Futures,
# written over the generated modules of the package `uv` (see the repository's README).
version       = "0.1.0"
author        = "The uvgen authors"
description   = "libuv's handles as memory-managed Nim objects with closures and async/await"
license       = "MIT"
installExt    = @["nim"]

# Tested with Nim 1.6 (its default memory management) and Nim 2.2 (ORC, its default, and --mm:refc),
# over both flavours of the `uv` modules.
requires "nim >= 1.6.0"
requires "uv >= 0.1.0"
