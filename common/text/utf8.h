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

// Appends the UTF-8 encoding of `cp` to `out`; a surrogate or a value above
// U+10FFFF is written as U+FFFD so the output is always valid UTF-8.
void AppendUtf8(char32_t cp, std::string* out);

}  // namespace text
}  // namespace vnarchive

#endif  // VNARCHIVE_COMMON_TEXT_UTF8_H_
