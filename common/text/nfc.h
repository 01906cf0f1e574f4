// Unicode NFC straight on UTF-8 (ICU Normalizer2), with a quick-check fast
// path: text that is already NFC (nearly all of it) is copied, not rebuilt.
//
//   std::string s = vnarchive::text::ToNfc("Đa\u0309ng");  // "Đảng"
//   absl::StatusOr<std::string> t = vnarchive::text::ToNfcChecked(body);
//
// Thread-safe: ICU's NFC instance is immutable and shared.
#ifndef VNARCHIVE_COMMON_TEXT_NFC_H_
#define VNARCHIVE_COMMON_TEXT_NFC_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace vnarchive {
namespace text {

// True if `utf8` is already in NFC. Text whose code points are all below
// U+0300 is decided without ICU. Invalid UTF-8 yields false.
bool IsNfc(absl::string_view utf8);

// Returns the NFC form of `utf8`. Best effort for callers that have already
// validated: on any ICU failure (invalid UTF-8, input over 2 GiB, out of
// memory) the input is returned unchanged. Use ToNfcChecked to see errors.
std::string ToNfc(absl::string_view utf8);

// Returns the NFC form of `utf8`. InvalidArgument if `utf8` is not valid
// UTF-8 (naming the byte offset); ResourceExhausted if it is 2 GiB or larger
// (ICU's length limit) or memory runs out; Internal for other ICU failures.
absl::StatusOr<std::string> ToNfcChecked(absl::string_view utf8);

}  // namespace text
}  // namespace vnarchive

#endif  // VNARCHIVE_COMMON_TEXT_NFC_H_
