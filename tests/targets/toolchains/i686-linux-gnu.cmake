# 32-bit x86 Linux with the host's GCC in -m32 mode (gcc-multilib, g++-multilib) and multiarch
# libuv1-dev:i386; the programs run natively.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR i686)
set(CMAKE_C_COMPILER gcc)
set(CMAKE_CXX_COMPILER g++)
set(CMAKE_C_FLAGS_INIT -m32)
set(CMAKE_CXX_FLAGS_INIT -m32)
set(CMAKE_EXE_LINKER_FLAGS_INIT -m32)
set(CMAKE_SHARED_LINKER_FLAGS_INIT -m32)
set(UVGEN_TARGET_LIBUV_INCLUDE_DIR /usr/include)
set(UVGEN_TARGET_LIBUV_LIBRARY /usr/lib/i386-linux-gnu/libuv.so)
