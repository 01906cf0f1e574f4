// The lifecycle every service binary shares: Redis clients built from the
// common flags, then serve gRPC (and run a stream worker) until SIGTERM.
//
//   absl::StatusOr<ServiceRedis> redis = ConnectRedisFromFlags();
//   ... build the service and the worker on redis->worker_queue ...
//   ServeOptions serve;
//   serve.worker = worker.get();
//   serve.stage = "normalize";
//   serve.input_stream = streams.ingested;
//   serve.group = "normalize";
//   return RunService({&service}, *redis, serve);
#ifndef VNARCHIVE_COMMON_SERVICE_SERVICE_RUNNER_H_
#define VNARCHIVE_COMMON_SERVICE_SERVICE_RUNNER_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/status/statusor.h"
#include "common/metrics/metrics.h"
#include "common/queue/stage_worker.h"
#include "common/redis/redis_queue.h"
#include "common/service/document_stage.h"

namespace vnarchive {

// One process's Redis clients. Each owns its connection: a worker's blocking
// read must not delay health checks or RPCs.
struct ServiceRedis {
  std::unique_ptr<redis::RedisQueue> worker_queue;  // the stream worker's reads and writes
  std::unique_ptr<redis::RedisQueue> rpc_queue;     // RPC handlers and the readiness check
  std::unique_ptr<redis::RedisStatusStore> status;  // per-document status
};

// Returns the clients for --redis, --redis_password and --key_prefix. They
// connect lazily: Redis being down at start is not an error (health reports
// NOT_SERVING until it is back). InvalidArgument for a malformed address.
absl::StatusOr<ServiceRedis> ConnectRedisFromFlags();

// Returns the worker of a stage that transforms each document and passes it
// on (normalize, extract): it consumes `input` in consumer group `stage`
// with the common worker flags, writes `options.output_stream`, and marks a
// document failed when its entry is dead-lettered to `dead_stream`. `redis`
// must outlive the worker. InvalidArgument for bad worker flags.
absl::StatusOr<std::unique_ptr<queue::StageWorker>> MakeDocumentStageWorker(
    const ServiceRedis& redis, absl::string_view stage, absl::string_view input,
    absl::string_view dead_stream, DocumentStageOptions options, DocumentTransform transform);

// What a service adds to the common serving loop.
struct ServeOptions {
  // The stream worker, run on its own thread; null: none (ingest).
  queue::StageWorker* worker = nullptr;
  // The worker's stage name (the "stage" label of its metrics), and the
  // stream and consumer group it reads, for the vna_stream_* metrics.
  // Empty input_stream: no stream metrics.
  std::string stage;
  std::string input_stream;
  std::string group;
  // Adds the service's own metrics (search: the index size). Optional.
  std::function<void(metrics::Registry&)> add_metrics;
};

// Starts the gRPC server for `services` with the common flags (TLS, tokens,
// health port, limits; health SERVING while Redis answers PING on
// redis.rpc_queue), the metrics endpoint when --metrics_listen is set, runs
// `options.worker` on its own thread, and blocks until SIGTERM/SIGINT; then
// stops the worker (its batch in hand is finished or left pending) and
// drains the server. Returns the process exit code: 0 after a clean stop,
// 1 if the server or the metrics endpoint could not start.
int RunService(const std::vector<grpc::Service*>& services, const ServiceRedis& redis,
               const ServeOptions& options);

// RunService without stage information (no worker or stream metrics).
int ServeWithWorkerUntilSignal(const std::vector<grpc::Service*>& services,
                               const ServiceRedis& redis, queue::StageWorker* worker);

}  // namespace vnarchive

#endif  // VNARCHIVE_COMMON_SERVICE_SERVICE_RUNNER_H_
