#include "common/service/service_runner.h"

#include <thread>
#include <utility>

#include "common/base/log.h"
#include "common/base/status_macros.h"
#include "common/grpc/server.h"
#include "common/service/service_flags.h"

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

int ServeWithWorkerUntilSignal(const std::vector<grpc::Service*>& services,
                               const ServiceRedis& redis, queue::StageWorker* worker) {
  redis::RedisQueue* health_queue = redis.rpc_queue.get();
  auto server = GrpcServer::Start(ServerOptionsFromFlags(), services,
                                  [health_queue] { return health_queue->Ping(); });
  if (!server.ok()) {
    LogError("cannot start server", {{"error", server.status().ToString()}});
    return 1;
  }
  std::thread worker_thread;
  if (worker != nullptr) worker_thread = std::thread([worker] { (void)worker->Run(); });
  ServeUntilSignal(**server, [worker] {
    if (worker != nullptr) worker->Stop();
  });
  if (worker_thread.joinable()) worker_thread.join();
  return 0;
}

}  // namespace vnarchive
