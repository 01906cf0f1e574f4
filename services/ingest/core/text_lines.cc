#include "services/ingest/core/text_lines.h"

#include "common/text/utf8.h"

namespace vnarchive {
namespace ingest {
namespace internal {

bool IsSpaceCodePoint(char32_t cp) {
  return cp == ' ' || cp == '\t' || cp == '\f' || cp == '\v' || cp == 0x00A0 || cp == 0x1680 ||
         (cp >= 0x2000 && cp <= 0x200B) || cp == 0x202F || cp == 0x205F || cp == 0x3000 ||
         cp == 0xFEFF;
}

absl::string_view TrimSpaces(absl::string_view s) { return TrimCodePoints(s, IsSpaceCodePoint); }

std::vector<TextLine> SplitLines(absl::string_view text) {
  std::vector<TextLine> lines;
  int number = 1;
  size_t begin = 0;
  while (begin < text.size()) {
    size_t end = text.find_first_of("\r\n", begin);
    if (end == absl::string_view::npos) end = text.size();
    lines.push_back({number++, begin, end, text.substr(begin, end - begin)});
    if (end == text.size()) break;
    begin = end + ((text[end] == '\r' && end + 1 < text.size() && text[end + 1] == '\n') ? 2 : 1);
  }
  return lines;
}

size_t CountWords(absl::string_view s) {
  size_t words = 0;
  bool in_word = false;
  size_t pos = 0;
  while (pos < s.size()) {
    char32_t cp = text::DecodeUtf8(s, &pos);
    bool space = IsSpaceCodePoint(cp) || cp == '\n' || cp == '\r';
    if (!space && !in_word) ++words;
    in_word = !space;
  }
  return words;
}

}  // namespace internal
}  // namespace ingest
}  // namespace vnarchive
