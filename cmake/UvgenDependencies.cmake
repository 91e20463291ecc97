# Finds every dependency of the build. Each failure is one line naming the
# Debian package that provides what is missing.

include_guard(GLOBAL)

function(uvgen_missing what package)
  message(FATAL_ERROR "uvgen: ${what} not found: install it with `apt-get install ${package}`")
endfunction()

# --- Clang LibTooling: any LLVM from 14 to 19; the newest complete one wins
# unless UVGEN_LLVM_VERSION names one.
set(UVGEN_LLVM_VERSION "" CACHE STRING "LLVM major version to build against (14..19); empty picks the newest installed")
if(UVGEN_LLVM_VERSION)
  set(_uvgen_llvm_candidates ${UVGEN_LLVM_VERSION})
else()
  set(_uvgen_llvm_candidates 19 18 17 16 15 14)
endif()
set(_uvgen_llvm_found "")
foreach(v IN LISTS _uvgen_llvm_candidates)
  set(_root /usr/lib/llvm-${v})
  if(EXISTS ${_root}/lib/cmake/clang/ClangConfig.cmake
     AND EXISTS ${_root}/lib/libclang-cpp.so
     AND EXISTS ${_root}/include/clang/Tooling/Tooling.h)
    set(_uvgen_llvm_found ${v})
    break()
  endif()
endforeach()
if(NOT _uvgen_llvm_found)
  if(UVGEN_LLVM_VERSION)
    set(v ${UVGEN_LLVM_VERSION})
  else()
    set(v 14)
  endif()
  uvgen_missing("Clang LibTooling (LLVM ${_uvgen_llvm_candidates})" "clang-${v} libclang-${v}-dev libclang-cpp${v}-dev llvm-${v}-dev")
endif()
find_package(Clang REQUIRED CONFIG PATHS /usr/lib/llvm-${_uvgen_llvm_found}/lib/cmake/clang NO_DEFAULT_PATH)
# Clang's builtin headers (stddef.h, stdarg.h) live in its resource folder; the
# generator is told where at build time so it works from any folder and after install.
file(GLOB _uvgen_resource_dirs LIST_DIRECTORIES true ${LLVM_LIBRARY_DIR}/clang/*)
set(UVGEN_CLANG_RESOURCE_DIR "")
foreach(d IN LISTS _uvgen_resource_dirs)
  if(EXISTS ${d}/include/stddef.h)
    set(UVGEN_CLANG_RESOURCE_DIR ${d})
  endif()
endforeach()
if(NOT UVGEN_CLANG_RESOURCE_DIR)
  uvgen_missing("Clang's builtin headers (stddef.h under ${LLVM_LIBRARY_DIR}/clang)" "libclang-common-${_uvgen_llvm_found}-dev")
endif()
set(UVGEN_LLVM_MAJOR ${_uvgen_llvm_found})
message(STATUS "uvgen: Clang ${LLVM_PACKAGE_VERSION}, builtin headers in ${UVGEN_CLANG_RESOURCE_DIR}")

# --- nlohmann/json
find_package(nlohmann_json 3 QUIET)
if(NOT nlohmann_json_FOUND)
  uvgen_missing("nlohmann/json" "nlohmann-json3-dev")
endif()

# --- Catch2 (Debian ships v2.13; v3 is accepted too)
find_package(Catch2 3 QUIET)
if(Catch2_FOUND)
  set(UVGEN_CATCH2_MAJOR 3)
else()
  find_package(Catch2 2 QUIET)
  if(NOT Catch2_FOUND)
    uvgen_missing("Catch2" "catch2")
  endif()
  set(UVGEN_CATCH2_MAJOR 2)
endif()
include(Catch)

# --- libuv
find_package(PkgConfig QUIET)
if(NOT PkgConfig_FOUND)
  uvgen_missing("pkg-config" "pkg-config")
endif()
pkg_check_modules(LIBUV QUIET IMPORTED_TARGET libuv>=1.44)
if(NOT LIBUV_FOUND)
  uvgen_missing("libuv 1.44 or newer" "libuv1-dev")
endif()
find_file(UVGEN_SYSTEM_UV_H uv.h PATHS ${LIBUV_INCLUDEDIR} /usr/include NO_DEFAULT_PATH)
if(NOT UVGEN_SYSTEM_UV_H)
  uvgen_missing("uv.h" "libuv1-dev")
endif()
