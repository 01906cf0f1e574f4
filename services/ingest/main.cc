// vnarchive-ingest: accepts documents over gRPC and enqueues them on
// <prefix>ingested. Wiring only: flags -> options -> objects -> serve.
#include <cstdlib>
#include <memory>

#include "absl/flags/flag.h"
#include "common/base/log.h"
#include "common/grpc/server.h"
#include "common/redis/redis_queue.h"
#include "common/service/service_flags.h"
#include "services/ingest/rpc/ingest_service.h"

ABSL_FLAG(int64_t, max_document_bytes, 8 << 20, "Largest accepted document text, bytes.");
ABSL_FLAG(int64_t, high_water, 100000,
          "Refuse new documents (RESOURCE_EXHAUSTED) while more than this many wait in "
          "<prefix>ingested.");

int main(int argc, char** argv) {
  using namespace vnarchive;
  InitService(argc, argv, "ingest", "vnarchive-ingest: accepts documents and enqueues them.");

  const StreamNames streams = StreamNamesFromPrefix(absl::GetFlag(FLAGS_key_prefix));
  auto queue = redis::RedisQueue::Create(RedisOptionsFromFlags());
  auto status_store = redis::RedisStatusStore::Create(RedisOptionsFromFlags());
  if (!queue.ok() || !status_store.ok()) {
    LogError("cannot set up redis", {{"error", queue.ok() ? status_store.status().ToString()
                                                          : queue.status().ToString()}});
    return 1;
  }

  ingest::IngestorOptions ingestor_options;
  ingestor_options.max_document_bytes = absl::GetFlag(FLAGS_max_document_bytes);
  ingest::IngestServiceOptions service_options;
  service_options.ingested_stream = streams.ingested;
  service_options.high_water = absl::GetFlag(FLAGS_high_water);
  ingest::IngestServiceImpl service(ingest::Ingestor(ingestor_options), queue->get(),
                                    status_store->get(), service_options);

  auto server = GrpcServer::Start(ServerOptionsFromFlags(), {&service},
                                  [&] { return (*queue)->Ping(); });
  if (!server.ok()) {
    LogError("cannot start server", {{"error", server.status().ToString()}});
    return 1;
  }
  ServeUntilSignal(**server, nullptr);
  return 0;
}
