// Small helpers shared by the client's subcommands: channels, deadlines,
// printing errors, reading files.
#ifndef VNARCHIVE_SERVICES_CLI_CLIENT_UTIL_H_
#define VNARCHIVE_SERVICES_CLI_CLIENT_UTIL_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"

namespace vnarchive {
namespace cli {

// How the client's connections are secured, from the global options
// (--tls, --tls-ca-file, --tls-cert-file, --tls-key-file, --token,
// --trace-id; env VNA_TLS, VNA_TLS_CA_FILE, ..., VNA_TOKEN, VNA_TRACE_ID).
// All empty: plaintext, no token, as for a local suite.
struct ClientSecurity {
  bool tls = false;       // TLS, verifying servers against the system's CAs
  std::string ca_file;    // PEM CA bundle that signs the servers; implies TLS
  std::string cert_file;  // PEM client certificate for mTLS; implies TLS
  std::string key_file;   // its private key (with cert_file)
  std::string token;      // sent as "authorization: Bearer <token>"; needs TLS
  std::string trace_id;   // sent as x-trace-id: the trace id of what is ingested
};

// Checks `security` (files readable, a key with its certificate, a token
// only over TLS, a trace id of [0-9A-Za-z._-]) and makes MakeChannel use it.
// InvalidArgument / NotFound say which option is wrong; the token's value is
// never part of a message.
absl::Status ConfigureClientSecurity(const ClientSecurity& security);

// Returns a channel to `addr` ("host:port"), with message limits matching
// the servers' defaults, secured as ConfigureClientSecurity said.
std::shared_ptr<grpc::Channel> MakeChannel(const std::string& addr);

// Sets a deadline `seconds` from now on `context`.
void SetDeadline(grpc::ClientContext* context, double seconds);

// Prints "vnarchive: <what>: <CODE>: <message>" to stderr, or a JSON error
// object to stdout when `json`. Returns the exit code for the failure:
// 2 when the server could not be reached, else 1.
int ReportRpcError(absl::string_view what, const grpc::Status& status, bool json);

// The same for an in-process failure: "vnarchive: <what>: <CODE>: <message>"
// on stderr, or the JSON error object on stdout when `json`. Returns
// `exit_code`.
int ReportStatusError(absl::string_view what, const absl::Status& status, bool json,
                      int exit_code);

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
