// The metrics a service binary exports beyond its RPCs (docs/operations.md
// lists them all): its stream worker's counters, the backlog of the stream
// it consumes, and, for search, the size of the index. Each is read when
// Prometheus scrapes, from the objects that already keep the numbers.
//
//   metrics::Registry registry;
//   AddWorkerMetrics(registry, worker.get(), "normalize");
//   AddStreamMetrics(registry, redis.rpc_queue.get(), "vna:ingested", "normalize");
//   AddIndexMetrics(registry, [&]() -> absl::StatusOr<IndexSizes> { ... });
#ifndef VNARCHIVE_COMMON_SERVICE_SERVICE_METRICS_H_
#define VNARCHIVE_COMMON_SERVICE_SERVICE_METRICS_H_

#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "common/metrics/metrics.h"
#include "common/queue/queue.h"
#include "common/queue/stage_worker.h"

namespace vnarchive {

// vna_worker_{processed,failed,dead_lettered,claimed,queue_errors}_total,
// vna_worker_queue_available and vna_worker_last_batch_seconds, labelled
// {stage}, from StageWorker::Snapshot(). `worker` is borrowed and must
// outlive `registry`'s last Render().
void AddWorkerMetrics(metrics::Registry& registry, const queue::StageWorker* worker,
                      const std::string& stage);

// vna_stream_backlog (entries `group` has not finished: never delivered plus
// pending), vna_stream_pending (delivered, not acked) and vna_stream_lag
// (never delivered), labelled {stream, group}, read from `queue` (borrowed)
// at most once a second; vna_stream_scrape_errors_total counts failed reads
// (the gauges are then left out of that scrape).
void AddStreamMetrics(metrics::Registry& registry, queue::Queue* queue, const std::string& stream,
                      const std::string& group);

// What AddIndexMetrics reports: a search shard's size.
struct IndexSizes {
  int64_t documents = 0;
  int64_t entities = 0;
  int64_t bytes = 0;
};

// vna_index_documents, vna_index_entities and vna_index_size_bytes from
// `read` (called on scrape; an error leaves them out of that scrape).
void AddIndexMetrics(metrics::Registry& registry,
                     std::function<absl::StatusOr<IndexSizes>()> read);

}  // namespace vnarchive

#endif  // VNARCHIVE_COMMON_SERVICE_SERVICE_METRICS_H_
