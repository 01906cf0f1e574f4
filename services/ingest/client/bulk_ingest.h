// BulkIngest: a client of IngestService.IngestStream that gets every
// document of a list exactly one answer, whatever the service says in
// between. It writes the documents on one stream (a writer thread, so the
// service can read ahead and batch) and reads the answers in order; when the
// service ends the stream early — RESOURCE_EXHAUSTED while its backlog is
// over the high-water mark, UNAVAILABLE while Redis or the service is away —
// it waits (the service's "retry-after-ms" hint, or a doubling back-off) and
// resends from the first document without an answer. The service admits each
// document atomically, so a resent document that had been accepted before
// its answer was lost comes back as a DUPLICATE of itself: nothing is lost or
// enqueued twice.
//
//   auto stub = v1::IngestService::NewStub(channel);
//   BulkIngestOptions options;
//   options.on_answer = [](size_t index, const v1::IngestResponse& r) { ... };
//   absl::StatusOr<BulkIngestReport> report = BulkIngest(*stub, requests, options);
//
// Used by the load generator (vna_ingest_load) and the bulk integration test.
#ifndef VNARCHIVE_SERVICES_INGEST_CLIENT_BULK_INGEST_H_
#define VNARCHIVE_SERVICES_INGEST_CLIENT_BULK_INGEST_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "vnarchive/v1/ingest.grpc.pb.h"

namespace vnarchive {
namespace ingest {

struct BulkIngestOptions {
  // Called once per document, in order, when its answer arrives (from the
  // thread that called BulkIngest). Default: none.
  std::function<void(size_t index, const v1::IngestResponse& response)> on_answer;
  // Wait before resending after RESOURCE_EXHAUSTED when the service sent no
  // "retry-after-ms" hint, and the first wait after UNAVAILABLE; waits after
  // UNAVAILABLE double up to max_backoff. Defaults 200 ms and 5 s.
  absl::Duration initial_backoff = absl::Milliseconds(200);
  absl::Duration max_backoff = absl::Seconds(5);
  // Give up when no document got an answer for this long. Default 60 s.
  absl::Duration give_up_after = absl::Seconds(60);
};

struct BulkIngestReport {
  // One answer per request, in request order.
  std::vector<v1::IngestResponse> responses;
  // Streams opened (1 when the service never pushed back).
  int64_t streams = 0;
  // Streams the service ended with RESOURCE_EXHAUSTED / UNAVAILABLE.
  int64_t busy = 0;
  int64_t unavailable = 0;
};

// Sends `requests` and returns every answer. The last status seen (with the
// answers so far lost) when a stream ends with another error, or when the
// service made no progress for give_up_after (DeadlineExceeded). Thread-safe:
// concurrent calls may share a stub (each opens its own streams).
absl::StatusOr<BulkIngestReport> BulkIngest(v1::IngestService::Stub& stub,
                                            const std::vector<v1::IngestRequest>& requests,
                                            const BulkIngestOptions& options = {});

}  // namespace ingest
}  // namespace vnarchive

#endif  // VNARCHIVE_SERVICES_INGEST_CLIENT_BULK_INGEST_H_
