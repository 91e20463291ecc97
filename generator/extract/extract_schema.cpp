#include "extract/extract_schema.h"

#include <clang/AST/ASTConsumer.h>
#include <clang/AST/ASTContext.h>
#include <clang/AST/Decl.h>
#include <clang/AST/RecordLayout.h>
#include <clang/Basic/Diagnostic.h>
#include <clang/Basic/SourceManager.h>
#include <clang/Basic/TargetInfo.h>
#include <clang/Basic/Version.h>
#include <clang/Frontend/CompilerInstance.h>
#include <clang/Frontend/FrontendAction.h>
#include <clang/Frontend/Utils.h>
#include <clang/Lex/Lexer.h>
#include <clang/Lex/MacroArgs.h>
#include <clang/Lex/MacroInfo.h>
#include <clang/Lex/PPCallbacks.h>
#include <clang/Lex/Preprocessor.h>
#include <clang/Lex/PreprocessorOptions.h>
#include <clang/Serialization/PCHContainerOperations.h>
#include <clang/Tooling/Tooling.h>
#include <llvm/Support/BuryPointer.h>
#include <llvm/Support/Errno.h>
#include <llvm/Support/VirtualFileSystem.h>
#include <llvm/Support/thread.h>
#if __has_include(<llvm/TargetParser/Host.h>)
#include <llvm/TargetParser/Host.h>  // LLVM 17 and newer
#else
#include <llvm/Support/Host.h>
#endif

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <stdexcept>
#include <string_view>
#include <unordered_map>

#include "diagnostics/input_error.h"
#include "schema/json_writer.h"
#include "schema/schema_check.h"

namespace uvgen {
namespace {

using clang::dyn_cast;
using clang::isa;

// Text from the header as the schema keeps it. Headers are not always UTF-8
// (a Latin-1 comment, a string macro), and JSON must be: ill-formed bytes
// become U+FFFD here, so the schema says what was replaced.
std::string utf8(llvm::StringRef text) { return validUtf8(std::string_view(text.data(), text.size())); }

// Keeps the first error as one line in Clang's "file:line:col: error: text"
// form; everything after it is noise for the user.
class FirstErrorConsumer : public clang::DiagnosticConsumer {
 public:
  void HandleDiagnostic(clang::DiagnosticsEngine::Level level, const clang::Diagnostic& info) override {
    DiagnosticConsumer::HandleDiagnostic(level, info);
    if (level < clang::DiagnosticsEngine::Error || !first_error.empty()) return;
    llvm::SmallString<256> message;
    info.FormatDiagnostic(message);
    std::string where;
    if (info.getLocation().isValid() && info.hasSourceManager()) {
      clang::PresumedLoc p = info.getSourceManager().getPresumedLoc(info.getLocation());
      if (p.isValid())
        where = std::string(p.getFilename()) + ":" + std::to_string(p.getLine()) + ":" +
                std::to_string(p.getColumn()) + ": ";
    }
    first_error = where + (level == clang::DiagnosticsEngine::Fatal ? "fatal error: " : "error: ") +
                  std::string(message);
  }
  std::string first_error;
};

// --- Files Clang may read ------------------------------------------------------

// Why a file is refused: an error code Clang reports with the file's name
// ("cannot open file 'fifo.h': a FIFO, not a regular file ...").
enum class RefusedFile { Fifo = 1, Socket, CharacterDevice, BlockDevice, NotAFile, TooLarge };

class RefusedFileCategory : public std::error_category {
 public:
  const char* name() const noexcept override { return "uvgen header"; }
  std::string message(int code) const override {
    const std::string regular_only = ", not a regular file (uvgen reads headers from regular files only)";
    switch (static_cast<RefusedFile>(code)) {
      case RefusedFile::Fifo: return "a FIFO" + regular_only;
      case RefusedFile::Socket: return "a socket" + regular_only;
      case RefusedFile::CharacterDevice: return "a character device" + regular_only;
      case RefusedFile::BlockDevice: return "a block device" + regular_only;
      case RefusedFile::NotAFile: return "not a regular file (uvgen reads headers from regular files only)";
      case RefusedFile::TooLarge:
        return "larger than " + std::to_string(kMaxIncludedBytes) + " bytes, uvgen's limit on header text";
    }
    return "refused";
  }
};

const std::error_category& refusedFileCategory() {
  static const RefusedFileCategory category;
  return category;
}

// An empty error code for a folder or a regular file within the size limit;
// otherwise why the file is refused.
std::error_code refusal(llvm::sys::fs::file_type type, uint64_t size) {
  using llvm::sys::fs::file_type;
  RefusedFile why = RefusedFile::NotAFile;
  switch (type) {
    case file_type::directory_file: return {};
    case file_type::regular_file:
      if (size <= kMaxIncludedBytes) return {};
      why = RefusedFile::TooLarge;
      break;
    case file_type::fifo_file: why = RefusedFile::Fifo; break;
    case file_type::socket_file: why = RefusedFile::Socket; break;
    case file_type::character_file: why = RefusedFile::CharacterDevice; break;
    case file_type::block_file: why = RefusedFile::BlockDevice; break;
    default: break;
  }
  return {static_cast<int>(why), refusedFileCategory()};
}

// A regular file (or a folder) opened by RegularFilesOnly.
class OpenedFile : public llvm::vfs::File {
 public:
  OpenedFile(int fd, llvm::vfs::Status status) : fd_(fd), status_(std::move(status)) {}
  ~OpenedFile() override { close(); }
  llvm::ErrorOr<llvm::vfs::Status> status() override { return status_; }
  llvm::ErrorOr<std::string> getName() override { return status_.getName().str(); }
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> getBuffer(const llvm::Twine& name, int64_t file_size,
                                                               bool requires_null_terminator,
                                                               bool is_volatile) override {
    return llvm::MemoryBuffer::getOpenFile(llvm::sys::fs::convertFDToNativeFile(fd_), name, file_size,
                                           requires_null_terminator, is_volatile);
  }
  std::error_code close() override {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    return {};
  }

 private:
  int fd_;
  llvm::vfs::Status status_;
};

// The real file system as Clang sees it, showing only folders and regular
// files: a FIFO would block Clang's open until someone writes to it, and a
// device such as /dev/zero reads without end. Anything else is an error when
// Clang looks at it (status) or opens it, which Clang reports naming the file.
// A file is opened with O_NONBLOCK and checked again with fstat, so a FIFO
// put in its place between the two checks cannot block the open either.
class RegularFilesOnly : public llvm::vfs::ProxyFileSystem {
 public:
  RegularFilesOnly() : ProxyFileSystem(llvm::vfs::getRealFileSystem()) {}

  llvm::ErrorOr<llvm::vfs::Status> status(const llvm::Twine& path) override {
    llvm::ErrorOr<llvm::vfs::Status> result = ProxyFileSystem::status(path);
    if (result)
      if (std::error_code refused = refusal(result->getType(), result->getSize())) return refused;
    return result;
  }

  llvm::ErrorOr<std::unique_ptr<llvm::vfs::File>> openFileForRead(const llvm::Twine& path) override {
    llvm::ErrorOr<llvm::vfs::Status> checked = status(path);
    if (!checked) return checked.getError();
    llvm::SmallString<256> storage;
    const llvm::StringRef name = path.toNullTerminatedStringRef(storage);
    const int fd = llvm::sys::RetryAfterSignal(-1, ::open, name.data(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) return std::error_code(errno, std::generic_category());
    llvm::sys::fs::file_status opened;
    std::error_code error = llvm::sys::fs::status(fd, opened);
    if (!error) error = refusal(opened.type(), opened.getSize());
    if (error) {
      ::close(fd);
      return error;
    }
    return std::make_unique<OpenedFile>(fd, llvm::vfs::Status::copyWithNewName(opened, name));
  }
};

// --- Limits on the preprocessor -------------------------------------------------

// Counts what the preprocessor does and stops it at the first limit reached
// (see kMaxIncludeDepth and the others): a fatal error at the place, then no
// further #include is entered, every macro is undefined (so an expansion under
// way ends within its current bodies), and the parser is handed the end of
// input with its next token.
class PreprocessorLimits : public clang::PPCallbacks {
 public:
  explicit PreprocessorLimits(clang::Preprocessor& pp) : pp_(pp) {}

  // Every token the preprocessor produces, at any nesting of lexing, goes to onToken.
  static void attachTo(clang::Preprocessor& pp) {
    auto limits = std::make_unique<PreprocessorLimits>(pp);
    PreprocessorLimits* counter = limits.get();
    pp.addPPCallbacks(std::move(limits));  // the preprocessor owns it
    pp.setPreprocessToken(true);
    pp.setTokenWatcher([counter](const clang::Token& token) { counter->onToken(token); });
  }

  void FileChanged(clang::SourceLocation loc, FileChangeReason reason, clang::SrcMgr::CharacteristicKind,
                   clang::FileID) override {
    if (reason == ExitFile) --depth_;
    if (reason != EnterFile) return;
    ++depth_;
    const clang::SourceManager& sm = pp_.getSourceManager();
    const clang::FileID file = sm.getFileID(loc);
    bytes_ += sm.getFileIDSize(file);
    clang::SourceLocation included_at = sm.getIncludeLoc(file);
    if (included_at.isInvalid()) included_at = loc;
    if (depth_ > kMaxIncludeDepth)
      stop(included_at, "#include nested more than " + std::to_string(kMaxIncludeDepth) +
                            " levels deep, uvgen's limit on nested headers");
    else if (bytes_ > kMaxIncludedBytes)
      stop(included_at, "headers add up to more than " + std::to_string(kMaxIncludedBytes) +
                            " bytes (each inclusion counted), uvgen's limit on header text");
  }

  void MacroDefined(const clang::Token& name, const clang::MacroDirective*) override {
    if (stopped_) undefine(name.getIdentifierInfo(), name.getLocation());
  }

 private:
  void onToken(const clang::Token& token) {
    // The preprocessor counts the tokens it hands to the parser before it
    // calls here, so a new count means this token is the parser's: after a
    // stop, the end of input is entered behind such a token, and the parse ends.
    const bool for_parser = pp_.getTokenCount() != parser_tokens_;
    parser_tokens_ = pp_.getTokenCount();
    if (!stopped_ && ++tokens_ > kMaxPreprocessorTokens)
      stop(token.getLocation(), "preprocessing produced more than " + std::to_string(kMaxPreprocessorTokens) +
                                    " tokens, uvgen's limit on preprocessor tokens");
    if (!stopped_ && parser_tokens_ > kMaxParsedTokens)
      stop(token.getLocation(), "the headers give the parser more than " + std::to_string(kMaxParsedTokens) +
                                    " tokens, uvgen's limit on parsed tokens");
    if (for_parser && !stopped_) {
      tokens_since_semicolon_ = token.is(clang::tok::semi) ? 0 : tokens_since_semicolon_ + 1;
      if (tokens_since_semicolon_ > kMaxTokensBetweenSemicolons)
        stop(token.getLocation(), "more than " + std::to_string(kMaxTokensBetweenSemicolons) +
                                      " tokens without a ';', uvgen's limit on one declaration");
    }
    if (stopped_ && for_parser && !ended_ && token.isNot(clang::tok::eof)) {
      ended_ = true;
      clang::Token end;
      end.startToken();
      end.setKind(clang::tok::eof);
      end.setLocation(token.getLocation());
      pp_.EnterToken(end, /*IsReinject=*/true);
    }
  }

  void stop(clang::SourceLocation at, const std::string& message) {
    if (stopped_) return;
    stopped_ = true;
    clang::DiagnosticsEngine& diagnostics = pp_.getDiagnostics();
    diagnostics.Report(at, diagnostics.getCustomDiagID(clang::DiagnosticsEngine::Fatal, "%0")) << message;
    pp_.getPreprocessorOpts().SingleFileParseMode = true;  // #include enters no file any more
    std::vector<clang::IdentifierInfo*> macros;
    for (const auto& entry : pp_.getIdentifierTable())
      if (entry.getValue()->hasMacroDefinition()) macros.push_back(entry.getValue());
    for (clang::IdentifierInfo* macro : macros) undefine(macro, at);
  }

  void undefine(clang::IdentifierInfo* macro, clang::SourceLocation at) {
    pp_.appendMacroDirective(macro, new (pp_.getPreprocessorAllocator()) clang::UndefMacroDirective(at));
  }

  clang::Preprocessor& pp_;
  int depth_ = 0;
  uint64_t bytes_ = 0;
  uint64_t tokens_ = 0;
  unsigned parser_tokens_ = 0;
  uint64_t tokens_since_semicolon_ = 0;
  bool stopped_ = false;
  bool ended_ = false;
};

// libuv's own files: the header itself, everything in a folder named "uv"
// (libuv 1.21 and later: uv/unix.h, uv/version.h), and libuv's headers beside
// it (before 1.21 the headers were flat: uv-unix.h, uv-version.h, uv-errno.h,
// tree.h, ... next to uv.h).
class LibuvFiles {
 public:
  explicit LibuvFiles(const clang::SourceManager& sm) : sm_(sm) {}

  bool contains(clang::SourceLocation loc) {
    clang::FileID file = sm_.getFileID(sm_.getExpansionLoc(loc));
    if (file == last_file_) return last_file_is_libuv_;  // declarations and macros come file by file
    auto cached = libuv_files_.find(file);
    bool libuv = false;
    if (cached != libuv_files_.end()) {
      libuv = cached->second;
    } else {
      libuv = file == sm_.getMainFileID();
      if (!libuv && file.isValid()) {
        std::filesystem::path path(sm_.getFilename(sm_.getLocForStartOfFile(file)).str());
        libuv = path.parent_path().filename() == "uv" || (isFlatLibuvHeader(path.filename()) && besideMainFile(path));
      }
      libuv_files_[file] = libuv;
    }
    last_file_ = file;
    last_file_is_libuv_ = libuv;
    return libuv;
  }

 private:
  bool besideMainFile(const std::filesystem::path& path) {
    std::filesystem::path main(sm_.getFilename(sm_.getLocForStartOfFile(sm_.getMainFileID())).str());
    std::error_code ec;
    return std::filesystem::equivalent(path.parent_path().empty() ? "." : path.parent_path(),
                                       main.parent_path().empty() ? "." : main.parent_path(), ec);
  }

  // The headers of libuv's flat include folder before 1.21.
  static bool isFlatLibuvHeader(const std::filesystem::path& name) {
    const std::string text = name.string();
    return (text.rfind("uv-", 0) == 0 && name.extension() == ".h") || text == "tree.h" ||
           text == "stdint-msvc2008.h" || text == "pthread-barrier.h" || text == "android-ifaddrs.h";
  }

  const clang::SourceManager& sm_;
  std::map<clang::FileID, bool> libuv_files_;
  clang::FileID last_file_;  // the file looked at last, and its answer
  bool last_file_is_libuv_ = false;
};

// The object-like macros libuv's files define, in the order the preprocessor
// meets them; a macro redefined or undefined later is sorted out at the end.
class LibuvMacros : public clang::PPCallbacks {
 public:
  explicit LibuvMacros(std::shared_ptr<LibuvFiles> files) : files_(std::move(files)) {}
  void MacroDefined(const clang::Token& name, const clang::MacroDirective* directive) override {
    const clang::MacroInfo* info = directive->getMacroInfo();
    if (info && !info->isFunctionLike() && files_->contains(info->getDefinitionLoc()))
      defined.push_back({name.getIdentifierInfo(), info});
  }
  std::vector<std::pair<const clang::IdentifierInfo*, const clang::MacroInfo*>> defined;

 private:
  std::shared_ptr<LibuvFiles> files_;
};

// A C integer literal as a macro spells it ("0x10UL", "4095"): its value and
// what decides its type.
struct IntegerLiteral {
  uint64_t magnitude = 0;
  bool beyond_64_bits = false;  // then magnitude means nothing
  bool decimal = true;
  bool unsigned_suffix = false;
  int longs = 0;  // the suffix's l or ll: 0, 1 or 2

  // Nothing for what is not an integer literal of C (1.5, 0b1, 1lul).
  static std::optional<IntegerLiteral> parse(std::string_view text) {
    IntegerLiteral literal;
    for (bool more = true; more && !text.empty();) {  // the suffix: u, l or ll, in either order
      const char last = text.back();
      if ((last == 'u' || last == 'U') && !literal.unsigned_suffix) {
        literal.unsigned_suffix = true;
        text.remove_suffix(1);
      } else if ((last == 'l' || last == 'L') && literal.longs == 0) {
        literal.longs = text.size() >= 2 && text[text.size() - 2] == last ? 2 : 1;
        text.remove_suffix(literal.longs);
      } else {
        more = false;
      }
    }
    unsigned base = 10;
    if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
      base = 16;
      text.remove_prefix(2);
    } else if (text.size() > 1 && text[0] == '0') {
      base = 8;
      text.remove_prefix(1);
    }
    literal.decimal = base == 10;
    if (text.empty()) return std::nullopt;
    for (char c : text) {
      const unsigned digit = c >= '0' && c <= '9'   ? unsigned(c - '0')
                             : c >= 'a' && c <= 'f' ? unsigned(c - 'a' + 10)
                             : c >= 'A' && c <= 'F' ? unsigned(c - 'A' + 10)
                                                    : 16;
      if (digit >= base) return std::nullopt;
      if (__builtin_mul_overflow(literal.magnitude, base, &literal.magnitude) ||
          __builtin_add_overflow(literal.magnitude, digit, &literal.magnitude))
        literal.beyond_64_bits = true;
    }
    return literal;
  }

  // The width of the literal's type when C makes it unsigned (C11 6.4.4.1):
  // with a u suffix; an octal or hexadecimal one when it fits the unsigned
  // type of a rank but not the signed; a decimal one when no signed type
  // holds it (Clang then takes unsigned long long). Nothing when signed.
  std::optional<unsigned> unsignedWidth(const clang::TargetInfo& target) const {
    const unsigned widths[] = {target.getIntWidth(), target.getLongWidth(), target.getLongLongWidth()};
    auto fits = [this](unsigned bits) { return bits >= 64 || magnitude < (uint64_t{1} << bits); };
    for (int rank = longs; rank < 3; ++rank) {
      if (unsigned_suffix ? fits(widths[rank]) : fits(widths[rank] - 1))
        return unsigned_suffix ? std::optional<unsigned>(widths[rank]) : std::nullopt;
      if (!decimal && fits(widths[rank])) return widths[rank];
    }
    return widths[2];
  }
};

// Walks the translation unit: every declaration of libuv's own headers, plus
// every record, typedef and enum they reach, in declaration order.
class SchemaBuilder {
 public:
  // problem receives the first declaration the schema cannot hold.
  SchemaBuilder(clang::ASTContext& ctx, clang::Preprocessor& pp, std::optional<InputError>& problem,
                LibuvFiles& libuv_files, const LibuvMacros& macros)
      : ctx_(ctx), pp_(pp), problem_(&problem), libuv_files_(&libuv_files), macros_(macros),
        policy_(ctx.getLangOpts()) {
    policy_.AnonymousTagLocations = false;
    policy_.SuppressTagKeyword = false;
  }

  Schema build() {
    for (clang::Decl* decl : ctx_.getTranslationUnitDecl()->decls()) visitTopLevel(decl);
    while (!pending_.empty()) {
      const clang::Decl* decl = pending_.back();
      pending_.pop_back();
      describe(decl);
    }
    Schema schema;
    schema.target.triple = utf8(ctx_.getTargetInfo().getTriple().str());
    schema.target.pointer_size = static_cast<uint32_t>(ctx_.getTypeSize(ctx_.VoidPtrTy) / 8);
    schema.target.clang_version = CLANG_VERSION_STRING;
    for (const clang::Decl* decl : inDeclarationOrder()) {
      auto found = described_.find(decl);
      if (found == described_.end()) continue;
      std::visit([&](auto& item) { addTo(schema, item); }, found->second);
    }
    collectMacros(schema);
    return schema;
  }

 private:
  using Item = std::variant<RecordLayout, Typedef, Enum, Function>;

  void addTo(Schema& s, RecordLayout& r) { s.records.push_back(std::move(r)); }
  void addTo(Schema& s, Typedef& t) { s.typedefs.push_back(std::move(t)); }
  void addTo(Schema& s, Enum& e) { s.enums.push_back(std::move(e)); }
  void addTo(Schema& s, Function& f) { s.functions.push_back(std::move(f)); }

  const clang::SourceManager& sm() const { return ctx_.getSourceManager(); }

  void visitTopLevel(const clang::Decl* decl) {
    if (decl->isInvalidDecl()) return;
    if (!libuv_files_->contains(decl->getLocation())) return;
    if (const auto* function = dyn_cast<clang::FunctionDecl>(decl)) {
      enqueue(function->getFirstDecl());
    } else if (const auto* typedef_decl = dyn_cast<clang::TypedefNameDecl>(decl)) {
      enqueue(typedef_decl->getFirstDecl());  // C11 allows a typedef to be repeated
    } else if (const auto* record = dyn_cast<clang::RecordDecl>(decl)) {
      if (const clang::RecordDecl* def = record->getDefinition(); def && hasName(def)) enqueue(def);
    } else if (const auto* enum_decl = dyn_cast<clang::EnumDecl>(decl)) {
      if (const clang::EnumDecl* def = enum_decl->getDefinition()) enqueue(def);
    }
  }

  void enqueue(const clang::Decl* decl) {
    if (seen_.insert(decl).second) pending_.push_back(decl);
  }

  static bool hasName(const clang::TagDecl* tag) {
    return !tag->getName().empty() || tag->getTypedefNameForAnonDecl() != nullptr;
  }

  static std::string tagName(const clang::TagDecl* tag) {
    if (!tag->getName().empty()) return utf8(tag->getName());
    if (const clang::TypedefNameDecl* name = tag->getTypedefNameForAnonDecl()) return utf8(name->getName());
    return "";
  }

  // The plain comment right above one of libuv's declarations (the schema
  // keeps no other; Clang drops a system header's comments unread). Clang
  // also attaches a comment separated from the declaration by a macro that
  // expands to nothing (`/* Platform-specific request types. */
  // UV_PRIVATE_REQ_TYPES`); only whitespace with at most one line break may
  // stand between them.
  std::string docOf(const clang::Decl* decl) {
    const clang::RawComment* comment = ctx_.getRawCommentForDeclNoCache(decl);
    if (!comment) return "";
    clang::SourceLocation comment_end = sm().getExpansionLoc(comment->getEndLoc());
    clang::SourceLocation decl_begin = sm().getExpansionLoc(decl->getBeginLoc());
    auto [comment_file, comment_offset] = sm().getDecomposedLoc(comment_end);
    auto [decl_file, decl_offset] = sm().getDecomposedLoc(decl_begin);
    if (comment_file != decl_file || comment_offset >= decl_offset) return "";
    llvm::StringRef between = sm().getBufferData(decl_file).slice(comment_offset + 1, decl_offset);
    if (!between.trim().empty() || between.count('\n') > 1) return "";
    return utf8(tidyComment(comment->getFormattedText(sm(), ctx_.getDiagnostics())));
  }

  // Drops blank first and last lines, trailing spaces and the common indent.
  static std::string tidyComment(const std::string& text) {
    std::vector<std::string> lines;
    llvm::SmallVector<llvm::StringRef, 8> parts;
    llvm::StringRef(text).split(parts, '\n');
    for (llvm::StringRef part : parts) lines.push_back(part.rtrim().str());
    while (!lines.empty() && lines.front().empty()) lines.erase(lines.begin());
    while (!lines.empty() && lines.back().empty()) lines.pop_back();
    size_t indent = std::string::npos;
    for (const std::string& line : lines)
      if (!line.empty()) indent = std::min(indent, line.find_first_not_of(' '));
    std::string result;
    for (const std::string& line : lines) {
      if (!result.empty()) result += '\n';
      if (!line.empty()) result += line.substr(indent);
    }
    return result;
  }

  void describe(const clang::Decl* decl) {
    if (const auto* function = dyn_cast<clang::FunctionDecl>(decl)) {
      Function f;
      f.name = utf8(function->getName());
      f.result = typeOf(function->getReturnType());
      for (const clang::ParmVarDecl* param : function->parameters())
        f.params.push_back(Param{utf8(param->getName()), typeOf(param->getType())});
      f.variadic = function->isVariadic();
      f.doc = docOf(function);
      described_.emplace(decl, std::move(f));
    } else if (const auto* typedef_decl = dyn_cast<clang::TypedefNameDecl>(decl)) {
      Typedef t;
      t.name = utf8(typedef_decl->getName());
      t.type = typeOf(typedef_decl->getUnderlyingType());
      t.callback = callbackOf(typedef_decl);
      t.is_libuv = libuv_files_->contains(decl->getLocation());
      t.doc = t.is_libuv ? docOf(typedef_decl) : "";
      described_.emplace(decl, std::move(t));
    } else if (const auto* record = dyn_cast<clang::RecordDecl>(decl)) {
      RecordLayout r = layoutOf(record);
      r.name = tagName(record);
      r.spelling = record->getName().empty() ? r.name : r.kind + " " + r.name;
      r.is_libuv = libuv_files_->contains(decl->getLocation());
      r.doc = r.is_libuv ? docOf(record) : "";
      described_.emplace(decl, std::move(r));
    } else if (const auto* enum_decl = dyn_cast<clang::EnumDecl>(decl)) {
      Enum e;
      e.name = tagName(enum_decl);
      e.spelling = enum_decl->getName().empty() ? e.name : "enum " + e.name;
      e.underlying = typeOf(enum_decl->getIntegerType());
      for (const clang::EnumConstantDecl* constant : enum_decl->enumerators())
        e.enumerators.push_back({utf8(constant->getName()), enumeratorValue(*constant, *enum_decl)});
      e.is_libuv = libuv_files_->contains(decl->getLocation());
      e.doc = e.is_libuv ? docOf(enum_decl) : "";
      described_.emplace(decl, std::move(e));
    }
  }

  // An enumerator's value, exactly, or a refusal naming it: Clang cuts a
  // value too large for every type an enum may have (`(__int128)1 << 100`)
  // to the enum's type, and the schema holds signed 64-bit integers.
  int64_t enumeratorValue(const clang::EnumConstantDecl& constant, const clang::EnumDecl& owner) {
    const std::string name = utf8(constant.getName());
    const llvm::APSInt& value = constant.getInitVal();  // in the enum's type
    clang::Expr::EvalResult written;
    if (const clang::Expr* init = constant.getInitExpr();
        init && init->IgnoreImpCasts()->EvaluateAsInt(written, ctx_) && written.Val.isInt() &&
        llvm::APSInt::compareValues(written.Val.getInt(), value) != 0) {
      refuse(constant.getLocation(), "enumerator " + name + ": " + llvm::toString(written.Val.getInt(), 10) +
                                         " does not fit the enum's type, " +
                                         utf8(owner.getIntegerType().getAsString(policy_)));
      return 0;
    }
    if (value.isSigned() ? value.getMinSignedBits() > 64 : value.getActiveBits() > 63) {
      refuse(constant.getLocation(), "enumerator " + name + ": " + llvm::toString(value, 10) +
                                         " is outside the integers the schema holds (signed 64 bits)");
      return 0;
    }
    return value.getExtValue();
  }

  // The parameter names of a callback live in the typedef's type source info.
  std::optional<Callback> callbackOf(const clang::TypedefNameDecl* decl) {
    clang::QualType underlying = decl->getUnderlyingType();
    const auto* pointer = underlying.getCanonicalType()->getAs<clang::PointerType>();
    if (!pointer || !pointer->getPointeeType()->isFunctionProtoType()) return std::nullopt;
    clang::TypeLoc loc = decl->getTypeSourceInfo()->getTypeLoc();
    while (true) {
      if (auto paren = loc.getAs<clang::ParenTypeLoc>()) loc = paren.getInnerLoc();
      else if (auto pointer_loc = loc.getAs<clang::PointerTypeLoc>()) loc = pointer_loc.getPointeeLoc();
      else if (auto attributed = loc.getAs<clang::AttributedTypeLoc>()) loc = attributed.getModifiedLoc();
      else if (auto macro = loc.getAs<clang::MacroQualifiedTypeLoc>()) loc = macro.getInnerLoc();
      else break;
    }
    auto proto = loc.getAs<clang::FunctionProtoTypeLoc>();
    if (!proto) return std::nullopt;  // a typedef of a typedef of a callback
    Callback callback;
    callback.result = typeOf(proto.getReturnLoc().getType());
    for (const clang::ParmVarDecl* param : proto.getParams())
      callback.params.push_back(Param{param ? utf8(param->getName()) : "", typeOf(param->getType())});
    callback.variadic = proto.getTypePtr()->isVariadic();
    return callback;
  }

  RecordLayout layoutOf(const clang::RecordDecl* record) {
    const clang::ASTRecordLayout& layout = ctx_.getASTRecordLayout(record);
    RecordLayout r;
    r.kind = record->isUnion() ? "union" : "struct";
    r.size = static_cast<uint64_t>(layout.getSize().getQuantity());
    r.align = static_cast<uint64_t>(layout.getAlignment().getQuantity());
    for (const clang::FieldDecl* field : record->fields()) {
      Field f;
      f.name = utf8(field->getName());
      f.type = typeOf(field->getType());
      f.offset_bits = layout.getFieldOffset(field->getFieldIndex());
      if (field->isBitField()) f.bit_width = field->getBitWidthValue(ctx_);
      f.is_private = isPrivateField(field);
      r.fields.push_back(std::move(f));
    }
    return r;
  }

  // libuv declares its private members through *_PRIVATE_FIELDS macros.
  bool isPrivateField(const clang::FieldDecl* field) {
    clang::SourceLocation loc = field->getLocation();
    while (loc.isMacroID()) {
      llvm::StringRef macro = clang::Lexer::getImmediateMacroName(loc, sm(), ctx_.getLangOpts());
      if (macro.contains("PRIVATE")) return true;
      loc = sm().getImmediateMacroCallerLoc(loc);
    }
    return false;
  }

  // Removes sugar that says nothing about the type (elaborated keywords,
  // parentheses, attributes, decay), keeping const/volatile.
  clang::QualType withoutSugar(clang::QualType type) {
    clang::Qualifiers qualifiers;
    while (true) {
      qualifiers.addQualifiers(type.getLocalQualifiers());
      const clang::Type* t = type.getTypePtr();
      if (isa<clang::ElaboratedType, clang::ParenType, clang::AttributedType, clang::MacroQualifiedType,
              clang::DecayedType>(t))
        type = clang::QualType(t, 0).getSingleStepDesugaredType(ctx_);
      else
        return ctx_.getQualifiedType(clang::QualType(t, 0), qualifiers);
    }
  }

  // A type as the schema describes it; each type is worked out once (the
  // same few recur in every signature).
  Type typeOf(clang::QualType original) {
    auto known = types_.find(original.getAsOpaquePtr());
    if (known != types_.end()) return known->second;
    Type result = describeType(original);
    types_.emplace(original.getAsOpaquePtr(), result);
    return result;
  }

  Type describeType(clang::QualType original) {
    clang::QualType type = withoutSugar(original);
    Type result;
    result.spelling = utf8(original.getAsString(policy_));
    result.is_const = type.isLocalConstQualified();
    result.is_volatile = type.isLocalVolatileQualified();
    const clang::Type* t = type.getTypePtr();
    if (const auto* typedef_type = dyn_cast<clang::TypedefType>(t)) {
      result.kind = Type::Kind::Typedef;
      result.name = utf8(typedef_type->getDecl()->getName());
      enqueue(typedef_type->getDecl()->getFirstDecl());
    } else if (const auto* builtin = dyn_cast<clang::BuiltinType>(t)) {
      result.kind = Type::Kind::Builtin;
      result.name = utf8(builtin->getName(policy_));
    } else if (const auto* pointer = dyn_cast<clang::PointerType>(t)) {
      result.kind = Type::Kind::Pointer;
      result.pointee = std::make_shared<Type>(typeOf(pointer->getPointeeType()));
    } else if (const auto* array = dyn_cast<clang::ArrayType>(t)) {
      result.kind = Type::Kind::Array;
      result.element = std::make_shared<Type>(typeOf(array->getElementType()));
      if (const auto* constant = dyn_cast<clang::ConstantArrayType>(array))
        result.length = constant->getSize().getZExtValue();
    } else if (const auto* record_type = dyn_cast<clang::RecordType>(t)) {
      const clang::RecordDecl* record = record_type->getDecl();
      result.kind = Type::Kind::Record;
      result.tag = record->isUnion() ? "union" : "struct";
      const clang::RecordDecl* def = record->getDefinition();
      if (hasName(record)) {
        result.name = tagName(record);
        if (def) enqueue(def);
      } else if (def) {
        result.anonymous_record = std::make_shared<RecordLayout>(layoutOf(def));
      }
    } else if (const auto* enum_type = dyn_cast<clang::EnumType>(t)) {
      result.kind = Type::Kind::Enum;
      result.name = tagName(enum_type->getDecl());
      if (const clang::EnumDecl* def = enum_type->getDecl()->getDefinition()) enqueue(def);
    } else if (const auto* function = dyn_cast<clang::FunctionType>(t)) {
      result.kind = Type::Kind::Function;
      result.result = std::make_shared<Type>(typeOf(function->getReturnType()));
      if (const auto* proto = dyn_cast<clang::FunctionProtoType>(function)) {
        for (clang::QualType param : proto->getParamTypes()) result.params.push_back(typeOf(param));
        result.variadic = proto->isVariadic();
      }
    } else {
      // Nothing in libuv's headers reaches here; keep the spelling rather than fail.
      result.kind = Type::Kind::Builtin;
      result.name = utf8(type.getUnqualifiedType().getAsString(policy_));
    }
    return result;
  }

  // The declarations in the order the translation unit has them. A place in
  // it is the offsets of the #include lines that led to the file, from the
  // main file down, then the offset in the file: compared in that order, a
  // file's declarations come between what its includer has before and after
  // the #include. Two declarations at one place go by their names' places.
  std::vector<const clang::Decl*> inDeclarationOrder() {
    struct Placed {
      std::vector<unsigned> place;
      clang::SourceLocation::UIntTy name_place;
      const clang::Decl* decl;
    };
    std::vector<Placed> placed;
    for (const clang::Decl* decl : seen_) {
      auto [file, offset] = sm().getDecomposedLoc(sm().getExpansionLoc(decl->getBeginLoc()));
      std::vector<unsigned> place = includeOffsets(file);
      place.push_back(offset);
      placed.push_back({std::move(place), decl->getLocation().getRawEncoding(), decl});
    }
    std::sort(placed.begin(), placed.end(), [](const Placed& a, const Placed& b) {
      return a.place != b.place ? a.place < b.place : a.name_place < b.name_place;
    });
    std::vector<const clang::Decl*> decls;
    for (const Placed& p : placed) decls.push_back(p.decl);
    return decls;
  }

  // The offsets of the #include lines from the main file down to the file.
  const std::vector<unsigned>& includeOffsets(clang::FileID file) {
    auto found = include_offsets_.find(file);
    if (found != include_offsets_.end()) return found->second;
    std::vector<unsigned> offsets;
    for (clang::FileID at = file; at.isValid();) {
      clang::SourceLocation included_at = sm().getIncludeLoc(at);
      if (included_at.isInvalid()) break;
      auto [includer, offset] = sm().getDecomposedLoc(sm().getExpansionLoc(included_at));
      offsets.insert(offsets.begin(), offset);
      at = includer;
    }
    return include_offsets_.emplace(file, std::move(offsets)).first->second;
  }

  // Object-like macros of libuv's headers whose value is a plain integer or
  // string literal (UV_VERSION_MAJOR, UV__EOF, UV_VERSION_SUFFIX), as defined
  // at the end of the header, in the order of their definitions.
  void collectMacros(Schema& schema) {
    for (const auto& [identifier, info] : macros_.defined) {
      if (pp_.getMacroInfo(identifier) != info) continue;  // redefined or undefined later
      const std::string name = utf8(identifier->getName());
      std::optional<std::variant<int64_t, std::string>> value = literalValue(name, *info);
      if (!value) continue;
      Macro macro{name, *value};
      const int64_t* number = std::get_if<int64_t>(&macro.value);
      for (auto [version_macro, part] : {std::pair{"UV_VERSION_MAJOR", &schema.libuv.major},
                                         std::pair{"UV_VERSION_MINOR", &schema.libuv.minor},
                                         std::pair{"UV_VERSION_PATCH", &schema.libuv.patch}}) {
        if (macro.name != version_macro) continue;
        if (number && *number >= 0 && *number <= INT32_MAX)
          *part = static_cast<int>(*number);
        else
          refuse(info->getDefinitionLoc(), "macro " + macro.name + ": not a version number (0 to 2147483647)");
      }
      schema.macros.push_back(std::move(macro));
    }
  }

  // The value of a macro that is one string literal, or one integer literal
  // with or without a minus, maybe in parentheses: exactly the value C gives
  // it. An integer the schema cannot hold (outside int64) is refused, naming
  // the macro, never cut to fit; anything else is not a literal macro.
  std::optional<std::variant<int64_t, std::string>> literalValue(const std::string& name,
                                                                 const clang::MacroInfo& info) {
    std::vector<clang::Token> tokens(info.tokens_begin(), info.tokens_end());
    size_t parens = 0;
    while (tokens.size() >= 2 + 2 * parens && tokens[parens].is(clang::tok::l_paren) &&
           tokens[tokens.size() - 1 - parens].is(clang::tok::r_paren))
      ++parens;
    tokens = std::vector<clang::Token>(tokens.begin() + parens, tokens.end() - parens);
    bool negative = !tokens.empty() && tokens.front().is(clang::tok::minus);
    if (negative) tokens.erase(tokens.begin());
    if (tokens.size() != 1) return std::nullopt;
    std::string text = pp_.getSpelling(tokens.front());
    if (tokens.front().is(clang::tok::string_literal) && !negative) {
      if (text.size() < 2 || text.find('\\') != std::string::npos) return std::nullopt;
      return utf8(llvm::StringRef(text).slice(1, text.size() - 1));
    }
    if (!tokens.front().is(clang::tok::numeric_constant)) return std::nullopt;
    std::optional<IntegerLiteral> literal = IntegerLiteral::parse(text);
    if (!literal) return std::nullopt;  // 1.5, 0b1, a bad suffix
    const std::string written = (negative ? "-" : "") + text;
    if (literal->beyond_64_bits) {
      refuse(info.getDefinitionLoc(), "macro " + name + ": " + written + " does not fit in 64 bits; the schema holds " +
                                          "signed 64-bit integers");
      return std::nullopt;
    }
    uint64_t value = literal->magnitude;
    std::optional<unsigned> unsigned_width = literal->unsignedWidth(ctx_.getTargetInfo());
    if (negative && unsigned_width) {
      // C negates an unsigned constant modulo 2^width: -1u is UINT_MAX.
      value = 0 - value;
      if (*unsigned_width < 64) value &= (uint64_t{1} << *unsigned_width) - 1;
    }
    if (value > uint64_t{INT64_MAX}) {  // a signed type's value is below it, and so is its negation
      refuse(info.getDefinitionLoc(),
             "macro " + name + ": " + written + " is " + std::to_string(value) +
                 (negative ? " in C (minus applied to an unsigned constant)" : "") +
                 ", above the largest integer the schema holds, 9223372036854775807 (signed 64 bits)");
      return std::nullopt;
    }
    return negative && !unsigned_width ? -static_cast<int64_t>(value) : static_cast<int64_t>(value);
  }

  // Records the first declaration the schema cannot hold exactly; the
  // extractor then refuses the header with it.
  void refuse(clang::SourceLocation at, const std::string& message) {
    if (*problem_) return;
    clang::PresumedLoc place = sm().getPresumedLoc(sm().getExpansionLoc(at));
    // "file:line:col: message", as Clang places its errors.
    const std::string where = place.isValid() ? std::string(place.getFilename()) + ":" + std::to_string(place.getLine()) +
                                                    ":" + std::to_string(place.getColumn())
                                              : "";
    problem_->emplace(where, "", message);
  }

  clang::ASTContext& ctx_;
  clang::Preprocessor& pp_;
  std::optional<InputError>* problem_;
  LibuvFiles* libuv_files_;
  const LibuvMacros& macros_;
  clang::PrintingPolicy policy_;
  std::set<const clang::Decl*> seen_;
  std::map<clang::FileID, std::vector<unsigned>> include_offsets_;
  std::unordered_map<const void*, Type> types_;
  std::vector<const clang::Decl*> pending_;
  std::map<const clang::Decl*, Item> described_;
};

// What the parse gives: the schema, or the first declaration it cannot hold.
struct Extracted {
  Schema schema;
  std::optional<InputError> problem;
};

class SchemaConsumer : public clang::ASTConsumer {
 public:
  SchemaConsumer(clang::Preprocessor& pp, Extracted& out, std::shared_ptr<LibuvFiles> libuv_files,
                 const LibuvMacros& macros)
      : pp_(pp), out_(out), libuv_files_(std::move(libuv_files)), macros_(macros) {}
  void HandleTranslationUnit(clang::ASTContext& ctx) override {
    if (ctx.getDiagnostics().hasErrorOccurred()) return;
    out_.schema = SchemaBuilder(ctx, pp_, out_.problem, *libuv_files_, macros_).build();
  }

 private:
  clang::Preprocessor& pp_;
  Extracted& out_;
  std::shared_ptr<LibuvFiles> libuv_files_;
  const LibuvMacros& macros_;
};

// Every file the parse reads, system headers included.
class IncludedFiles : public clang::DependencyCollector {
 public:
  bool needSystemDependencies() override { return true; }
};

class SchemaAction : public clang::ASTFrontendAction {
 public:
  SchemaAction(Extracted& out, std::shared_ptr<IncludedFiles> files) : out_(out), files_(std::move(files)) {}
  std::unique_ptr<clang::ASTConsumer> CreateASTConsumer(clang::CompilerInstance& ci, llvm::StringRef) override {
    // The preprocessor exists already and has not entered the main file yet.
    if (files_) files_->attachToPreprocessor(ci.getPreprocessor());
    PreprocessorLimits::attachTo(ci.getPreprocessor());
    auto libuv_files = std::make_shared<LibuvFiles>(ci.getSourceManager());
    auto macros = std::make_unique<LibuvMacros>(libuv_files);
    const LibuvMacros& recorded = *macros;
    ci.getPreprocessor().addPPCallbacks(std::move(macros));  // the preprocessor owns it
    return std::make_unique<SchemaConsumer>(ci.getPreprocessor(), out_, std::move(libuv_files), recorded);
  }

 private:
  Extracted& out_;
  std::shared_ptr<IncludedFiles> files_;
};

// Runs the action in a compiler instance of its own, as Clang's
// FrontendActionFactory does, with function bodies skipped: no schema
// describes them (libuv declares none; the system headers' inline functions
// are most of what Clang would read otherwise). A process that exits right
// after the parse keeps Clang's memory as `clang -fsyntax-only` does: freeing
// the AST, the source buffers and the compiler instance would only delay the
// exit.
class ParseHeader : public clang::tooling::ToolAction {
 public:
  ParseHeader(std::unique_ptr<clang::FrontendAction> action, bool keep_clang_memory)
      : action_(std::move(action)), keep_clang_memory_(keep_clang_memory) {}

  bool runInvocation(std::shared_ptr<clang::CompilerInvocation> invocation, clang::FileManager* files,
                     std::shared_ptr<clang::PCHContainerOperations> pch_operations,
                     clang::DiagnosticConsumer* diagnostics) override {
    invocation->getFrontendOpts().DisableFree = keep_clang_memory_;
    invocation->getFrontendOpts().SkipFunctionBodies = true;
    auto compiler = std::make_unique<clang::CompilerInstance>(std::move(pch_operations));
    compiler->setInvocation(std::move(invocation));
    compiler->setFileManager(files);
    compiler->createDiagnostics(diagnostics, /*ShouldOwnClient=*/false);
    compiler->createSourceManager(*files);
    const bool ok = compiler->ExecuteAction(*action_);
    if (keep_clang_memory_) {
      llvm::BuryPointer(std::move(action_));
      llvm::BuryPointer(std::move(compiler));
    }
    return ok;
  }

 private:
  std::unique_ptr<clang::FrontendAction> action_;
  bool keep_clang_memory_;
};

}  // namespace

std::string clangResourceDir() {
  if (const char* from_env = std::getenv("UVGEN_CLANG_RESOURCE_DIR"); from_env && *from_env) return from_env;
  return UVGEN_CLANG_RESOURCE_DIR;
}

Schema extractSchema(const ExtractOptions& options, std::vector<std::string>* included_files) {
  std::string resource_dir = clangResourceDir();
  std::error_code ec;
  if (!std::filesystem::exists(std::filesystem::path(resource_dir) / "include" / "stddef.h", ec))
    throw std::runtime_error(resource_dir + ": Clang's builtin headers are missing (set UVGEN_CLANG_RESOURCE_DIR)");

  std::vector<std::string> args = {"clang", "-fsyntax-only", "-x", "c", "-std=gnu11", "-w",
                                   "-fno-caret-diagnostics",  // also drops "N errors generated."
                                   "-fparse-all-comments",  // libuv's comments; a system header's are dropped unread
                                   "-resource-dir", resource_dir,
                                   "--target=" + (options.target.empty() ? llvm::sys::getDefaultTargetTriple()
                                                                         : options.target)};
  for (const std::string& dir : options.include_dirs) args.push_back("-I" + dir);
  for (const std::string& define : options.defines) args.push_back("-D" + define);
  args.push_back(options.header);

  Extracted extracted;
  auto read_files = included_files ? std::make_shared<IncludedFiles>() : nullptr;
  FirstErrorConsumer diagnostics;
  llvm::IntrusiveRefCntPtr<clang::FileManager> files(
      new clang::FileManager(clang::FileSystemOptions(), llvm::makeIntrusiveRefCnt<RegularFilesOnly>()));
  ParseHeader parse(std::make_unique<SchemaAction>(extracted, read_files), options.keep_clang_memory);
  clang::tooling::ToolInvocation invocation(args, &parse, files.get(),
                                            std::make_shared<clang::PCHContainerOperations>());
  invocation.setDiagnosticConsumer(&diagnostics);
  // Clang parses expressions recursively: the stack a declaration needs
  // grows with its length, up to ~5 KiB a token (`sizeof sizeof ... 1`; 2 KiB
  // for `- - - 1`), and kMaxTokensBetweenSemicolons bounds the length. A
  // thread's usual 8 MiB overflows at a few thousand such tokens; this stack
  // holds the longest declaration allowed about five times over.
  constexpr unsigned kParseStackBytes = 512u << 20;
  bool ok = false;
  llvm::thread parse_thread(llvm::Optional<unsigned>(kParseStackBytes), [&] { ok = invocation.run(); });
  parse_thread.join();
  if (!diagnostics.first_error.empty()) throw std::runtime_error(diagnostics.first_error);
  if (!ok) throw std::runtime_error(options.header + ": Clang could not parse the header");
  if (extracted.problem) throw *extracted.problem;
  Schema& schema = extracted.schema;
  if (schema.libuv.major == 0)
    throw InputError(options.header, "",
                     "not libuv's uv.h (no UV_VERSION_MAJOR in it, in uv/version.h or in uv-version.h beside it)");
  // What uvgen writes, uvgen must read back: a header that needs more than
  // the schema's limits (types nested too deeply, an array too large) is
  // refused here rather than written.
  checkSchema(schema, options.header);
  if (read_files) {
    *included_files = read_files->getDependencies();
    std::sort(included_files->begin(), included_files->end());
  }
  return std::move(schema);
}

}  // namespace uvgen
