# Ctrl-C during a real `dnnchip explore` (stage 1 and stage 2) and an infeasible run into a used
# output folder (issue 13): exit 130 within a second, best/ and an "interrupted" summary written.
add_test(NAME e2e.explore_interrupt
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/interrupt_explore.py $<TARGET_FILE:dnnchip_cli>
          ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR}/explore_interrupt)
set_tests_properties(e2e.explore_interrupt PROPERTIES LABELS e2e TIMEOUT 600
  ENVIRONMENT "DNNCHIP_DATA=${PROJECT_SOURCE_DIR}")

# Ctrl-C during a real `dnnchip build` (search, Verilator, Yosys steps) and `dnnchip simulate`
# (Verilator build, vvp run): exit 130 within a second, no child process left, no report, no
# sim.json, DIR/interrupted.txt naming the step (issue 13). Needs Verilator, Icarus and Yosys.
add_test(NAME e2e.build_simulate_interrupt
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/interrupt_build_simulate.py $<TARGET_FILE:dnnchip_cli>
          ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR}/build_simulate_interrupt)
set_tests_properties(e2e.build_simulate_interrupt PROPERTIES LABELS "e2e;rtl" TIMEOUT 900
  ENVIRONMENT "DNNCHIP_DATA=${PROJECT_SOURCE_DIR}")

# Ctrl-C while `dnnchip graph --svg` waits for Graphviz (a stand-in `dot` that sleeps): exit 130,
# one graph.interrupted note, dot killed, no SVG, no temporary folder (issue 13).
add_test(NAME e2e.graph_interrupt
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/interrupt_graph.py $<TARGET_FILE:dnnchip_cli>
          ${CMAKE_CURRENT_BINARY_DIR}/graph_interrupt)
set_tests_properties(e2e.graph_interrupt PROPERTIES LABELS e2e TIMEOUT 120
  ENVIRONMENT "DNNCHIP_DATA=${PROJECT_SOURCE_DIR}")
