// JSON (de)serialisation of the schema. Keys are the model's member names.
//
// Schemas are edited by hand, so reading one treats it as untrusted input:
// every value is checked against the format and the limits of
// schema/schema_check.h, and every problem is an InputError naming the file
// and the JSON path of the bad value ("records[12].size").
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "schema/schema.h"

namespace uvgen {

using Json = nlohmann::ordered_json;

// The schema a parsed JSON document holds; file names the input in errors.
Schema schemaFromJson(const Json& json, const std::string& file = "");
// The schema in text (what a schema file holds); file names it in errors.
Schema schemaFromText(const std::string& text, const std::string& file);

// The schema as text: two-space indented JSON ending with a newline.
std::string schemaToText(const Schema& schema);
// Reads and parses a schema file; throws InputError (with the path) or, when
// the file cannot be read, std::runtime_error("<path>: <what>").
Schema readSchemaFile(const std::string& path);
// The same, but its functions, macros and record fields are skipped (left
// empty): what checks against another target's schema read is its target,
// record sizes and alignments, typedefs and enumerators. path is folder
// followed by a relative path; the file must be a regular file reached from
// folder without following a symbolic link (readFileBelow).
Schema readTargetSchemaFile(const std::string& folder, const std::string& path);
Schema targetSchemaFromText(const std::string& text, const std::string& file);

}  // namespace uvgen
