#include "common/text/utf8.h"

#include <cstdint>

#include "absl/strings/str_format.h"

namespace vnarchive {
namespace text {
namespace {

// Why a sequence is ill-formed; the text goes into ValidateUtf8's message.
enum class Utf8Error {
  kNone,
  kUnexpectedContinuation,
  kInvalidLeadByte,
  kTruncated,
  kOverlong,
  kSurrogate,
  kAboveMax,
};

const char* ErrorText(Utf8Error e) {
  switch (e) {
    case Utf8Error::kNone:
      return "ok";
    case Utf8Error::kUnexpectedContinuation:
      return "unexpected continuation byte";
    case Utf8Error::kInvalidLeadByte:
      return "invalid lead byte";
    case Utf8Error::kTruncated:
      return "truncated sequence";
    case Utf8Error::kOverlong:
      return "overlong encoding";
    case Utf8Error::kSurrogate:
      return "encoded surrogate";
    case Utf8Error::kAboveMax:
      return "code point above U+10FFFF";
  }
  return "unknown";
}

inline bool IsContinuation(unsigned char b) { return (b & 0xC0) == 0x80; }

// Decodes the sequence starting at p[0] (avail >= 1 bytes readable), following
// Unicode Table 3-7 (well-formed byte sequences). On success sets *cp and *len.
Utf8Error DecodeOne(const unsigned char* p, size_t avail, char32_t* cp, size_t* len) {
  const unsigned char b0 = p[0];
  if (b0 < 0x80) {
    *cp = b0;
    *len = 1;
    return Utf8Error::kNone;
  }
  if (b0 < 0xC0) return Utf8Error::kUnexpectedContinuation;
  if (b0 < 0xC2) return Utf8Error::kOverlong;  // C0/C1 only encode U+0000..U+007F
  if (b0 >= 0xF8) return Utf8Error::kInvalidLeadByte;
  if (b0 > 0xF4) return Utf8Error::kAboveMax;  // F5..F7 start > U+10FFFF
  const size_t need = b0 < 0xE0 ? 2 : (b0 < 0xF0 ? 3 : 4);
  if (avail < 2 || !IsContinuation(p[1])) return Utf8Error::kTruncated;
  const unsigned char b1 = p[1];
  // The second byte's range is what distinguishes overlongs, surrogates and
  // out-of-range values; later bytes only need to be continuations.
  if (b0 == 0xE0 && b1 < 0xA0) return Utf8Error::kOverlong;
  if (b0 == 0xED && b1 > 0x9F) return Utf8Error::kSurrogate;
  if (b0 == 0xF0 && b1 < 0x90) return Utf8Error::kOverlong;
  if (b0 == 0xF4 && b1 > 0x8F) return Utf8Error::kAboveMax;
  for (size_t i = 2; i < need; ++i) {
    if (i >= avail || !IsContinuation(p[i])) return Utf8Error::kTruncated;
  }
  switch (need) {
    case 2:
      *cp = (static_cast<char32_t>(b0 & 0x1F) << 6) | (b1 & 0x3F);
      break;
    case 3:
      *cp = (static_cast<char32_t>(b0 & 0x0F) << 12) |
            (static_cast<char32_t>(b1 & 0x3F) << 6) | (p[2] & 0x3F);
      break;
    default:
      *cp = (static_cast<char32_t>(b0 & 0x07) << 18) |
            (static_cast<char32_t>(b1 & 0x3F) << 12) |
            (static_cast<char32_t>(p[2] & 0x3F) << 6) | (p[3] & 0x3F);
      break;
  }
  *len = need;
  return Utf8Error::kNone;
}

}  // namespace

absl::Status ValidateUtf8(absl::string_view data) {
  const auto* p = reinterpret_cast<const unsigned char*>(data.data());
  const size_t n = data.size();
  size_t pos = 0;
  while (pos < n) {
    // Most archive text is ASCII-heavy: skip 8 ASCII bytes at a time.
    while (pos + 8 <= n) {
      uint64_t word;
      __builtin_memcpy(&word, p + pos, 8);
      if (word & 0x8080808080808080ULL) break;
      pos += 8;
    }
    if (pos >= n) break;
    if (p[pos] < 0x80) {
      ++pos;
      continue;
    }
    char32_t cp;
    size_t len;
    const Utf8Error e = DecodeOne(p + pos, n - pos, &cp, &len);
    if (e != Utf8Error::kNone) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "invalid UTF-8 at byte %d (0x%02x): %s", pos, p[pos], ErrorText(e)));
    }
    pos += len;
  }
  return absl::OkStatus();
}

char32_t DecodeUtf8(absl::string_view data, size_t* pos) {
  const auto* p = reinterpret_cast<const unsigned char*>(data.data());
  if (*pos >= data.size()) return 0xFFFD;
  char32_t cp;
  size_t len;
  if (DecodeOne(p + *pos, data.size() - *pos, &cp, &len) != Utf8Error::kNone) {
    *pos += 1;
    return 0xFFFD;
  }
  *pos += len;
  return cp;
}

void AppendUtf8(char32_t cp, std::string* out) {
  char buffer[4];
  out->append(buffer, WriteUtf8(cp, buffer));
}

}  // namespace text
}  // namespace vnarchive
