#include "common/service/service_runner.h"

#include <thread>
#include <utility>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "common/base/log.h"
#include "common/base/status_macros.h"
#include "common/grpc/server.h"
#include "common/metrics/http_exporter.h"
#include "common/service/service_flags.h"
#include "common/service/service_metrics.h"

namespace vnarchive {

absl::StatusOr<ServiceRedis> ConnectRedisFromFlags() {
  const redis::RedisOptions options = RedisOptionsFromFlags();
  ServiceRedis clients;
  VNA_ASSIGN_OR_RETURN(clients.worker_queue, redis::RedisQueue::Create(options));
  VNA_ASSIGN_OR_RETURN(clients.rpc_queue, redis::RedisQueue::Create(options));
  VNA_ASSIGN_OR_RETURN(clients.status, redis::RedisStatusStore::Create(options));
  return clients;
}

absl::StatusOr<std::unique_ptr<queue::StageWorker>> MakeDocumentStageWorker(
    const ServiceRedis& redis, absl::string_view stage, absl::string_view input,
    absl::string_view dead_stream, DocumentStageOptions options, DocumentTransform transform) {
  queue::StageWorkerOptions worker_options = WorkerOptionsFromFlags(stage, input, dead_stream);
  worker_options.on_dead_letter = MarkFailedOnDeadLetter(redis.status.get());
  return queue::StageWorker::Create(
      redis.worker_queue.get(), worker_options,
      MakeDocumentStageHandler(redis.worker_queue.get(), redis.status.get(), std::move(options),
                               std::move(transform)));
}

int RunService(const std::vector<grpc::Service*>& services, const ServiceRedis& redis,
               const ServeOptions& options) {
  // Declared first: every user below borrows it.
  metrics::Registry registry;
  if (options.worker != nullptr) {
    AddWorkerMetrics(registry, options.worker, options.stage);
  }
  if (!options.input_stream.empty()) {
    // The RPC connection: short commands only, never a blocking read.
    AddStreamMetrics(registry, redis.rpc_queue.get(), options.input_stream, options.group);
  }
  if (options.add_metrics) options.add_metrics(registry);

  std::unique_ptr<metrics::HttpExporter> exporter;
  const std::string metrics_address = absl::GetFlag(FLAGS_metrics_listen);
  if (!metrics_address.empty()) {
    auto started = metrics::HttpExporter::Start(metrics_address, &registry);
    if (!started.ok()) {
      LogError("cannot start the metrics endpoint", {{"error", started.status().ToString()}});
      return 1;
    }
    exporter = *std::move(started);
    LogInfo("metrics listening",
            {{"address", metrics_address}, {"port", absl::StrCat(exporter->port())}});
  }

  ServerOptions server_options = ServerOptionsFromFlags();
  server_options.metrics = &registry;
  redis::RedisQueue* health_queue = redis.rpc_queue.get();
  auto server = GrpcServer::Start(server_options, services,
                                  [health_queue] { return health_queue->Ping(); });
  if (!server.ok()) {
    LogError("cannot start server", {{"error", server.status().ToString()}});
    return 1;
  }
  queue::StageWorker* worker = options.worker;
  std::thread worker_thread;
  if (worker != nullptr) worker_thread = std::thread([worker] { (void)worker->Run(); });
  ServeUntilSignal(**server, [worker] {
    if (worker != nullptr) worker->Stop();
  });
  if (worker_thread.joinable()) worker_thread.join();
  // The server before the exporter: nothing records metrics after this.
  server->reset();
  exporter.reset();
  return 0;
}

int ServeWithWorkerUntilSignal(const std::vector<grpc::Service*>& services,
                               const ServiceRedis& redis, queue::StageWorker* worker) {
  ServeOptions options;
  options.worker = worker;
  return RunService(services, redis, options);
}

}  // namespace vnarchive
