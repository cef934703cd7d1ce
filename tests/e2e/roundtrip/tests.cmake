# Every output kind read back by the commands that take it (issue 16, item 7): built-ins shown as
# files, explore's and map's results, generate's design file.
add_test(NAME e2e.roundtrip
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/roundtrip.py $<TARGET_FILE:dnnchip_cli>
          ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR}/roundtrip)
set_tests_properties(e2e.roundtrip PROPERTIES LABELS e2e TIMEOUT 600
  ENVIRONMENT "DNNCHIP_DATA=${PROJECT_SOURCE_DIR}")
