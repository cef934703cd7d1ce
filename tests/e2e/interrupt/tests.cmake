# Ctrl-C during a real `dnnchip explore` (stage 1 and stage 2) and an infeasible run into a used
# output folder (issue 13): exit 130 within a second, best/ and an "interrupted" summary written.
add_test(NAME e2e.explore_interrupt
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/interrupt_explore.py $<TARGET_FILE:dnnchip_cli>
          ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR}/explore_interrupt)
set_tests_properties(e2e.explore_interrupt PROPERTIES LABELS e2e TIMEOUT 600
  ENVIRONMENT "DNNCHIP_DATA=${PROJECT_SOURCE_DIR}")
