// The template registry: an ordered list of owned templates, looked up by id with a linear scan
// (a handful of templates). registerBuiltinTemplates() is the one place the built-in templates
// are named; builtinRegistry() fills a function-local static with it on first use (C++ makes that
// initialisation thread-safe), after which the registry is only read.

#include "dnnchip/arch/Registry.h"

#include "Builtins.h"

namespace dnnchip::arch {

diag::Status Registry::add(std::unique_ptr<Template> t) {
  if (find(t->id()))
    return diag::error("arch.duplicate-template", {}, "a template \"" + std::string(t->id()) + "\" is registered already",
                       "give the new template an id of its own");
  templates_.push_back(std::move(t));
  return diag::Status::success();
}

const Template* Registry::find(std::string_view id) const {
  for (const auto& t : templates_)
    if (t->id() == id) return t.get();
  return nullptr;
}

diag::Expected<const Template*> Registry::resolve(const graph::AcceleratorGraph& design) const {
  if (const Template* t = find(design.templateName)) return t;
  return diag::error("graph.bad-enum", {design.file, "/template"}, "unknown template \"" + design.templateName + "\"",
                     "use one of: " + idList());
}

std::vector<const Template*> Registry::all() const {
  std::vector<const Template*> out;
  for (const auto& t : templates_) out.push_back(t.get());
  return out;
}

std::string Registry::idList() const {
  std::string s;
  for (const auto& t : templates_) s += (s.empty() ? "" : ", ") + std::string(t->id());
  return s;
}

void registerBuiltinTemplates(Registry& r) {
  // Ids are distinct, so add() cannot fail here.
  (void)r.add(systolic::makeTemplate(graph::Dataflow::WeightStationary));
  (void)r.add(systolic::makeTemplate(graph::Dataflow::OutputStationary));
  (void)r.add(spatial::makeTemplate());
  (void)r.add(pipeline::makeTemplate());
}

const Registry& builtinRegistry() {
  static const Registry r = [] {
    Registry b;
    registerBuiltinTemplates(b);
    return b;
  }();
  return r;
}

}  // namespace dnnchip::arch
