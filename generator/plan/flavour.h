// The two ways the generated bindings reach libuv. `Shim` (the default)
// goes through the stable-ABI shim's uvshim.h: handles and requests are its
// fixed-size storage and fields are reached through accessors. `Direct`
// compiles against uv.h and lays libuv's structs out itself. The Nim emitter,
// the shim and the ABI check all use this one type.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace uvgen {

enum class Flavour { Direct, Shim };

// Every flavour, in the order reports list them.
inline const std::vector<Flavour>& allFlavours() {
  static const std::vector<Flavour> flavours = {Flavour::Direct, Flavour::Shim};
  return flavours;
}

inline std::string flavourName(Flavour flavour) { return flavour == Flavour::Direct ? "direct" : "shim"; }

// The flavour of that name; nullopt for any other name.
inline std::optional<Flavour> flavourFromName(const std::string& name) {
  for (Flavour flavour : allFlavours())
    if (flavourName(flavour) == name) return flavour;
  return std::nullopt;
}

}  // namespace uvgen
