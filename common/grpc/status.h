// The one place where absl::Status and grpc::Status convert into each other.
// Both use the same canonical codes, so the conversion keeps code and message.
// Also the retry hint a server sends with RESOURCE_EXHAUSTED ("come back in
// this long"), written and read here so server and clients agree on it.
//
//   return vnarchive::ToGrpcStatus(normalizer.Normalize(text).status());
//   std::optional<absl::Duration> wait = vnarchive::RetryAfter(client_context);
#ifndef VNARCHIVE_COMMON_GRPC_STATUS_H_
#define VNARCHIVE_COMMON_GRPC_STATUS_H_

#include <grpcpp/client_context.h>
#include <grpcpp/server_context.h>
#include <grpcpp/support/status.h>

#include <optional>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace vnarchive {

// Returns the grpc::Status with the same code and message.
grpc::Status ToGrpcStatus(const absl::Status& status);

// Returns the absl::Status with the same code and message.
absl::Status FromGrpcStatus(const grpc::Status& status);

// Trailing metadata key of the retry hint: whole milliseconds, decimal.
inline constexpr char kRetryAfterKey[] = "retry-after-ms";

// Adds the retry hint `wait` to the call's trailing metadata.
void AddRetryAfter(absl::Duration wait, grpc::ServerContextBase* context);

// Returns the retry hint of a finished call, if the server sent a valid one.
std::optional<absl::Duration> RetryAfter(const grpc::ClientContext& context);

}  // namespace vnarchive

#endif  // VNARCHIVE_COMMON_GRPC_STATUS_H_
