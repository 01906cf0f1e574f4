// Small line and space helpers shared by ingest's text heuristics (HTML text
// extraction and boilerplate removal): what counts as a space, trimming, and
// splitting a text into physical lines without losing their positions.
//
//   for (const internal::TextLine& line : internal::SplitLines(text)) {
//     absl::string_view content = internal::TrimSpaces(line.text);
//     // line.number is 1-based; line.begin/end are byte offsets into `text`
//   }
//
// All functions are pure and thread-safe. Invalid UTF-8 never crashes: a bad
// byte decodes as U+FFFD, which is not a space.
#ifndef VNARCHIVE_SERVICES_INGEST_CORE_TEXT_LINES_H_
#define VNARCHIVE_SERVICES_INGEST_CORE_TEXT_LINES_H_

#include <cstddef>
#include <vector>

#include "absl/strings/string_view.h"
#include "common/text/utf8.h"

namespace vnarchive {
namespace ingest {
namespace internal {

// True for the spaces scraped text is full of: ASCII blanks (not line ends),
// U+00A0 NBSP, U+1680, U+2000..U+200B, U+202F, U+205F, U+3000 and U+FEFF.
bool IsSpaceCodePoint(char32_t cp);

// Returns `s` without the leading and trailing code points for which
// `drop(cp)` is true. Bytes that are not a whole code point are kept.
template <typename Drop>
absl::string_view TrimCodePoints(absl::string_view s, Drop drop) {
  size_t begin = 0;
  while (begin < s.size()) {
    size_t next = begin;
    if (!drop(text::DecodeUtf8(s, &next))) break;
    begin = next;
  }
  size_t end = s.size();
  while (end > begin) {
    const size_t start = text::PreviousCodePointStart(s, end);
    size_t pos = start;
    const char32_t cp = text::DecodeUtf8(s, &pos);
    // pos != end: the bytes before `end` are not one whole code point.
    if (pos != end || !drop(cp)) break;
    end = start;
  }
  return s.substr(begin, end - begin);
}

// Returns `s` without leading and trailing IsSpaceCodePoint characters.
absl::string_view TrimSpaces(absl::string_view s);

// One physical line of a text, without its line end.
struct TextLine {
  int number = 0;          // 1-based
  size_t begin = 0;        // byte offset of the line's first byte
  size_t end = 0;          // byte offset just past its last byte (before "\n")
  absl::string_view text;  // text[begin, end), borrowed from the input
};

// Splits `text` at "\n", "\r\n" and "\r". A final line end does not start an
// empty last line; empty input gives no lines. The views borrow `text`.
std::vector<TextLine> SplitLines(absl::string_view text);

// Returns the number of words in `s`: maximal runs of non-space characters
// (IsSpaceCodePoint, or a line end).
size_t CountWords(absl::string_view s);

}  // namespace internal
}  // namespace ingest
}  // namespace vnarchive

#endif  // VNARCHIVE_SERVICES_INGEST_CORE_TEXT_LINES_H_
