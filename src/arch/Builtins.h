#pragma once
// The built-in templates, for registerBuiltinTemplates() only (not installed).

#include <memory>

#include "dnnchip/arch/Template.h"
#include "dnnchip/graph/AcceleratorGraph.h"

namespace dnnchip::arch {

namespace systolic {
/// "systolic_ws" (dataflow WeightStationary) or "systolic_os" (OutputStationary): the
/// layer-sequential systolic engine of templates/dnnchip_engine.v.
std::unique_ptr<Template> makeTemplate(graph::Dataflow dataflow);
}  // namespace systolic

namespace spatial {
/// "spatial_array": a PE array fed by a NoC (Eyeriss, ShiDianNao); analytical only.
std::unique_ptr<Template> makeTemplate();
}  // namespace spatial

namespace pipeline {
/// "layer_pipeline": one engine per stage of consecutive layers (DNNBuilder); analytical only.
std::unique_ptr<Template> makeTemplate();
}  // namespace pipeline

}  // namespace dnnchip::arch
