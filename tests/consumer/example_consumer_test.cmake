# Installs uvgen into a temporary prefix, configures, builds and runs
# examples/consumer against it, then checks that a second build does nothing
# and that a changed spec re-runs the generator without rebuilding programs
# whose generated inputs did not change.
function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGN}\n${out}\n${err}")
  endif()
  set(output "${out}${err}" PARENT_SCOPE)
endfunction()

file(REMOVE_RECURSE ${WORK_DIR})
set(prefix ${WORK_DIR}/prefix)
set(build ${WORK_DIR}/build)
# A private copy of libuv's headers, so that the test can touch one that uv.h includes.
file(COPY ${UV_H} DESTINATION ${WORK_DIR}/include)
file(COPY ${UV_DIR} DESTINATION ${WORK_DIR}/include)
run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})
run(${CMAKE_COMMAND} -S ${EXAMPLE_DIR} -B ${build} -G Ninja -DCMAKE_PREFIX_PATH=${prefix}
    -DUV_HEADER=${WORK_DIR}/include/uv.h)
run(${CMAKE_COMMAND} --build ${build})
if(NOT output MATCHES "Generating libuv bindings")
  message(FATAL_ERROR "the first build did not run the generator:\n${output}")
endif()
foreach(program ping_generated_shim ping_installed_shim)
  run(${build}/${program})
  if(NOT output MATCHES "arrived: ping")
    message(FATAL_ERROR "${program} printed: ${output}")
  endif()
endforeach()
# The generated Nim modules (shim flavour), linked with the installed libuvshim.
run(${NIM} c --hints:off --colors:off -d:uvshimLibrary --nimcache:${WORK_DIR}/nimcache
    --path:${build}/uv/bindings/nim --passL:-L${prefix}/lib --passL:-Wl,-rpath,${prefix}/lib
    -o:${WORK_DIR}/ping_nim ${EXAMPLE_DIR}/ping.nim)
run(${WORK_DIR}/ping_nim)
if(NOT output MATCHES "arrived: ping")
  message(FATAL_ERROR "the Nim program printed: ${output}")
endif()
run(ldd ${WORK_DIR}/ping_nim)
if(NOT output MATCHES "libuvshim.so.2 => ${prefix}/lib")
  message(FATAL_ERROR "the Nim program does not use the installed libuvshim:\n${output}")
endif()

run(${CMAKE_COMMAND} --build ${build})
if(NOT output MATCHES "no work to do")
  message(FATAL_ERROR "a second build with nothing changed did work:\n${output}")
endif()

# A newer spec file: the generator runs again, writes nothing new, and the
# programs are not recompiled. The pause keeps the touched file's time stamp
# clearly after the build's on file systems with coarse time stamps.
execute_process(COMMAND ${CMAKE_COMMAND} -E sleep 1)
file(TOUCH ${prefix}/share/uvgen/modules.json)
run(${CMAKE_COMMAND} --build ${build})
if(NOT output MATCHES "Generating libuv bindings")
  message(FATAL_ERROR "a changed spec did not re-run the generator:\n${output}")
endif()
if(output MATCHES "Building C object")
  message(FATAL_ERROR "unchanged generated files rebuilt the programs:\n${output}")
endif()

# A header that uv.h includes changed (known only through the depfile).
execute_process(COMMAND ${CMAKE_COMMAND} -E sleep 1)
file(TOUCH ${WORK_DIR}/include/uv/version.h)
run(${CMAKE_COMMAND} --build ${build})
if(NOT output MATCHES "Generating libuv bindings")
  message(FATAL_ERROR "a changed included header did not re-run the generator:\n${output}")
endif()
if(output MATCHES "Building C object")
  message(FATAL_ERROR "unchanged generated files rebuilt the programs:\n${output}")
endif()

# uvgen_add_abi_check: the example's ctest checks its uv.h against the
# installed baseline of this target, by the installed spec, both named in the
# report as defaults; then a baseline that declares a function this uv.h lacks
# (uv_version_string renamed in it), judged on the whole header, fails it.
run(${CMAKE_CTEST_COMMAND} --test-dir ${build} -R "^uv_abi$" -V)
if(NOT output MATCHES "baseline: ${prefix}/share/uvgen/baseline/libuv-1\\.44\\.2-x86_64-linux-gnu\\.json \\(default: installed beside uvgen"
   OR NOT output MATCHES "spec: ${prefix}/share/uvgen/modules\\.json \\(default: installed beside uvgen\\)"
   OR NOT output MATCHES "verdict: (identical|compatible)")
  message(FATAL_ERROR "the ABI check did not judge by the installed baseline and spec:\n${output}")
endif()
file(READ ${prefix}/share/uvgen/baseline/libuv-1.44.2-x86_64-linux-gnu.json baseline)
string(REPLACE "\"name\": \"uv_version_string\"" "\"name\": \"uv_version_text\"" broken "${baseline}")
if(broken STREQUAL baseline)
  message(FATAL_ERROR "could not rename uv_version_string in the baseline")
endif()
file(WRITE ${WORK_DIR}/broken-baseline.json "${broken}")
run(${CMAKE_COMMAND} -S ${EXAMPLE_DIR} -B ${build} -DUV_ABI_BASELINE=${WORK_DIR}/broken-baseline.json -DUV_ABI_SCOPE=all)
execute_process(COMMAND ${CMAKE_CTEST_COMMAND} --test-dir ${build} -R "^uv_abi$" --output-on-failure
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(rc EQUAL 0 OR NOT out MATCHES "breaking +function_removed +uv_version_text"
   OR NOT out MATCHES "uvgen abi-check exited with 12")
  message(FATAL_ERROR "a breaking baseline did not fail the ABI check (${rc}):\n${out}${err}")
endif()
