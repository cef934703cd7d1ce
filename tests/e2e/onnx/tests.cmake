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

# Issue 18: the torchvision model zoo (ZooTest.cpp, export_zoo.py). Shapes only (export_params
# False); each export process takes a group of models, each model at one opset (11, 13 or 17) and
# either batch 1 or a dynamic batch that the test fixes at 2 with --input-shape. The groups cover
# every architecture family of torchvision 0.14's classifiers and, in the last, the detection and
# segmentation backbones, and torchvision's VisionTransformer and MaxVit at 64 x 64
# (small:vit, small:maxvit: the graphs of vit_b_16 and maxvit_t; MaxViT's relative-position
# biases are parameters without values that must not become model inputs), and vit_b_16 itself in
# a group of its own (its export traces 12 layers of 197 x 768 GEMMs in Debian's reference BLAS:
# 60-125 s on the shared machine, in parallel with the other groups); maxvit_t (over 2 min) is in
# the whole run only. The whole matrix (every
# classifier x 3 opsets x 2 batch modes) is `export_zoo.py DIR --list full --all-classification --opsets 11 13 17 --dynamic both`
# then e2e_onnx_zoo with DNNCHIP_ONNX_ZOO_LISTS=full (docs/onnx.md has its last result).
set(DNNCHIP_ONNX_ZOO ${PROJECT_BINARY_DIR}/onnx_zoo)
set(DNNCHIP_ZOO_GROUPS
  "cnn1:alexnet:11:dyn vgg11_bn:13 resnet18:17:dyn resnext50_32x4d:11 squeezenet1_1:17 googlenet:11:dyn inception_v3:13 mobilenet_v2:17:dyn"
  "cnn2:mobilenet_v3_large:11 mobilenet_v3_small:13:dyn mnasnet0_5:17 efficientnet_b0:13:dyn efficientnet_v2_s:17 regnet_x_400mf:11:dyn regnet_y_400mf:13"
  "cnn3:densenet121:13:dyn convnext_tiny:17:dyn shufflenet_v2_x0_5:11 resnet34:13 regnet_x_800mf:17:dyn"
  "vit:vit_b_16:13"
  "other:small:vit:13 small:vit:17:dyn small:maxvit:13 small:maxvit:17:dyn backbone:resnet50_fpn:13 backbone:mobilenet_v3_large_fpn:11 backbone:ssd300_vgg16:17 backbone:ssdlite320_mobilenet_v3_large:13 seg:deeplabv3_mobilenet_v3_large:17 seg:lraspp_mobilenet_v3_large:13")
set(zoo_lists "")
foreach(group ${DNNCHIP_ZOO_GROUPS})
  string(REPLACE ":" ";" parts "${group}")
  list(GET parts 0 name)
  string(LENGTH "${name}:" skip)
  string(SUBSTRING "${group}" ${skip} -1 models)
  separate_arguments(models UNIX_COMMAND "${models}")
  add_test(NAME onnx.zoo_export_${name}
    COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/export_zoo.py ${DNNCHIP_ONNX_ZOO} --list ${name} --models ${models})
  set_tests_properties(onnx.zoo_export_${name} PROPERTIES LABELS e2e TIMEOUT 900 FIXTURES_SETUP onnx_zoo)
  list(APPEND zoo_lists ${name})
endforeach()
string(REPLACE ";" "," zoo_lists "${zoo_lists}")
add_executable(e2e_onnx_zoo ${CMAKE_CURRENT_LIST_DIR}/ZooTest.cpp)
target_link_libraries(e2e_onnx_zoo PRIVATE dnnchip_onnx GTest::gtest_main)
add_test(NAME onnx.zoo COMMAND e2e_onnx_zoo)
set_tests_properties(onnx.zoo PROPERTIES LABELS e2e TIMEOUT 900 FIXTURES_REQUIRED onnx_zoo
  ENVIRONMENT "DNNCHIP_ONNX_ZOO_DIR=${DNNCHIP_ONNX_ZOO};DNNCHIP_ONNX_ZOO_LISTS=${zoo_lists};DNNCHIP_ONNX_ZOO_EXPECT=${CMAKE_CURRENT_LIST_DIR}/zoo_expectations.json")

# Issue 18: quantized models (QDQ and QOperator) with their own scales. quantized_models.py
# builds them with onnx.helper together with a numpy integer reference of ONNX's definition;
# QuantizedTest.cpp imports them and runs the golden model on the reference's layer inputs.
set(DNNCHIP_ONNX_QUANT ${PROJECT_BINARY_DIR}/onnx_quantized)
add_test(NAME onnx.quantized_export
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/quantized_models.py ${DNNCHIP_ONNX_QUANT})
set_tests_properties(onnx.quantized_export PROPERTIES LABELS e2e TIMEOUT 120 FIXTURES_SETUP onnx_quantized)
add_executable(e2e_onnx_quantized ${CMAKE_CURRENT_LIST_DIR}/QuantizedTest.cpp)
target_link_libraries(e2e_onnx_quantized PRIVATE dnnchip_onnx dnnchip_golden GTest::gtest_main)
add_test(NAME onnx.quantized COMMAND e2e_onnx_quantized)
set_tests_properties(onnx.quantized PROPERTIES LABELS e2e TIMEOUT 300 FIXTURES_REQUIRED onnx_quantized
  ENVIRONMENT "DNNCHIP_ONNX_QUANT_DIR=${DNNCHIP_ONNX_QUANT}")
