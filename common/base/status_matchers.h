// GoogleTest matchers for absl::Status and absl::StatusOr (Debian's Abseil
// ships none). Test-only.
//
//   EXPECT_THAT(queue.Ack("s", "g", {}), IsOk());
//   EXPECT_THAT(Parse(""), StatusIs(absl::StatusCode::kInvalidArgument));
//   EXPECT_THAT(queue.Pending("s", "g"), IsOkAndHolds(0));
#ifndef VNARCHIVE_COMMON_BASE_STATUS_MATCHERS_H_
#define VNARCHIVE_COMMON_BASE_STATUS_MATCHERS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"

namespace vnarchive {
namespace internal {
inline const absl::Status& GetStatus(const absl::Status& status) { return status; }
template <typename T>
const absl::Status& GetStatus(const absl::StatusOr<T>& status_or) {
  return status_or.status();
}
}  // namespace internal

MATCHER(IsOk, "is OK") {
  const absl::Status& status = ::vnarchive::internal::GetStatus(arg);
  if (!status.ok()) *result_listener << "status is " << status.ToString();
  return status.ok();
}

MATCHER_P(StatusIs, code, "has status code " + testing::PrintToString(code)) {
  const absl::Status& status = ::vnarchive::internal::GetStatus(arg);
  *result_listener << "status is " << status.ToString();
  return status.code() == code;
}

// Matches an OK absl::StatusOr<T> whose value matches `matcher`.
MATCHER_P(IsOkAndHolds, matcher, "is OK and holds a matching value") {
  if (!arg.ok()) {
    *result_listener << "status is " << arg.status().ToString();
    return false;
  }
  return ::testing::ExplainMatchResult(matcher, *arg, result_listener);
}

}  // namespace vnarchive

#endif  // VNARCHIVE_COMMON_BASE_STATUS_MATCHERS_H_
