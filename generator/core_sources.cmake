# The sources of uvgen_core, everything that works on the schema (model, module spec, plan,
# emitters, ABI diff) and needs no Clang, relative to generator/. Compiled into uvgen by
# generator/CMakeLists.txt and into the fuzz targets by fuzz/CMakeLists.txt.
set(UVGEN_CORE_SOURCES
  text/utf8.cpp
  diagnostics/input_error.cpp
  cli/args.cpp
  cli/files.cpp
  cli/text_diff.cpp
  # the schema model and its JSON form
  schema/schema.cpp
  schema/schema_json.cpp
  schema/schema_check.cpp
  schema/json_writer.cpp
  # the module spec file, read once
  module_spec/module_spec.cpp
  # the plan: the spec checked against a schema and resolved
  plan/names.cpp
  plan/nim_types.cpp
  plan/spec_check.cpp
  plan/shim_surface.cpp
  plan/nim_modules.cpp
  plan/release_fit.cpp
  plan/plan.cpp
  # emitters: render the plan
  emit/layout_tests.cpp
  emit/nim.cpp
  emit/shim_header.cpp
  emit/shim_source.cpp
  emit/shim_version_script.cpp
  # the ABI check
  abi/change_classes.cpp
  abi/abi_diff.cpp
  abi/abi_report.cpp
)
