// What `uvgen schema` says about the system uv.h, checked against what the
// compiler says about the same header.
#include <uv.h>

#include <cerrno>
#include <cstddef>
#include <map>

#include "schema_fixture.h"

using uvgen::Enum;
using uvgen::Field;
using uvgen::Function;
using uvgen::RecordLayout;
using uvgen::Type;
using uvgen::test::hostSchema;

namespace {

std::map<std::string, int64_t> enumerators(const Enum& e) {
  std::map<std::string, int64_t> values;
  for (const auto& enumerator : e.enumerators) values[enumerator.name] = enumerator.value;
  return values;
}

const Field& fieldNamed(const RecordLayout& record, const std::string& name) {
  for (const Field& field : record.fields)
    if (field.name == name) return field;
  FAIL("no field " << name << " in " << record.name);
  throw;
}

const RecordLayout& record(const std::string& name) {
  const RecordLayout* found = hostSchema().schema.findRecord(name);
  REQUIRE(found != nullptr);
  return *found;
}

const Function& function(const std::string& name) {
  const Function* found = hostSchema().schema.findFunction(name);
  REQUIRE(found != nullptr);
  return *found;
}

}  // namespace

TEST_CASE("schema_errno_values_are_the_system_errno_values", "[schema]") {
  const Enum* errors = hostSchema().schema.findEnum("uv_errno_t");
  REQUIRE(errors != nullptr);
  auto values = enumerators(*errors);
  // uv/errno.h must see the system <errno.h>, not itself.
  CHECK(values.at("UV_EAGAIN") == -EAGAIN);
  CHECK(values.at("UV_ECONNRESET") == -ECONNRESET);
  CHECK(values.at("UV_ENOBUFS") == -ENOBUFS);
  CHECK(values.at("UV_EOF") == -4095);
}

TEST_CASE("schema_has_every_uv_errno_enumerator_with_the_compiled_value", "[schema]") {
  auto values = enumerators(*hostSchema().schema.findEnum("uv_errno_t"));
  std::map<std::string, int64_t> compiled;
#define UVGEN_ERRNO_ENTRY(code, _) compiled["UV_" #code] = UV_##code;
  UV_ERRNO_MAP(UVGEN_ERRNO_ENTRY)
#undef UVGEN_ERRNO_ENTRY
  compiled["UV_ERRNO_MAX"] = UV_ERRNO_MAX;
  CHECK(values == compiled);
}

TEST_CASE("schema_has_every_uv_handle_type_enumerator_with_the_compiled_value", "[schema]") {
  auto values = enumerators(*hostSchema().schema.findEnum("uv_handle_type"));
  std::map<std::string, int64_t> compiled = {{"UV_UNKNOWN_HANDLE", UV_UNKNOWN_HANDLE},
                                             {"UV_FILE", UV_FILE},
                                             {"UV_HANDLE_TYPE_MAX", UV_HANDLE_TYPE_MAX}};
#define UVGEN_HANDLE_ENTRY(upper, _) compiled["UV_" #upper] = UV_##upper;
  UV_HANDLE_TYPE_MAP(UVGEN_HANDLE_ENTRY)
#undef UVGEN_HANDLE_ENTRY
  CHECK(values == compiled);
  CHECK(values.at("UV_TCP") == 12);
  CHECK(values.at("UV_NAMED_PIPE") == 7);
}

TEST_CASE("schema_record_sizes_and_offsets_match_the_compiler", "[schema]") {
  CHECK(record("uv_pipe_s").size == sizeof(uv_pipe_t));
  CHECK(record("uv_pipe_s").align == alignof(uv_pipe_t));
  CHECK(record("uv_tcp_s").size == sizeof(uv_tcp_t));
  CHECK(record("uv_stream_s").size == sizeof(uv_stream_t));
  CHECK(fieldNamed(record("uv_pipe_s"), "write_queue_size").offset_bits == 8 * offsetof(uv_pipe_t, write_queue_size));
  CHECK(fieldNamed(record("uv_pipe_s"), "ipc").offset_bits == 8 * offsetof(uv_pipe_t, ipc));
  CHECK(record("uv_pipe_s").kind == "struct");
  CHECK(record("uv_any_handle").kind == "union");
}

TEST_CASE("schema_nests_anonymous_unions_with_their_own_layout", "[schema]") {
  const Field& u = fieldNamed(record("uv_handle_s"), "u");
  REQUIRE(u.type.kind == Type::Kind::Record);
  REQUIRE(u.type.anonymous_record != nullptr);
  CHECK(u.type.anonymous_record->kind == "union");
  CHECK(u.type.anonymous_record->size == sizeof(uv_handle_t::u));
  CHECK(u.offset_bits == 8 * offsetof(uv_handle_t, u));
  REQUIRE(u.type.anonymous_record->fields.size() == 2);
  CHECK(u.type.anonymous_record->fields[0].name == "fd");
  CHECK(u.type.anonymous_record->fields[1].name == "reserved");
  CHECK(u.type.anonymous_record->fields[1].type.length == 4u);
}

TEST_CASE("schema_marks_fields_of_private_macros_private", "[schema]") {
  CHECK_FALSE(fieldNamed(record("uv_pipe_s"), "write_queue_size").is_private);
  CHECK_FALSE(fieldNamed(record("uv_pipe_s"), "ipc").is_private);
  CHECK(fieldNamed(record("uv_pipe_s"), "pipe_fname").is_private);
  CHECK(fieldNamed(record("uv_handle_s"), "flags").is_private);
}

TEST_CASE("schema_includes_the_system_records_libuv_uses", "[schema]") {
  CHECK(record("sockaddr_in").size == sizeof(sockaddr_in));
  CHECK(record("sockaddr_in6").size == sizeof(sockaddr_in6));
  CHECK(record("sockaddr_storage").size == sizeof(sockaddr_storage));
  CHECK_FALSE(record("sockaddr_in").is_libuv);
  CHECK(record("uv_pipe_s").is_libuv);
  CHECK(fieldNamed(record("sockaddr_in"), "sin_port").offset_bits == 8 * offsetof(sockaddr_in, sin_port));
}

TEST_CASE("schema_functions_have_parameter_names_and_types", "[schema]") {
  const Function& init = function("uv_pipe_init");
  CHECK(init.result.name == "int");
  REQUIRE(init.params.size() == 3);
  CHECK(init.params[0].name == "");  // uv.h declares uv_pipe_init(uv_loop_t*, uv_pipe_t* handle, int ipc)
  CHECK(init.params[0].type.kind == Type::Kind::Pointer);
  CHECK(init.params[0].type.pointee->name == "uv_loop_t");
  CHECK(init.params[1].name == "handle");
  CHECK(init.params[1].type.spelling == "uv_pipe_t *");
  CHECK(init.params[2].name == "ipc");
  CHECK(init.params[2].type.name == "int");
  CHECK_FALSE(init.variadic);

  const Function& getsockname = function("uv_pipe_getsockname");
  REQUIRE(getsockname.params.size() == 3);
  CHECK(getsockname.params[2].name == "size");
  CHECK(getsockname.params[2].type.pointee->name == "size_t");
  CHECK(getsockname.params[0].type.pointee->is_const);
}

TEST_CASE("schema_marks_variadic_functions", "[schema]") {
  CHECK(function("uv_loop_configure").variadic);
  CHECK(function("uv_loop_configure").params.size() == 2);
}

TEST_CASE("schema_has_the_functions_newer_than_libuv_1_10", "[schema]") {
  for (const char* name : {"uv_pipe", "uv_socketpair", "uv_pipe_chmod", "uv_try_write2",
                           "uv_stream_get_write_queue_size", "uv_tcp_close_reset"})
    CHECK(hostSchema().schema.findFunction(name) != nullptr);
}

TEST_CASE("schema_callback_typedefs_keep_parameter_names", "[schema]") {
  const uvgen::Typedef* read_cb = hostSchema().schema.findTypedef("uv_read_cb");
  REQUIRE(read_cb != nullptr);
  REQUIRE(read_cb->callback.has_value());
  REQUIRE(read_cb->callback->params.size() == 3);
  CHECK(read_cb->callback->params[0].name == "stream");
  CHECK(read_cb->callback->params[1].name == "nread");
  CHECK(read_cb->callback->params[1].type.name == "ssize_t");
  CHECK(read_cb->callback->params[2].name == "buf");
  CHECK(read_cb->callback->result.name == "void");
  CHECK_FALSE(hostSchema().schema.findTypedef("uv_pipe_t")->callback.has_value());
}

TEST_CASE("schema_typedefs_name_their_records", "[schema]") {
  const uvgen::Typedef* pipe = hostSchema().schema.findTypedef("uv_pipe_t");
  REQUIRE(pipe != nullptr);
  CHECK(pipe->type.kind == Type::Kind::Record);
  CHECK(pipe->type.name == "uv_pipe_s");
  CHECK(hostSchema().schema.recordOf(pipe->type) == hostSchema().schema.findRecord("uv_pipe_s"));
  const uvgen::Typedef* size = hostSchema().schema.findTypedef("size_t");
  REQUIRE(size != nullptr);
  CHECK(size->type.name == "unsigned long");
}

TEST_CASE("schema_has_the_version_macros_and_target", "[schema]") {
  const auto& schema = hostSchema().schema;
  CHECK(schema.libuv.major == UV_VERSION_MAJOR);
  CHECK(schema.libuv.minor == UV_VERSION_MINOR);
  CHECK(schema.libuv.patch == UV_VERSION_PATCH);
  REQUIRE(schema.findMacro("UV_VERSION_MINOR") != nullptr);
  CHECK(std::get<int64_t>(schema.findMacro("UV_VERSION_MINOR")->value) == UV_VERSION_MINOR);
  CHECK(std::get<std::string>(schema.findMacro("UV_VERSION_SUFFIX")->value) == UV_VERSION_SUFFIX);
  CHECK(schema.target.pointer_size == sizeof(void*));
  CHECK(schema.target.triple.rfind("x86_64", 0) == 0);
}

TEST_CASE("schema_keeps_libuv_comments_as_doc_text", "[schema]") {
  CHECK(record("uv_pipe_s").doc.find("Representing a pipe stream or pipe server.") != std::string::npos);
  CHECK(record("uv_handle_s").doc == "The abstract base class of all handles.");
  // A comment separated from the declaration by other text is not its doc.
  CHECK(function("uv_shutdown").doc.empty());
}

TEST_CASE("schema_for_i686_has_32_bit_layouts", "[schema]") {
  auto generated = uvgen::test::generateSchema({"--target", "i686-linux-gnu"});
  const auto& schema = generated.schema;
  CHECK(schema.target.pointer_size == 4);
  CHECK(schema.target.triple.rfind("i686", 0) == 0);
  REQUIRE(schema.findRecord("uv_handle_s") != nullptr);
  CHECK(schema.findRecord("uv_handle_s")->size < record("uv_handle_s").size);
  CHECK(schema.findTypedef("size_t")->type.name == "unsigned int");
}
