#include "common/grpc/server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <signal.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/base/log.h"
#include "grpc/health/v1/health.pb.h"

namespace vnarchive {

GrpcServer::GrpcServer(const ServerOptions& options, ReadinessCheck ready)
    : options_(options), ready_(std::move(ready)) {}

absl::StatusOr<std::unique_ptr<GrpcServer>> GrpcServer::Start(
    const ServerOptions& options, const std::vector<grpc::Service*>& services,
    ReadinessCheck ready) {
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  // Referencing the health descriptor keeps health.pb.o in the binary, so
  // reflection can describe grpc.health.v1.Health and not only list it.
  (void)grpc::health::v1::HealthCheckResponse::descriptor();

  grpc::ServerBuilder builder;
  for (grpc::Service* service : services) builder.RegisterService(service);
  builder.SetMaxReceiveMessageSize(options.max_message_bytes);
  builder.SetMaxSendMessageSize(options.max_message_bytes);
  // gRPC sets SO_REUSEPORT by default, which lets a second server silently
  // share a taken port; a taken port must be an error instead.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  int port = 0;
  builder.AddListeningPort(options.listen_address, grpc::InsecureServerCredentials(), &port);

  auto server = std::unique_ptr<GrpcServer>(new GrpcServer(options, std::move(ready)));
  server->server_ = builder.BuildAndStart();
  if (server->server_ == nullptr || port == 0) {
    return absl::UnavailableError(absl::StrCat(
        "cannot listen on ", options.listen_address, " (address in use or not local?)"));
  }
  server->port_ = port;
  server->SetServing(false);
  server->readiness_thread_ = std::thread([s = server.get()] { s->ReadinessLoop(); });
  LogInfo("listening", {{"address", options.listen_address}, {"port", absl::StrCat(port)}});
  return server;
}

GrpcServer::~GrpcServer() { Shutdown(); }

void GrpcServer::SetServing(bool serving) {
  if (server_ == nullptr) return;
  grpc::HealthCheckServiceInterface* health = server_->GetHealthCheckService();
  if (health != nullptr) health->SetServingStatus(serving);
}

void GrpcServer::ReadinessLoop() {
  do {
    const absl::Status status = ready_ ? ready_() : absl::OkStatus();
    const bool serving = status.ok() && !stopping_.HasBeenNotified();
    if (serving != last_serving_) {
      // Log transitions only: a Redis outage must not flood the log.
      if (serving) {
        LogInfo("health: SERVING");
      } else {
        LogWarning("health: NOT_SERVING", {{"reason", std::string(status.message())}});
      }
      last_serving_ = serving;
      SetServing(serving);
    }
  } while (!stopping_.WaitForNotificationWithTimeout(options_.readiness_interval));
}

void GrpcServer::Shutdown() {
  std::call_once(shutdown_once_, [this] {
    if (!stopping_.HasBeenNotified()) stopping_.Notify();
    if (readiness_thread_.joinable()) readiness_thread_.join();
    if (server_ == nullptr) return;
    grpc::HealthCheckServiceInterface* health = server_->GetHealthCheckService();
    if (health != nullptr) health->Shutdown();  // NOT_SERVING, frozen
    server_->Shutdown(std::chrono::system_clock::now() +
                      absl::ToChronoMilliseconds(options_.shutdown_grace));
    server_->Wait();
  });
}

void BlockTerminationSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

int WaitForTerminationSignal() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  int signal_number = 0;
  while (sigwait(&set, &signal_number) != 0) {
  }
  return signal_number;
}

void ServeUntilSignal(GrpcServer& server, const std::function<void()>& stop_work) {
  const int signal_number = WaitForTerminationSignal();
  LogInfo("shutting down", {{"signal", signal_number == SIGTERM ? "SIGTERM" : "SIGINT"}});
  if (stop_work) stop_work();
  server.Shutdown();
  LogInfo("stopped");
}

}  // namespace vnarchive
