// Bearer-token authentication for external clients (DESIGN §9). The server
// keeps only SHA-256 hashes of the tokens, in a file (--auth_token_file):
//
//   # one token per line: sha256:<64 hex digits> [name]
//   sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 portal-a
//
// A client sends `authorization: Bearer <token>`; the server hashes it and
// compares with every stored hash in constant time. The file is re-read
// when it changes, so tokens are added and revoked without a restart.
// Token values never reach a log line or an error message. (The matched
// token's name is not put into the AuthContext: in gRPC 1.51 the processor
// gets the connection's context, shared by all its calls, which would grow
// by one property per call.)
//
//   VNA_ASSIGN_OR_RETURN(std::shared_ptr<TokenStore> tokens,
//                        TokenStore::Open("/etc/vnarchive/auth/tokens", absl::Seconds(5)));
//   credentials->SetAuthMetadataProcessor(
//       std::make_shared<TokenAuthProcessor>(tokens, nullptr));
//
// TokenAuthProcessor needs a secure port: gRPC runs processors only on TLS.
#ifndef VNARCHIVE_COMMON_GRPC_TOKEN_AUTH_H_
#define VNARCHIVE_COMMON_GRPC_TOKEN_AUTH_H_

#include <grpcpp/security/auth_metadata_processor.h>

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "absl/types/optional.h"
#include "common/metrics/metrics.h"

namespace vnarchive {

using Sha256Digest = std::array<uint8_t, 32>;

struct TokenHash {
  std::string name;  // from the file, else "line <n>"
  Sha256Digest digest{};
};

// Returns "sha256:<64 lower-case hex digits>" of `token`: the line to put
// in a token file (append a space and a name).
std::string HashToken(absl::string_view token);

// Parses a token file's content: blank lines and lines starting with '#' are
// skipped; every other line is "sha256:<64 hex>" optionally followed by
// whitespace and a name of [A-Za-z0-9._@-]. Returns InvalidArgument naming
// the first bad line's number (never its content: a token pasted by mistake
// must not be echoed), or when no token is listed.
absl::StatusOr<std::vector<TokenHash>> ParseTokenFile(absl::string_view content);

// The current set of accepted token hashes, re-read from its file.
// Thread-safe. Not copyable or movable.
class TokenStore {
 public:
  // Reads `path` now (errors as ParseTokenFile; NotFound / PermissionDenied
  // when it cannot be read), then every `reload_interval` on a thread of its
  // own: a changed file replaces the set; a file that no longer parses
  // keeps the last good set and logs a warning once per bad version.
  // `metrics` (may be null) gets vna_auth_tokens and
  // vna_auth_token_reloads_total{result}.
  static absl::StatusOr<std::shared_ptr<TokenStore>> Open(const std::string& path,
                                                          absl::Duration reload_interval,
                                                          metrics::Registry* metrics = nullptr);
  // Builds a fixed set (no file, no reloading), e.g. for tests.
  explicit TokenStore(std::vector<TokenHash> tokens);
  ~TokenStore();
  TokenStore(const TokenStore&) = delete;
  TokenStore& operator=(const TokenStore&) = delete;

  // Returns the name of the token equal to `token`, or nullopt. Takes the
  // same time whichever stored hash matches, or none.
  absl::optional<std::string> Match(absl::string_view token) const;

  // Re-reads the file now. Returns the error when it cannot be read or
  // parsed (the previous set stays). OK without a file.
  absl::Status Reload();

  size_t size() const;

 private:
  TokenStore(std::string path, std::vector<TokenHash> tokens, std::string content,
             metrics::Registry* metrics);
  void ReloadLoop(absl::Duration interval);

  const std::string path_;
  metrics::Gauge* tokens_gauge_ = nullptr;
  metrics::CounterFamily* reloads_ = nullptr;
  mutable absl::Mutex mu_;
  std::vector<TokenHash> tokens_ ABSL_GUARDED_BY(mu_);
  std::string content_ ABSL_GUARDED_BY(mu_);     // file content of the current set
  std::string bad_content_ ABSL_GUARDED_BY(mu_);  // last content that failed to parse
  absl::Notification stop_;
  std::thread thread_;
};

// Checks `authorization: Bearer <token>` on every call except those whose
// method starts with an exempt prefix (default: grpc.health.v1.Health, for
// probes). Missing or wrong token: UNAUTHENTICATED. The token is consumed:
// handlers never see it in their metadata. Thread-safe.
class TokenAuthProcessor final : public grpc::AuthMetadataProcessor {
 public:
  // `failures` (may be null) counts refusals by reason ("missing",
  // "invalid"); it must outlive the processor.
  TokenAuthProcessor(std::shared_ptr<const TokenStore> tokens, metrics::CounterFamily* failures,
                     std::vector<std::string> exempt_prefixes = {"/grpc.health.v1.Health/"});

  // Fast (a hash and a few compares): runs on gRPC's own thread.
  bool IsBlocking() const override { return false; }

  grpc::Status Process(const InputMetadata& auth_metadata, grpc::AuthContext* context,
                       OutputMetadata* consumed_auth_metadata,
                       OutputMetadata* response_metadata) override;

 private:
  const std::shared_ptr<const TokenStore> tokens_;
  metrics::CounterFamily* const failures_;
  const std::vector<std::string> exempt_prefixes_;
};

}  // namespace vnarchive

#endif  // VNARCHIVE_COMMON_GRPC_TOKEN_AUTH_H_
