# Writes the schema of the system uv.h and validates it against the JSON Schema.
execute_process(COMMAND ${UVGEN} schema --header ${HEADER} -o ${OUT} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "uvgen schema failed (${rc})")
endif()
execute_process(COMMAND ${PYTHON} ${VALIDATOR} ${JSON_SCHEMA} ${OUT} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the schema of ${HEADER} does not validate")
endif()
