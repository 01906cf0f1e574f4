#include "common/grpc/server.h"

#include <grpc/support/log.h>
#include <grpcpp/ext/health_check_service_server_builder_option.h>
#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/impl/server_builder_option.h>
#include <grpcpp/impl/server_builder_plugin.h>
#include <signal.h>

#include <atomic>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/base/log.h"
#include "common/grpc/tls.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpc/health/v1/health.pb.h"

namespace vnarchive {

GrpcServer::GrpcServer(const ServerOptions& options, ReadinessCheck ready)
    : options_(options), ready_(std::move(ready)) {}

namespace {

// Drops every builder plugin (server reflection), so the health-only port
// serves grpc.health.v1 and nothing else.
class NoPluginsOption final : public grpc::ServerBuilderOption {
 public:
  void UpdateArguments(grpc::ChannelArguments*) override {}
  void UpdatePlugins(std::vector<std::unique_ptr<grpc::ServerBuilderPlugin>>* plugins) override {
    plugins->clear();
  }
};

}  // namespace

// grpc.health.v1 for the health-only port, mirroring the main server's
// status. (gRPC's default health service cannot be used there: it is a
// callback service, and a server without any sync service refuses to start.)
class HealthMirror final : public grpc::health::v1::Health::Service {
 public:
  void Set(bool serving) { serving_.store(serving); }

  grpc::Status Check(grpc::ServerContext*, const grpc::health::v1::HealthCheckRequest* request,
                     grpc::health::v1::HealthCheckResponse* response) override {
    // Like the default service: the whole server ("") only.
    if (!request->service().empty()) {
      return grpc::Status(grpc::StatusCode::NOT_FOUND, "unknown service");
    }
    response->set_status(Status());
    return grpc::Status::OK;
  }

  grpc::Status Watch(grpc::ServerContext* context,
                     const grpc::health::v1::HealthCheckRequest* request,
                     grpc::ServerWriter<grpc::health::v1::HealthCheckResponse>* writer) override {
    grpc::health::v1::HealthCheckResponse response;
    if (!request->service().empty()) {
      response.set_status(grpc::health::v1::HealthCheckResponse::SERVICE_UNKNOWN);
      writer->Write(response);
      return grpc::Status::OK;
    }
    int last = -1;
    while (!context->IsCancelled()) {
      const auto status = Status();
      if (status != last) {
        response.set_status(status);
        if (!writer->Write(response)) break;
        last = status;
      }
      absl::SleepFor(absl::Milliseconds(200));
    }
    return grpc::Status::OK;
  }

 private:
  grpc::health::v1::HealthCheckResponse::ServingStatus Status() const {
    return serving_.load() ? grpc::health::v1::HealthCheckResponse::SERVING
                           : grpc::health::v1::HealthCheckResponse::NOT_SERVING;
  }
  std::atomic<bool> serving_{false};
};

namespace {

// gRPC's own messages (failed handshakes, ...) as JSON lines like ours, so
// every line on stderr parses. Debug messages stay debug.
void LogFromGrpc(gpr_log_func_args* args) {
  const LogLevel level = args->severity == GPR_LOG_SEVERITY_ERROR  ? LogLevel::kWarning
                         : args->severity == GPR_LOG_SEVERITY_INFO ? LogLevel::kInfo
                                                                   : LogLevel::kDebug;
  Log(level, args->message != nullptr ? args->message : "",
      {{"source", "grpc"},
       {"at", absl::StrCat(args->file != nullptr ? args->file : "?", ":", args->line)}});
}

absl::Status CheckSecurityOptions(const ServerOptions& options) {
  if (options.tls_cert_file.empty() != options.tls_key_file.empty()) {
    return absl::InvalidArgumentError(
        "--tls_cert_file and --tls_key_file go together: give both or neither");
  }
  const bool tls = !options.tls_cert_file.empty();
  if (!tls && !options.tls_client_ca_file.empty()) {
    return absl::InvalidArgumentError(
        "--tls_client_ca_file needs --tls_cert_file and --tls_key_file");
  }
  if (!tls && !options.auth_token_file.empty()) {
    return absl::InvalidArgumentError(
        "--auth_token_file needs --tls_cert_file and --tls_key_file: bearer tokens must not "
        "cross the network in plaintext");
  }
  if (!options.health_listen_address.empty() &&
      options.health_listen_address == options.listen_address &&
      !absl::EndsWith(options.listen_address, ":0")) {
    return absl::InvalidArgumentError("--health_listen must differ from --listen");
  }
  if (options.max_concurrent_streams < 0) {
    return absl::InvalidArgumentError("--max_concurrent_streams must not be negative");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<GrpcServer>> GrpcServer::Start(
    const ServerOptions& options, const std::vector<grpc::Service*>& services,
    ReadinessCheck ready) {
  if (absl::Status checked = CheckSecurityOptions(options); !checked.ok()) return checked;
  gpr_set_log_function(LogFromGrpc);
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  // Referencing the health descriptor keeps health.pb.o in the binary, so
  // reflection can describe grpc.health.v1.Health and not only list it.
  (void)grpc::health::v1::HealthCheckResponse::descriptor();

  auto server = std::unique_ptr<GrpcServer>(new GrpcServer(options, std::move(ready)));

  std::shared_ptr<grpc::ServerCredentials> credentials = grpc::InsecureServerCredentials();
  const bool tls = !options.tls_cert_file.empty();
  if (tls) {
    TlsServerFiles files;
    files.cert_file = options.tls_cert_file;
    files.key_file = options.tls_key_file;
    files.client_ca_file = options.tls_client_ca_file;
    files.reload_interval = options.credentials_reload_interval;
    absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> tls_credentials =
        MakeTlsServerCredentials(files);
    if (!tls_credentials.ok()) return tls_credentials.status();
    credentials = *std::move(tls_credentials);
  }
  if (!options.auth_token_file.empty()) {
    absl::StatusOr<std::shared_ptr<TokenStore>> tokens = TokenStore::Open(
        options.auth_token_file, options.credentials_reload_interval, options.metrics);
    if (!tokens.ok()) return tokens.status();
    server->tokens_ = *std::move(tokens);
    metrics::CounterFamily* failures =
        options.metrics == nullptr
            ? nullptr
            : &options.metrics->AddCounter("vna_auth_failures_total",
                                           "Calls refused for a missing or invalid bearer token.",
                                           {"reason"});
    credentials->SetAuthMetadataProcessor(
        std::make_shared<TokenAuthProcessor>(server->tokens_, failures));
  }

  grpc::ServerBuilder builder;
  for (grpc::Service* service : services) builder.RegisterService(service);
  builder.SetMaxReceiveMessageSize(options.max_message_bytes);
  builder.SetMaxSendMessageSize(options.max_message_bytes);
  // gRPC sets SO_REUSEPORT by default, which lets a second server silently
  // share a taken port; a taken port must be an error instead.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  if (options.max_concurrent_streams > 0) {
    builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS, options.max_concurrent_streams);
  }
  if (options.max_unary_duration > absl::ZeroDuration() ||
      options.max_stream_duration > absl::ZeroDuration()) {
    server->deadlines_ = std::make_unique<CallDeadlines>();
  }
  CallPolicy policy;
  policy.metrics = options.metrics;
  policy.max_unary_duration = options.max_unary_duration;
  policy.max_stream_duration = options.max_stream_duration;
  policy.access_log = options.access_log;
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> interceptors;
  interceptors.push_back(MakeCallInterceptorFactory(policy, server->deadlines_.get()));
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  int port = 0;
  builder.AddListeningPort(options.listen_address, credentials, &port);

  server->server_ = builder.BuildAndStart();
  if (server->server_ == nullptr || port == 0) {
    return absl::UnavailableError(absl::StrCat(
        "cannot listen on ", options.listen_address, " (address in use or not local?)"));
  }
  server->port_ = port;

  if (!options.health_listen_address.empty()) {
    grpc::ServerBuilder health_builder;
    health_builder.SetOption(std::make_unique<NoPluginsOption>());
    // No default health service here: HealthMirror is this port's.
    health_builder.SetOption(
        std::make_unique<grpc::HealthCheckServiceServerBuilderOption>(nullptr));
    health_builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
    health_builder.SetMaxReceiveMessageSize(4096);  // a HealthCheckRequest is tiny
    server->health_mirror_ = std::make_unique<HealthMirror>();
    health_builder.RegisterService(server->health_mirror_.get());
    int health_port = 0;
    health_builder.AddListeningPort(options.health_listen_address,
                                    grpc::InsecureServerCredentials(), &health_port);
    server->health_server_ = health_builder.BuildAndStart();
    if (server->health_server_ == nullptr || health_port == 0) {
      return absl::UnavailableError(absl::StrCat("cannot listen on ", options.health_listen_address,
                                                 " for health checks (address in use?)"));
    }
    server->health_port_ = health_port;
  }
  if (options.metrics != nullptr) {
    server->serving_gauge_ =
        &options.metrics->AddGauge("vna_health_serving",
                                   "1 while grpc.health.v1 reports SERVING (Redis answers).")
             .WithLabels({});
  }
  server->SetServing(false);
  server->readiness_thread_ = std::thread([s = server.get()] { s->ReadinessLoop(); });
  LogFields fields = {{"address", options.listen_address},
                      {"port", absl::StrCat(port)},
                      {"tls", !tls ? "off" : options.tls_client_ca_file.empty() ? "on" : "mtls"},
                      {"token_auth", options.auth_token_file.empty() ? "off" : "on"}};
  if (server->health_port_ != 0) {
    fields.emplace_back("health_port", absl::StrCat(server->health_port_));
  }
  LogInfo("listening", fields);
  return server;
}

GrpcServer::~GrpcServer() { Shutdown(); }

void GrpcServer::SetServing(bool serving) {
  if (server_ != nullptr) {
    grpc::HealthCheckServiceInterface* health = server_->GetHealthCheckService();
    if (health != nullptr) health->SetServingStatus(serving);
  }
  if (health_mirror_ != nullptr) health_mirror_->Set(serving);
  if (serving_gauge_ != nullptr) serving_gauge_->Set(serving ? 1 : 0);
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
    if (serving_gauge_ != nullptr) serving_gauge_->Set(0);
    if (server_ != nullptr) {
      grpc::HealthCheckServiceInterface* health = server_->GetHealthCheckService();
      if (health != nullptr) health->Shutdown();  // NOT_SERVING, frozen
    }
    if (health_mirror_ != nullptr) health_mirror_->Set(false);
    if (server_ != nullptr) {
      server_->Shutdown(std::chrono::system_clock::now() +
                        absl::ToChronoMilliseconds(options_.shutdown_grace));
      server_->Wait();
    }
    // Probes keep getting NOT_SERVING while the main port drains.
    if (health_server_ != nullptr) {
      health_server_->Shutdown(std::chrono::system_clock::now());
      health_server_->Wait();
    }
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
