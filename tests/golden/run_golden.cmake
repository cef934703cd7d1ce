# Runs one golden case: `dnnchip <ARGS>` in the source tree; compares stdout with EXPECTED.
# With the environment variable DNNCHIP_UPDATE_GOLDEN=1 it rewrites EXPECTED instead (review the
# diff before committing). Variables: BIN, ARGS (a ;-list), EXPECTED, WORKDIR, EXIT (expected code).
execute_process(COMMAND ${BIN} ${ARGS}
  WORKING_DIRECTORY ${WORKDIR}
  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL EXIT)
  message(FATAL_ERROR "dnnchip ${ARGS} exited ${rc}, expected ${EXIT}\nstderr:\n${err}")
endif()
if(NOT "$ENV{DNNCHIP_UPDATE_GOLDEN}" STREQUAL "")
  file(WRITE ${EXPECTED} "${out}")
  message(STATUS "updated ${EXPECTED}")
  return()
endif()
if(NOT EXISTS ${EXPECTED})
  message(FATAL_ERROR "missing ${EXPECTED}; create it with DNNCHIP_UPDATE_GOLDEN=1 and review it")
endif()
file(READ ${EXPECTED} want)
if(NOT out STREQUAL want)
  file(WRITE ${EXPECTED}.actual "${out}")
  message(FATAL_ERROR "output of dnnchip ${ARGS} differs from ${EXPECTED}; actual output in "
          "${EXPECTED}.actual (diff them; regenerate with DNNCHIP_UPDATE_GOLDEN=1 if intended)")
endif()
