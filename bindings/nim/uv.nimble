# Nim bindings of libuv, generated from uv.h by uvgen (see the repository's README).
version       = "0.1.0"
author        = "The uvgen authors"
description   = "libuv bindings: the documented uv_pipe, uv_stream and uv_tcp modules and their support modules"
license       = "MIT"
skipDirs      = @["examples"]
installExt    = @["nim"]  # every module, not only uv.nim

# The modules include uv.h and link with -luv: the libuv headers must be installed
# (Debian: apt-get install libuv1-dev).
requires "nim >= 1.6.0"
