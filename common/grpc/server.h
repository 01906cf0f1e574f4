// Server bootstrap shared by every vnarchive service: listening socket,
// message-size limits, grpc.health.v1 driven by a readiness check, server
// reflection, and graceful shutdown on SIGTERM / SIGINT.
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

namespace vnarchive {

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
};

// Returns OK when the service is ready to do its work (e.g. Redis answers).
using ReadinessCheck = std::function<absl::Status()>;

// A running gRPC server. Not copyable or movable; thread-safe.
class GrpcServer {
 public:
  // Builds and starts a server for `services` (borrowed: they must outlive
  // the server). Health reports SERVING only while `ready` returns OK.
  // Returns Unavailable when the address cannot be bound (e.g. port taken).
  static absl::StatusOr<std::unique_ptr<GrpcServer>> Start(
      const ServerOptions& options, const std::vector<grpc::Service*>& services,
      ReadinessCheck ready);

  GrpcServer(const GrpcServer&) = delete;
  GrpcServer& operator=(const GrpcServer&) = delete;
  ~GrpcServer();

  // The bound port (useful with port 0).
  int port() const { return port_; }

  // Reports NOT_SERVING from now on, then stops accepting RPCs and waits up
  // to shutdown_grace for in-flight ones. Idempotent.
  void Shutdown();

 private:
  GrpcServer(const ServerOptions& options, ReadinessCheck ready);
  void ReadinessLoop();
  void SetServing(bool serving);

  const ServerOptions options_;
  const ReadinessCheck ready_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
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
