#include "common/text/icu_status.h"

#include "absl/strings/str_cat.h"
#include "unicode/utypes.h"

namespace vnarchive {
namespace text {

absl::Status IcuStatus(UErrorCode code, absl::string_view what) {
  if (U_SUCCESS(code)) return absl::OkStatus();
  const std::string message = absl::StrCat(what, ": ", u_errorName(code));
  switch (code) {
    case U_MEMORY_ALLOCATION_ERROR:
      return absl::ResourceExhaustedError(message);
    case U_INVALID_CHAR_FOUND:
    case U_ILLEGAL_CHAR_FOUND:
    case U_TRUNCATED_CHAR_FOUND:
    case U_ILLEGAL_ARGUMENT_ERROR:
      return absl::InvalidArgumentError(message);
    default:
      return absl::InternalError(message);
  }
}

}  // namespace text
}  // namespace vnarchive
