// vnarchive-ingest: accepts documents over gRPC and enqueues them on
// <prefix>ingested. Wiring only: flags -> options -> objects -> serve.
#include <cstdint>

#include "absl/flags/flag.h"
#include "common/base/log.h"
#include "common/service/service_flags.h"
#include "common/service/service_runner.h"
#include "services/ingest/rpc/ingest_service.h"

ABSL_FLAG(int64_t, max_document_bytes, 8 << 20, "Largest accepted document text, bytes.");
ABSL_FLAG(int64_t, high_water, 100000,
          "Refuse new documents (RESOURCE_EXHAUSTED) while more than this many wait in "
          "<prefix>ingested.");

int main(int argc, char** argv) {
  using namespace vnarchive;
  InitService(argc, argv, "ingest", "vnarchive-ingest: accepts documents and enqueues them.");
  const StreamNames streams = StreamNamesFromPrefix(absl::GetFlag(FLAGS_key_prefix));
  absl::StatusOr<ServiceRedis> redis = ConnectRedisFromFlags();
  if (!redis.ok()) {
    LogError("cannot set up redis", {{"error", redis.status().ToString()}});
    return 1;
  }

  ingest::IngestorOptions ingestor_options;
  ingestor_options.max_document_bytes = absl::GetFlag(FLAGS_max_document_bytes);
  ingest::IngestServiceOptions service_options;
  service_options.ingested_stream = streams.ingested;
  service_options.high_water = absl::GetFlag(FLAGS_high_water);
  ingest::IngestServiceImpl service(ingest::Ingestor(ingestor_options), redis->rpc_queue.get(),
                                    redis->status.get(), service_options);
  return ServeWithWorkerUntilSignal({&service}, *redis, /*worker=*/nullptr);
}
