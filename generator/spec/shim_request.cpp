#include "spec/shim_request.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "cli/files.h"

namespace uvgen {
namespace {

void addOnce(std::vector<std::string>& list, const std::string& item) {
  if (std::find(list.begin(), list.end(), item) == list.end()) list.push_back(item);
}

}  // namespace

ShimRequest shimRequestFromSpec(const ModuleSpec& spec, const Schema& schema) {
  nlohmann::json json = nlohmann::json::parse(readTextFile(spec.path), nullptr, false);
  auto fail = [&](const std::string& what) { return std::runtime_error(spec.path + ": shim: " + what); };
  if (json.is_discarded() || !json.is_object() || !json.contains("shim")) throw fail("no \"shim\" section");
  const nlohmann::json& shim = json.at("shim");
  ShimRequest request;
  request.source = spec.path;
  std::map<std::string, uint64_t> storage;
  std::vector<std::string> writable;
  try {
    request.abi_version = shim.at("abi_version").get<int>();
    storage = shim.at("storage").get<std::map<std::string, uint64_t>>();
    writable = shim.value("writable_fields", std::vector<std::string>{});
    request.nullable_params = shim.value("nullable_params", std::vector<std::string>{});
    request.unix_path_params = shim.value("unix_path_params", std::vector<std::string>{});
  } catch (const nlohmann::json::exception& e) {
    throw fail(std::string("malformed: ") + e.what());
  }

  for (const SpecModule& module : spec.modules) {
    for (const SpecProc& proc : module.procs) addOnce(request.functions, proc.c);
    for (const SpecEnum& e : module.enums)
      if (const Enum* found = findEnum(schema, e.c)) addOnce(request.enums, found->name);
    for (const SpecConstant& constant : module.constants)
      if (!constant.strip_prefix.empty())
        if (const Enum* found = findEnum(schema, constant.c)) addOnce(request.enums, found->name);
    for (const SpecObject& object : module.objects) {
      auto size = storage.find(object.c);
      if (size == storage.end()) continue;
      ShimRequest::TypeRequest type;
      type.c_name = object.c;
      type.storage_size = size->second;
      for (const SpecField& field : object.fields) {
        type.fields.push_back(field.c);
        if (std::find(writable.begin(), writable.end(), field.c) != writable.end()) type.writable_fields.push_back(field.c);
      }
      request.types.push_back(std::move(type));
      storage.erase(size);
    }
  }
  if (!storage.empty()) throw fail("storage for " + storage.begin()->first + ", which no module exports as an object");
  return request;
}

}  // namespace uvgen
