// `uvgen generate`: the main job. Parses uv.h once and writes every output
// the repository keeps, each only when its content changes.
#include <iostream>

#include "cli/files.h"
#include "commands/commands.h"
#include "extract/extract_schema.h"
#include "schema/schema_json.h"

namespace uvgen {

int runGenerateCommand(const ParsedArgs& args) {
  ExtractOptions options;
  options.header = args.get("--header", systemHeader());
  options.include_dirs = args.all("-I");
  options.defines = args.all("-D");
  readTextFile(options.header);
  const std::string root = args.get("--root", ".");
  Schema schema = extractSchema(options);

  OutputFiles outputs;
  outputs.add(root + "/generated/uv.schema.json", schemaToText(schema));

  for (const std::string& path : outputs.commit()) std::cout << "wrote " << path << "\n";
  return kExitOk;
}

}  // namespace uvgen
