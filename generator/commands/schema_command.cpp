#include "commands/commands.h"
#include "extract/extract_schema.h"
#include "schema/schema_json.h"

namespace uvgen {

const char* systemHeader() { return UVGEN_SYSTEM_UV_H; }

int runSchemaCommand(const ParsedArgs& args) {
  ExtractOptions options;
  options.header = args.get("--header", systemHeader());
  options.include_dirs = args.all("-I");
  options.defines = args.all("-D");
  options.keep_clang_memory = true;  // the command exits soon after
  options.target = args.get("--target");
  readTextFile(options.header);  // a missing or unreadable header fails here, in one line
  Schema schema = extractSchema(options);
  writeOutput(args.get("-o"), schemaToText(schema));
  return kExitOk;
}

}  // namespace uvgen
