#include "reconciler/plan/replication_sql.h"

#include <string_view>

#include "reconciler/plan/ddl_quote.h"

namespace pgtwin::replication_sql {
namespace {

// A single-quoted literal as pg_get_triggerdef prints an argument, unquoted.
std::string Unquote(std::string_view literal) {
  if (literal.size() < 2 || literal.front() != '\'' || literal.back() != '\'') {
    return std::string(literal);
  }
  std::string text;
  for (size_t i = 1; i + 1 < literal.size(); ++i) {
    text += literal[i];
    if (literal[i] == '\'' && literal[i + 1] == '\'') ++i;
  }
  return text;
}

}  // namespace

std::string Checked(const std::string& call) {
  std::string name = call.substr(0, call.find('('));
  return "DO $pgtwin$ DECLARE r record; BEGIN SELECT * INTO r FROM " + call +
         "; IF r.ret_code >= 300 THEN RAISE EXCEPTION '" + name +
         ": % %', r.ret_code, r.ret_note; END IF; END $pgtwin$";
}

std::string UrlEncode(const std::string& text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : text) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
        c == '.' || c == '-') {
      out += static_cast<char>(c);
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string TableAttrs(const Object& table) {
  std::string attrs;
  auto add = [&](const std::string& key, const std::string& value) {
    if (!attrs.empty()) attrs += '&';
    attrs += UrlEncode(key) + "=" + UrlEncode(value);
  };
  if (table.HasAttr("handler")) {
    std::string args;
    for (const Attribute& attr : table.attrs()) {
      if (!attr.name.starts_with("handler_arg.")) continue;
      if (!args.empty()) args += ',';
      args += UrlEncode(attr.name.substr(12)) + "=" + UrlEncode(attr.value);
    }
    add("handler", table.Attr("handler") + "(" + args + ")");
  }
  for (const Attribute& attr : table.attrs()) {
    if (attr.name.starts_with("table_attr.")) add(attr.name.substr(11), attr.value);
  }
  return attrs;
}

std::vector<std::string> TriggerArgs(const Object& table) {
  const std::string& trigger = table.Attr("trigger");
  if (trigger.empty()) return {"no_triggers"};
  size_t function = trigger.find("EXECUTE FUNCTION ");
  size_t open = trigger.find('(', function == std::string::npos ? 0 : function);
  size_t close = trigger.rfind(')');
  if (open == std::string::npos || close == std::string::npos || close <= open) return {};
  std::vector<std::string> parts =
      ddl::SplitTopLevel(std::string_view(trigger).substr(open + 1, close - open - 1));
  std::vector<std::string> args;
  for (size_t i = 1; i < parts.size(); ++i) {  // the first is the queue
    std::string arg = Unquote(parts[i]);
    if (arg == "deny" && i + 1 == parts.size()) continue;
    if (table.HasAttr("dest_table") && arg.starts_with("ev_extra1=")) continue;
    args.push_back(std::move(arg));
  }
  return args;
}

std::string TextArray(const std::vector<std::string>& items) {
  if (items.empty()) return "'{}'::text[]";
  std::string out = "ARRAY[";
  for (size_t i = 0; i < items.size(); ++i) {
    out += (i == 0 ? "" : ", ") + ddl::QuoteLiteral(items[i]);
  }
  return out + "]::text[]";
}

std::string LiteralOrNull(const std::string& text) {
  return text.empty() ? "NULL" : ddl::QuoteLiteral(text);
}

}  // namespace pgtwin::replication_sql
