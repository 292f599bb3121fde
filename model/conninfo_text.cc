#include "model/conninfo_text.h"

#include <cctype>

namespace pgtwin {

std::vector<ConninfoWord> SplitConninfo(std::string_view s) {
  std::vector<ConninfoWord> words;
  size_t i = 0;
  auto skip_space = [&] {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  };
  while (true) {
    skip_space();
    if (i >= s.size()) break;
    size_t start = i;
    while (i < s.size() && s[i] != '=' && !std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    ConninfoWord word;
    word.key = std::string(s.substr(start, i - start));
    skip_space();
    if (i < s.size() && s[i] == '=') {
      ++i;
      skip_space();
      bool quoted = i < s.size() && s[i] == '\'';
      if (quoted) ++i;
      while (i < s.size() && (quoted ? s[i] != '\''
                                     : !std::isspace(static_cast<unsigned char>(s[i])))) {
        if (s[i] == '\\' && i + 1 < s.size()) ++i;
        word.value.push_back(s[i++]);
      }
      if (quoted && i < s.size()) ++i;  // the closing quote
    }
    word.text = s.substr(start, i - start);
    words.push_back(std::move(word));
  }
  return words;
}

std::string QuoteConninfoValue(const std::string& value) {
  bool plain = !value.empty() && value.find_first_of(" \t\n\\'") == std::string::npos;
  if (plain) return value;
  std::string out = "'";
  for (char c : value) {
    if (c == '\\' || c == '\'') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('\'');
  return out;
}

}  // namespace pgtwin
