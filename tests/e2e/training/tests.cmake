# Training step against PyTorch autograd (docs/training.md#test): ResNet-18 and a transformer
# encoder layer, MACs of every pass and saved-activation bytes. Needs python3-torch and
# python3-torchvision (scripts/setup-deps.sh); skips without them unless CI=true.
add_test(NAME e2e.training.autograd_counts
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/autograd_counts.py $<TARGET_FILE:dnnchip_cli>
          ${CMAKE_CURRENT_BINARY_DIR}/training_autograd)
set_tests_properties(e2e.training.autograd_counts PROPERTIES LABELS e2e SKIP_RETURN_CODE 77 TIMEOUT 300
  ENVIRONMENT "DNNCHIP_DATA=${PROJECT_SOURCE_DIR}")
