#pragma once
/// \file
/// Internal: used inside the library, its tools and tests; not installed (docs/api.md).
/// The engine's DRAM contents for one run: model inputs in NHWC at their placements, every GEMM
/// layer's weights and bias packed in the engine layout (schedule::packWeights/packBias), and the
/// program's requantization fields set from the golden parameters. Reading back: the int8 output
/// of a layer from a DRAM dump, converted to the golden model's NCHW (or NC) layout.

#include <cstdint>
#include <string>
#include <vector>

#include "dnnchip/diag/Diagnostic.h"
#include "dnnchip/golden/ModelRunner.h"
#include "dnnchip/schedule/Program.h"
#include "dnnchip/workload/Model.h"

namespace dnnchip::codegen {

/// Sets every descriptor's mult/multB/shift/relu from the golden parameters of its layer
/// (GEMM and add take the layer's quant; pools keep the program's fixed values, which
/// equal golden's; a standalone ReLU keeps its identity quant).
void applyQuant(schedule::Program& program, const workload::Model& model, const golden::ModelParams& params);

/// Bytes of DRAM (program.dramBytes long): activations named in `activations` (model inputs, or
/// for a single-layer run that layer's inputs) and all weights/biases. Activation tensors are
/// given in the golden layout (NCHW or NC) and stored NHWC.
std::vector<uint8_t> buildDramImage(const schedule::Program& program, const schedule::EngineConfig& cfg,
                                    const workload::Model& model, const golden::ModelParams& params,
                                    const std::map<std::string, const golden::Tensor8*>& activations);

/// Writes an activation tensor (NCHW or NC) into an NHWC DRAM image at its placement.
void storeActivation(std::vector<uint8_t>& image, const schedule::TensorPlacement& place,
                     const golden::Tensor8& tensor);
/// Reads an activation (as placed) back into the golden layout (NCHW, or NC) of `shape`.
golden::Tensor8 loadActivation(const std::vector<uint8_t>& image, const schedule::TensorPlacement& place,
                               const workload::Shape& shape);

/// One byte per line, two hex digits, address 0 first ($readmemh / $writememh format).
std::string encodeByteHex(const std::vector<uint8_t>& bytes);
/// Parses a $writememh byte dump (hex per line; "//" comments and "@addr" lines honoured; x/z
/// digits read as 0). codegen.bad-dump if a line is not hex.
diag::Expected<std::vector<uint8_t>> decodeByteHex(const std::string& text, size_t expectedBytes);

/// The placement of a layer's output (layout-only layers resolve to the tensor they alias).
const schedule::TensorPlacement* outputPlacement(const schedule::Program& program,
                                                 const workload::Model& model, int layerIndex);

}  // namespace dnnchip::codegen
