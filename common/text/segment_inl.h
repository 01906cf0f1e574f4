// Implementation of the ForEachTokenSpan template declared in segment.h.
// Not for direct inclusion: include "common/text/segment.h".
//
//   size_t n = 0;
//   ForEachTokenSpan(text, [&n](size_t begin, size_t end) { ++n; });
#ifndef VNARCHIVE_COMMON_TEXT_SEGMENT_INL_H_
#define VNARCHIVE_COMMON_TEXT_SEGMENT_INL_H_

#include <cstddef>

#include "absl/strings/string_view.h"
#include "common/text/utf8.h"

namespace vnarchive {
namespace text {
namespace internal {

// True for code points >= U+0080 that belong inside a token: general category
// L* (letters), M* (combining marks: NFD input keeps its tones inside the
// token) or Nd (decimal digits). Defined in segment.cc (ICU lookup).
bool IsNonAsciiTokenCodePoint(char32_t cp);

// ASCII letters and digits: the fast path that decides most bytes of
// Vietnamese text without a table lookup.
inline bool IsAsciiTokenByte(unsigned char c) {
  return static_cast<unsigned char>((c | 0x20) - 'a') < 26 ||
         static_cast<unsigned char>(c - '0') < 10;
}

}  // namespace internal

// Thread-safe (no shared state). `fn` is called with byte offsets into `utf8`
// in increasing order; spans never split a UTF-8 sequence. Invalid bytes
// decode to U+FFFD, which is not a token character, so they end a token.
template <typename Fn>
void ForEachTokenSpan(absl::string_view utf8, Fn fn) {
  const size_t n = utf8.size();
  const char* data = utf8.data();
  size_t pos = 0;
  bool in_token = false;
  size_t start = 0;
  while (pos < n) {
    const unsigned char c = static_cast<unsigned char>(data[pos]);
    size_t next = pos + 1;
    bool is_token;
    if (c < 0x80) {
      is_token = internal::IsAsciiTokenByte(c);
    } else {
      next = pos;
      const char32_t cp = DecodeUtf8(utf8, &next);
      is_token = internal::IsNonAsciiTokenCodePoint(cp);
    }
    if (is_token) {
      if (!in_token) {
        in_token = true;
        start = pos;
      }
    } else if (in_token) {
      in_token = false;
      fn(start, pos);
    }
    pos = next;
  }
  if (in_token) fn(start, n);
}

}  // namespace text
}  // namespace vnarchive

#endif  // VNARCHIVE_COMMON_TEXT_SEGMENT_INL_H_
