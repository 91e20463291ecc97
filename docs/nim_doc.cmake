# Writes the HTML reference of the Nim package, uvio and uvio_asyncdispatch into OUT/uv, OUT/uvio
# and OUT/uvio_asyncdispatch with NIM, and fails on any warning or error `nim doc` prints (a
# broken doc comment, a bad link).
# Run as: cmake -DNIM=nim -DSOURCE=<checkout> -DOUT=<folder> -P nim_doc.cmake
foreach(var NIM SOURCE OUT)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "nim_doc.cmake: -D${var}= is required")
  endif()
endforeach()

function(nim_doc name main)
  file(REMOVE_RECURSE ${OUT}/${name})
  execute_process(
    COMMAND ${NIM} doc --project --index:on --hints:off --nimcache:${OUT}/nimcache-${name}
            --path:${SOURCE}/bindings/uvio --path:${SOURCE}/bindings/nim --outdir:${OUT}/${name} ${main}
    RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT status EQUAL 0 OR out MATCHES "Warning:|Error:")
    message(FATAL_ERROR "nim doc of ${main} (status ${status}):\n${out}")
  endif()
  file(REMOVE_RECURSE ${OUT}/nimcache-${name})
endfunction()

nim_doc(uv ${SOURCE}/bindings/nim/uv.nim)
nim_doc(uvio ${SOURCE}/bindings/uvio/uvio.nim)
nim_doc(uvio_asyncdispatch ${SOURCE}/bindings/uvio/uvio_asyncdispatch.nim)
