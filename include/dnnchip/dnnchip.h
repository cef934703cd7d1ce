#pragma once
/// \file
/// The whole public API of dnnchip in one include: every installed header, in module dependency
/// order. docs/api.md says what is public, what is internal and what stays stable. Headers not
/// listed here are internal and not installed; tests/lint/check_public_headers.py keeps this list,
/// the files under include/dnnchip/ and the internal list in CMakeLists.txt in step.

#include "dnnchip/diag/Diagnostic.h"
#include "dnnchip/diag/Progress.h"

#include "dnnchip/io/DataPaths.h"
#include "dnnchip/io/Files.h"
#include "dnnchip/io/Json.h"
#include "dnnchip/io/Stop.h"

#include "dnnchip/workload/Layer.h"
#include "dnnchip/workload/Model.h"
#include "dnnchip/workload/Training.h"

#include "dnnchip/ip/IpLibrary.h"

#include "dnnchip/platform/Platform.h"

#include "dnnchip/graph/AcceleratorGraph.h"
#include "dnnchip/graph/GraphDot.h"
#include "dnnchip/graph/GraphJson.h"
#include "dnnchip/graph/TemplateRules.h"

#include "dnnchip/mapping/DefaultMapper.h"
#include "dnnchip/mapping/Hierarchy.h"
#include "dnnchip/mapping/Mapping.h"
#include "dnnchip/mapping/MappingCheck.h"
#include "dnnchip/mapping/MappingJson.h"

#include "dnnchip/golden/Activation.h"
#include "dnnchip/golden/LayerNorm.h"
#include "dnnchip/golden/ModelRunner.h"
#include "dnnchip/golden/Npy.h"
#include "dnnchip/golden/Ops.h"
#include "dnnchip/golden/Requantize.h"
#include "dnnchip/golden/Softmax.h"
#include "dnnchip/golden/Tensor.h"

#include "dnnchip/schedule/CycleModel.h"
#include "dnnchip/schedule/EngineConfig.h"
#include "dnnchip/schedule/LayerDescriptor.h"
#include "dnnchip/schedule/LayerNormUnit.h"
#include "dnnchip/schedule/Program.h"
#include "dnnchip/schedule/ProgramFetch.h"
#include "dnnchip/schedule/SoftmaxUnit.h"

#include "dnnchip/arch/DesignCheck.h"
#include "dnnchip/arch/Engine.h"
#include "dnnchip/arch/EngineMapping.h"
#include "dnnchip/arch/LoadDesign.h"
#include "dnnchip/arch/Lowering.h"
#include "dnnchip/arch/Registry.h"
#include "dnnchip/arch/Template.h"

#include "dnnchip/codegen/Compile.h"
#include "dnnchip/codegen/Generator.h"
#include "dnnchip/codegen/Manifest.h"

#include "dnnchip/predict/DesignModel.h"
#include "dnnchip/predict/EngineModel.h"
#include "dnnchip/predict/PredictRun.h"
#include "dnnchip/predict/EngineCycleCache.h"
#include "dnnchip/predict/Predictor.h"
#include "dnnchip/predict/ReuseAnalysis.h"

#include "dnnchip/sim/CoSim.h"
#include "dnnchip/sim/Process.h"
#include "dnnchip/sim/LogicDepth.h"
#include "dnnchip/sim/Synth.h"
#include "dnnchip/sim/SynthReport.h"

#include "dnnchip/search/Constraints.h"
#include "dnnchip/search/ClockCharacterization.h"
#include "dnnchip/search/DesignSpace.h"
#include "dnnchip/search/ExploreOutput.h"
#include "dnnchip/search/ExploreRun.h"
#include "dnnchip/search/Explorer.h"
#include "dnnchip/search/LayerEvaluator.h"
#include "dnnchip/search/LoopMapping.h"
#include "dnnchip/search/MapRun.h"
#include "dnnchip/search/MappingSpace.h"
#include "dnnchip/search/Objective.h"

#include "dnnchip/validate/ValidationCase.h"
#include "dnnchip/validate/ValidationRun.h"

// onnx: only in builds with the importer (DNNCHIP_WITH_ONNX); its header is installed only then.
#if __has_include("dnnchip/onnx/Import.h")
#include "dnnchip/onnx/Import.h"
#endif

#include "dnnchip/report/Report.h"

#include "dnnchip/flow/BlockDiagram.h"
#include "dnnchip/flow/Build.h"
#include "dnnchip/flow/ModelSource.h"
#include "dnnchip/flow/SimulationModel.h"
