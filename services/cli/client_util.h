// Small helpers shared by the client's subcommands: channels, deadlines,
// printing errors, reading files.
#ifndef VNARCHIVE_SERVICES_CLI_CLIENT_UTIL_H_
#define VNARCHIVE_SERVICES_CLI_CLIENT_UTIL_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"

namespace vnarchive {
namespace cli {

// Returns a channel to `addr` ("host:port"), with message limits matching
// the servers' defaults.
std::shared_ptr<grpc::Channel> MakeChannel(const std::string& addr);

// Sets a deadline `seconds` from now on `context`.
void SetDeadline(grpc::ClientContext* context, double seconds);

// Prints "vnarchive: <what>: <CODE>: <message>" to stderr, or a JSON error
// object to stdout when `json`. Returns the exit code for the failure:
// 2 when the server could not be reached, else 1.
int ReportRpcError(absl::string_view what, const grpc::Status& status, bool json);

// Returns the whole content of `path` ("-" reads stdin).
absl::StatusOr<std::string> ReadFileOrStdin(const std::string& path);

// Quotes `text` as a JSON string literal.
std::string JsonString(absl::string_view text);

// Returns `message` in protobuf's JSON mapping, field names as in the .proto
// (RFC 3339 times, enum names).
std::string ToJson(const google::protobuf::Message& message);

}  // namespace cli
}  // namespace vnarchive

#endif  // VNARCHIVE_SERVICES_CLI_CLIENT_UTIL_H_
