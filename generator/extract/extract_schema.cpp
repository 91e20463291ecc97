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
#include <clang/Lex/MacroInfo.h>
#include <clang/Lex/PPCallbacks.h>
#include <clang/Lex/Preprocessor.h>
#include <clang/Serialization/PCHContainerOperations.h>
#include <clang/Tooling/Tooling.h>
#include <llvm/Support/BuryPointer.h>
#if __has_include(<llvm/TargetParser/Host.h>)
#include <llvm/TargetParser/Host.h>  // LLVM 17 and newer
#else
#include <llvm/Support/Host.h>
#endif

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <stdexcept>
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

// Walks the translation unit: every declaration of libuv's own headers, plus
// every record, typedef and enum they reach, in declaration order.
class SchemaBuilder {
 public:
  SchemaBuilder(clang::ASTContext& ctx, clang::Preprocessor& pp, LibuvFiles& libuv_files, const LibuvMacros& macros)
      : ctx_(ctx), pp_(pp), libuv_files_(&libuv_files), macros_(macros), policy_(ctx.getLangOpts()) {
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
        e.enumerators.push_back({utf8(constant->getName()), constant->getInitVal().getExtValue()});
      e.is_libuv = libuv_files_->contains(decl->getLocation());
      e.doc = e.is_libuv ? docOf(enum_decl) : "";
      described_.emplace(decl, std::move(e));
    }
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
      std::optional<std::variant<int64_t, std::string>> value = literalValue(*info);
      if (!value) continue;
      Macro macro{utf8(identifier->getName()), *value};
      if (macro.name == "UV_VERSION_MAJOR") schema.libuv.major = static_cast<int>(std::get<int64_t>(macro.value));
      if (macro.name == "UV_VERSION_MINOR") schema.libuv.minor = static_cast<int>(std::get<int64_t>(macro.value));
      if (macro.name == "UV_VERSION_PATCH") schema.libuv.patch = static_cast<int>(std::get<int64_t>(macro.value));
      schema.macros.push_back(std::move(macro));
    }
  }

  std::optional<std::variant<int64_t, std::string>> literalValue(const clang::MacroInfo& info) {
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
    while (!text.empty() && (text.back() == 'u' || text.back() == 'U' || text.back() == 'l' || text.back() == 'L'))
      text.pop_back();
    char* end = nullptr;
    long long number = std::strtoll(text.c_str(), &end, 0);
    if (end == text.c_str() || *end != '\0') return std::nullopt;
    return static_cast<int64_t>(negative ? -number : number);
  }

  clang::ASTContext& ctx_;
  clang::Preprocessor& pp_;
  LibuvFiles* libuv_files_;
  const LibuvMacros& macros_;
  clang::PrintingPolicy policy_;
  std::set<const clang::Decl*> seen_;
  std::map<clang::FileID, std::vector<unsigned>> include_offsets_;
  std::unordered_map<const void*, Type> types_;
  std::vector<const clang::Decl*> pending_;
  std::map<const clang::Decl*, Item> described_;
};

class SchemaConsumer : public clang::ASTConsumer {
 public:
  SchemaConsumer(clang::Preprocessor& pp, Schema& out, std::shared_ptr<LibuvFiles> libuv_files,
                 const LibuvMacros& macros)
      : pp_(pp), out_(out), libuv_files_(std::move(libuv_files)), macros_(macros) {}
  void HandleTranslationUnit(clang::ASTContext& ctx) override {
    if (ctx.getDiagnostics().hasErrorOccurred()) return;
    out_ = SchemaBuilder(ctx, pp_, *libuv_files_, macros_).build();
  }

 private:
  clang::Preprocessor& pp_;
  Schema& out_;
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
  SchemaAction(Schema& out, std::shared_ptr<IncludedFiles> files) : out_(out), files_(std::move(files)) {}
  std::unique_ptr<clang::ASTConsumer> CreateASTConsumer(clang::CompilerInstance& ci, llvm::StringRef) override {
    // The preprocessor exists already and has not entered the main file yet.
    if (files_) files_->attachToPreprocessor(ci.getPreprocessor());
    auto libuv_files = std::make_shared<LibuvFiles>(ci.getSourceManager());
    auto macros = std::make_unique<LibuvMacros>(libuv_files);
    const LibuvMacros& recorded = *macros;
    ci.getPreprocessor().addPPCallbacks(std::move(macros));  // the preprocessor owns it
    return std::make_unique<SchemaConsumer>(ci.getPreprocessor(), out_, std::move(libuv_files), recorded);
  }

 private:
  Schema& out_;
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

  Schema schema;
  auto read_files = included_files ? std::make_shared<IncludedFiles>() : nullptr;
  FirstErrorConsumer diagnostics;
  llvm::IntrusiveRefCntPtr<clang::FileManager> files(new clang::FileManager(clang::FileSystemOptions()));
  ParseHeader parse(std::make_unique<SchemaAction>(schema, read_files), options.keep_clang_memory);
  clang::tooling::ToolInvocation invocation(args, &parse, files.get(),
                                            std::make_shared<clang::PCHContainerOperations>());
  invocation.setDiagnosticConsumer(&diagnostics);
  bool ok = invocation.run();
  if (!diagnostics.first_error.empty()) throw std::runtime_error(diagnostics.first_error);
  if (!ok) throw std::runtime_error(options.header + ": Clang could not parse the header");
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
  return schema;
}

}  // namespace uvgen
