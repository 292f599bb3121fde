#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "providers/snapshot/json_codec.h"

namespace pgtwin {
namespace {

using Json = nlohmann::json;

// What the value being parsed belongs to.
enum class Context { kNode, kAttrs, kChildren, kDatabases };

// Node fields, as bits of Frame::seen.
enum Field : uint32_t {
  kKind = 1,
  kName = 2,
  kAttrs = 4,
  kChildren = 8,
  kFormat = 16,
  kVersion = 32,
  kAllDatabases = 64,
  kDatabases = 128,
  kSystemIdentifier = 256,
};

struct FieldName {
  std::string_view name;
  Field field;
  bool header_only;
};

constexpr FieldName kFields[] = {
    {"kind", kKind, false},
    {"name", kName, false},
    {"attrs", kAttrs, false},
    {"children", kChildren, false},
    {"format", kFormat, true},
    {"version", kVersion, true},
    {"all_databases", kAllDatabases, true},
    {"databases", kDatabases, true},
    {"system_identifier", kSystemIdentifier, true},
};

// One open JSON object or array.
struct Frame {
  Frame(Context c, Object* n) : context(c), node(n) {}

  Context context;
  Object* node;
  std::string key;    // kNode, kAttrs: the key whose value comes next
  Field field{};      // kNode: the field `key` names
  uint32_t seen = 0;  // kNode: fields read so far
  size_t count = 0;   // kChildren, kDatabases: elements started so far
};

void AppendPointerToken(std::string_view token, std::string* out) {
  out->push_back('/');
  for (char c : token) {
    if (c == '~') {
      out->append("~0");
    } else if (c == '/') {
      out->append("~1");
    } else {
      out->push_back(c);
    }
  }
}

// `text` with control characters written as \n, \t or \u00XX, so that a message stays on one
// line whatever keys and names the input holds.
std::string EscapeControlChars(std::string_view text) {
  std::string out;
  for (char c : text) {
    unsigned char u = static_cast<unsigned char>(c);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (u < 0x20 || u == 0x7f) {
      char hex[7];
      std::snprintf(hex, sizeof hex, "\\u%04x", u);
      out += hex;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

// Builds the object tree from SAX events, checking the structure as it goes. Once an error is
// recorded every callback returns false, which stops the parser.
class TreeBuilder {
 public:
  TreeBuilder(std::string_view text, const std::string& file, JsonDocument* doc)
      : text_(text), file_(file), doc_(doc) {}

  const Status& status() const { return status_; }

  bool null() { return WrongType(); }
  bool binary(Json::binary_t&) { return WrongType(); }
  bool number_float(double, const std::string&) { return WrongType(); }
  bool number_integer(int64_t value) { return Integer(value); }
  bool number_unsigned(uint64_t value) {
    if (value > static_cast<uint64_t>(INT64_MAX)) return WrongType();
    return Integer(static_cast<int64_t>(value));
  }

  bool boolean(bool value) {
    if (stack_.empty()) return NotAnObject();
    Frame& f = stack_.back();
    if (f.context != Context::kNode || f.field != kAllDatabases) return WrongType();
    doc_->header.all_databases = value;
    return true;
  }

  bool string(std::string& value) {
    if (stack_.empty()) return NotAnObject();
    Frame& f = stack_.back();
    switch (f.context) {
      case Context::kAttrs:
        if (!value.empty()) attrs_.push_back({std::move(f.key), std::move(value)});
        return true;
      case Context::kDatabases:
        ++f.count;
        doc_->header.databases->push_back(std::move(value));
        return true;
      case Context::kChildren:
        ++f.count;
        return WrongType();
      case Context::kNode:
        break;
    }
    switch (f.field) {
      case kKind: {
        std::optional<ObjectKind> kind = KindFromName(value);
        if (!kind) return Fail(Pointer(true), "unknown kind \"" + value + "\"");
        SetKind(*kind, f.node);
        return true;
      }
      case kName:
        f.node->set_name(std::move(value));
        return true;
      case kFormat:
        doc_->header.format = std::move(value);
        return true;
      case kSystemIdentifier:
        doc_->header.system_identifier = std::move(value);
        return true;
      default:
        return WrongType();
    }
  }

  bool start_object(size_t) {
    if (stack_.empty()) {
      stack_.emplace_back(Context::kNode, &doc_->object);
      return true;
    }
    Frame& f = stack_.back();
    if (f.context == Context::kChildren) {
      ++f.count;
      Object* child = &f.node->mutable_children().emplace_back();
      stack_.emplace_back(Context::kNode, child);
      return true;
    }
    if (f.context == Context::kNode && f.field == kAttrs) {
      stack_.emplace_back(Context::kAttrs, f.node);
      return true;
    }
    if (f.context == Context::kDatabases) ++f.count;
    return WrongType();
  }

  bool key(std::string& key) {
    Frame& f = stack_.back();
    if (f.context == Context::kAttrs) {
      f.key = std::move(key);
      return true;
    }
    f.key = std::move(key);
    const FieldName* field = std::find_if(std::begin(kFields), std::end(kFields),
                                          [&](const FieldName& n) { return n.name == f.key; });
    if (field == std::end(kFields) || (field->header_only && stack_.size() > 1)) {
      return Fail(Pointer(true), "unknown field \"" + f.key + "\"");
    }
    if (f.seen & field->field) return Fail(Pointer(true), "duplicate field \"" + f.key + "\"");
    f.seen |= field->field;
    f.field = field->field;
    return true;
  }

  bool end_object() {
    Frame& f = stack_.back();
    if (f.context == Context::kNode) {
      for (Field required : {kKind, kName}) {
        if (!(f.seen & required)) {
          return Fail(Pointer(false), std::string("missing field \"") +
                                          (required == kKind ? "kind" : "name") + "\"");
        }
      }
    } else if (!FinishAttrs(f.node)) {
      return false;
    }
    stack_.pop_back();
    return true;
  }

  bool start_array(size_t) {
    if (stack_.empty()) return NotAnObject();
    Frame& f = stack_.back();
    if (f.context == Context::kNode && f.field == kChildren) {
      stack_.emplace_back(Context::kChildren, f.node);
      return true;
    }
    if (f.context == Context::kNode && f.field == kDatabases) {
      doc_->header.databases.emplace();
      stack_.emplace_back(Context::kDatabases, f.node);
      return true;
    }
    if (f.context == Context::kChildren || f.context == Context::kDatabases) ++f.count;
    return WrongType();
  }

  bool end_array() {
    const Frame& f = stack_.back();
    if (f.context == Context::kChildren && !FinishChildren(f.node)) return false;
    stack_.pop_back();
    return true;
  }

  bool parse_error(size_t position, const std::string&, const nlohmann::detail::exception& ex) {
    // `position` counts the characters read, the offending one included.
    size_t offset = std::min(position == 0 ? 0 : position - 1, text_.size());
    std::string_view before = text_.substr(0, offset);
    size_t line = 1 + static_cast<size_t>(std::count(before.begin(), before.end(), '\n'));
    size_t line_start = before.rfind('\n');
    size_t column = offset - (line_start == std::string_view::npos ? 0 : line_start + 1) + 1;
    // nlohmann's message reads "[json.exception...] parse error at <where>: <what>".
    std::string message = ex.what();
    size_t colon = message.find(": ");
    if (colon != std::string::npos) message.erase(0, colon + 2);
    status_ = Status(StatusCode::kCorrupt, file_ + ":" + std::to_string(line) + ":" +
                                               std::to_string(column) + ": " + message);
    return false;
  }

 private:
  // Replaces the node's kind, keeping what was read before "kind" (the field order is free).
  static void SetKind(ObjectKind kind, Object* node) {
    Object rebuilt(kind, node->name());
    rebuilt.mutable_attrs() = std::move(node->mutable_attrs());
    rebuilt.mutable_children() = std::move(node->mutable_children());
    *node = std::move(rebuilt);
  }

  // Moves the attributes collected for `node` into it (one allocation of the exact size),
  // sorted; fails on a duplicate name.
  bool FinishAttrs(Object* node) {
    auto by_name = [](const Attribute& a, const Attribute& b) { return a.name < b.name; };
    if (!std::is_sorted(attrs_.begin(), attrs_.end(), by_name)) {
      std::sort(attrs_.begin(), attrs_.end(), by_name);
    }
    auto twice =
        std::adjacent_find(attrs_.begin(), attrs_.end(),
                           [](const Attribute& a, const Attribute& b) { return a.name == b.name; });
    if (twice != attrs_.end()) {
      return Fail(Pointer(false), "duplicate attribute \"" + twice->name + "\"");
    }
    node->mutable_attrs().assign(std::make_move_iterator(attrs_.begin()),
                                 std::make_move_iterator(attrs_.end()));
    attrs_.clear();
    return true;
  }

  // Puts the children of `node` in canonical order; fails on two of the same kind and name.
  bool FinishChildren(Object* node) {
    std::vector<Object>& children = node->mutable_children();
    if (!std::is_sorted(children.begin(), children.end(), SiblingLess)) {
      std::sort(children.begin(), children.end(), SiblingLess);
    }
    auto twice =
        std::adjacent_find(children.begin(), children.end(),
                           [](const Object& a, const Object& b) { return !SiblingLess(a, b); });
    if (twice != children.end()) {
      return Fail(Pointer(false),
                  "duplicate " + std::string(KindName(twice->kind())) + " '" + twice->name() + "'");
    }
    return true;
  }

  bool Integer(int64_t value) {
    if (stack_.empty()) return NotAnObject();
    Frame& f = stack_.back();
    if (f.context != Context::kNode || f.field != kVersion) return WrongType();
    doc_->header.version = value;
    return true;
  }

  bool NotAnObject() { return Fail("", "the document is not a JSON object"); }

  // The value just started does not have the type its place requires.
  bool WrongType() {
    if (stack_.empty()) return NotAnObject();
    const Frame& f = stack_.back();
    std::string what;
    switch (f.context) {
      case Context::kAttrs:
        what = "attribute values must be strings";
        break;
      case Context::kChildren:
        what = "children must be objects";
        break;
      case Context::kDatabases:
        what = "database names must be strings";
        break;
      case Context::kNode:
        switch (f.field) {
          case kAttrs:
            what = "\"attrs\" must be an object";
            break;
          case kChildren:
          case kDatabases:
            what = "\"" + f.key + "\" must be an array";
            break;
          case kVersion:
            what = "\"version\" must be an integer";
            break;
          case kAllDatabases:
            what = "\"all_databases\" must be a boolean";
            break;
          default:
            what = "\"" + f.key + "\" must be a string";
        }
    }
    return Fail(Pointer(true), what);
  }

  // The JSON pointer of the value being parsed; without `with_key`, of the innermost open
  // object or array itself.
  std::string Pointer(bool with_key) const {
    std::string pointer;
    for (size_t i = 0; i < stack_.size(); ++i) {
      const Frame& f = stack_[i];
      bool innermost = i + 1 == stack_.size();
      if (innermost && !with_key) break;
      if (f.context == Context::kChildren || f.context == Context::kDatabases) {
        if (f.count > 0) AppendPointerToken(std::to_string(f.count - 1), &pointer);
      } else {
        AppendPointerToken(f.key, &pointer);
      }
    }
    return pointer;
  }

  bool Fail(const std::string& pointer, const std::string& message) {
    status_ = Status(
        StatusCode::kCorrupt,
        file_ + ": " + EscapeControlChars((pointer.empty() ? "" : pointer + ": ") + message));
    return false;
  }

  std::string_view text_;
  const std::string& file_;
  JsonDocument* doc_;
  std::vector<Frame> stack_;
  std::vector<Attribute> attrs_;  // attributes of the innermost open "attrs" object
  Status status_;
};

}  // namespace

StatusOr<JsonDocument> ParseObjectJson(std::string_view text, const std::string& file) {
  JsonDocument doc;
  TreeBuilder builder(text, file, &doc);
  bool ok = Json::sax_parse(text.begin(), text.end(), &builder);
  if (!builder.status().ok()) return builder.status();
  if (!ok) return Status(StatusCode::kCorrupt, file + ": not valid JSON");
  return doc;
}

}  // namespace pgtwin
