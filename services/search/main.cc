// vnarchive-search: indexes <prefix>extracted into one SQLite FTS5 database
// (the shard) and answers SearchService queries. Wiring only.
#include <memory>
#include <thread>

#include "absl/flags/flag.h"
#include "common/base/log.h"
#include "common/grpc/server.h"
#include "common/redis/redis_queue.h"
#include "common/service/document_stage.h"
#include "common/service/service_flags.h"
#include "services/search/core/index.h"
#include "services/search/rpc/search_service.h"

ABSL_FLAG(std::string, db, "vnarchive.db", "Path of the shard's SQLite database file.");

int main(int argc, char** argv) {
  using namespace vnarchive;
  InitService(argc, argv, "search", "vnarchive-search: indexes documents and answers queries.");
  const StreamNames streams = StreamNamesFromPrefix(absl::GetFlag(FLAGS_key_prefix));

  search::IndexOptions index_options;
  index_options.path = absl::GetFlag(FLAGS_db);
  auto index = search::SearchIndex::Open(index_options);
  auto worker_queue = redis::RedisQueue::Create(RedisOptionsFromFlags());
  auto health_queue = redis::RedisQueue::Create(RedisOptionsFromFlags());
  auto status_store = redis::RedisStatusStore::Create(RedisOptionsFromFlags());
  if (!index.ok() || !worker_queue.ok() || !health_queue.ok() || !status_store.ok()) {
    LogError("cannot start", {{"index", index.status().ToString()},
                              {"redis", worker_queue.status().ToString()}});
    return 1;
  }

  queue::StageWorkerOptions worker_options =
      WorkerOptionsFromFlags("search", streams.extracted, streams.dead);
  worker_options.on_dead_letter = MarkFailedOnDeadLetter(status_store->get());
  auto worker = queue::StageWorker::Create(
      worker_queue->get(), worker_options,
      search::MakeIndexHandler(index->get(), status_store->get()));
  if (!worker.ok()) {
    LogError("cannot create worker", {{"error", worker.status().ToString()}});
    return 1;
  }
  search::SearchServiceImpl service(index->get(), [&] { return (*worker)->Snapshot(); });

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
