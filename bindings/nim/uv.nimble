# Nim bindings of libuv, generated from uv.h by uvgen (see the repository's README).
version       = "0.1.0"
author        = "The uvgen authors"
description   = "libuv bindings: the documented uv_pipe, uv_stream and uv_tcp modules and their support modules"
license       = "MIT"
skipDirs      = @["examples"]
installExt    = @["nim", "c", "h"]  # every module, and the shim they compile (uvshim.c, uvshim.h)

# The modules compile the stable-ABI shim (uvshim.c, which includes uv.h) and link with -luv, or
# with -d:uvshimLibrary link an installed libuvshim instead. The libuv headers must be installed
# (Debian: apt-get install libuv1-dev).
# Tested with Nim 1.6 (its default memory management) and Nim 2.2 (ORC, its default, and --mm:refc).
requires "nim >= 1.6.0"
