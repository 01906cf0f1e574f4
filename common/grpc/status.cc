#include "common/grpc/status.h"

#include <cstdint>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace vnarchive {

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      std::string(status.message()));
}

absl::Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      status.error_message());
}

void AddRetryAfter(absl::Duration wait, grpc::ServerContextBase* context) {
  context->AddTrailingMetadata(kRetryAfterKey, absl::StrCat(absl::ToInt64Milliseconds(wait)));
}

std::optional<absl::Duration> RetryAfter(const grpc::ClientContext& context) {
  const auto& trailers = context.GetServerTrailingMetadata();
  auto hint = trailers.find(kRetryAfterKey);
  int64_t ms = 0;
  if (hint == trailers.end() ||
      !absl::SimpleAtoi(absl::string_view(hint->second.data(), hint->second.size()), &ms) ||
      ms < 0) {
    return std::nullopt;
  }
  return absl::Milliseconds(ms);
}

}  // namespace vnarchive
