#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>

#include "providers/snapshot/json_codec.h"

namespace pgtwin {
namespace {

// Writes the tree as text, exactly as nlohmann::ordered_json's dump() would print the same
// document (indent 2 or none, ensure_ascii off, invalid UTF-8 replaced), without building the
// document first: for a dump of a large catalog, building, printing and freeing a DOM of a
// million small values cost more than the rest of the output. The text goes into one string,
// or with a `sink`, to that file a chunk at a time.
class JsonWriter {
 public:
  explicit JsonWriter(bool pretty, std::FILE* sink = nullptr) : pretty_(pretty), sink_(sink) {}

  // Room for `bytes` of text, so that a long text is not copied as the string grows.
  void Reserve(size_t bytes) { out_.reserve(bytes); }

  // The text, with its final newline.
  std::string Finish() && {
    out_ += '\n';
    return std::move(out_);
  }
  // With a sink: writes the rest of the text and its final newline; false when a write failed.
  bool FinishToSink() {
    out_ += '\n';
    Flush();
    return ok_;
  }

  // With a sink, writes what was buffered once there is a chunk of it.
  void MaybeFlush() {
    if (sink_ != nullptr && out_.size() >= kChunk) Flush();
  }

  void BeginObject() { Open('{'); }
  void EndObject() { Close('}'); }
  void BeginArray() { Open('['); }
  void EndArray() { Close(']'); }

  // A member's key; its value follows.
  void Key(std::string_view key) {
    Separate();
    String(key);
    out_ += pretty_ ? ": " : ":";
    after_key_ = true;
  }

  void Value(std::string_view text) {
    Separate();
    String(text);
  }
  void Number(int64_t number) {
    Separate();
    out_ += std::to_string(number);
  }
  void Flag(bool flag) {
    Separate();
    out_ += flag ? "true" : "false";
  }

 private:
  // Before a value or key: a comma after a sibling, then the line break and indent.
  void Separate() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (depth_ == 0) return;
    if (!first_) out_ += ',';
    first_ = false;
    NewLine(depth_);
  }

  void Open(char bracket) {
    Separate();
    out_ += bracket;
    ++depth_;
    first_ = true;
  }

  // An empty object or array stays on one line ("{}", "[]").
  void Close(char bracket) {
    --depth_;
    if (!first_) NewLine(depth_);
    out_ += bracket;
    first_ = false;
  }

  void NewLine(int depth) {
    if (!pretty_) return;
    out_ += '\n';
    out_.append(static_cast<size_t>(depth) * 2, ' ');
  }

  // Escapes as nlohmann's dump (ensure_ascii off) does: the two-character escapes for \b \t
  // \n \f \r \" \\, \u00xx (lower-case hex) for the other control characters, everything
  // else, valid UTF-8 included, as is. A string that is not valid UTF-8 is left to nlohmann,
  // so its replacement rules apply byte for byte.
  void String(std::string_view text) {
    if (!ValidUtf8(text)) {
      out_ += nlohmann::json(std::string(text))
                  .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      return;
    }
    out_ += '"';
    size_t plain = 0;  // start of the run of bytes copied as they are
    for (size_t i = 0; i < text.size(); ++i) {
      const unsigned char c = static_cast<unsigned char>(text[i]);
      if (c >= 0x20 && c != '"' && c != '\\') continue;
      out_.append(text.data() + plain, i - plain);
      plain = i + 1;
      switch (c) {
        case '"':
          out_ += "\\\"";
          break;
        case '\\':
          out_ += "\\\\";
          break;
        case '\b':
          out_ += "\\b";
          break;
        case '\t':
          out_ += "\\t";
          break;
        case '\n':
          out_ += "\\n";
          break;
        case '\f':
          out_ += "\\f";
          break;
        case '\r':
          out_ += "\\r";
          break;
        default: {
          static constexpr char kHex[] = "0123456789abcdef";
          const char escape[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xf]};
          out_.append(escape, sizeof(escape));
        }
      }
    }
    out_.append(text.data() + plain, text.size() - plain);
    out_ += '"';
  }

  // Well-formed UTF-8 (Unicode table 3-7): no overlong forms, surrogates or code points past
  // U+10FFFF.
  static bool ValidUtf8(std::string_view text) {
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    const auto* end = p + text.size();
    while (p < end) {
      const unsigned char c = *p;
      if (c < 0x80) {
        ++p;
        continue;
      }
      int length = 0;
      unsigned char low = 0x80, high = 0xbf;  // range of the second byte
      if (c >= 0xc2 && c <= 0xdf) {
        length = 2;
      } else if (c >= 0xe0 && c <= 0xef) {
        length = 3;
        if (c == 0xe0) low = 0xa0;
        if (c == 0xed) high = 0x9f;
      } else if (c >= 0xf0 && c <= 0xf4) {
        length = 4;
        if (c == 0xf0) low = 0x90;
        if (c == 0xf4) high = 0x8f;
      } else {
        return false;
      }
      if (end - p < length || p[1] < low || p[1] > high) return false;
      for (int i = 2; i < length; ++i) {
        if (p[i] < 0x80 || p[i] > 0xbf) return false;
      }
      p += length;
    }
    return true;
  }

  void Flush() {
    ok_ = ok_ && std::fwrite(out_.data(), 1, out_.size(), sink_) == out_.size();
    out_.clear();
  }

  static constexpr size_t kChunk = 1 << 16;

  bool pretty_;
  std::FILE* sink_;
  bool ok_ = true;
  std::string out_;
  int depth_ = 0;
  bool first_ = true;
  bool after_key_ = false;
};

void WriteNode(const Object& object, JsonWriter& w) {
  w.Key("kind");
  w.Value(KindName(object.kind()));
  w.Key("name");
  w.Value(object.name());
  if (!object.attrs().empty()) {
    w.Key("attrs");
    w.BeginObject();
    for (const Attribute& a : object.attrs()) {
      w.Key(a.name);
      w.Value(a.value);
    }
    w.EndObject();
  }
  if (!object.children().empty()) {
    w.Key("children");
    w.BeginArray();
    for (const Object& child : object.children()) {
      w.BeginObject();
      WriteNode(child, w);
      w.EndObject();
      w.MaybeFlush();
    }
    w.EndArray();
  }
}

// At least the length of the object's indented text when no string needs escaping: its
// strings plus, per line, the indent and the quotes, colon, comma and newline around them.
size_t SizeGuess(const Object& object, size_t depth) {
  const size_t indent = 2 * (depth + 2);
  size_t size = 8 * (indent + 16) + KindName(object.kind()).size() + object.name().size();
  for (const Attribute& a : object.attrs()) size += indent + 8 + a.name.size() + a.value.size();
  for (const Object& child : object.children()) size += SizeGuess(child, depth + 2);
  return size;
}

void WriteDocument(const Object& object, const JsonFileHeader& header, JsonWriter& w) {
  w.BeginObject();
  if (header.format) {
    w.Key("format");
    w.Value(*header.format);
  }
  if (header.version) {
    w.Key("version");
    w.Number(*header.version);
  }
  if (header.all_databases) {
    w.Key("all_databases");
    w.Flag(*header.all_databases);
  }
  if (header.system_identifier) {
    w.Key("system_identifier");
    w.Value(*header.system_identifier);
  }
  WriteNode(object, w);
  if (header.databases) {
    w.Key("databases");
    w.BeginArray();
    for (const std::string& name : *header.databases) w.Value(name);
    w.EndArray();
  }
  w.EndObject();
}

}  // namespace

std::string ObjectToJson(const Object& object, const JsonFileHeader& header, bool pretty) {
  JsonWriter w(pretty);
  // Pages reserved beyond what is written are never touched, so a generous guess costs little.
  w.Reserve(SizeGuess(object, 0) + 4096);
  WriteDocument(object, header, w);
  return std::move(w).Finish();
}

Status WriteObjectJson(const Object& object, std::FILE* out, const JsonFileHeader& header,
                       bool pretty) {
  JsonWriter w(pretty, out);
  WriteDocument(object, header, w);
  if (!w.FinishToSink() || std::fflush(out) != 0) {
    return Status(StatusCode::kInternal, "cannot write the JSON text");
  }
  return Status::Ok();
}

}  // namespace pgtwin
