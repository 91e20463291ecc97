# Runs `uvgen abi-check` of the system uv.h against the committed baseline and
# fails unless the verdict is identical (0) or compatible (4).
execute_process(
  COMMAND ${UVGEN} abi-check --baseline ${BASELINE} --header ${HEADER} --scope spec --spec ${SPEC}
  RESULT_VARIABLE status)
if(NOT status EQUAL 0 AND NOT status EQUAL 4)
  message(FATAL_ERROR "uvgen abi-check exited with ${status} (12: breaking, 1: error, 2: usage); "
                      "see schema/baseline/README.md")
endif()
