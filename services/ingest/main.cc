// vnarchive-ingest: accepts documents over gRPC and enqueues them on
// <prefix>ingested. Wiring only: flags -> options -> objects -> serve.
#include <cstdint>

#include "absl/flags/flag.h"
#include "absl/time/time.h"
#include "common/base/log.h"
#include "common/redis/redis_admission_store.h"
#include "common/service/service_flags.h"
#include "common/service/service_runner.h"
#include "services/ingest/rpc/ingest_service.h"

ABSL_FLAG(int64_t, max_document_bytes, 8 << 20, "Largest accepted document text, bytes.");
ABSL_FLAG(int64_t, high_water, 100000,
          "Refuse new documents (RESOURCE_EXHAUSTED) while more than this many wait in "
          "<prefix>ingested.");
ABSL_FLAG(absl::Duration, retry_after, absl::Seconds(1),
          "Retry hint sent with RESOURCE_EXHAUSTED (trailing metadata retry-after-ms).");
ABSL_FLAG(double, near_duplicate_threshold, 0.8,
          "A document whose estimated similarity (Jaccard of 3-syllable phrases) to an earlier "
          "one is at least this is a near-duplicate: stored, with duplicate_of set. 0 or "
          "negative: off (exact duplicates are still refused). At most 1.");
ABSL_FLAG(int, stream_batch, 64,
          "Most documents of one IngestStream handled together (one Redis round trip).");
ABSL_FLAG(int, redis_connections, 4,
          "Redis connections used in turn to admit documents (concurrent streams and calls).");

int main(int argc, char** argv) {
  using namespace vnarchive;
  InitService(argc, argv, "ingest", "vnarchive-ingest: accepts documents and enqueues them.");
  const StreamNames streams = StreamNamesFromPrefix(absl::GetFlag(FLAGS_key_prefix));
  absl::StatusOr<ServiceRedis> redis = ConnectRedisFromFlags();
  if (!redis.ok()) {
    LogError("cannot set up redis", {{"error", redis.status().ToString()}});
    return 1;
  }
  redis::RedisAdmissionStoreOptions store_options;
  store_options.connections = absl::GetFlag(FLAGS_redis_connections);
  auto admission = redis::RedisAdmissionStore::Create(RedisOptionsFromFlags(), store_options);
  if (!admission.ok()) {
    LogError("cannot set up redis", {{"error", admission.status().ToString()}});
    return 2;
  }
  ingest::NearDuplicateOptions near_options;
  near_options.threshold = absl::GetFlag(FLAGS_near_duplicate_threshold);
  auto detector = ingest::NearDuplicateDetector::Create(near_options);
  if (!detector.ok()) {
    LogError("bad --near_duplicate_threshold", {{"error", detector.status().ToString()}});
    return 2;
  }

  ingest::IngestorOptions ingestor_options;
  ingestor_options.max_document_bytes = absl::GetFlag(FLAGS_max_document_bytes);
  ingest::IngestServiceOptions service_options;
  service_options.ingested_stream = streams.ingested;
  service_options.high_water = absl::GetFlag(FLAGS_high_water);
  service_options.retry_after = absl::GetFlag(FLAGS_retry_after);
  service_options.max_batch = absl::GetFlag(FLAGS_stream_batch);
  if (service_options.max_batch < 1) {
    LogError("--stream_batch must be at least 1");
    return 2;
  }
  ingest::IngestServiceImpl service(ingest::Ingestor(ingestor_options), *detector,
                                    admission->get(), redis->rpc_queue.get(), redis->status.get(),
                                    service_options);
  return ServeWithWorkerUntilSignal({&service}, *redis, /*worker=*/nullptr);
}
