# `dnnchip build` end to end on a tiny CNN: the report's numbers against predict, simulate and synth
# run separately, the page in headless Chromium, exit 3 on impossible bounds and exit 2 on a
# malformed constraint file. Needs Verilator, Yosys and Chromium (label rtl as well as e2e).
add_test(NAME e2e.build_tiny_cnn
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/check_build.py $<TARGET_FILE:dnnchip_cli>
          ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR}/build_tiny_cnn)
set_tests_properties(e2e.build_tiny_cnn PROPERTIES LABELS "e2e;rtl" TIMEOUT 900
  ENVIRONMENT "DNNCHIP_DATA=${PROJECT_SOURCE_DIR}")
