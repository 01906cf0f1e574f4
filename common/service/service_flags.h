// Flags shared by every vnarchive service binary, and the option structs
// built from them. Each flag can also be set as VNA_<NAME> (env_flags.h).
//
//   ABSL_FLAG(...) for the service's own settings, then in main:
//   ServerOptions server = vnarchive::ServerOptionsFromFlags();
//   redis::RedisOptions redis = vnarchive::RedisOptionsFromFlags();
#ifndef VNARCHIVE_COMMON_SERVICE_SERVICE_FLAGS_H_
#define VNARCHIVE_COMMON_SERVICE_SERVICE_FLAGS_H_

#include <string>

#include "absl/flags/declare.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/grpc/server.h"
#include "common/queue/stage_worker.h"
#include "common/redis/redis_queue.h"

ABSL_DECLARE_FLAG(std::string, listen);
ABSL_DECLARE_FLAG(std::string, redis);
ABSL_DECLARE_FLAG(std::string, redis_password);
ABSL_DECLARE_FLAG(std::string, key_prefix);
ABSL_DECLARE_FLAG(std::string, log_level);
ABSL_DECLARE_FLAG(int, max_message_bytes);
ABSL_DECLARE_FLAG(absl::Duration, shutdown_grace);
ABSL_DECLARE_FLAG(absl::Duration, claim_idle);
ABSL_DECLARE_FLAG(int, max_deliveries);
ABSL_DECLARE_FLAG(int, batch_size);
ABSL_DECLARE_FLAG(std::string, tls_cert_file);
ABSL_DECLARE_FLAG(std::string, tls_key_file);
ABSL_DECLARE_FLAG(std::string, tls_client_ca_file);
ABSL_DECLARE_FLAG(std::string, auth_token_file);
ABSL_DECLARE_FLAG(absl::Duration, credentials_reload_interval);
ABSL_DECLARE_FLAG(std::string, health_listen);
ABSL_DECLARE_FLAG(std::string, metrics_listen);
ABSL_DECLARE_FLAG(absl::Duration, max_call_duration);
ABSL_DECLARE_FLAG(absl::Duration, max_stream_duration);
ABSL_DECLARE_FLAG(int, max_concurrent_streams);

namespace vnarchive {

// Stream names under the configured key prefix (DESIGN §4).
struct StreamNames {
  std::string ingested;
  std::string normalized;
  std::string extracted;
  std::string dead;
};
StreamNames StreamNamesFromPrefix(absl::string_view prefix);

// Parses flags (with env fallbacks), sets up logging for `service`, and
// blocks termination signals for ServeUntilSignal. Call first in main.
void InitService(int argc, char** argv, absl::string_view service, absl::string_view usage);

// The gRPC server settings from the flags, security and limits included
// (metrics is left null: the runner sets it).
ServerOptions ServerOptionsFromFlags();
redis::RedisOptions RedisOptionsFromFlags();
// Worker options for `stage` consuming `stream` (group = stage name).
queue::StageWorkerOptions WorkerOptionsFromFlags(absl::string_view stage,
                                                 absl::string_view stream,
                                                 absl::string_view dead_stream);

}  // namespace vnarchive

#endif  // VNARCHIVE_COMMON_SERVICE_SERVICE_FLAGS_H_
