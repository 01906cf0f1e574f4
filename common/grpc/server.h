// Server bootstrap shared by every vnarchive service: listening socket,
// message-size limits, grpc.health.v1 driven by a readiness check, server
// reflection, and graceful shutdown on SIGTERM / SIGINT. Optionally (all off
// by default): TLS from files with client-certificate verification (mTLS),
// bearer tokens (token_auth.h), a second plaintext port serving only
// grpc.health.v1 for probes that cannot speak TLS, server-side call
// duration limits, a cap on concurrent streams, and RPC metrics, trace ids
// and an access log (call_interceptor.h).
//
//   int main(int argc, char** argv) {
//     vnarchive::BlockTerminationSignals();          // before any thread starts
//     ...
//     auto server = vnarchive::GrpcServer::Start(options, {&service},
//                                               [&] { return queue->Ping(); });
//     if (!server.ok()) { ...; return 1; }
//     vnarchive::ServeUntilSignal(**server, [&] { worker.Stop(); });
//   }
#ifndef VNARCHIVE_COMMON_GRPC_SERVER_H_
#define VNARCHIVE_COMMON_GRPC_SERVER_H_

#include <grpcpp/grpcpp.h>

#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "common/grpc/call_interceptor.h"
#include "common/grpc/token_auth.h"
#include "common/metrics/metrics.h"

namespace vnarchive {

class HealthMirror;

struct ServerOptions {
  // host:port to listen on; port 0 picks a free port (see GrpcServer::port()).
  // Default: loopback only, so nothing is exposed by accident.
  std::string listen_address = "127.0.0.1:0";
  // Largest request or response message, bytes. Default 64 MiB (gRPC's own
  // default of 4 MiB is too small for long official texts with tokens).
  int max_message_bytes = 64 << 20;
  // How long in-flight RPCs get to finish at shutdown before being cancelled.
  absl::Duration shutdown_grace = absl::Seconds(10);
  // How often the readiness check runs to update the health status.
  absl::Duration readiness_interval = absl::Seconds(1);

  // TLS on listen_address from PEM files: certificate chain and key, both
  // or neither. Default: none (plaintext).
  std::string tls_cert_file;
  std::string tls_key_file;
  // CA bundle for client certificates; when set, every client must present
  // a certificate it signed (mTLS). Needs tls_cert_file. Default: none.
  std::string tls_client_ca_file;
  // File of SHA-256 token hashes (token_auth.h); when set, every call except
  // health checks needs `authorization: Bearer <token>`. Needs TLS (a token
  // must not cross the network in the clear). Default: none.
  std::string auth_token_file;
  // How often the TLS files and the token file are checked for changes.
  // Default 5s.
  absl::Duration credentials_reload_interval = absl::Seconds(5);
  // A second, plaintext address serving only grpc.health.v1 (the same
  // status), for kubelet probes when listen_address has TLS. Default: none.
  std::string health_listen_address;
  // Most concurrent streams (calls) per client connection; 0: gRPC's
  // default (no limit). Default 0.
  int max_concurrent_streams = 0;
  // Server-side limits on how long a unary / streaming call may run before
  // it is cancelled with DEADLINE_EXCEEDED; zero: none. Default none.
  absl::Duration max_unary_duration = absl::ZeroDuration();
  absl::Duration max_stream_duration = absl::ZeroDuration();
  // Registry for RPC, health and token metrics; null: none. Borrowed: must
  // outlive the server. Default null.
  metrics::Registry* metrics = nullptr;
  // One log line per finished call (health checks excepted). Default true.
  bool access_log = true;
};

// Returns OK when the service is ready to do its work (e.g. Redis answers).
using ReadinessCheck = std::function<absl::Status()>;

// A running gRPC server. Not copyable or movable; thread-safe.
class GrpcServer {
 public:
  // Builds and starts a server for `services` (borrowed: they must outlive
  // the server). Health reports SERVING only while `ready` returns OK.
  // Returns Unavailable when an address cannot be bound (e.g. port taken);
  // InvalidArgument for inconsistent security options (a key without a
  // certificate, a client CA or token file without TLS) or TLS/token files
  // that do not parse; NotFound when one of them is missing.
  static absl::StatusOr<std::unique_ptr<GrpcServer>> Start(
      const ServerOptions& options, const std::vector<grpc::Service*>& services,
      ReadinessCheck ready);

  GrpcServer(const GrpcServer&) = delete;
  GrpcServer& operator=(const GrpcServer&) = delete;
  ~GrpcServer();

  // The bound port (useful with port 0).
  int port() const { return port_; }
  // The bound health-only port, or 0 without health_listen_address.
  int health_port() const { return health_port_; }

  // Reports NOT_SERVING from now on, then stops accepting RPCs and waits up
  // to shutdown_grace for in-flight ones. Idempotent.
  void Shutdown();

 private:
  GrpcServer(const ServerOptions& options, ReadinessCheck ready);
  void ReadinessLoop();
  void SetServing(bool serving);

  const ServerOptions options_;
  const ReadinessCheck ready_;
  // Declared before the servers: calls registered with it end first.
  std::unique_ptr<CallDeadlines> deadlines_;
  std::shared_ptr<TokenStore> tokens_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<HealthMirror> health_mirror_;  // the health port's service
  std::unique_ptr<grpc::Server> health_server_;  // plaintext, grpc.health.v1 only
  metrics::Gauge* serving_gauge_ = nullptr;
  int port_ = 0;
  int health_port_ = 0;
  bool last_serving_ = false;  // only touched by the readiness thread
  absl::Notification stopping_;
  std::thread readiness_thread_;
  std::once_flag shutdown_once_;
};

// Blocks SIGTERM and SIGINT in the calling thread and every thread it starts
// later, so that WaitForTerminationSignal() receives them. Call first in main.
void BlockTerminationSignals();

// Waits for SIGTERM or SIGINT; returns the signal number.
int WaitForTerminationSignal();

// Waits for SIGTERM/SIGINT, then shuts down in order: health NOT_SERVING,
// `stop_work` (stop workers taking new entries; in-flight ones finish or stay
// unacked), then the gRPC server. Logs each step.
void ServeUntilSignal(GrpcServer& server, const std::function<void()>& stop_work);

}  // namespace vnarchive

#endif  // VNARCHIVE_COMMON_GRPC_SERVER_H_
