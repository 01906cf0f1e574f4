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
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  while (pos < s.size()) {
    const unsigned char c = p[pos];
    bool space;
    if (c < 0x80) {
      space = c == ' ' || c == '\t' || c == '\f' || c == '\v' || c == '\n' || c == '\r';
      ++pos;
    } else if (c == 0xC2 || c == 0xE1 || c == 0xE2 || c == 0xE3 || c == 0xEF) {
      // The lead bytes of every non-ASCII space (U+00A0, U+1680, U+2000..,
      // U+3000, U+FEFF): only these need decoding.
      space = IsSpaceCodePoint(text::DecodeUtf8(s, &pos));
    } else {
      // Any other byte is part of a letter, a sign or an invalid sequence:
      // never a space, whichever way the sequence decodes.
      space = false;
      ++pos;
    }
    if (!space && !in_word) ++words;
    in_word = !space;
  }
  return words;
}

}  // namespace internal
}  // namespace ingest
}  // namespace vnarchive
