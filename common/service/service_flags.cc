#include "common/service/service_flags.h"

#include <cstdio>
#include <cstdlib>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "common/base/env_flags.h"
#include "common/base/log.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:0",
          "host:port for the gRPC server. Loopback by default; use 0.0.0.0:PORT in containers.");
ABSL_FLAG(std::string, redis, "127.0.0.1:6379",
          "Redis address: host:port, or unix:/path/to/redis.sock.");
ABSL_FLAG(std::string, redis_password, "", "Redis AUTH password (empty: no AUTH).");
ABSL_FLAG(std::string, key_prefix, "vna:", "Prefix of every Redis key the suite uses.");
ABSL_FLAG(std::string, log_level, "info", "Lowest log level written: debug, info, warning, error.");
ABSL_FLAG(int, max_message_bytes, 64 << 20, "Largest gRPC request or response, bytes.");
ABSL_FLAG(absl::Duration, shutdown_grace, absl::Seconds(10),
          "How long in-flight RPCs get to finish on SIGTERM.");
ABSL_FLAG(absl::Duration, claim_idle, absl::Seconds(30),
          "A stream entry pending this long (its consumer died) is taken over by another.");
ABSL_FLAG(int, max_deliveries, 5,
          "An entry delivered this many times without success goes to the dead-letter stream.");
ABSL_FLAG(int, batch_size, 16, "Stream entries read per batch by the worker.");

// Security and limits (docs/operations.md). All off by default, so a local
// suite runs as before; k8s/overlays/prod turns them on.
ABSL_FLAG(std::string, tls_cert_file, "",
          "PEM certificate chain for TLS on --listen (with --tls_key_file). Empty: plaintext.");
ABSL_FLAG(std::string, tls_key_file, "", "PEM private key of --tls_cert_file.");
ABSL_FLAG(std::string, tls_client_ca_file, "",
          "PEM CA bundle: when set, every client must present a certificate signed by it "
          "(mutual TLS). Needs --tls_cert_file.");
ABSL_FLAG(std::string, auth_token_file, "",
          "File of accepted bearer-token hashes, one 'sha256:<hex> [name]' per line; when set, "
          "every RPC but health checks needs 'authorization: Bearer <token>'. Re-read when it "
          "changes. Needs TLS.");
ABSL_FLAG(absl::Duration, credentials_reload_interval, absl::Seconds(5),
          "How often the TLS files and the token file are checked for changes.");
ABSL_FLAG(std::string, health_listen, "",
          "Optional second, plaintext host:port serving only grpc.health.v1 (for probes that "
          "cannot speak TLS). Empty: none.");
ABSL_FLAG(std::string, metrics_listen, "",
          "host:port for Prometheus metrics over HTTP (GET /metrics). Empty: none.");
ABSL_FLAG(absl::Duration, max_call_duration, absl::ZeroDuration(),
          "Server-side limit on a unary RPC's running time (DEADLINE_EXCEEDED after it), "
          "whatever deadline the client set. 0: none.");
ABSL_FLAG(absl::Duration, max_stream_duration, absl::ZeroDuration(),
          "Server-side limit on a streaming RPC's running time (e.g. IngestStream). 0: none.");
ABSL_FLAG(int, max_concurrent_streams, 0,
          "Most concurrent RPCs per client connection. 0: no limit.");

namespace vnarchive {

StreamNames StreamNamesFromPrefix(absl::string_view prefix) {
  return StreamNames{absl::StrCat(prefix, "ingested"), absl::StrCat(prefix, "normalized"),
                     absl::StrCat(prefix, "extracted"), absl::StrCat(prefix, "dead")};
}

void InitService(int argc, char** argv, absl::string_view service, absl::string_view usage) {
  BlockTerminationSignals();
  ParseFlagsWithEnv(argc, argv, usage);
  SetLogService(service);
  LogLevel level;
  if (!ParseLogLevel(absl::GetFlag(FLAGS_log_level), &level)) {
    std::fprintf(stderr, "--log_level must be debug, info, warning or error\n");
    std::exit(2);
  }
  SetMinLogLevel(level);
}

ServerOptions ServerOptionsFromFlags() {
  ServerOptions options;
  options.listen_address = absl::GetFlag(FLAGS_listen);
  options.max_message_bytes = absl::GetFlag(FLAGS_max_message_bytes);
  options.shutdown_grace = absl::GetFlag(FLAGS_shutdown_grace);
  options.tls_cert_file = absl::GetFlag(FLAGS_tls_cert_file);
  options.tls_key_file = absl::GetFlag(FLAGS_tls_key_file);
  options.tls_client_ca_file = absl::GetFlag(FLAGS_tls_client_ca_file);
  options.auth_token_file = absl::GetFlag(FLAGS_auth_token_file);
  options.credentials_reload_interval = absl::GetFlag(FLAGS_credentials_reload_interval);
  options.health_listen_address = absl::GetFlag(FLAGS_health_listen);
  options.max_unary_duration = absl::GetFlag(FLAGS_max_call_duration);
  options.max_stream_duration = absl::GetFlag(FLAGS_max_stream_duration);
  options.max_concurrent_streams = absl::GetFlag(FLAGS_max_concurrent_streams);
  return options;
}

redis::RedisOptions RedisOptionsFromFlags() {
  redis::RedisOptions options;
  options.address = absl::GetFlag(FLAGS_redis);
  options.password = absl::GetFlag(FLAGS_redis_password);
  options.key_prefix = absl::GetFlag(FLAGS_key_prefix);
  return options;
}

queue::StageWorkerOptions WorkerOptionsFromFlags(absl::string_view stage,
                                                 absl::string_view stream,
                                                 absl::string_view dead_stream) {
  queue::StageWorkerOptions options;
  options.stage = std::string(stage);
  options.group = std::string(stage);
  options.stream = std::string(stream);
  options.dead_stream = std::string(dead_stream);
  options.claim_idle = absl::GetFlag(FLAGS_claim_idle);
  options.max_deliveries = absl::GetFlag(FLAGS_max_deliveries);
  options.batch_size = absl::GetFlag(FLAGS_batch_size);
  return options;
}

}  // namespace vnarchive
