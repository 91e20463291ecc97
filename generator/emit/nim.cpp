#include "emit/nim.h"

#include <algorithm>
#include <cctype>
#include <string_view>
#include <vector>

#include "text/utf8.h"

namespace uvgen {
namespace {

// Doc text as Nim comment lines: Nim ends a comment at a carriage return as
// well as a newline, so every line break becomes "\n" (and each line gets
// the comment marker); other control characters, the line separators and
// the bidirectional formatting characters become spaces (commentText).
std::string inertDocText(const std::string& doc) { return commentText(doc); }

constexpr size_t kLineWidth = 100;

// The lines of a doc comment: "\n" starts a new line, a blank line separates
// paragraphs, long lines wrap (list items "- " with a hanging indent). Words
// are separated by spaces: inertDocText has turned every other control
// character into one.
std::string docComment(const std::string& doc, const std::string& indent, const std::string& marker = "##") {
  const std::string text = inertDocText(doc);
  const std::string prefix = indent + marker;
  const size_t width = std::max<size_t>(40, kLineWidth - std::min(kLineWidth, prefix.size() + 1));
  std::string out;
  out.reserve(text.size() + text.size() / 8 + prefix.size() + 2);
  auto addLine = [&](std::string_view line) {
    out.append(prefix);
    if (!line.empty()) out.append(" ").append(line);
    out.push_back('\n');
  };
  std::string current;
  for (size_t start = 0; start < text.size();) {
    const size_t end = std::min(text.find('\n', start), text.size());
    const std::string_view line(text.data() + start, end - start);
    start = end + 1;
    const size_t lead = line.find_first_not_of(' ');
    if (lead == std::string_view::npos) {
      addLine("");
      continue;
    }
    const size_t hanging = lead + (line.substr(lead, 2) == "- " ? 2 : 0);
    current.assign(lead, ' ');
    bool empty = true;
    for (size_t word_start = lead; word_start < line.size();) {
      const size_t word_end = std::min(line.find(' ', word_start), line.size());
      const std::string_view word = line.substr(word_start, word_end - word_start);
      word_start = word_end + 1;
      if (word.empty()) continue;
      if (!empty && current.size() + 1 + word.size() > width) {
        addLine(current);
        current.assign(hanging, ' ');
        empty = true;
      }
      if (!empty) current += ' ';
      current += word;
      empty = false;
    }
    addLine(current);
  }
  return out;
}

// A Nim string literal; the plan only passes names here, but escape anyway.
std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7f) {
      const char* hex = "0123456789abcdef";
      out += std::string("\\x") + hex[c >> 4] + hex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

// `open` + items joined by "; " + `close`, continuing long lines under the first item.
std::string wrapList(const std::string& open, const std::vector<std::string>& items, const std::string& close) {
  std::string out = open, line = open;
  for (size_t i = 0; i < items.size(); ++i) {
    std::string piece = items[i] + (i + 1 < items.size() ? ";" : close);
    if (i > 0 && line.size() + 1 + piece.size() > kLineWidth) {
      out += "\n" + std::string(open.size(), ' ');
      line = std::string(open.size(), ' ');
    } else if (i > 0) {
      out += " ", line += " ";
    }
    out += piece, line += piece;
  }
  return items.empty() ? open + close : out;
}

size_t lastLineSize(const std::string& text) { return text.size() - (text.rfind('\n') + 1); }


// How one flavour binds the modules to C: the only place the flavours differ.
class Binding {
 public:
  virtual ~Binding() = default;
  virtual Flavour flavour() const = 0;
  // Modules every module imports first ("uvshim").
  virtual std::string baseImports() const = 0;
  virtual std::string linkPragma() const = 0;
  // The pragma binding a Nim declaration to a libuv declaration.
  virtual std::string importPragma(const std::string& c_name) const = 0;
  virtual std::string objectType(const NimObject& object) const = 0;
  // Field syntax for an object whose fields are not plain object fields.
  virtual std::string fieldAccessors(const NimObject& object) const = 0;
  virtual std::string procResult(const NimProc& proc) const = 0;
  // The pragma importing a constant's value from the C header.
  virtual std::string constantPragma(const NimConstant& constant) const = 0;
  virtual std::string procPragmaExtra(const NimProc& proc) const = 0;
};

// The private field holding a member of an anonymous C type, or a char array
// read as text ("cAddress", "cHost").
std::string copiedMemberName(const NimField& field) {
  return "c" + std::string(1, static_cast<char>(std::toupper(static_cast<unsigned char>(field.nim[0])))) +
         field.nim.substr(1);
}

// The object with the public fields the spec names, the C compiler laying it
// out. A member of an anonymous C type is private, reached by copying getters
// and setters (copiedMemberAccessors).
std::string plainObjectType(const NimObject& object, const std::string& pragma) {
  std::string out = "  " + object.nim + "* {." + pragma + ", bycopy.} = object\n";
  out += docComment(object.doc, "    ");
  for (const NimField& field : object.fields) {
    if (field.copied || !field.text_array.empty()) {
      out += "    " + copiedMemberName(field) + " {.importc: " + quoted(field.c) +
             ".}: " + (field.copied ? field.type : field.text_array) + "\n";
      continue;
    }
    out += "    " + field.nim + "* {.importc: " + quoted(field.c) + ".}: " + field.type + "\n";
    out += docComment(field.doc, "      ");
  }
  return out;
}

// A member of an anonymous C type: C sees its own type there and Nim sees the
// object declared for the member, laid out alike (the spec check proves it).
// Reads and assignments look like a field's, through the object, a `var` of
// it or a `ptr` to it: `a.address.address4`, `p.address` with
// `p: ptr InterfaceAddress`, `a.address = n`, and the nested
// `stdio[1].data.fd = 1`: the `var` and `ptr` getters return the member in
// place as the declared object, a copy's getter copies its bytes.
std::string copiedMemberAccessors(const NimObject& object) {
  std::string out;
  for (const NimField& field : object.fields) {
    if (!field.copied) continue;
    const std::string member = copiedMemberName(field);
    const std::string in_place = "cast[ptr " + field.type + "](addr self." + member + ")[]\n";
    out += "proc " + field.nim + "*(self: " + object.nim + "): " + field.type + " =\n";
    out += docComment(field.doc, "  ");
    out += "  copyMem(addr result, cast[pointer](unsafeAddr self." + member + "), sizeof(" + field.type + "))\n";
    out += "proc " + field.nim + "*(self: var " + object.nim + "): var " + field.type + " {.inline.} =\n  " + in_place;
    out += "proc " + field.nim + "*(self: ptr " + object.nim + "): var " + field.type + " {.inline.} =\n  " + in_place;
    for (const std::string& self : {"var " + object.nim, "ptr " + object.nim}) {
      out += "proc `" + field.nim + "=`*(self: " + self + "; value: " + field.type + ") =\n";
      out += "  copyMem(cast[pointer](addr self." + member + "), unsafeAddr value, sizeof(" + field.type + "))\n";
    }
  }
  return out;
}

// An object declared for a member of an anonymous C type: Nim lays it out
// from the same fields, so nothing is imported.
std::string anonymousMemberType(const NimObject& object) {
  return plainObjectType(object, object.is_union ? "union" : "pure");
}

// Imports libuv's own declarations from uv.h. The C compiler, not Nim, lays
// each object out and Nim declares only the public fields the spec names, so
// `var p: Pipe` has libuv's exact size and private fields stay private. Nim
// treats such an object as incomplete: sizeof(Pipe) is C's sizeof, evaluated
// when the C code is compiled.
class DirectBinding : public Binding {
 public:
  Flavour flavour() const override { return Flavour::Direct; }
  std::string baseImports() const override { return ""; }
  std::string linkPragma() const override { return "{.passl: \"-luv\".}\n"; }
  std::string importPragma(const std::string& c_name) const override {
    return "importc: " + quoted(c_name) + ", header: \"uv.h\"";
  }
  std::string objectType(const NimObject& object) const override {
    return plainObjectType(object, importPragma(object.c_name));
  }
  // A char array read as text, as the shim flavour's accessor gives it:
  // `req.host` is a cstring into the request.
  std::string fieldAccessors(const NimObject& object) const override {
    std::string out;
    for (const NimField& field : object.fields) {
      if (field.text_array.empty()) continue;
      out += "proc " + field.nim + "*(self: ptr " + object.nim + "): cstring = cast[cstring](addr self." +
             copiedMemberName(field) + ")\n";
      out += docComment(field.doc, "  ");
      out += "template " + field.nim + "*(self: var " + object.nim + "): cstring = " + field.nim + "(addr self)\n";
    }
    return out;
  }
  std::string procResult(const NimProc& proc) const override { return proc.result; }
  std::string procPragmaExtra(const NimProc&) const override { return ""; }
  std::string constantPragma(const NimConstant& constant) const override { return importPragma(constant.c); }
};

// Imports the stable-ABI shim's uvshim.h through the uvshim module. Handles,
// requests and the loop are the shim's opaque storage, its size known to Nim
// too, so `var p: Pipe` and objects embedding a Pipe work; fields are reached
// through accessor procs.
class ShimBinding : public Binding {
 public:
  Flavour flavour() const override { return Flavour::Shim; }
  std::string baseImports() const override { return kShimNimModule; }
  std::string linkPragma() const override { return ""; }  // uvshim.nim links
  std::string importPragma(const std::string& c_name) const override {
    return "importc: " + quoted(shimTypeName(c_name)) + ", header: uvshimHeader";
  }
  std::string objectType(const NimObject& object) const override {
    if (object.shim_storage && object.shim_storage->size == 0) {
      // An object libuv allocates: only pointers to it, its fields through accessors.
      std::string out = "  " + object.nim + "* {.importc: " + quoted(object.shim_storage->shim_name) +
                        ", header: uvshimHeader, incompleteStruct.} = object\n";
      return out + docComment(object.doc, "    ");
    }
    if (object.shim_storage) {
      std::string out = "  " + object.nim + "* {.importc: " + quoted(object.shim_storage->shim_name) +
                        ", header: uvshimHeader, bycopy, completeStruct.} = object\n";
      out += docComment(object.doc, "    ");
      out += "    opaque {.align(" + std::to_string(ShimSurface::kStorageAlign) + ").}: array[" +
             std::to_string(object.shim_storage->size) + ", uint8]\n";
      return out;
    }
    // sockaddr and friends: uvshim.h only names them, so they come from the
    // system's own socket headers.
    if (!object.is_libuv)
      return plainObjectType(object, "importc: " + quoted(object.c_spelling) + ", header: \"<netinet/in.h>\"");
    return plainObjectType(object, importPragma(object.c_name));
  }
  // Field syntax over the shim's accessors: `p.data`, `p.data = x`, `p.typ`
  // on a `ptr Pipe` or a `var Pipe`.
  std::string fieldAccessors(const NimObject& object) const override {
    if (!object.shim_storage) return "";
    std::string out;
    for (const NimField& field : object.fields) {
      const std::string self = "ptr " + object.nim;
      out += "proc " + field.nim + "*(self: " + self + "): " + field.type + " {.importc: " + quoted(field.shim_getter) +
             ", header: uvshimHeader.}\n";
      out += docComment(field.doc, "  ");
      // An object libuv allocates is only ever reached through a pointer: no `var` forms.
      const bool has_storage = object.shim_storage->size != 0;
      if (has_storage)
        out += "template " + field.nim + "*(self: var " + object.nim + "): " + field.type + " = " + field.nim +
               "(addr self)\n";
      if (field.shim_setter.empty()) continue;
      out += "proc `" + field.nim + "=`*(self: " + self + "; value: " + field.type + ") {.importc: " +
             quoted(field.shim_setter) + ", header: uvshimHeader.}\n";
      if (has_storage)
        out += "template `" + field.nim + "=`*(self: var " + object.nim + "; value: " + field.type + ") = `" +
               field.nim + "=`(addr self, value)\n";
    }
    return out;
  }
  // The shim can refuse a call where libuv returns nothing; documented code
  // ignores the result, hence discardable.
  std::string procResult(const NimProc& proc) const override {
    return proc.shim_returns_status ? "cint" : proc.result;
  }
  std::string procPragmaExtra(const NimProc& proc) const override {
    return proc.shim_returns_status ? ", discardable" : "";
  }
  std::string constantPragma(const NimConstant& constant) const override {
    return "importc: " + quoted(constant.shim_c) + ", header: uvshimHeader";
  }
};

class ModuleRenderer {
 public:
  ModuleRenderer(const NimPackage& package, const NimModule& module, const Binding& binding)
      : package_(package), module_(module), binding_(binding) {}

  std::string text() const {
    std::string body = typeSection() + constSection() + deprecatedNames() + headerConstSection() + converters() +
                       copyHooks() + accessors() + procs();
    std::string out = "# Generated by `uvgen nim --flavour " + flavourName(binding_.flavour()) +
                      "` from the schema of uv.h (libuv " + package_.libuv_version +
                      ") and the module spec; do not edit.\n";
    if (!module_.doc.empty()) out += docComment(module_.doc, "");
    // A module the header has nothing of (uv_random before libuv 1.33) uses no base module.
    std::string imports = body.empty() ? "" : binding_.baseImports();
    for (const std::string& name : module_.imports) imports += (imports.empty() ? "" : ", ") + name;
    std::string preamble = (imports.empty() ? "" : "import " + imports + "\n") + osTypes() + systemExports();
    if (!preamble.empty()) out += "\n" + preamble;
    std::string link = binding_.linkPragma();
    return out + "\n" + (link.empty() ? "" : link + "\n") + body;
  }

 private:
  // The OS's own types: posix's, or winlean's on Windows, re-exported.
  std::string osTypes() const {
    if (!module_.os_types) return "";
    const NimOsTypes& os = *module_.os_types;
    auto branch = [&](const std::string& module) {
      std::string out = "  import " + module + "\n";
      for (const NimOsType& type : os.types) out += "  export " + module + "." + type.nim + "\n";
      return out;
    };
    return docComment(os.doc, "", "#") + "when defined(windows):\n" + branch(os.windows_module) + "else:\n" +
           branch(os.posix_module);
  }

  std::string systemExports() const {
    std::string out;
    for (const NimAlias& alias : module_.aliases) {
      if (!alias.system) continue;
      if (!alias.doc.empty()) out += docComment(alias.nim + ": " + alias.doc, "", "#");
      out += "export system." + alias.nim + "\n";
      out += "when " + alias.nim + " isnot " + alias.type + ":\n  {.error: " +
             quoted(alias.c + " is " + alias.type + ", not Nim's " + alias.nim) + ".}\n";
    }
    return out;
  }

  // A value or type that Windows has otherwise (`windows` empty: the same).
  static std::string perOs(const std::string& value, const std::string& windows) {
    return windows.empty() ? value : "(when defined(windows): " + windows + " else: " + value + ")";
  }
  static std::string constantValue(const NimConstant& c) {
    return c.windows_value ? perOs(std::to_string(c.value), std::to_string(*c.windows_value)) : std::to_string(c.value);
  }

  std::string typeSection() const {
    std::string out;
    for (const NimAlias& alias : module_.aliases) {
      if (alias.system) continue;
      const bool fixed = alias.shim_fixed && binding_.flavour() == Flavour::Shim;
      out += "  " + alias.nim + "* = " + perOs(alias.type, fixed ? "" : alias.windows_type) + "\n";
      out += docComment(alias.doc, "    ");
    }
    for (const NimEnum& e : module_.enums) {
      // The C enum's size, not Nim's smallest fit: these values cross the C boundary.
      out += "  " + e.nim + "* {.size: sizeof(cint).} = enum\n";
      out += docComment(e.doc, "    ");
      for (const auto& [name, value] : e.values) {
        auto there = e.windows_values.find(name);
        out += "    " + name + " = " +
               perOs(std::to_string(value), there == e.windows_values.end() ? "" : std::to_string(there->second)) + "\n";
      }
    }
    for (const NimObject& object : module_.objects)
      out += object.anonymous_member ? anonymousMemberType(object) : binding_.objectType(object);
    for (const NimCallback& callback : module_.callbacks) {
      out += wrapList("  " + callback.nim + "* = proc (", paramList(callback.params),
                      ")" + (callback.result.empty() ? "" : ": " + callback.result) + " {.cdecl.}") +
             "\n";
      out += docComment(callback.doc, "    ");
    }
    return out.empty() ? "" : "type\n" + out + "\n";
  }

  static std::vector<std::string> paramList(const std::vector<NimParam>& params) {
    std::vector<std::string> out;
    for (const NimParam& p : params) out.push_back(p.name + ": " + p.type);
    return out;
  }

  // An enumerator whose value another one has: a constant of that value.
  std::string enumAliases() const {
    std::string out;
    for (const NimEnum& e : module_.enums)
      for (const NimEnum::Alias& alias : e.aliases) {
        if (alias.deprecated) continue;
        out += "  " + alias.nim + "* = " + e.nim + "." + alias.value + "\n";
        out += "    ## The same value as ``" + alias.value + "``.\n";
      }
    return out;
  }

  // Names used before: templates, since Nim 1.6 takes a deprecation message
  // only on routines and types. Each names the enum, so it stands for this
  // module's value even where another module has an enumerator of that name.
  std::string deprecatedNames() const {
    std::string out;
    for (const NimEnum& e : module_.enums)
      for (const NimEnum::Alias& alias : e.aliases) {
        if (!alias.deprecated) continue;
        out += "template " + alias.nim + "*(): " + e.nim + " {.deprecated: " + quoted("use " + alias.value) + ".} = " +
               e.nim + "." + alias.value + "\n";
        out += "  ## The earlier name of ``" + alias.value + "``.\n";
      }
    // Constants keep their constant-style names (`IGNORE`), which Nim's style
    // check would flag on a template.
    std::string constants;
    for (const NimConstants& group : module_.constants) {
      if (group.replaced_by.empty()) continue;
      for (const NimConstant& c : group.constants) {
        constants += "template " + c.nim + "*(): " + c.type + " {.deprecated: " + quoted("use " + group.replaced_by) +
                     ".} = " + c.type + "(" + (c.text ? quoted(*c.text) : constantValue(c)) + ")\n";
        constants += docComment(group.doc, "  ");
      }
    }
    if (!constants.empty()) out += "{.push hint[Name]: off.}\n" + constants + "{.pop.}\n";
    return out.empty() ? "" : out + "\n";
  }

  std::string constSection() const {
    std::string out = enumAliases();
    for (const NimConstants& group : module_.constants) {
      if (group.from_header) continue;
      if (group.whole_enum) {
        // A plain comment: Nim has no doc comment for a group of constants.
        out += docComment(group.doc, "  ", "#");
        for (const NimConstant& c : group.constants)
          out += "  " + c.nim + "* = " + c.type + "(" + constantValue(c) + ")\n";
        continue;
      }
      if (!group.replaced_by.empty()) continue;  // in deprecatedNames
      for (const NimConstant& c : group.constants) {
        out += "  " + c.nim + "* = " + c.type + "(" + (c.text ? quoted(*c.text) : constantValue(c)) + ")\n";
        out += docComment(group.doc, "    ");
      }
    }
    return out.empty() ? "" : "const\n" + out + "\n";
  }

  // Constants whose values differ between platforms: imported from the C
  // header when the program is compiled, so they are right on every OS.
  std::string headerConstSection() const {
    std::string out;
    for (const NimConstants& group : module_.constants) {
      if (!group.from_header) continue;
      if (group.whole_enum) out += docComment(group.doc, "  ", "#");
      for (const NimConstant& c : group.constants) {
        out += "  " + c.nim + "* {." + binding_.constantPragma(c) + ".}: " + c.type + "\n";
        if (!group.whole_enum) out += docComment(group.doc, "    ");
      }
    }
    return out.empty() ? "" : "let\n" + out + "\n";
  }

  // libuv keeps pointers into handles, requests and the loop: a copy would
  // leave it using the old one.
  std::string copyHooks() const {
    std::string out;
    for (const NimObject& object : module_.objects) {
      if (!object.no_copy) continue;
      const std::string error = quoted("a " + object.nim + " cannot be copied (libuv keeps pointers into it)");
      out += "proc `=copy`*(dest: var " + object.nim + "; source: " + object.nim + ") {.error: " + error + ".}\n";
      out += "when (NimMajor, NimMinor) >= (2, 0):\n  proc `=dup`*(source: " + object.nim + "): " + object.nim +
             " {.error: " + error + ".}\n";
    }
    return out.empty() ? "" : out + "\n";
  }

  // libuv's "subclasses" start with their base's fields, so the pointer
  // conversion is a cast (the plan's check proves the prefix from the schema).
  std::string converters() const {
    std::string out;
    auto converter = [&](const std::string& from, const std::string& target) {
      out += "converter to" + target + "*(x: ptr " + from + "): ptr " + target + " {.inline.} = cast[ptr " + target +
             "](x)\n";
      out += "  ## A ``ptr " + from + "`` passes where a ``ptr " + target + "`` is expected.\n";
    };
    for (const NimObject& object : module_.objects)
      for (const std::string& target : object.converts_to) converter(object.nim, target);
    if (module_.os_types)
      for (const NimOsType& type : module_.os_types->types)
        for (const std::string& target : type.converts_to) converter(type.nim, target);
    return out.empty() ? "" : out + "\n";
  }

  std::string accessors() const {
    std::string out;
    for (const NimObject& object : module_.objects)
      out += binding_.fieldAccessors(object) + copiedMemberAccessors(object);
    return out.empty() ? "" : out + "\n";
  }

  std::string procs() const {
    std::string out;
    for (const NimProc& proc : module_.procs) {
      std::string result = binding_.procResult(proc);
      std::string head = wrapList("proc " + proc.nim + "*(", paramList(proc.params), ")" + (result.empty() ? "" : ": " + result));
      std::string pragma = "{." + binding_.importPragma(proc.c) + binding_.procPragmaExtra(proc) + ".}";
      out += lastLineSize(head) + 1 + pragma.size() <= kLineWidth ? head + " " + pragma + "\n"
                                                                   : head + " {.\n    " + pragma.substr(2) + "\n";
      out += docComment(proc.doc, "  ");
      out += "\n";
    }
    return out;
  }

  const NimPackage& package_;
  const NimModule& module_;
  const Binding& binding_;
};

std::string shimModule(const ShimSurface& surface) {
  return "# Generated by `uvgen nim --flavour shim` from the module spec (uvshim ABI " +
         std::to_string(surface.abi_version) + "); do not edit.\n" +
         docComment("How the shim flavour reaches libuv: through libuvshim, compiled from the ``uvshim.c`` next to "
                    "this file, or, with ``-d:uvshimLibrary``, linked from an installed ``libuvshim``.",
                    "") +
         "\nconst uvshimHeader* = block:\n"
         "  ## The shim's header, for the ``header`` pragmas of the other modules: next to this file,\n"
         "  ## the path cut by hand (``os.parentDir`` would write it with the separators of the target\n"
         "  ## OS, which a cross compiler does not read).\n"
         "  const source = currentSourcePath()\n"
         "  var cut = source.len\n"
         "  while cut > 0 and source[cut - 1] notin {'/', '\\\\'}: dec cut\n"
         "  source[0 ..< cut] & \"uvshim.h\"\n\n"
         "when defined(uvshimLibrary):\n"
         "  {.passl: \"-luvshim\".}\n"
         "else:\n"
         "  {.compile: \"uvshim.c\".}\n"
         "  {.passl: \"-luv\".}\n";
}

// What the header lacks of the module spec, as a comment; empty when nothing.
std::string leftOutComment(const NimPackage& package) {
  if (package.left_out.empty()) return "";
  std::string list;
  for (const std::string& item : package.left_out) list += (list.empty() ? "" : ", ") + item;
  return "\n" + docComment("libuv " + package.libuv_version +
                               " lacks these declarations of the module spec, left out of the modules: " + list + ".",
                           "", "#");
}

std::string umbrellaModule(const NimPackage& package, Flavour flavour) {
  std::string names;
  for (const NimModule& module : package.modules) names += (names.empty() ? "" : ", ") + module.name;
  return "# Generated by `uvgen nim --flavour " + flavourName(flavour) + "` from the module spec; do not edit.\n" +
         docComment("All the libuv modules at once: ``import " + package.umbrella + "`` instead of importing " +
                        package.modules.front().name + ", ... one by one.",
                    "") +
         leftOutComment(package) + "\nimport " + names + "\nexport " + names + "\n";
}

}  // namespace

std::map<std::string, std::string> emitNimModules(const Plan& plan, Flavour flavour) {
  const DirectBinding direct;
  const ShimBinding shim;
  const Binding& binding = flavour == Flavour::Shim ? static_cast<const Binding&>(shim) : direct;
  std::map<std::string, std::string> files;
  for (const NimModule& module : plan.nim.modules)
    files[module.name + ".nim"] = ModuleRenderer(plan.nim, module, binding).text();
  files[plan.nim.umbrella + ".nim"] = umbrellaModule(plan.nim, flavour);
  if (flavour == Flavour::Shim) files[std::string(kShimNimModule) + ".nim"] = shimModule(*plan.shim);
  return files;
}

}  // namespace uvgen
