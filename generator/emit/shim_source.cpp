#include "emit/shim_source.h"

#include <sstream>

#include "emit/shim_header.h"

namespace uvgen {
namespace {

// The expression for a value of `value`'s type named `name` (the surface's
// conversions are written for the value's own name).
std::string rename(const std::string& expression, const std::string& from, const std::string& to) {
  if (from == to || from.empty()) return expression;
  std::string result;
  size_t i = 0;
  auto isWord = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  while (i < expression.size()) {
    if (expression.compare(i, from.size(), from) == 0 && (i == 0 || !isWord(expression[i - 1])) &&
        (i + from.size() == expression.size() || !isWord(expression[i + from.size()]))) {
      result += to;
      i += from.size();
    } else {
      result += expression[i++];
    }
  }
  return result;
}

const char* slotsOwnerKind(ShimStorage::Kind kind) { return kind == ShimStorage::Kind::Request ? "request" : "handle"; }

// What a wrapper returns when it refuses a call.
std::string refusal(const ShimFunction& function) {
  const std::string& type = function.result.shim_type;
  if (type == "void") return "return;";
  if (type == "int32_t" && (function.returns_status_instead_of_void || function.result.c_type == "int"))
    return "return UV_EINVAL;";
  if (type.back() == '*') return "return NULL;";
  return "return 0;";
}

void emitTrampoline(std::ostringstream& out, const ShimCallback& callback) {
  std::string c_params;
  for (size_t i = 0; i < callback.params.size(); ++i) {
    const ShimValue& p = callback.params[i];
    c_params += (i ? ", " : "") + p.c_type + (p.c_type.back() == '*' ? "" : " ") + p.name;
  }
  const ShimValue& owner = callback.params.front();
  out << "\nstatic " << callback.result.c_type << " " << callback.trampoline << "(" << c_params << ") {\n"
      << "  " << owner.shim_type << "owner = " << owner.to_shim << ";\n"
      << "  " << callback.shim_name << " user = (" << callback.shim_name << ")uvshim__slots(owner)["
      << callback.slot << "];\n  ";
  std::string call = "user(owner";
  for (size_t i = 1; i < callback.params.size(); ++i) call += ", " + callback.params[i].to_shim;
  call += ")";
  if (callback.result.shim_type == "void")
    out << call << ";\n";
  else
    out << "return " << rename(callback.result.to_c, "result", call) << ";\n";
  out << "}\n";
}

void emitWrapper(std::ostringstream& out, const ShimFunction& function, const ShimSurface& surface) {
  out << "\nUVSHIM_EXTERN " << shimFunctionSignature(function) << " {\n";
  for (const ShimValue& p : function.params) {
    if ((p.storage && !p.nullable) || p.unix_path) out << "  if (" << p.name << " == NULL) " << refusal(function) << "\n";
    if (p.unix_path)
      out << "  if (strlen(" << p.name << ") >= sizeof(((struct sockaddr_un *)0)->sun_path)) return UV_ENAMETOOLONG;\n";
  }
  std::string args;
  for (size_t i = 0; i < function.params.size(); ++i) {
    const ShimValue& p = function.params[i];
    args += i ? ", " : "";
    if (p.callback.empty()) {
      args += p.to_c;
      continue;
    }
    const ShimCallback* callback = nullptr;
    for (const ShimCallback& c : surface.callbacks)
      if (c.c_name == p.callback) callback = &c;
    // The user's callback lives in the trailer of the handle or request it belongs to.
    const ShimValue* owner = nullptr;
    for (const ShimValue& candidate : function.params)
      if (!owner && candidate.storage && candidate.storage->kind == callback->owner) owner = &candidate;
    out << "  uvshim__slots(" << owner->name << ")[" << callback->slot << "] = (uvshim__function)" << p.name
        << ";  /* the " << slotsOwnerKind(callback->owner) << "'s " << p.callback << " */\n";
    args += p.name + " ? " + callback->trampoline + " : NULL";
  }
  std::string call = function.c_name + "(" + args + ")";
  if (function.returns_status_instead_of_void) {
    out << "  " << call << ";\n  return 0;\n";
  } else if (function.result.shim_type == "void") {
    out << "  " << call << ";\n";
  } else {
    out << "  " << function.result.c_type << (function.result.c_type.back() == '*' ? "" : " ") << "result = " << call
        << ";\n  return " << function.result.to_shim << ";\n";
  }
  out << "}\n";
}

void emitAccessor(std::ostringstream& out, const ShimAccessor& accessor) {
  const ShimStorage& storage = *accessor.storage;
  auto object = [&](bool is_const) {
    std::string c_pointer = (is_const ? "const " : "") + storage.c_name + " *";
    if (storage.kind == ShimStorage::Kind::Loop) return "((" + c_pointer + ")(object))";
    return "UVSHIM__TO_UV(" + c_pointer + ", object)";
  };
  const ShimValue& v = accessor.value;
  std::string space = v.shim_type.back() == '*' ? "" : " ";
  if (!accessor.getter_is_function)
    out << "\nUVSHIM_EXTERN " << v.shim_type << space << accessor.getter << "(const " << storage.shim_name
        << " *object) {\n"
        << "  if (object == NULL) return " << (v.shim_type.back() == '*' ? "NULL" : "0") << ";\n"
        << "  " << v.c_type << (v.c_type.back() == '*' ? "" : " ") << "value = " << object(true) << "->"
        << accessor.field << ";\n  return " << v.to_shim << ";\n}\n";
  if (accessor.setter.empty()) return;
  out << "\nUVSHIM_EXTERN void " << accessor.setter << "(" << storage.shim_name << " *object, " << v.shim_type << space
      << "value) {\n"
      << "  if (object == NULL) return;\n"
      << "  " << object(false) << "->" << accessor.field << " = " << v.to_c << ";\n}\n";
}

}  // namespace

std::string emitShimSource(const ShimSurface& surface) {
  std::ostringstream out;
  out << "/* Generated by `uvgen shim` from the schema of libuv " << surface.libuv_version << " ("
      << surface.target << ") and the module spec; do not edit. */\n"
      << "#ifndef _GNU_SOURCE\n#define _GNU_SOURCE /* uv.h needs POSIX's types */\n#endif\n"
      << "#include \"uvshim.h\"\n\n#include <string.h>\n#include <sys/un.h>\n#include <uv.h>\n\n"
      << "/* Every handle and request storage starts with a trailer where the shim keeps\n"
      << " * the user's callbacks (never in the user's `data`); libuv's struct follows. */\n"
      << "#define UVSHIM__TRAILER_SIZE " << ShimSurface::kTrailerSize << "\n"
      << "#define UVSHIM__TO_UV(type, p) ((p) ? (type)((uintptr_t)(p) + UVSHIM__TRAILER_SIZE) : (type)0)\n"
      << "#define UVSHIM__FROM_UV(type, p) ((p) ? (type)((uintptr_t)(p) - UVSHIM__TRAILER_SIZE) : (type)0)\n\n"
      << "typedef void (*uvshim__function)(void);\n\n"
      << "static uvshim__function *uvshim__slots(const void *storage) {\n"
      << "  return (uvshim__function *)(uintptr_t)storage;\n}\n\n"
      << "_Static_assert(UVSHIM__TRAILER_SIZE % UVSHIM_STORAGE_ALIGN == 0, \"the trailer keeps libuv's struct aligned\");\n";

  out << "\n/* A libuv that outgrows its storage fails the build instead of corrupting memory. */\n";
  for (const ShimStorage& storage : surface.storages) {
    std::string trailer = storage.kind == ShimStorage::Kind::Loop ? "" : " + UVSHIM__TRAILER_SIZE";
    out << "_Static_assert(sizeof(" << storage.c_name << ")" << trailer << " <= sizeof(" << storage.shim_name
        << "), \"" << storage.c_name << " does not fit " << storage.shim_name << "\");\n"
        << "_Static_assert(_Alignof(" << storage.c_name << ") <= _Alignof(" << storage.shim_name << "), \""
        << storage.c_name << " needs a stricter alignment than " << storage.shim_name << "\");\n";
  }

  out << "\n/* The shim's buffer is passed to libuv as a uv_buf_t. */\n"
      << "_Static_assert(sizeof(uvshim_buf_t) == sizeof(uv_buf_t), \"uvshim_buf_t is not uv_buf_t\");\n"
      << "_Static_assert(offsetof(uvshim_buf_t, base) == offsetof(uv_buf_t, base), \"uvshim_buf_t.base\");\n"
      << "_Static_assert(offsetof(uvshim_buf_t, len) == offsetof(uv_buf_t, len), \"uvshim_buf_t.len\");\n"
      << "\nstatic inline uv_buf_t uvshim__buf_to_uv(uvshim_buf_t buf) {\n"
      << "  uv_buf_t result;\n  result.base = buf.base;\n  result.len = buf.len;\n  return result;\n}\n"
      << "static inline uvshim_buf_t uvshim__buf_from_uv(uv_buf_t buf) {\n"
      << "  uvshim_buf_t result;\n  result.base = buf.base;\n  result.len = buf.len;\n  return result;\n}\n";

  out << "\n/* The constants in uvshim.h are libuv's. */\n";
  for (const ShimConstant& constant : surface.constants)
    out << "_Static_assert(" << constant.shim_name << " == " << constant.c_name << ", \"" << constant.shim_name
        << "\");\n";

  out << "\nUVSHIM_EXTERN uint32_t uvshim_abi_version(void) { return UVSHIM_ABI_VERSION; }\n";

  out << "\n/* Trampolines: libuv calls these, they call the user's callback with shim types. */\n";
  for (const ShimCallback& callback : surface.callbacks) emitTrampoline(out, callback);

  out << "\n/* Wrappers. */\n";
  for (const ShimFunction& function : surface.functions) emitWrapper(out, function, surface);

  out << "\n/* Accessors of the public fields. */\n";
  for (const ShimAccessor& accessor : surface.accessors) emitAccessor(out, accessor);
  return out.str();
}

}  // namespace uvgen
