// Each test edits a copy of the system uv.h in one way and checks the verdict
// and exit status of `uvgen abi-check` against the unchanged copy's schema:
// 0 identical, 4 compatible changes only, 12 breaking.
#include "abi_check_run.h"

using uvgen::test::AbiCheck;
using uvgen::test::AbiCheckRun;
using uvgen::test::Edit;
using uvgen::test::Json;
using uvgen::test::macroLine;
using uvgen::test::readFile;
using uvgen::test::Scope;
using uvgen::test::value;
using uvgen::test::writeFile;

namespace {

constexpr int kIdentical = 0;
constexpr int kCompatible = 4;
constexpr int kBreaking = 12;

// A field of a record of the baseline schema, for offsets that depend on the target.
Json baselineField(const AbiCheckRun& run, const std::string& record, const std::string& field) {
  const Json schema = Json::parse(readFile(run.baseline()));
  for (const Json& r : schema.at("records"))
    if (r.at("name") == record)
      for (const Json& f : r.at("fields"))
        if (f.at("name") == field) return f;
  FAIL("no field " << record << "." << field << " in the baseline");
  return {};
}

std::string offsetText(uint64_t bits) { return "offset " + std::to_string(bits) + " bits"; }

const Edit kAddPipeFunction{"UV_EXTERN int uv_pipe_chmod(uv_pipe_t* handle, int flags);\n",
                            "UV_EXTERN int uv_pipe_chmod(uv_pipe_t* handle, int flags);\n"
                            "UV_EXTERN int uv_pipe_set_mode(uv_pipe_t* handle, int mode);\n"};

const Edit kInsertFsField{"  ssize_t result;\n", "  ssize_t result;\n  void* extra;\n"};

}  // namespace

// --- identity -------------------------------------------------------------

TEST_CASE("unchanged_header_is_identical_in_scope_spec", "[abi]") {
  AbiCheckRun run;
  AbiCheck check = run.check({}, Scope::Spec);
  REQUIRE(check.exit_code == kIdentical);
  CHECK(check.report.at("verdict") == "identical");
  CHECK(check.report.at("changes").empty());
}

TEST_CASE("unchanged_header_is_identical_in_scope_all", "[abi]") {
  AbiCheckRun run;
  AbiCheck check = run.check({}, Scope::All);
  REQUIRE(check.exit_code == kIdentical);
  CHECK(check.report.at("changes").empty());
}

// --- functions ------------------------------------------------------------

TEST_CASE("function_added_is_compatible", "[abi]") {
  AbiCheckRun run;
  AbiCheck check = run.check({kAddPipeFunction}, Scope::All);
  REQUIRE(check.exit_code == kCompatible);
  Json change = check.change("function_added", "uv_pipe_set_mode");
  CHECK(value(change, "old_value") == "(null)");
  CHECK(value(change, "new_value") == "int uv_pipe_set_mode(uv_pipe_t *handle, int mode)");
  CHECK(value(change, "direct") == "compatible");
  CHECK(value(change, "shim") == "compatible");
}

TEST_CASE("function_added_outside_the_spec_is_not_judged", "[abi]") {
  AbiCheckRun run;
  AbiCheck check = run.check({kAddPipeFunction}, Scope::Spec);
  REQUIRE(check.exit_code == kIdentical);
  CHECK(check.change("function_added", "uv_pipe_set_mode").at("in_scope") == false);
}

TEST_CASE("function_removed_is_breaking", "[abi]") {
  AbiCheckRun run;
  AbiCheck check = run.check({{"UV_EXTERN int uv_pipe_bind(uv_pipe_t* handle, const char* name);\n", ""}}, Scope::Spec);
  REQUIRE(check.exit_code == kBreaking);
  Json change = check.change("function_removed", "uv_pipe_bind");
  CHECK(value(change, "old_value") == "int uv_pipe_bind(uv_pipe_t *handle, const char *name)");
  CHECK(value(change, "new_value") == "(null)");
  CHECK(change.at("in_scope") == true);
}

TEST_CASE("fs_function_removed_breaks_scope_all_only", "[abi]") {
  AbiCheckRun run;
  const std::vector<Edit> edits = {{"UV_EXTERN int uv_fs_fsync(uv_loop_t* loop,\n", "UV_EXTERN int uv_fs_fsync_renamed(uv_loop_t* loop,\n"}};
  AbiCheck spec = run.check(edits, Scope::Spec);
  CHECK(spec.exit_code == kIdentical);
  CHECK(spec.change("function_removed", "uv_fs_fsync").at("in_scope") == false);
  AbiCheck all = run.check(edits, Scope::All);
  CHECK(all.exit_code == kBreaking);
  CHECK(all.change("function_removed", "uv_fs_fsync").at("in_scope") == true);
  CHECK(all.has("function_added", "uv_fs_fsync_renamed"));
}

TEST_CASE("function_parameter_type_changed_is_breaking", "[abi]") {
  AbiCheckRun run;
  AbiCheck check = run.check({{"uv_pipe_init(uv_loop_t*, uv_pipe_t* handle, int ipc);", "uv_pipe_init(uv_loop_t*, uv_pipe_t* handle, long ipc);"}},
                             Scope::Spec);
  REQUIRE(check.exit_code == kBreaking);
  Json change = check.change("function_param_type_changed", "uv_pipe_init parameter 3 (ipc)");
  CHECK(value(change, "declaration") == "uv_pipe_init");
  CHECK(value(change, "old_value") == "int");
  CHECK(value(change, "new_value") == "long");
}

TEST_CASE("function_parameter_added_is_breaking", "[abi]") {
  AbiCheckRun run;
  AbiCheck check = run.check({{"uv_pipe_bind(uv_pipe_t* handle, const char* name);", "uv_pipe_bind(uv_pipe_t* handle, const char* name, int flags);"}},
                             Scope::Spec);
  REQUIRE(check.exit_code == kBreaking);
  Json change = check.change("function_param_count_changed", "uv_pipe_bind");
  CHECK(value(change, "old_value") == "(uv_pipe_t *handle, const char *name)");
  CHECK(value(change, "new_value") == "(uv_pipe_t *handle, const char *name, int flags)");
}

TEST_CASE("function_return_type_changed_is_breaking", "[abi]") {
  AbiCheckRun run;
  AbiCheck check = run.check({{"UV_EXTERN int uv_pipe_chmod(", "UV_EXTERN long uv_pipe_chmod("}}, Scope::Spec);
  REQUIRE(check.exit_code == kBreaking);
  Json change = check.change("function_return_changed", "uv_pipe_chmod");
  CHECK(value(change, "old_value") == "int");
  CHECK(value(change, "new_value") == "long");
}

TEST_CASE("function_made_variadic_is_breaking", "[abi]") {
  AbiCheckRun run;
  AbiCheck check = run.check({{"uv_pipe_chmod(uv_pipe_t* handle, int flags);", "uv_pipe_chmod(uv_pipe_t* handle, int flags, ...);"}},
                             Scope::Spec);
  REQUIRE(check.exit_code == kBreaking);
  Json change = check.change("function_variadic_changed", "uv_pipe_chmod");
  CHECK(value(change, "new_value") == "(uv_pipe_t *handle, int flags, ...)");
}

// The pointer is passed the same way: binary compatible, a source change.
TEST_CASE("pointee_const_dropped_is_compatible_with_a_source_note", "[abi]") {
  AbiCheckRun run;
  const std::vector<Edit> edits = {{"uv_pipe_bind(uv_pipe_t* handle, const char* name);", "uv_pipe_bind(uv_pipe_t* handle, char* name);"}};
  AbiCheck check = run.check(edits, Scope::Spec);
  REQUIRE(check.exit_code == kCompatible);
  Json change = check.change("function_param_type_changed", "uv_pipe_bind parameter 2 (name)");
  CHECK(value(change, "old_value") == "const char *");
  CHECK(value(change, "new_value") == "char *");
  CHECK(value(change, "direct") == "compatible");
  CHECK(value(change, "source") == "breaking");
  CHECK(run.check(edits, Scope::Spec, {"--strict-source"}).exit_code == kBreaking);
}

TEST_CASE("pointer_parameter_to_another_layout_is_breaking", "[abi]") {
  AbiCheckRun run;
  AbiCheck check = run.check({{"uv_pipe_bind(uv_pipe_t* handle, const char* name);", "uv_pipe_bind(uv_pipe_t* handle, const int* name);"}},
                             Scope::Spec);
  REQUIRE(check.exit_code == kBreaking);
  CHECK(value(check.change("function_param_type_changed", "uv_pipe_bind parameter 2 (name)"), "direct") == "breaking");
}

TEST_CASE("parameter_renamed_is_identical", "[abi]") {
  AbiCheckRun run;
  AbiCheck check = run.check({{"uv_pipe_bind(uv_pipe_t* handle, const char* name);", "uv_pipe_bind(uv_pipe_t* pipe, const char* path);"}},
                             Scope::All);
  REQUIRE(check.exit_code == kIdentical);
  CHECK(check.report.at("changes").empty());
}

// Types compare by structure: uv_file is a typedef of int.
TEST_CASE("typedef_spelled_as_its_target_is_identical", "[abi]") {
  AbiCheckRun run;
  AbiCheck check = run.check({{"uv_pipe_open(uv_pipe_t*, uv_file file);", "uv_pipe_open(uv_pipe_t*, int file);"}}, Scope::All);
  REQUIRE(check.exit_code == kIdentical);
  CHECK(check.report.at("changes").empty());
}

// --- records and fields ---------------------------------------------------

TEST_CASE("fs_field_inserted_breaks_scope_all_only", "[abi]") {
  AbiCheckRun run;
  AbiCheck spec = run.check({kInsertFsField}, Scope::Spec);
  CHECK(spec.exit_code == kIdentical);
  CHECK(spec.change("field_added", "uv_fs_s.extra").at("in_scope") == false);
  AbiCheck all = run.check({kInsertFsField}, Scope::All);
  REQUIRE(all.exit_code == kBreaking);
  Json added = all.change("field_added", "uv_fs_s.extra");
  CHECK(value(added, "direct") == "breaking");
  CHECK(value(added, "shim") == "breaking");
  const uint64_t ptr = baselineField(run, "uv_fs_s", "ptr").at("offset_bits");
  Json moved = all.change("field_offset_changed", "uv_fs_s.ptr");
  CHECK(value(moved, "old_value") == offsetText(ptr));
  CHECK(value(moved, "new_value") == offsetText(ptr + 64));
  CHECK(all.changes("record_size_changed").size() == 1);
}

// The repository's own module spec does not use uv_thread_options_t (libuv's
// threads are not generated: Nim has its own).
TEST_CASE("thread_options_field_inserted_is_outside_the_repository_spec", "[abi]") {
  AbiCheckRun run;
  AbiCheck check = run.check({{"  unsigned int flags;\n  size_t stack_size;", "  unsigned int flags;\n  size_t extra;\n  size_t stack_size;"}},
                             Scope::RepositorySpec);
  REQUIRE(check.exit_code == kIdentical);
  CHECK(check.report.at("scope") == "spec");
  CHECK(check.change("field_added", "uv_thread_options_s.extra").at("in_scope") == false);
}

// uv_statfs_t is in it: uv_fs's StatFs, and a record uvshim.h declares with
// libuv's layout, so a field inserted before the spare room breaks both flavours.
TEST_CASE("statfs_field_inserted_breaks_the_repository_spec", "[abi]") {
  AbiCheckRun run;
  AbiCheck check = run.check({{"  uint64_t f_ffree;\n", "  uint64_t f_ffree;\n  uint64_t f_extra;\n"}},
                             Scope::RepositorySpec);
  REQUIRE(check.exit_code == kBreaking);
  CHECK(check.change("field_added", "uv_statfs_s.f_extra").at("in_scope") == true);
}

TEST_CASE("pipe_field_inserted_is_breaking", "[abi]") {
  AbiCheckRun run;
  AbiCheck check = run.check({{"  UV_STREAM_FIELDS\n  int ipc;", "  UV_STREAM_FIELDS\n  int mode;\n  int ipc;"}}, Scope::Spec);
  REQUIRE(check.exit_code == kBreaking);
  CHECK(check.has("field_added", "uv_pipe_s.mode"));
  const uint64_t ipc = baselineField(run, "uv_pipe_s", "ipc").at("offset_bits");
  Json moved = check.change("field_offset_changed", "uv_pipe_s.ipc");
  CHECK(value(moved, "old_value") == offsetText(ipc));
  CHECK(value(moved, "new_value") == offsetText(ipc + 32));
}

TEST_CASE("stream_fields_reordered_is_breaking", "[abi]") {
  AbiCheckRun run;
  AbiCheck check = run.check({{"uv_alloc_cb alloc_cb;", "@ALLOC@"},
                              {"uv_read_cb read_cb;", "uv_alloc_cb alloc_cb;"},
                              {"@ALLOC@", "uv_read_cb read_cb;"}},
                             Scope::Spec);
  REQUIRE(check.exit_code == kBreaking);
  Json reordered = check.change("fields_reordered", "uv_pipe_s");
  CHECK(value(reordered, "old_value") == "..., alloc_cb, read_cb, ...");
  CHECK(value(reordered, "new_value") == "..., read_cb, alloc_cb, ...");
  CHECK(check.has("field_offset_changed", "uv_pipe_s.read_cb"));
  CHECK(check.has("field_offset_changed", "uv_pipe_s.alloc_cb"));
}

// Members of a union all sit at offset 0: only their order shows the change.
TEST_CASE("union_members_reordered_is_breaking", "[abi]") {
  AbiCheckRun run;
  AbiCheck check = run.check({{macroLine("    int fd;") + macroLine("    void* reserved[4];"),
                               macroLine("    void* reserved[4];") + macroLine("    int fd;")}},
                             Scope::Spec);
  REQUIRE(check.exit_code == kBreaking);
  Json reordered = check.change("fields_reordered", "uv_pipe_s.u");
  CHECK(value(reordered, "old_value") == "fd, reserved");
  CHECK(value(reordered, "new_value") == "reserved, fd");
  CHECK(check.changes("field_offset_changed").empty());
}

TEST_CASE("field_type_changed_is_breaking", "[abi]") {
  AbiCheckRun run;
  AbiCheck check = run.check({{"  size_t write_queue_size;", "  double write_queue_size;"}}, Scope::Spec);
  REQUIRE(check.exit_code == kBreaking);
  Json change = check.change("field_type_changed", "uv_pipe_s.write_queue_size");
  CHECK(value(change, "old_value") == "size_t");
  CHECK(value(change, "new_value") == "double");
  CHECK(check.changes("field_offset_changed").empty());
}

TEST_CASE("field_made_a_bit_field_is_breaking", "[abi]") {
  AbiCheckRun run;
  AbiCheck check = run.check({{"  int ipc;", "  int ipc : 1;"}}, Scope::Spec);
  REQUIRE(check.exit_code == kBreaking);
  Json change = check.change("field_bit_width_changed", "uv_pipe_s.ipc");
  CHECK(value(change, "old_value") == "not a bit-field");
  CHECK(value(change, "new_value") == "1 bit");
}

TEST_CASE("bit_width_changed_is_breaking", "[abi]") {
  AbiCheckRun run(std::vector<Edit>{{"  int ipc;", "  int ipc : 1;"}});
  AbiCheck check = run.check({{"  int ipc;", "  int ipc : 2;"}}, Scope::Spec);
  REQUIRE(check.exit_code == kBreaking);
  Json change = check.change("field_bit_width_changed", "uv_pipe_s.ipc");
  CHECK(value(change, "old_value") == "1 bit");
  CHECK(value(change, "new_value") == "2 bits");
  CHECK(check.report.at("changes").size() == 1);
}

TEST_CASE("record_grown_at_the_end_is_breaking", "[abi]") {
  AbiCheckRun run;
  AbiCheck check = run.check({{"  UV_PIPE_PRIVATE_FIELDS\n};", "  UV_PIPE_PRIVATE_FIELDS\n  void* extra;\n};"}}, Scope::Spec);
  REQUIRE(check.exit_code == kBreaking);
  Json size = check.change("record_size_changed", "uv_pipe_s");
  const Json schema = Json::parse(readFile(run.baseline()));
  uint64_t old_size = 0;
  for (const Json& r : schema.at("records"))
    if (r.at("name") == "uv_pipe_s") old_size = r.at("size");
  CHECK(value(size, "old_value") == std::to_string(old_size) + " bytes");
  CHECK(value(size, "new_value") == std::to_string(old_size + sizeof(void*)) + " bytes");
  CHECK(check.has("field_added", "uv_pipe_s.extra"));
}

TEST_CASE("record_alignment_changed_is_breaking", "[abi]") {
  AbiCheckRun run;
  AbiCheck check = run.check({{"  UV_PIPE_PRIVATE_FIELDS\n};", "  UV_PIPE_PRIVATE_FIELDS\n} __attribute__((aligned(64)));"}},
                             Scope::Spec);
  REQUIRE(check.exit_code == kBreaking);
  CHECK(value(check.change("record_align_changed", "uv_pipe_s"), "new_value") == "64 bytes");
}

TEST_CASE("record_added_is_compatible", "[abi]") {
  AbiCheckRun run;
  const std::vector<Edit> edits = {{"struct uv_pipe_s {", "struct uv_pipe_options_s {\n  int mode;\n};\n\nstruct uv_pipe_s {"}};
  AbiCheck all = run.check(edits, Scope::All);
  REQUIRE(all.exit_code == kCompatible);
  CHECK(value(all.change("record_added", "uv_pipe_options_s"), "new_value") == "struct uv_pipe_options_s (4 bytes)");
  AbiCheck spec = run.check(edits, Scope::Spec);
  CHECK(spec.exit_code == kIdentical);
}

TEST_CASE("record_removed_breaks_scope_all_only", "[abi]") {
  AbiCheckRun run;
  const std::vector<Edit> edits = {{"union uv_any_handle {\n  UV_HANDLE_TYPE_MAP(XX)\n};\n", ""}};
  AbiCheck all = run.check(edits, Scope::All);
  REQUIRE(all.exit_code == kBreaking);
  CHECK(all.has("record_removed", "uv_any_handle"));
  AbiCheck spec = run.check(edits, Scope::Spec);
  CHECK(spec.exit_code == kIdentical);
}

// --- private fields: code built against libuv never names one -------------

TEST_CASE("private_field_type_changed_is_compatible_for_both_flavours", "[abi]") {
  AbiCheckRun run;
  const std::vector<Edit> edits = {
      {"struct uv_pipe_s {",
       "#undef UV_PIPE_PRIVATE_FIELDS\n#define UV_PIPE_PRIVATE_FIELDS void* pipe_fname;\nstruct uv_pipe_s {"}};
  AbiCheck both = run.check(edits, Scope::Spec);
  REQUIRE(both.exit_code == kCompatible);
  Json change = both.change("field_type_changed", "uv_pipe_s.pipe_fname");
  CHECK(value(change, "old_value") == "const char *");
  CHECK(value(change, "new_value") == "void *");
  CHECK(value(change, "direct") == "compatible");
  CHECK(value(change, "shim") == "compatible");
  CHECK(value(change, "source") == "compatible");
  CHECK(value(change, "note") == "private field");
  CHECK(both.report.at("changes").size() == 1);
  CHECK(run.check(edits, Scope::Spec, {"--flavour", "direct"}).exit_code == kCompatible);
  CHECK(run.check(edits, Scope::Spec, {"--strict-source"}).exit_code == kCompatible);
}

TEST_CASE("private_field_renamed_is_compatible_for_both_flavours", "[abi]") {
  AbiCheckRun run;
  const std::vector<Edit> edits = {
      {"struct uv_pipe_s {",
       "#undef UV_PIPE_PRIVATE_FIELDS\n#define UV_PIPE_PRIVATE_FIELDS const char* pipe_path;\nstruct uv_pipe_s {"}};
  AbiCheck both = run.check(edits, Scope::Spec);
  REQUIRE(both.exit_code == kCompatible);
  CHECK(value(both.change("field_removed", "uv_pipe_s.pipe_fname"), "shim") == "compatible");
  CHECK(value(both.change("field_added", "uv_pipe_s.pipe_path"), "direct") == "compatible");
}

TEST_CASE("private_field_that_moves_public_fields_breaks_shim", "[abi]") {
  AbiCheckRun run;
  const std::vector<Edit> edits = {
      {"#define UV_HANDLE_FIELDS",
       "#undef UV_HANDLE_PRIVATE_FIELDS\n"
       "#define UV_HANDLE_PRIVATE_FIELDS uv_handle_t* next_closing; unsigned int flags; void* extra;\n"
       "#define UV_HANDLE_FIELDS"}};
  AbiCheck shim = run.check(edits, Scope::Spec, {"--flavour", "shim"});
  REQUIRE(shim.exit_code == kBreaking);
  CHECK(value(shim.change("field_added", "uv_pipe_s.extra"), "shim") == "compatible");
  Json moved = shim.change("field_offset_changed", "uv_pipe_s.write_queue_size");
  CHECK(value(moved, "shim") == "breaking");
  CHECK(value(moved, "direct") == "breaking");
  CHECK(value(shim.change("record_size_changed", "uv_pipe_s"), "shim") == "breaking");
}

// --- typedefs and callbacks -----------------------------------------------

TEST_CASE("callback_parameter_type_changed_is_breaking", "[abi]") {
  AbiCheckRun run;
  AbiCheck check = run.check({{"(*uv_read_cb)(uv_stream_t* stream,\n                           ssize_t nread,",
                               "(*uv_read_cb)(uv_stream_t* stream,\n                           int nread,"}},
                             Scope::Spec);
  REQUIRE(check.exit_code == kBreaking);
  Json change = check.change("callback_signature_changed", "uv_read_cb");
  CHECK(value(change, "old_value") == "void (*)(uv_stream_t *, ssize_t, const uv_buf_t *)");
  CHECK(value(change, "new_value") == "void (*)(uv_stream_t *, int, const uv_buf_t *)");
  // Reported once, at the typedef, not at every field and function that uses it.
  CHECK(check.changes("field_type_changed").empty());
  CHECK(check.changes("function_param_type_changed").empty());
}

// uv_close_cb is reached from uv_pipe_t through its close_cb field.
TEST_CASE("callback_parameter_added_is_breaking", "[abi]") {
  AbiCheckRun run;
  AbiCheck check = run.check({{"(*uv_close_cb)(uv_handle_t* handle);", "(*uv_close_cb)(uv_handle_t* handle, int status);"}},
                             Scope::Spec);
  REQUIRE(check.exit_code == kBreaking);
  CHECK(value(check.change("callback_signature_changed", "uv_close_cb"), "new_value") == "void (*)(uv_handle_t *, int)");
}

TEST_CASE("fs_callback_changed_breaks_scope_all_only", "[abi]") {
  AbiCheckRun run;
  const std::vector<Edit> edits = {{"(*uv_fs_cb)(uv_fs_t* req);", "(*uv_fs_cb)(uv_fs_t* req, int status);"}};
  CHECK(run.check(edits, Scope::Spec).exit_code == kIdentical);
  AbiCheck all = run.check(edits, Scope::All);
  REQUIRE(all.exit_code == kBreaking);
  CHECK(all.has("callback_signature_changed", "uv_fs_cb"));
}

TEST_CASE("typedef_retargeted_is_breaking", "[abi]") {
  AbiCheckRun run;
  AbiCheck check = run.check({{"typedef struct uv_pipe_s uv_pipe_t;", "typedef struct uv_tcp_s uv_pipe_t;"}}, Scope::Spec);
  REQUIRE(check.exit_code == kBreaking);
  Json change = check.change("typedef_type_changed", "uv_pipe_t");
  CHECK(value(change, "old_value") == "struct uv_pipe_s");
  CHECK(value(change, "new_value") == "struct uv_tcp_s");
}

TEST_CASE("typedef_added_is_compatible", "[abi]") {
  AbiCheckRun run;
  AbiCheck check = run.check({{"typedef struct uv_pipe_s uv_pipe_t;", "typedef struct uv_pipe_s uv_pipe_t;\ntypedef int uv_pipe_mode_t;"}},
                             Scope::All);
  REQUIRE(check.exit_code == kCompatible);
  CHECK(value(check.change("typedef_added", "uv_pipe_mode_t"), "new_value") == "int");
}

// The functions that used the typedef keep the same type, spelled out.
TEST_CASE("typedef_removed_is_breaking", "[abi]") {
  AbiCheckRun run;
  AbiCheck check = run.check({{"typedef void (*uv_thread_cb)(void* arg);\n", ""},
                              {"uv_thread_create(uv_thread_t* tid, uv_thread_cb entry,", "uv_thread_create(uv_thread_t* tid, void (*entry)(void*),"},
                              {"                                  uv_thread_cb entry,", "                                  void (*entry)(void*),"}},
                             Scope::All);
  REQUIRE(check.exit_code == kBreaking);
  CHECK(value(check.change("typedef_removed", "uv_thread_cb"), "old_value") == "void (*)(void *)");
  CHECK(check.report.at("changes").size() == 1);
}

// --- enums ----------------------------------------------------------------

TEST_CASE("enumerator_value_changed_is_breaking", "[abi]") {
  AbiCheckRun run;
  AbiCheck check = run.check({{"UV_UNKNOWN_HANDLE = 0,", "UV_UNKNOWN_HANDLE = 1,"}}, Scope::Spec);
  REQUIRE(check.exit_code == kBreaking);
  Json change = check.change("enumerator_value_changed", "UV_NAMED_PIPE");
  CHECK(value(change, "declaration") == "uv_handle_type");
  CHECK(value(change, "old_value") == "7");
  CHECK(value(change, "new_value") == "8");
}

TEST_CASE("enumerator_added_is_compatible", "[abi]") {
  AbiCheckRun run;
  AbiCheck check = run.check({{"  UV_HANDLE_TYPE_MAX\n}", "  UV_HANDLE_TYPE_MAX,\n  UV_HANDLE_TYPE_EXTRA = 100\n}"}}, Scope::Spec);
  REQUIRE(check.exit_code == kCompatible);
  Json change = check.change("enumerator_added", "UV_HANDLE_TYPE_EXTRA");
  CHECK(value(change, "declaration") == "uv_handle_type");
  CHECK(value(change, "new_value") == "100");
  CHECK(change.at("in_scope") == true);
}

TEST_CASE("enumerator_removed_is_breaking", "[abi]") {
  AbiCheckRun run;
  AbiCheck check = run.check({{"  UV_FILE,\n  UV_HANDLE_TYPE_MAX\n}", "  UV_FILE\n}"}}, Scope::Spec);
  REQUIRE(check.exit_code == kBreaking);
  CHECK(value(check.change("enumerator_removed", "UV_HANDLE_TYPE_MAX"), "old_value") == "18");
}

// The spec names the enumerator UV_EOF itself.
TEST_CASE("error_code_value_changed_is_breaking", "[abi]") {
  AbiCheckRun run;
  AbiCheck check = run.check({{"#include \"uv/errno.h\"\n", "#include \"uv/errno.h\"\n#undef UV__EOF\n#define UV__EOF (-4096)\n"}},
                             Scope::Spec);
  REQUIRE(check.exit_code == kBreaking);
  Json change = check.change("enumerator_value_changed", "UV_EOF");
  CHECK(value(change, "old_value") == "-4095");
  CHECK(value(change, "new_value") == "-4096");
  CHECK(change.at("in_scope") == true);
  CHECK(check.change("macro_value_changed", "UV__EOF").at("in_scope") == false);
}

TEST_CASE("enum_widened_by_a_large_enumerator_is_breaking", "[abi]") {
  AbiCheckRun run;
  AbiCheck check = run.check({{"  UV_HANDLE_TYPE_MAX\n}", "  UV_HANDLE_TYPE_MAX,\n  UV_HANDLE_TYPE_HUGE = 0x100000000\n}"}},
                             Scope::Spec);
  REQUIRE(check.exit_code == kBreaking);
  Json change = check.change("enum_underlying_changed", "uv_handle_type");
  CHECK(value(change, "old_value") == "unsigned int");
  CHECK(value(change, "new_value") == "unsigned long");
  CHECK(check.has("enumerator_added", "UV_HANDLE_TYPE_HUGE"));
}

TEST_CASE("enum_added_is_compatible", "[abi]") {
  AbiCheckRun run;
  AbiCheck check = run.check(
      {{"typedef struct uv_pipe_s uv_pipe_t;", "typedef struct uv_pipe_s uv_pipe_t;\nenum uv_pipe_mode { UV_PIPE_MODE_PLAIN = 0 };"}},
      Scope::All);
  REQUIRE(check.exit_code == kCompatible);
  CHECK(value(check.change("enum_added", "uv_pipe_mode"), "new_value") == "enum uv_pipe_mode");
  CHECK(check.report.at("changes").size() == 1);
}

// --- macros ---------------------------------------------------------------

TEST_CASE("macro_removed_breaks_scope_all_only", "[abi]") {
  AbiCheckRun run;
  const std::vector<Edit> edits = {{"#define UV_FS_COPYFILE_EXCL   0x0001\n", ""}};
  AbiCheck all = run.check(edits, Scope::All);
  REQUIRE(all.exit_code == kBreaking);
  CHECK(value(all.change("macro_removed", "UV_FS_COPYFILE_EXCL"), "old_value") == "1");
  CHECK(run.check(edits, Scope::Spec).exit_code == kIdentical);
}

TEST_CASE("macro_value_changed_is_breaking", "[abi]") {
  AbiCheckRun run;
  AbiCheck check = run.check({{"#define UV_FS_COPYFILE_EXCL   0x0001", "#define UV_FS_COPYFILE_EXCL   0x0008"}}, Scope::All);
  REQUIRE(check.exit_code == kBreaking);
  Json change = check.change("macro_value_changed", "UV_FS_COPYFILE_EXCL");
  CHECK(value(change, "old_value") == "1");
  CHECK(value(change, "new_value") == "8");
}

TEST_CASE("macro_added_is_compatible", "[abi]") {
  AbiCheckRun run;
  AbiCheck check = run.check({{"#define UV_FS_COPYFILE_EXCL   0x0001\n", "#define UV_FS_COPYFILE_EXCL   0x0001\n#define UV_FS_COPYFILE_SPARSE 0x0010\n"}},
                             Scope::All);
  REQUIRE(check.exit_code == kCompatible);
  CHECK(value(check.change("macro_added", "UV_FS_COPYFILE_SPARSE"), "new_value") == "16");
}

// A newer libuv version number is not a break by itself.
TEST_CASE("version_bump_is_compatible", "[abi]") {
  AbiCheckRun run;
  AbiCheck check = run.check({{"#include \"uv/version.h\"\n", "#include \"uv/version.h\"\n#undef UV_VERSION_MINOR\n#define UV_VERSION_MINOR 45\n"}},
                             Scope::Spec);
  REQUIRE(check.exit_code == kCompatible);
  Json change = check.change("macro_value_changed", "UV_VERSION_MINOR");
  CHECK(value(change, "old_value") == "44");
  CHECK(value(change, "new_value") == "45");
  CHECK(value(change, "direct") == "compatible");
}

// --- changes from libuv's history that keep the 1.x ABI ----------------------

namespace {

// libuv 1.46: the queue links `void* x[2]` became `struct uv__queue`.
const std::vector<Edit> kQueueStruct = {
    {"typedef struct uv_loop_s uv_loop_t;",
     "struct uv__queue {\n  struct uv__queue* next;\n  struct uv__queue* prev;\n};\n\ntypedef struct uv_loop_s uv_loop_t;"},
    {macroLine("  void* handle_queue[2];"), macroLine("  struct uv__queue handle_queue;")},
    {"  unsigned int active_handles;\n  void* handle_queue[2];", "  unsigned int active_handles;\n  struct uv__queue handle_queue;"}};

}  // namespace

TEST_CASE("queue_links_becoming_a_struct_of_two_pointers_is_compatible_with_a_source_note", "[abi]") {
  AbiCheckRun run;
  AbiCheck check = run.check(kQueueStruct, Scope::RepositorySpec);
  REQUIRE(check.exit_code == kCompatible);
  for (const char* name : {"uv_pipe_s.handle_queue", "uv_loop_s.handle_queue", "uv_tcp_s.handle_queue"}) {
    Json change = check.change("field_type_changed", name);
    CHECK(value(change, "old_value") == "void *[2]");
    CHECK(value(change, "new_value") == "struct uv__queue");
    CHECK(value(change, "direct") == "compatible");
    CHECK(value(change, "shim") == "compatible");
    CHECK(value(change, "source") == "breaking");
    CHECK(value(change, "note") == "same layout and passing; source change");
  }
  CHECK(check.changes("field_offset_changed").empty());
  CHECK(check.changes("record_size_changed").empty());
  CHECK(run.checkText(kQueueStruct, Scope::RepositorySpec).out.find("(same layout and passing; source change)") !=
        std::string::npos);
  // Users who want source changes to fail.
  AbiCheck strict = run.check(kQueueStruct, Scope::RepositorySpec, {"--strict-source"});
  CHECK(strict.exit_code == kBreaking);
  CHECK(strict.report.at("strict_source") == true);
}

// A struct of one pointer and one int is not two pointers.
TEST_CASE("queue_links_becoming_a_struct_of_another_layout_is_breaking", "[abi]") {
  AbiCheckRun run;
  std::vector<Edit> edits = kQueueStruct;
  edits[0].to = "struct uv__queue {\n  struct uv__queue* next;\n  long prev;\n};\n\ntypedef struct uv_loop_s uv_loop_t;";
  AbiCheck check = run.check(edits, Scope::RepositorySpec);
  REQUIRE(check.exit_code == kBreaking);
  CHECK(value(check.change("field_type_changed", "uv_pipe_s.handle_queue"), "direct") == "breaking");
}

// libuv 1.48: the timer's private heap_node became a union of the same size.
TEST_CASE("timer_heap_node_becoming_a_union_is_compatible", "[abi]") {
  AbiCheckRun run;
  AbiCheck check = run.check({}, Scope::All, {},
                             {{macroLine("  void* heap_node[3];"),
                               macroLine("  union {") + macroLine("    void* heap[3];") +
                                   macroLine("    struct { void* next; void* prev; } queue;") + macroLine("  } node;")}});
  REQUIRE(check.exit_code == kCompatible);
  Json removed = check.change("field_removed", "uv_timer_s.heap_node");
  CHECK(value(removed, "direct") == "compatible");
  CHECK(value(removed, "note") == "private field");
  CHECK(value(check.change("field_added", "uv_timer_s.node"), "direct") == "compatible");
}

// libuv 1.52: uv__io_s's callback became `uintptr_t bits` (uv__io_s is libuv-internal).
TEST_CASE("io_watcher_callback_becoming_uintptr_t_is_compatible", "[abi]") {
  AbiCheckRun run;
  AbiCheck check = run.check({}, Scope::All, {}, {{"  uv__io_cb cb;\n", "  uintptr_t bits;\n"}});
  REQUIRE(check.exit_code == kCompatible);
  CHECK(value(check.change("field_removed", "uv__io_s.cb"), "note") == "private field");
  CHECK(value(check.change("field_added", "uv__io_s.bits"), "direct") == "compatible");
}

// A function pointer and an integer in a public field are not interchangeable.
TEST_CASE("public_callback_field_becoming_uintptr_t_is_breaking", "[abi]") {
  AbiCheckRun run;
  AbiCheck check = run.check({{"  uv_read_cb read_cb;", "  uintptr_t read_cb;"}}, Scope::Spec);
  REQUIRE(check.exit_code == kBreaking);
  CHECK(value(check.change("field_type_changed", "uv_pipe_s.read_cb"), "direct") == "breaking");
}

// libuv 1.52: uv_statfs_s gave a slot of its reserved f_spare[4] to f_frsize.
TEST_CASE("reserved_room_taken_by_a_new_field_is_compatible", "[abi]") {
  AbiCheckRun run;
  AbiCheck check = run.check({{"  uint64_t f_spare[4];", "  uint64_t f_frsize;\n  uint64_t f_spare[3];"}}, Scope::All);
  REQUIRE(check.exit_code == kCompatible);
  const uint64_t spare = baselineField(run, "uv_statfs_s", "f_spare").at("offset_bits");
  Json added = check.change("field_added", "uv_statfs_s.f_frsize");
  CHECK(value(added, "new_value") == "uint64_t f_frsize (" + offsetText(spare) + ")");
  CHECK(value(added, "note") == "within reserved room");
  CHECK(value(check.change("field_offset_changed", "uv_statfs_s.f_spare"), "note") == "within reserved room");
  CHECK(value(check.change("field_type_changed", "uv_statfs_s.f_spare"), "direct") == "compatible");
  CHECK(check.changes("record_size_changed").empty());
}

// The same new field beyond the reserved room grows the struct.
TEST_CASE("new_field_beside_a_full_reserved_array_is_breaking", "[abi]") {
  AbiCheckRun run;
  AbiCheck check = run.check({{"  uint64_t f_spare[4];", "  uint64_t f_frsize;\n  uint64_t f_spare[4];"}}, Scope::All);
  REQUIRE(check.exit_code == kBreaking);
  CHECK(value(check.change("record_size_changed", "uv_statfs_s"), "direct") == "breaking");
}

// libuv 1.39: active_reqs shrank to one pointer and internal_fields took the room.
TEST_CASE("loop_active_reqs_giving_room_to_internal_fields_is_compatible", "[abi]") {
  AbiCheckRun run(std::vector<Edit>{{"    void* unused;\n    unsigned int count;\n  } active_reqs;\n"
                                     "  /* Internal storage for future extensions. */\n  void* internal_fields;\n",
                                     "    void* unused[2];\n    unsigned int count;\n  } active_reqs;\n"}});
  AbiCheck check = run.check({}, Scope::Spec);
  REQUIRE(check.exit_code == kCompatible);
  Json shrunk = check.change("record_size_changed", "uv_loop_s.active_reqs");
  CHECK(value(shrunk, "old_value") == std::to_string(2 * sizeof(void*)) + " bytes");
  CHECK(value(shrunk, "note") == "within reserved room");
  CHECK(value(check.change("field_type_changed", "uv_loop_s.active_reqs.unused"), "direct") == "compatible");
  CHECK(value(check.change("field_added", "uv_loop_s.internal_fields"), "note") == "within reserved room");
  CHECK(check.changes("field_offset_changed").empty());
}

TEST_CASE("pointee_const_added_to_a_field_is_compatible_with_a_source_note", "[abi]") {
  AbiCheckRun run;
  AbiCheck check = run.check({{"  char* model;", "  const char* model;"}}, Scope::All);
  REQUIRE(check.exit_code == kCompatible);
  Json change = check.change("field_type_changed", "uv_cpu_info_s.model");
  CHECK(value(change, "new_value") == "const char *");
  CHECK(value(change, "source") == "breaking");
  CHECK(run.check({{"  char* model;", "  const char* model;"}}, Scope::All, {"--strict-source"}).exit_code == kBreaking);
}

// libuv 1.44: uv_passwd_s.uid and gid went from long to unsigned long.
TEST_CASE("integer_signedness_changed_at_the_same_size_is_compatible", "[abi]") {
  AbiCheckRun run(std::vector<Edit>{{"  unsigned long uid;\n  unsigned long gid;", "  long uid;\n  long gid;"}});
  AbiCheck check = run.check({}, Scope::All);
  REQUIRE(check.exit_code == kCompatible);
  Json uid = check.change("field_type_changed", "uv_passwd_s.uid");
  CHECK(value(uid, "old_value") == "long");
  CHECK(value(uid, "new_value") == "unsigned long");
  CHECK(value(uid, "source") == "breaking");
  CHECK(check.has("field_type_changed", "uv_passwd_s.gid"));
}

TEST_CASE("parameter_signedness_changed_at_the_same_size_is_compatible", "[abi]") {
  AbiCheckRun run;
  AbiCheck check = run.check({{"uv_pipe_init(uv_loop_t*, uv_pipe_t* handle, int ipc);", "uv_pipe_init(uv_loop_t*, uv_pipe_t* handle, unsigned int ipc);"}},
                             Scope::Spec);
  REQUIRE(check.exit_code == kCompatible);
  CHECK(value(check.change("function_param_type_changed", "uv_pipe_init parameter 3 (ipc)"), "note") ==
        "same layout and passing; source change");
}

TEST_CASE("sentinel_enumerator_growing_is_compatible", "[abi]") {
  AbiCheckRun run;
  AbiCheck check = run.check({{"  UV_HANDLE_TYPE_MAX\n}", "  UV_EXTRA_HANDLE,\n  UV_HANDLE_TYPE_MAX\n}"}}, Scope::Spec);
  REQUIRE(check.exit_code == kCompatible);
  Json grown = check.change("enumerator_value_changed", "UV_HANDLE_TYPE_MAX");
  CHECK(value(grown, "old_value") == "18");
  CHECK(value(grown, "new_value") == "19");
  CHECK(value(grown, "note") == "sentinel grew");
  CHECK(check.has("enumerator_added", "UV_EXTRA_HANDLE"));
}

// libuv 1.22 renumbered uv_fs_type: a real break.
TEST_CASE("fs_type_renumbered_as_in_1_22_is_breaking", "[abi]") {
  AbiCheckRun run(std::vector<Edit>{{"  UV_FS_REALPATH,\n  UV_FS_COPYFILE,\n  UV_FS_LCHOWN,",
                                     "  UV_FS_LCHOWN,\n  UV_FS_REALPATH,\n  UV_FS_COPYFILE,"}});
  AbiCheck check = run.check({}, Scope::All);
  REQUIRE(check.exit_code == kBreaking);
  Json lchown = check.change("enumerator_value_changed", "UV_FS_LCHOWN");
  CHECK(value(lchown, "direct") == "breaking");
  CHECK(std::stoi(value(lchown, "new_value")) == std::stoi(value(lchown, "old_value")) + 2);
  CHECK(check.has("enumerator_value_changed", "UV_FS_REALPATH"));
  CHECK(check.has("enumerator_value_changed", "UV_FS_COPYFILE"));
}

// --- anonymous enums (libuv 1.48) ---------------------------------------------

namespace {

const Edit kAnonymousEnums{"typedef struct uv_pipe_s uv_pipe_t;",
                           "typedef struct uv_pipe_s uv_pipe_t;\n"
                           "enum {\n  UV_PIPE_NO_TRUNCATE = 1u << 0\n};\n"
                           "enum {\n  UV_THREAD_PRIORITY_HIGHEST = 2,\n  UV_THREAD_PRIORITY_LOWEST = -2\n};"};

}  // namespace

TEST_CASE("header_with_two_anonymous_enums_is_identical_to_itself", "[abi]") {
  AbiCheckRun run(std::vector<Edit>{kAnonymousEnums});
  AbiCheck check = run.check({kAnonymousEnums}, Scope::All);
  REQUIRE(check.exit_code == kIdentical);
  CHECK(check.report.at("changes").empty());
}

TEST_CASE("anonymous_enums_added_are_two_additions_and_pair_by_their_enumerators", "[abi]") {
  AbiCheckRun run;
  AbiCheck added = run.check({kAnonymousEnums}, Scope::All);
  REQUIRE(added.exit_code == kCompatible);
  CHECK(added.has("enum_added", "(anonymous enum with UV_PIPE_NO_TRUNCATE)"));
  CHECK(added.has("enum_added", "(anonymous enum with UV_THREAD_PRIORITY_HIGHEST)"));
  CHECK(added.report.at("changes").size() == 2);
  // The baseline's order swapped and one enumerator added: still the same two enums.
  AbiCheckRun with_enums(std::vector<Edit>{kAnonymousEnums});
  AbiCheck moved = with_enums.check(
      {{kAnonymousEnums.from,
        kAnonymousEnums.from + "\nenum {\n  UV_THREAD_PRIORITY_HIGHEST = 2,\n  UV_THREAD_PRIORITY_LOWEST = -2,\n"
                               "  UV_THREAD_PRIORITY_BELOW_NORMAL = -1\n};\nenum {\n  UV_PIPE_NO_TRUNCATE = 1u << 0\n};"}},
      Scope::All);
  REQUIRE(moved.exit_code == kCompatible);
  Json change = moved.change("enumerator_added", "UV_THREAD_PRIORITY_BELOW_NORMAL");
  CHECK(value(change, "declaration") == "(anonymous enum with UV_THREAD_PRIORITY_HIGHEST)");
  CHECK(moved.report.at("changes").size() == 1);
}

// --- libuv's flat include folder before 1.21 -----------------------------------

TEST_CASE("pre_1_21_flat_header_layout_reads_as_the_same_schema", "[abi]") {
  uvgen::test::TempDir dir;
  const std::string flat = uvgen::test::writeFlatLibuvHeaders(dir.path());
  CHECK(std::filesystem::exists(dir.file("uv-unix.h")));
  CHECK(std::filesystem::exists(dir.file("uv-version.h")));
  CHECK(!std::filesystem::exists(dir.file("uv")));
  CHECK(readFile(flat).find("#include \"uv-errno.h\"") != std::string::npos);
  CHECK(readFile(dir.file("uv-unix.h")).find("#include \"uv-threadpool.h\"") != std::string::npos);
  uvgen::test::ProcessResult normal = uvgen::test::runProcess({UVGEN_EXE, "schema", "--header", UVGEN_SYSTEM_UV_H});
  uvgen::test::ProcessResult flattened = uvgen::test::runProcess({UVGEN_EXE, "schema", "--header", flat});
  INFO(flattened.err);
  REQUIRE(normal.exit_code == 0);
  REQUIRE(flattened.exit_code == 0);
  const Json a = Json::parse(normal.out);
  const Json b = Json::parse(flattened.out);
  CHECK(b.at("libuv") == a.at("libuv"));
  CHECK(b.at("records") == a.at("records"));  // sizes, offsets, libuv and private flags
  CHECK(b.at("macros") == a.at("macros"));
  CHECK(b == a);
  writeFile(dir.file("baseline.json"), normal.out);
  uvgen::test::ProcessResult check = uvgen::test::runProcess(
      {UVGEN_EXE, "abi-check", "--baseline", dir.file("baseline.json"), "--header", flat, "--scope", "all"});
  CHECK(check.exit_code == kIdentical);
}
