// vnarchive-normalize: NormalizeService over gRPC, and the worker that
// normalises <prefix>ingested into <prefix>normalized. Wiring only.
#include <memory>
#include <thread>

#include "absl/flags/flag.h"
#include "common/base/log.h"
#include "common/grpc/server.h"
#include "common/redis/redis_queue.h"
#include "common/service/document_stage.h"
#include "common/service/service_flags.h"
#include "services/normalize/core/normalizer.h"
#include "services/normalize/rpc/normalize_service.h"

int main(int argc, char** argv) {
  using namespace vnarchive;
  InitService(argc, argv, "normalize",
              "vnarchive-normalize: normalises Vietnamese text (RPC and stream worker).");
  const StreamNames streams = StreamNamesFromPrefix(absl::GetFlag(FLAGS_key_prefix));

  auto worker_queue = redis::RedisQueue::Create(RedisOptionsFromFlags());
  auto health_queue = redis::RedisQueue::Create(RedisOptionsFromFlags());
  auto status_store = redis::RedisStatusStore::Create(RedisOptionsFromFlags());
  if (!worker_queue.ok() || !health_queue.ok() || !status_store.ok()) {
    LogError("cannot set up redis", {{"error", worker_queue.status().ToString()}});
    return 1;
  }

  // The worker stores text and paragraphs only: tokens are recomputed where
  // needed, so the stream does not carry them.
  normalize::NormalizerOptions worker_normalizer_options;
  worker_normalizer_options.tokenize = false;
  const normalize::Normalizer worker_normalizer(worker_normalizer_options);
  const normalize::Normalizer rpc_normalizer;

  queue::StageWorkerOptions worker_options =
      WorkerOptionsFromFlags("normalize", streams.ingested, streams.dead);
  worker_options.on_dead_letter = MarkFailedOnDeadLetter(status_store->get());
  auto worker = queue::StageWorker::Create(
      worker_queue->get(), worker_options,
      MakeDocumentStageHandler(worker_queue->get(), status_store->get(),
                               {queue::kStageNormalized, streams.normalized},
                               [&](v1::Document& document) {
                                 return normalize::NormalizeDocument(worker_normalizer, document);
                               }));
  if (!worker.ok()) {
    LogError("cannot create worker", {{"error", worker.status().ToString()}});
    return 1;
  }

  normalize::NormalizeServiceImpl service(&rpc_normalizer);
  auto server = GrpcServer::Start(ServerOptionsFromFlags(), {&service},
                                  [&] { return (*health_queue)->Ping(); });
  if (!server.ok()) {
    LogError("cannot start server", {{"error", server.status().ToString()}});
    return 1;
  }
  std::thread worker_thread([&] { (void)(*worker)->Run(); });
  ServeUntilSignal(**server, [&] { (*worker)->Stop(); });
  worker_thread.join();
  return 0;
}
