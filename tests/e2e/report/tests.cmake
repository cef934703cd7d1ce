# The report page in a real headless Chromium: loads without errors, shows the Pareto plot, and
# gives a non-blank screenshot (kept as report.png beside the HTML).
add_executable(report_render_sample ${CMAKE_CURRENT_LIST_DIR}/render_sample.cpp)
target_link_libraries(report_render_sample PRIVATE dnnchip_report)
add_test(NAME e2e.report_in_chromium
  COMMAND sh -c "$<TARGET_FILE:report_render_sample> ${CMAKE_CURRENT_BINARY_DIR}/sample_report.html && /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/check_html.py ${CMAKE_CURRENT_BINARY_DIR}/sample_report.html --min-points 12")
set_tests_properties(e2e.report_in_chromium PROPERTIES LABELS e2e TIMEOUT 300)
