// The repository's module spec, changed in one place, for tests that feed a
// broken spec to the generator.
#pragma once

#include <filesystem>
#include <string>

#include "catch.h"
#include "process.h"

namespace uvgen::test {

inline std::string repositorySpec() { return std::string(UVGEN_SOURCE_DIR) + "/schema/modules.json"; }

// Writes <root>/schema/modules.json with `text`, beside a copy of the
// repository's schema/baseline (the target schemas the spec names; uvgen
// reads them only through the spec's own folder, never through a link).
inline void writeSpecInto(const std::string& root, const std::string& text) {
  std::filesystem::create_directories(root + "/schema");
  writeFile(root + "/schema/modules.json", text);
  if (!std::filesystem::exists(root + "/schema/baseline"))
    std::filesystem::copy(std::string(UVGEN_SOURCE_DIR) + "/schema/baseline", root + "/schema/baseline");
}

// Writes dir/schema/modules.json: the repository's spec with `from` replaced
// by `to`; `from` must occur exactly once. An empty `from` copies it unchanged.
inline void writeChangedSpec(const TempDir& dir, const std::string& from, const std::string& to) {
  std::string spec = readFile(repositorySpec());
  if (!from.empty()) {
    size_t at = spec.find(from);
    REQUIRE(at != std::string::npos);
    REQUIRE(spec.find(from, at + 1) == std::string::npos);
    spec.replace(at, from.size(), to);
  }
  writeSpecInto(dir.path(), spec);
}

}  // namespace uvgen::test
