// JSON (de)serialisation of the schema. Keys are the model's member names.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "schema/schema.h"

namespace uvgen {

using Json = nlohmann::ordered_json;

// Throws std::runtime_error naming what is wrong when json is not a schema.
Schema schemaFromJson(const Json& json);

// The schema as text: two-space indented JSON ending with a newline.
std::string schemaToText(const Schema& schema);
// Reads and parses a schema file; throws std::runtime_error("<path>: <what>").
Schema readSchemaFile(const std::string& path);

}  // namespace uvgen
