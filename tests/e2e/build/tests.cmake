# `dnnchip build` end to end on a tiny CNN: the report's numbers against predict, simulate and synth
# run separately, the page in headless Chromium, exit 3 on impossible bounds and exit 2 on a
# malformed constraint file. Needs Verilator, Yosys and Chromium (label rtl as well as e2e).
add_test(NAME e2e.build_tiny_cnn
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/check_build.py $<TARGET_FILE:dnnchip_cli>
          ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR}/build_tiny_cnn)
set_tests_properties(e2e.build_tiny_cnn PROPERTIES LABELS "e2e;rtl" TIMEOUT 900
  ENVIRONMENT "DNNCHIP_DATA=${PROJECT_SOURCE_DIR}")

# One attention head (q/k/v projections, q k^T and scores v as activation x activation MatMuls,
# an output projection) built on ws_3x5 and co-simulated in Icarus: the MatMuls run as several
# descriptors each (operand-packing copies before the GEMM), so the summary must compare the
# layer's summed RTL cycles with the predictor's one figure per layer (6/6, not 4/11).
add_test(NAME e2e.build_attention_head
  COMMAND /bin/sh -c "rm -rf \"$1\" && \"$0\" build --model \"$2/tests/e2e/build/one_head_attention.json\" --constraints ultra96 --design \"$2/tests/rtl/cosim/designs/ws_3x5.json\" -o \"$1\" --simulate all --simulator iverilog --no-synth > \"$1.log\" 2>&1; cat \"$1.log\"; grep -q 'co-simulation (iverilog): 6/6 layers bit-exact, 6/6 with predicted cycles = simulated' \"$1.log\""
          $<TARGET_FILE:dnnchip_cli> ${CMAKE_CURRENT_BINARY_DIR}/build_attention_head ${PROJECT_SOURCE_DIR})
set_tests_properties(e2e.build_attention_head PROPERTIES LABELS "e2e;rtl" TIMEOUT 600
  ENVIRONMENT "DNNCHIP_DATA=${PROJECT_SOURCE_DIR}")

# A depthwise network built from the search (tiny_dwnet.json, tiny_ultra96_dw.json): the search turns
# the engine's depthwise unit on (the design's "depthwise_unit", DW(1) in the generated top, which
# the generator sets only when a layer runs on the unit), and every layer co-simulates bit-exactly
# with predicted = simulated cycles. The manifest must carry the unit: before it did, simulate
# lowered the model without it against the generate flow's memory image and failed on 'stem'.
add_test(NAME e2e.build_tiny_dwnet
  COMMAND /bin/sh -c "rm -rf \"$1\" && \"$0\" build --model \"$2/tests/e2e/build/tiny_dwnet.json\" --constraints \"$2/tests/e2e/build/tiny_ultra96_dw.json\" -o \"$1\" --simulate all --no-synth > \"$1.log\" 2>&1; cat \"$1.log\"; grep -q 'co-simulation (verilator): 5/5 layers bit-exact, 5/5 with predicted cycles = simulated' \"$1.log\" && grep -q '[.]DW(1)' \"$1/rtl/dnnchip_top.v\" && grep -q '\"depthwise_unit\": true' \"$1/dnnchip_design.json\""
          $<TARGET_FILE:dnnchip_cli> ${CMAKE_CURRENT_BINARY_DIR}/build_tiny_dwnet ${PROJECT_SOURCE_DIR})
set_tests_properties(e2e.build_tiny_dwnet PROPERTIES LABELS "e2e;rtl" TIMEOUT 600
  ENVIRONMENT "DNNCHIP_DATA=${PROJECT_SOURCE_DIR}")
# The same head with its softmax between the scores and the context (docs/engine.md#softmax-on-
# the-engine): the generated engine has SOFTMAX = 1, and all 7 layers co-simulate bit-exactly in
# their predicted cycles.
add_test(NAME e2e.build_attention_softmax
  COMMAND /bin/sh -c "rm -rf \"$1\" && \"$0\" build --model \"$2/tests/e2e/build/one_head_softmax.json\" --constraints ultra96 --design \"$2/tests/rtl/cosim/designs/ws_3x5.json\" -o \"$1\" --simulate all --simulator iverilog --no-synth > \"$1.log\" 2>&1; cat \"$1.log\"; grep -q 'co-simulation (iverilog): 7/7 layers bit-exact, 7/7 with predicted cycles = simulated' \"$1.log\" && grep -q '.SOFTMAX(1)' \"$1/rtl/dnnchip_top.v\""
          $<TARGET_FILE:dnnchip_cli> ${CMAKE_CURRENT_BINARY_DIR}/build_attention_softmax ${PROJECT_SOURCE_DIR})
set_tests_properties(e2e.build_attention_softmax PROPERTIES LABELS "e2e;rtl" TIMEOUT 600
  ENVIRONMENT "DNNCHIP_DATA=${PROJECT_SOURCE_DIR}")

