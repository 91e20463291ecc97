# cmake -DNIM=... -DMODE=doc|jsondoc -DBINDINGS=... -DLIBRARY=... -DOUT=... -P nim_doc.cmake
# `nim doc` (or `nim jsondoc`, for a Nim without its doc/ folder) of uvio and uvio_asyncdispatch:
# each must succeed and print no warning.
cmake_minimum_required(VERSION 3.16)
foreach(module uvio uvio_asyncdispatch)
  execute_process(COMMAND ${NIM} ${MODE} --hints:off --colors:off --path:${LIBRARY} --path:${BINDINGS}
                          --outdir:${OUT} ${LIBRARY}/${module}.nim
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "nim doc of ${module} failed:\n${out}${err}")
  endif()
  if("${out}${err}" MATCHES "Warning")
    message(FATAL_ERROR "nim doc of ${module} warns:\n${out}${err}")
  endif()
  set(written ${OUT}/${module}.html)
  if(MODE STREQUAL "jsondoc")
    set(written ${OUT}/${module}.json)
  endif()
  if(NOT EXISTS ${written})
    message(FATAL_ERROR "nim ${MODE} wrote no ${written}")
  endif()
  message(STATUS "nim ${MODE} of ${module}: no warning")
endforeach()
