# ONNX importer tests on real PyTorch exports (label e2e). The fixture test exports torchvision
# models and a TransformerEncoderLayer with Debian's torch into the build folder (never the
# source tree); the GoogleTest binary e2e_onnx_models checks the imports against the models' own
# module shapes and MAC counts and the published totals. Also links unit_onnx to onnx_proto so
# the unit tests can build small ONNX graphs in C++.
if(NOT DNNCHIP_WITH_ONNX OR NOT TARGET dnnchip_onnx)
  return()
endif()
if(TARGET unit_onnx)
  target_link_libraries(unit_onnx PRIVATE onnx_proto protobuf::libprotobuf)
endif()
set(DNNCHIP_ONNX_FIXTURES ${PROJECT_BINARY_DIR}/onnx_fixtures)
add_test(NAME onnx.export_fixtures
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/export_fixtures.py ${DNNCHIP_ONNX_FIXTURES}
          --with-weights resnet18 mobilenet_v2)
set_tests_properties(onnx.export_fixtures PROPERTIES LABELS e2e TIMEOUT 900 FIXTURES_SETUP onnx_fixtures)

add_executable(e2e_onnx_models ${CMAKE_CURRENT_LIST_DIR}/TorchModelsTest.cpp)
target_link_libraries(e2e_onnx_models PRIVATE dnnchip_onnx GTest::gtest_main)
add_test(NAME onnx.torch_models COMMAND e2e_onnx_models)
set_tests_properties(onnx.torch_models PROPERTIES LABELS e2e TIMEOUT 900 FIXTURES_REQUIRED onnx_fixtures
  ENVIRONMENT "DNNCHIP_ONNX_FIXTURES=${DNNCHIP_ONNX_FIXTURES}")

add_test(NAME onnx.cli_import
  COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/cli_import.sh $<TARGET_FILE:dnnchip_cli> ${DNNCHIP_ONNX_FIXTURES}
          ${PROJECT_BINARY_DIR}/onnx_cli_out)
set_tests_properties(onnx.cli_import PROPERTIES LABELS e2e TIMEOUT 300 FIXTURES_REQUIRED onnx_fixtures)
