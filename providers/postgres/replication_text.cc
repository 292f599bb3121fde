#include "providers/postgres/replication_text.h"

#include <algorithm>
#include <cctype>

#include "model/conninfo_text.h"

namespace pgtwin::replication_text {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string UnquotePlus(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%' && i + 2 < text.size() && HexValue(text[i + 1]) >= 0 &&
               HexValue(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2])));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

bool IsSecretKey(std::string_view key) { return key == "password" || key == "sslpassword"; }

// The key=value form: tokens separated by white space, a value optionally single-quoted with
// backslash escapes, '=' optionally surrounded by spaces.
std::string RedactKeyValue(std::string_view s) {
  std::string out;
  for (const ConninfoWord& word : SplitConninfo(s)) {
    if (IsSecretKey(word.key)) continue;
    if (!out.empty()) out.push_back(' ');
    out.append(word.text);
  }
  return out;
}

std::string RedactUri(std::string_view s) {
  std::string out;
  size_t scheme_end = s.find("://");
  size_t authority = scheme_end + 3;
  size_t authority_end = s.find_first_of("/?", authority);
  if (authority_end == std::string_view::npos) authority_end = s.size();
  std::string_view host_part = s.substr(authority, authority_end - authority);
  out.append(s.substr(0, authority));
  size_t at = host_part.rfind('@');
  if (at != std::string_view::npos) {
    std::string_view user_info = host_part.substr(0, at);
    out.append(user_info.substr(0, user_info.find(':')));
    out.append(host_part.substr(at));
  } else {
    out.append(host_part);
  }
  std::string_view rest = s.substr(authority_end);
  size_t query = rest.find('?');
  out.append(rest.substr(0, query));
  if (query == std::string_view::npos) return out;
  std::string params;
  std::string_view q = rest.substr(query + 1);
  while (!q.empty()) {
    size_t amp = q.find('&');
    std::string_view param = q.substr(0, amp);
    q = amp == std::string_view::npos ? std::string_view() : q.substr(amp + 1);
    if (param.empty() || IsSecretKey(param.substr(0, param.find('=')))) continue;
    params += params.empty() ? "?" : "&";
    params.append(param);
  }
  return out + params;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> UrlDecodePairs(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> pairs;
  while (!text.empty()) {
    size_t amp = text.find('&');
    std::string_view part = text.substr(0, amp);
    text = amp == std::string_view::npos ? std::string_view() : text.substr(amp + 1);
    if (part.empty()) continue;
    size_t eq = part.find('=');
    if (eq == std::string_view::npos) {
      pairs.emplace_back(UnquotePlus(part), "");
    } else {
      pairs.emplace_back(UnquotePlus(part.substr(0, eq)), UnquotePlus(part.substr(eq + 1)));
    }
  }
  return pairs;
}

Handler ParseHandler(std::string_view text) {
  Handler handler;
  size_t open = text.find('(');
  if (open == std::string_view::npos) {
    handler.name = std::string(text);
    return handler;
  }
  handler.name = std::string(text.substr(0, open));
  std::string_view args = text.substr(open + 1);
  if (!args.empty() && args.back() == ')') args.remove_suffix(1);
  std::string joined(args);
  for (char& c : joined) {
    if (c == ',') c = '&';
  }
  handler.args = UrlDecodePairs(joined);
  return handler;
}

std::string RedactConnstr(std::string_view connstr) {
  if (connstr.starts_with("postgresql://") || connstr.starts_with("postgres://")) {
    return RedactUri(connstr);
  }
  return RedactKeyValue(connstr);
}

}  // namespace pgtwin::replication_text
