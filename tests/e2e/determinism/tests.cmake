# Byte-identical outputs across two processes with different thread counts and heap fill (issue
# 12's determinism item; determinism.py says what runs). `determinism.py ... break` must fail.
add_test(NAME e2e.determinism
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/determinism.py $<TARGET_FILE:dnnchip_cli>
          ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR}/determinism)
set_tests_properties(e2e.determinism PROPERTIES LABELS e2e TIMEOUT 600
  ENVIRONMENT "DNNCHIP_DATA=${PROJECT_SOURCE_DIR}")
