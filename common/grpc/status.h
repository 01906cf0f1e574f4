// The one place where absl::Status and grpc::Status convert into each other.
// Both use the same canonical codes, so the conversion keeps code and message.
//
//   return vnarchive::ToGrpcStatus(normalizer.Normalize(text).status());
#ifndef VNARCHIVE_COMMON_GRPC_STATUS_H_
#define VNARCHIVE_COMMON_GRPC_STATUS_H_

#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace vnarchive {

// Returns the grpc::Status with the same code and message.
grpc::Status ToGrpcStatus(const absl::Status& status);

// Returns the absl::Status with the same code and message.
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace vnarchive

#endif  // VNARCHIVE_COMMON_GRPC_STATUS_H_
