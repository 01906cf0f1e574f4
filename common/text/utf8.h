// UTF-8 validation and small code-point helpers. Text in vnarchive is always
// UTF-8; these helpers never split a multi-byte sequence.
//
//   VNA_RETURN_IF_ERROR(vnarchive::text::ValidateUtf8(body));
#ifndef VNARCHIVE_COMMON_TEXT_UTF8_H_
#define VNARCHIVE_COMMON_TEXT_UTF8_H_

#include <cstddef>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace vnarchive {
namespace text {

// OK if `data` is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
// InvalidArgument otherwise, naming the byte offset of the first bad byte,
// e.g. "invalid UTF-8 at byte 17 (0xff): invalid lead byte". The offset is
// that of the first byte of the ill-formed sequence (for a truncated sequence,
// its lead byte), so callers can point at it without re-scanning.
absl::Status ValidateUtf8(absl::string_view data);

// Decodes the code point at `data[*pos]` and advances `*pos` past it.
// Returns U+FFFD and advances one byte on an invalid sequence.
char32_t DecodeUtf8(absl::string_view data, size_t* pos);

// Returns the number of code points in `utf8` (each byte that is not a
// continuation byte starts one; invalid bytes count one each).
inline size_t CountCodePoints(absl::string_view utf8) {
  size_t n = 0;
  for (char c : utf8) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// Returns where the code point that ends just before `end` starts (end > 0):
// steps back over at most three continuation bytes, never splitting UTF-8.
inline size_t PreviousCodePointStart(absl::string_view utf8, size_t end) {
  size_t i = end - 1;
  for (int k = 0; k < 3 && i > 0 && (static_cast<unsigned char>(utf8[i]) & 0xC0) == 0x80; ++k) {
    --i;
  }
  return i;
}

// Appends the UTF-8 encoding of `cp` to `out`; a surrogate or a value above
// U+10FFFF is written as U+FFFD so the output is always valid UTF-8.
void AppendUtf8(char32_t cp, std::string* out);

// Writes the encoding of `cp` to out[0..3] as AppendUtf8 would and returns its
// length (1-4). Inline: it is on the per-character path of tokenising and
// tone placement, where an append per character costs too much.
inline size_t WriteUtf8(char32_t cp, char* out) {
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  if (cp < 0x80) {
    out[0] = static_cast<char>(cp);
    return 1;
  }
  if (cp < 0x800) {
    out[0] = static_cast<char>(0xC0 | (cp >> 6));
    out[1] = static_cast<char>(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = static_cast<char>(0xE0 | (cp >> 12));
    out[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out[2] = static_cast<char>(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = static_cast<char>(0xF0 | (cp >> 18));
  out[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
  out[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
  out[3] = static_cast<char>(0x80 | (cp & 0x3F));
  return 4;
}

}  // namespace text
}  // namespace vnarchive

#endif  // VNARCHIVE_COMMON_TEXT_UTF8_H_
