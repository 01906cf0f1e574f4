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

// As IsNonAsciiTokenCodePoint, deciding inline the blocks every Vietnamese
// letter lives in: Latin-1 letters and Latin Extended-A/B (U+00C0..U+024F,
// all letters but × and ÷), combining marks (U+0300..U+036F, all Mn) and
// Latin Extended Additional (U+1E00..U+1EFF, all letters). Everything else
// asks ICU. segment_test.cc checks the inline ranges against ICU.
inline bool IsNonAsciiTokenCodePointFast(char32_t cp) {
  if (cp >= 0x00C0 && cp < 0x0250) return cp != 0x00D7 && cp != 0x00F7;
  if ((cp >= 0x0300 && cp < 0x0370) || (cp >= 0x1E00 && cp < 0x1F00)) return true;
  return IsNonAsciiTokenCodePoint(cp);
}

// DecodeUtf8 (utf8.h) with the well-formed 2- and 3-byte sequences, i.e. all
// of Vietnamese, decoded inline; anything else (4-byte sequences, E0/ED
// leads, which need a range check on the second byte, and ill-formed input)
// goes through DecodeUtf8, so the result is always exactly DecodeUtf8's.
// data[*pos] must be a byte >= 0x80.
inline char32_t DecodeNonAscii(absl::string_view data, size_t* pos) {
  const auto* p = reinterpret_cast<const unsigned char*>(data.data()) + *pos;
  const size_t avail = data.size() - *pos;
  const unsigned char b0 = p[0];
  if (b0 >= 0xC2 && b0 < 0xE0 && avail >= 2 && (p[1] & 0xC0) == 0x80) {
    *pos += 2;
    return (static_cast<char32_t>(b0 & 0x1F) << 6) | (p[1] & 0x3F);
  }
  if (b0 > 0xE0 && b0 < 0xF0 && b0 != 0xED && avail >= 3 && (p[1] & 0xC0) == 0x80 &&
      (p[2] & 0xC0) == 0x80) {
    *pos += 3;
    return (static_cast<char32_t>(b0 & 0x0F) << 12) |
           (static_cast<char32_t>(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
  }
  return DecodeUtf8(data, pos);
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
      const char32_t cp = internal::DecodeNonAscii(utf8, &next);
      is_token = internal::IsNonAsciiTokenCodePointFast(cp);
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
