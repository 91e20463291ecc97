#include "emit/shim_source.h"

#include <sstream>

#include "emit/shim_header.h"
#include "plan/names.h"

namespace uvgen {
namespace {

const char* slotsOwnerKind(ShimStorage::Kind kind) { return kind == ShimStorage::Kind::Request ? "request" : "handle"; }

// What a wrapper returns when it refuses a call.
std::string refusal(const ShimFunction& function) {
  switch (function.refusal) {
    case ShimFunction::Refusal::Nothing: return "return;";
    case ShimFunction::Refusal::Status: return "return UV_EINVAL;";
    case ShimFunction::Refusal::Null: return "return NULL;";
    case ShimFunction::Refusal::Zero: return "return 0;";
  }
  return "return 0;";
}

void emitTrampoline(std::ostringstream& out, const ShimCallback& callback) {
  std::string c_params;
  for (size_t i = 0; i < callback.params.size(); ++i) {
    const ShimValue& p = callback.params[i];
    c_params += (i ? ", " : "") + cDeclaration(p.c_type, p.name);
  }
  std::string call, after;
  out << "\nstatic " << callback.result.c_type << " " << callback.trampoline << "(" << c_params << ") {\n";
  if (callback.context) {
    // The last argument is the wrapper's context: the user's callback and argument.
    const std::string& context = callback.params.back().name;
    out << "  " << callback.context_type << " *context = (" << callback.context_type << " *)" << context << ";\n  ";
    call = "context->user(";
    for (size_t i = 0; i + 1 < callback.params.size(); ++i) call += callback.params[i].to_shim + ", ";
    call += "context->arg)";
  } else {
    const ShimValue& owner = callback.params.front();
    out << "  " << owner.shim_type << "owner = " << owner.to_shim << ";\n"
        << "  " << callback.shim_name << " user = (" << callback.shim_name << ")uvshim__slots(owner)["
        << callback.slot << "];\n  ";
    call = "user(owner";
    for (size_t i = 1; i < callback.params.size(); ++i) {
      const ShimValue& p = callback.params[i];
      if (!p.buffers) {
        call += ", " + p.to_shim;
        continue;
      }
      // A buffer in the shim's field order, copied back when the user fills it in.
      out << "uvshim_buf_t " << p.name << "_shim = uvshim__buf_from_uv_pointer(" << p.name << ");\n  ";
      call += ", " + p.name + " ? &" + p.name + "_shim : NULL";
      if (p.shim_type.rfind("const ", 0) != 0)
        after += "  if (" + p.name + ") *" + p.name + " = uvshim__buf_to_uv(" + p.name + "_shim);\n";
    }
    call += ")";
  }
  if (callback.result.shim_type == "void")
    out << call << ";\n" << after;
  else
    out << cDeclaration(callback.result.shim_type, "result") << " = " << call << ";\n"
        << after << "  return " << callback.result.to_c << ";\n";
  out << "}\n";
}

// Converts a record the user filled in with shim types into libuv's, member
// by member; 0, or UV_EINVAL for an inconsistent array, UV_ENOMEM.
void emitConverter(std::ostringstream& out, const ShimConvertedRecord& record, const ShimSurface& surface) {
  using Kind = ShimConvertedRecord::Field::Kind;
  out << "\nstatic int32_t " << record.converter << "(const " << record.shim_type << " *in, " << record.c_type
      << " *out, const void *owner) {\n"
      << "  (void)owner;  /* the handle whose trailer keeps the record's callbacks */\n"
      << "  memset(out, 0, sizeof *out);\n";
  for (const ShimConvertedRecord::Field& field : record.fields) {
    const std::string to = "out->" + field.name;
    switch (field.kind) {
      case Kind::Value:
        out << "  " << to << " = " << field.value.to_c << ";\n";
        break;
      case Kind::Callback: {
        const ShimCallback& callback = *surface.findCallback(field.callback);
        out << "  uvshim__slots(owner)[" << callback.slot << "] = (uvshim__function)in->" << field.name << ";  /* the "
            << slotsOwnerKind(callback.owner) << "'s " << callback.c_name << " */\n"
            << "  " << to << " = in->" << field.name << " ? " << callback.trampoline << " : NULL;\n";
        break;
      }
      case Kind::Array: {
        const ShimConvertedRecord& element = *surface.findConvertedRecord(field.element);
        const std::string count = "in->" + field.count;
        out << "  if (" << count << " < 0 || (" << count << " > 0 && in->" << field.name << " == NULL)) return UV_EINVAL;\n"
            << "  if (" << count << " > 0) {\n"
            << "    " << to << " = calloc((size_t)" << count << ", sizeof *" << to << ");\n"
            << "    if (" << to << " == NULL) return UV_ENOMEM;\n"
            << "    for (int64_t i = 0; i < (int64_t)" << count << "; ++i) {\n"
            << "      int32_t status = " << element.converter << "(&in->" << field.name << "[i], &" << to
            << "[i], owner);\n"
            << "      if (status != 0) {\n        free(" << to << ");\n        " << to << " = NULL;\n"
            << "        return status;\n      }\n    }\n  }\n";
        break;
      }
      case Kind::SelectedUnion: {
        std::string flags;
        for (const std::string& flag : field.pointer_when) flags += (flags.empty() ? "" : " | ") + flag;
        out << "  if (in->" << field.selector << " & (" << flags << "))\n"
            << "    " << to << "." << field.pointer_member.name << " = " << field.pointer_member.to_c << ";\n"
            << "  else\n"
            << "    " << to << "." << field.other_member.name << " = " << field.other_member.to_c << ";\n";
        break;
      }
    }
  }
  out << "  return 0;\n}\n";
  if (record.release.empty()) return;
  out << "\nstatic void " << record.release << "(" << record.c_type << " *converted) {\n";
  for (const ShimConvertedRecord::Field& field : record.fields)
    if (field.kind == Kind::Array) out << "  free(converted->" << field.name << ");\n";
  out << "}\n";
}

void emitWrapper(std::ostringstream& out, const ShimFunction& function, const ShimSurface& surface) {
  out << "\nUVSHIM_EXTERN " << shimFunctionSignature(function) << " {\n";
  std::vector<const ShimValue*> converted;
  for (const ShimValue& p : function.params) {
    // libuv calls a context callback unconditionally, and a record is
    // converted before the call: NULL is refused too.
    if ((p.storage && !p.nullable) || p.unix_path || p.callback_context || !p.converted_record.empty())
      out << "  if (" << p.name << " == NULL) " << refusal(function) << "\n";
    if (!p.converted_record.empty()) converted.push_back(&p);
    if (p.unix_path)
      out << "#ifndef _WIN32\n"
          << "  if (strlen(" << p.name << ") >= sizeof(((struct sockaddr_un *)0)->sun_path)) return UV_ENAMETOOLONG;\n"
          << "#endif\n";
  }
  // Buffer arrays in libuv's layout, for this call (libuv copies them).
  std::string release;
  for (const ShimValue& p : function.params) {
    if (!p.buffers) continue;
    out << "  uv_buf_t " << p.name << "_small[UVSHIM__SMALL_BUFS];\n"
        << "  uv_buf_t *" << p.name << "_uv, *" << p.name << "_heap = NULL;\n"
        << "  int32_t " << p.name << "_status = uvshim__bufs_to_uv(" << p.name << ", " << p.buffer_count << ", "
        << p.name << "_small, &" << p.name << "_uv, &" << p.name << "_heap);\n"
        << "  if (" << p.name << "_status != 0) return " << p.name << "_status;\n";
    release += "  if (" + p.name + "_heap) free(" + p.name + "_heap);\n";
  }
  // Records converted into libuv's: locals of this call, released after it.
  for (const ShimValue* p : converted) {
    const ShimConvertedRecord& record = *surface.findConvertedRecord(p->converted_record);
    out << "  " << record.c_type << " " << p->name << "_uv;\n"
        << "  int32_t " << p->name << "_status = " << record.converter << "(" << p->name << ", &" << p->name << "_uv, "
        << (p->converted_owner.empty() ? "NULL" : p->converted_owner) << ");\n"
        << "  if (" << p->name << "_status != 0) return " << p->name << "_status;\n";
    if (!record.release.empty()) release += "  " + record.release + "(&" + p->name + "_uv);\n";
  }
  std::string args, context_arg;
  for (const ShimValue& p : function.params) {
    if (!p.callback_context) continue;
    // libuv calls a context callback before returning: the context lives on this stack.
    const ShimValue::CallbackContext& context = *p.callback_context;
    out << "  " << context.context_type << " " << p.name << "_context;\n"
        << "  " << p.name << "_context.user = " << p.name << ";\n"
        << "  " << p.name << "_context.arg = " << context.arg_param << ";\n";
    context_arg = "&" + p.name + "_context";
  }
  for (size_t i = 0; i < function.params.size(); ++i) {
    const ShimValue& p = function.params[i];
    args += i ? ", " : "";
    if (p.replaced_by_context) {
      args += context_arg;
      continue;
    }
    if (p.callback_context) {
      args += p.callback_context->trampoline;
      continue;
    }
    if (p.passthrough_callback) {
      args += p.to_c;
      continue;
    }
    if (!p.converted_record.empty() || p.buffers) {
      args += p.converted_record.empty() ? p.name + "_uv" : "&" + p.name + "_uv";
      continue;
    }
    if (!p.callback_slot) {
      args += p.to_c;
      continue;
    }
    // The user's callback lives in the trailer of the handle or request it belongs to.
    const ShimValue::CallbackSlot& slot = *p.callback_slot;
    out << "  uvshim__slots(" << slot.owner_param << ")[" << slot.slot << "] = (uvshim__function)" << p.name
        << ";  /* the " << slotsOwnerKind(slot.owner_kind) << "'s " << p.callback << " */\n";
    args += p.name + " ? " + slot.trampoline + " : NULL";
  }
  std::string call = function.c_name + "(" + args + ")";
  if (function.returns_status_instead_of_void) {
    out << "  " << call << ";\n" << release << "  return 0;\n";
  } else if (function.result.shim_type == "void") {
    out << "  " << call << ";\n" << release;
  } else {
    out << "  " << cDeclaration(function.result.c_type, "result") << " = " << call
        << ";\n" << release << "  return " << function.result.to_shim << ";\n";
  }
  out << "}\n";
}

// uvshim_buf_t is {base, len} everywhere; libuv's uv_buf_t is that on Unix
// and {ULONG len, char *base} on Windows. Only the conversions in use are
// written: Clang warns about an unused static function.
void emitBufferConversions(std::ostringstream& out, const ShimSurface& surface) {
  bool callback_buffers = false, callback_writes = false, arrays = false;
  for (const ShimCallback& callback : surface.callbacks)
    for (const ShimValue& p : callback.params) {
      callback_buffers = callback_buffers || p.buffers;
      callback_writes = callback_writes || (p.buffers && p.shim_type.rfind("const ", 0) != 0);
    }
  for (const ShimFunction& function : surface.functions)
    for (const ShimValue& p : function.params) arrays = arrays || p.buffers;
  const bool to_uv = callback_writes || surface.usesConversion("uvshim__buf_to_uv(");
  const bool from_uv = surface.usesConversion("uvshim__buf_from_uv(");  // by value (uv_buf_init)
  if (!to_uv && !from_uv && !callback_buffers && !arrays) return;
  out << "\n/* Buffers: uvshim_buf_t is {base, len} on every platform, libuv's uv_buf_t\n"
      << " * {len, base} on Windows. Where the two agree, arrays pass as they are. */\n"
      << "#define UVSHIM__BUFS_AGREE (sizeof(uv_buf_t) == sizeof(uvshim_buf_t) && \\\n"
      << "  offsetof(uv_buf_t, base) == offsetof(uvshim_buf_t, base) && \\\n"
      << "  offsetof(uv_buf_t, len) == offsetof(uvshim_buf_t, len) && sizeof(((uv_buf_t *)0)->len) == sizeof(size_t))\n";
  if (to_uv)
    out << "\nstatic inline uv_buf_t uvshim__buf_to_uv(uvshim_buf_t buf) {\n"
        << "  uv_buf_t result;\n  result.base = buf.base;\n  result.len = buf.len;\n  return result;\n}\n";
  if (from_uv)
    out << "\nstatic inline uvshim_buf_t uvshim__buf_from_uv(uv_buf_t buf) {\n"
        << "  uvshim_buf_t result;\n  result.base = buf.base;\n  result.len = buf.len;\n  return result;\n}\n";
  if (callback_buffers)
    out << "\n/* A callback's buffer, for the user: {NULL, 0} for none. */\n"
        << "static inline uvshim_buf_t uvshim__buf_from_uv_pointer(const uv_buf_t *buf) {\n"
        << "  uvshim_buf_t result;\n  result.base = buf ? buf->base : NULL;\n  result.len = buf ? buf->len : 0;\n"
        << "  return result;\n}\n";
  if (arrays)
    out << "\n/* A function's buffers in libuv's layout: the user's array itself where the\n"
        << " * layouts agree, else a copy in `small` or, for more than UVSHIM__SMALL_BUFS,\n"
        << " * in `*heap` (the caller frees it). 0, UV_ENOMEM, or UV_EINVAL for a length\n"
        << " * libuv's uv_buf_t cannot hold. */\n"
        << "#define UVSHIM__SMALL_BUFS 8\n"
        << "static int32_t uvshim__bufs_to_uv(const uvshim_buf_t *bufs, uint32_t nbufs, uv_buf_t *small, uv_buf_t **out,\n"
        << "                                 uv_buf_t **heap) {\n"
        << "  *out = (uv_buf_t *)(uintptr_t)bufs;\n"
        << "  if (UVSHIM__BUFS_AGREE || bufs == NULL || nbufs == 0) return 0;\n"
        << "  if (nbufs > UVSHIM__SMALL_BUFS) {\n"
        << "    *heap = (uv_buf_t *)malloc((size_t)nbufs * sizeof(uv_buf_t));\n"
        << "    if (*heap == NULL) return UV_ENOMEM;\n"
        << "  }\n"
        << "  *out = *heap ? *heap : small;\n"
        << "  for (uint32_t i = 0; i < nbufs; ++i) {\n"
        << "    (*out)[i].base = bufs[i].base;\n"
        << "    (*out)[i].len = bufs[i].len;\n"
        << "    if ((*out)[i].len != bufs[i].len) {\n"
        << "      free(*heap);\n      *heap = NULL;\n      return UV_EINVAL;\n    }\n"
        << "  }\n"
        << "  return 0;\n}\n";
}

void emitAccessor(std::ostringstream& out, const ShimAccessor& accessor) {
  const ShimStorage& storage = *accessor.storage;
  auto object = [&](bool is_const) {
    std::string c_pointer = (is_const ? "const " : "") + storage.c_type + " *";
    if (storage.kind == ShimStorage::Kind::Loop || storage.kind == ShimStorage::Kind::Referenced)
      return "((" + c_pointer + ")(object))";
    return "UVSHIM__TO_UV(" + c_pointer + ", object)";
  };
  const ShimValue& v = accessor.value;
  if (!accessor.getter_is_function)
    out << "\nUVSHIM_EXTERN " << cDeclaration(v.shim_type, accessor.getter) << "(const " << storage.shim_name
        << " *object) {\n"
        << "  if (object == NULL) return " << (v.shim_type.back() == '*' ? "NULL" : "0") << ";\n"
        << "  " << cDeclaration(v.c_type, "value") << " = " << object(true) << "->"
        << accessor.field << ";\n  return " << v.to_shim << ";\n}\n";
  if (accessor.setter.empty() || accessor.setter_is_function) return;
  out << "\nUVSHIM_EXTERN void " << accessor.setter << "(" << storage.shim_name << " *object, "
      << cDeclaration(v.shim_type, "value") << ") {\n"
      << "  if (object == NULL) return;\n"
      << "  " << object(false) << "->" << accessor.field << " = " << v.to_c << ";\n}\n";
}

}  // namespace

std::string emitShimSource(const ShimSurface& surface) {
  std::ostringstream out;
  out << "/* Generated by `uvgen shim` from the schema of libuv " << surface.libuv_version << " ("
      << inertCommentText(surface.target) << ") and the module spec; do not edit. */\n"
      << "#ifndef _GNU_SOURCE\n#define _GNU_SOURCE /* uv.h needs POSIX's types */\n#endif\n"
      << "#include \"uvshim.h\"\n\n#include <stdlib.h>\n#include <string.h>\n#ifndef _WIN32\n#include <sys/un.h>\n#endif\n"
      << "#include <uv.h>\n\n"
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
    if (storage.kind == ShimStorage::Kind::Referenced) continue;  // libuv allocates it
    std::string trailer = storage.kind == ShimStorage::Kind::Loop ? "" : " + UVSHIM__TRAILER_SIZE";
    out << "_Static_assert(sizeof(" << storage.c_type << ")" << trailer << " <= sizeof(" << storage.shim_name
        << "), \"" << storage.c_name << " does not fit " << storage.shim_name << "\");\n"
        << "_Static_assert(_Alignof(" << storage.c_type << ") <= _Alignof(" << storage.shim_name << "), \""
        << storage.c_name << " needs a stricter alignment than " << storage.shim_name << "\");\n";
  }

  if (!surface.records.empty())
    out << "\n/* The shim's records are libuv's, field by field; a spare member only through its\n"
        << " * record's size, as a later libuv may give part of it to a new field. */\n";
  for (const ShimRecord& record : surface.records) {
    out << "_Static_assert(sizeof(" << record.shim_type << ") == sizeof(" << record.c_type << "), \"" << record.shim_type
        << "\");\n";
    out << "_Static_assert(_Alignof(" << record.shim_type << ") == _Alignof(" << record.c_type << "), \""
        << record.shim_type << " alignment\");\n";
    for (const ShimRecord::Field& field : record.fields) {
      if (field.spare) continue;  // a later libuv may give its room to new fields
      out << "_Static_assert(offsetof(" << record.shim_type << ", " << field.name << ") == offsetof(" << record.c_type
          << ", " << field.name << "), \"" << record.shim_type << "." << field.name << "\");\n";
      out << "_Static_assert(sizeof(((" << record.shim_type << " *)0)->" << field.name << ") == sizeof(((" << record.c_type
          << " *)0)->" << field.name << "), \"" << record.shim_type << "." << field.name << " size\");\n";
    }
  }

  emitBufferConversions(out, surface);

  out << "\n/* The constants in uvshim.h are libuv's. */\n";
  for (const ShimConstant& constant : surface.constants)
    out << "_Static_assert(" << constant.shim_name << " == " << constant.c_name << ", \"" << constant.shim_name
        << "\");\n";

  out << "\nUVSHIM_EXTERN uint32_t uvshim_abi_version(void) { return UVSHIM_ABI_VERSION; }\n";

  bool has_contexts = false;
  for (const ShimCallback& callback : surface.callbacks) {
    if (!callback.context) continue;
    if (!has_contexts) out << "\n/* Contexts of callbacks libuv calls before the function taking them returns. */\n";
    has_contexts = true;
    out << callback.context_type << " {\n  " << callback.shim_name << " user;\n  void *arg;\n};\n";
  }

  out << "\n/* Trampolines: libuv calls these, they call the user's callback with shim types. */\n";
  for (const ShimCallback& callback : surface.callbacks)
    if (!callback.passthrough) emitTrampoline(out, callback);

  if (!surface.converted_records.empty())
    out << "\n/* Records the user fills in with the shim's types, converted into libuv's on each call. */\n";
  for (const ShimConvertedRecord& record : surface.converted_records) emitConverter(out, record, surface);

  out << "\n/* Wrappers. */\n";
  for (const ShimFunction& function : surface.functions) emitWrapper(out, function, surface);

  out << "\n/* Accessors of the public fields. */\n";
  for (const ShimAccessor& accessor : surface.accessors) emitAccessor(out, accessor);
  return out.str();
}

}  // namespace uvgen
