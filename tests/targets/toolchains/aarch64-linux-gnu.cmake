# Cross-compiling for 64-bit Arm Linux with Clang and Debian's arm64 cross sysroot
# (libc6-dev-arm64-cross, libstdc++-12-dev-arm64-cross) and multiarch libuv1-dev:arm64.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(UVGEN_TARGET_CLANG clang-14 CACHE STRING "Clang driver used for the target")
set(CMAKE_C_COMPILER ${UVGEN_TARGET_CLANG})
set(CMAKE_CXX_COMPILER clang++-14)
set(CMAKE_C_COMPILER_TARGET aarch64-linux-gnu)
set(CMAKE_CXX_COMPILER_TARGET aarch64-linux-gnu)
# The program finds libuv.so.1 in the multiarch folder and libstdc++ in the cross sysroot
# when run under qemu-aarch64 -L /usr/aarch64-linux-gnu.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-Wl,-rpath,/usr/lib/aarch64-linux-gnu")
set(UVGEN_TARGET_LIBUV_INCLUDE_DIR /usr/include)
set(UVGEN_TARGET_LIBUV_LIBRARY /usr/lib/aarch64-linux-gnu/libuv.so)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
