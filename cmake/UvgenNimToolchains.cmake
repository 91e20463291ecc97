# The Nim compilers the Nim tests run under: the system's `nim` (Debian 12: Nim 1.6) and, when
# its tarball is there, Nim 2.2, unpacked at configure time into the build folder. Nim 2.2 is
# optional: without it, configuration says in one line why its tests are skipped.
#
# Sets UVGEN_NIM (the system compiler), UVGEN_NIM_VERSION (its "major.minor"), UVGEN_NIM2 (the
# unpacked Nim 2.2 compiler, or empty) and UVGEN_NIM2_SKIP_REASON (why UVGEN_NIM2 is empty).

include_guard(GLOBAL)

find_program(UVGEN_NIM nim)
if(NOT UVGEN_NIM)
  uvgen_missing("the Nim compiler" "nim")
endif()

# "major.minor" of a Nim compiler, or empty when it does not run.
function(uvgen_nim_version nim out_var)
  execute_process(COMMAND ${nim} --version RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_QUIET)
  if(rc EQUAL 0 AND out MATCHES "Nim Compiler Version ([0-9]+)\\.([0-9]+)\\.")
    set(${out_var} "${CMAKE_MATCH_1}.${CMAKE_MATCH_2}" PARENT_SCOPE)
  else()
    set(${out_var} "" PARENT_SCOPE)
  endif()
endfunction()

uvgen_nim_version(${UVGEN_NIM} UVGEN_NIM_VERSION)
if(NOT UVGEN_NIM_VERSION)
  message(FATAL_ERROR "uvgen: ${UVGEN_NIM} does not run or does not say its version")
endif()

set(UVGEN_NIM2_TARBALL "${PROJECT_SOURCE_DIR}/../shared/toolchains/nim-2.2.0-linux-amd64.tar.xz"
  CACHE FILEPATH "Nim 2.2 for Linux x86_64 (a tarball with nim-2.2.*/bin/nim); the Nim 2.2 tests are skipped without it")

set(UVGEN_NIM2 "")
set(UVGEN_NIM2_SKIP_REASON "")
get_filename_component(_uvgen_nim2_tarball "${UVGEN_NIM2_TARBALL}" ABSOLUTE)
if(NOT EXISTS "${_uvgen_nim2_tarball}")
  set(UVGEN_NIM2_SKIP_REASON "${_uvgen_nim2_tarball} does not exist (set UVGEN_NIM2_TARBALL to a nim-2.2.x-linux-amd64.tar.xz)")
else()
  # Unpacked again only when the tarball changes; a changed tarball reconfigures.
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${_uvgen_nim2_tarball}")
  file(SHA256 "${_uvgen_nim2_tarball}" _uvgen_nim2_hash)
  set(_uvgen_nim2_root "${PROJECT_BINARY_DIR}/nim2")
  set(_uvgen_nim2_stamp "${_uvgen_nim2_root}/unpacked-from.sha256")
  set(_uvgen_nim2_unpacked "")
  if(EXISTS "${_uvgen_nim2_stamp}")
    file(READ "${_uvgen_nim2_stamp}" _uvgen_nim2_unpacked)
  endif()
  if(NOT _uvgen_nim2_unpacked STREQUAL _uvgen_nim2_hash)
    file(REMOVE_RECURSE "${_uvgen_nim2_root}")
    file(MAKE_DIRECTORY "${_uvgen_nim2_root}")
    file(ARCHIVE_EXTRACT INPUT "${_uvgen_nim2_tarball}" DESTINATION "${_uvgen_nim2_root}")
    file(WRITE "${_uvgen_nim2_stamp}" "${_uvgen_nim2_hash}")
  endif()
  file(GLOB _uvgen_nim2_candidates "${_uvgen_nim2_root}/nim-2.2*/bin/nim")
  list(LENGTH _uvgen_nim2_candidates _uvgen_nim2_count)
  if(NOT _uvgen_nim2_count EQUAL 1)
    set(UVGEN_NIM2_SKIP_REASON "${_uvgen_nim2_tarball} does not hold exactly one nim-2.2*/bin/nim")
  else()
    uvgen_nim_version(${_uvgen_nim2_candidates} _uvgen_nim2_version)
    if(_uvgen_nim2_version STREQUAL "2.2")
      set(UVGEN_NIM2 ${_uvgen_nim2_candidates})
    elseif(_uvgen_nim2_version)
      set(UVGEN_NIM2_SKIP_REASON "${_uvgen_nim2_candidates} is Nim ${_uvgen_nim2_version}, not 2.2")
    else()
      set(UVGEN_NIM2_SKIP_REASON "${_uvgen_nim2_candidates} (from ${_uvgen_nim2_tarball}) does not run on this machine")
    endif()
  endif()
endif()

if(UVGEN_NIM2)
  message(STATUS "uvgen: Nim ${UVGEN_NIM_VERSION} (${UVGEN_NIM}) and Nim 2.2 (${UVGEN_NIM2}) for the Nim tests")
else()
  # NOTICE, not STATUS: scripts/test hides configuration's standard output, and a skip must show.
  message(NOTICE "uvgen: the Nim 2.2 tests are skipped: ${UVGEN_NIM2_SKIP_REASON}")
endif()

# The Nim configurations every Nim test runs under (tests/nim, tests/uvio, tests/docs):
# UVGEN_NIM_CONFIGS lists their names; for each name C, UVGEN_NIM_CONFIG_<C>_COMPILER is its
# compiler and UVGEN_NIM_CONFIG_<C>_FLAGS its extra flags. The system's nim (Debian 12: Nim 1.6)
# with its default memory management always (UVGEN_NIM_SYSTEM_CONFIG); Nim 2.2 with its default
# (ORC) and with --mm:refc when its tarball is there.
set(UVGEN_NIM_SYSTEM_CONFIG nim-${UVGEN_NIM_VERSION})
if(UVGEN_NIM_VERSION STREQUAL "2.2")
  set(UVGEN_NIM_SYSTEM_CONFIG nim-2.2-system)
endif()
set(UVGEN_NIM_CONFIGS ${UVGEN_NIM_SYSTEM_CONFIG})
set(UVGEN_NIM_CONFIG_${UVGEN_NIM_SYSTEM_CONFIG}_COMPILER ${UVGEN_NIM})
set(UVGEN_NIM_CONFIG_${UVGEN_NIM_SYSTEM_CONFIG}_FLAGS "")
if(UVGEN_NIM2)
  list(APPEND UVGEN_NIM_CONFIGS nim-2.2 nim-2.2-refc)
  set(UVGEN_NIM_CONFIG_nim-2.2_COMPILER ${UVGEN_NIM2})
  set(UVGEN_NIM_CONFIG_nim-2.2_FLAGS "")
  set(UVGEN_NIM_CONFIG_nim-2.2-refc_COMPILER ${UVGEN_NIM2})
  set(UVGEN_NIM_CONFIG_nim-2.2-refc_FLAGS --mm:refc)
endif()

# The sanitized build (UVGEN_SANITIZE) has one configuration instead: ORC (Nim 2.2 where its
# tarball is there, else the system's nim) on the C library's malloc, so that AddressSanitizer
# and LeakSanitizer see every block Nim allocates and frees. refc scans the C stack, which
# AddressSanitizer does not allow, hence ORC only.
if(UVGEN_SANITIZE)
  set(_uvgen_nim_asan_compiler ${UVGEN_NIM})
  if(UVGEN_NIM2)
    set(_uvgen_nim_asan_compiler ${UVGEN_NIM2})
  endif()
  set(UVGEN_NIM_CONFIGS nim-asan)
  set(UVGEN_NIM_CONFIG_nim-asan_COMPILER ${_uvgen_nim_asan_compiler})
  set(UVGEN_NIM_CONFIG_nim-asan_FLAGS --mm:orc -d:useMalloc --debugger:native
      --passC:-fsanitize=address --passC:-fno-omit-frame-pointer --passL:-fsanitize=address)
endif()
