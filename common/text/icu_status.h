// The one place where ICU's UErrorCode becomes an absl::Status (STYLE.md:
// each foreign error model converts in one place).
//
//   UErrorCode st = U_ZERO_ERROR;
//   const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(st);
//   VNA_RETURN_IF_ERROR(vnarchive::text::IcuStatus(st, "getNFCInstance"));
#ifndef VNARCHIVE_COMMON_TEXT_ICU_STATUS_H_
#define VNARCHIVE_COMMON_TEXT_ICU_STATUS_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "unicode/utypes.h"

namespace vnarchive {
namespace text {

// Returns OK for U_SUCCESS codes (warnings included). Otherwise:
// ResourceExhausted for U_MEMORY_ALLOCATION_ERROR; InvalidArgument for
// malformed input (U_INVALID_CHAR_FOUND, U_ILLEGAL_CHAR_FOUND,
// U_TRUNCATED_CHAR_FOUND, U_ILLEGAL_ARGUMENT_ERROR); Internal for anything
// else (a wrong call on our side). The message is "<what>: <u_errorName>".
// Thread-safe.
absl::Status IcuStatus(UErrorCode code, absl::string_view what);

}  // namespace text
}  // namespace vnarchive

#endif  // VNARCHIVE_COMMON_TEXT_ICU_STATUS_H_
