// IngestServiceImpl: the gRPC adapter of ingest. Validates through
// core::Ingestor, refuses work when the pipeline is backed up, records the
// document's status and appends it to <prefix>ingested.
#ifndef VNARCHIVE_SERVICES_INGEST_RPC_INGEST_SERVICE_H_
#define VNARCHIVE_SERVICES_INGEST_RPC_INGEST_SERVICE_H_

#include <cstdint>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/queue/queue.h"
#include "common/queue/status_store.h"
#include "services/ingest/core/ingestor.h"
#include "vnarchive/v1/ingest.grpc.pb.h"

namespace vnarchive {
namespace ingest {

struct IngestServiceOptions {
  // Stream documents are appended to.
  std::string ingested_stream = "vna:ingested";
  // Consumer group whose backlog is watched (the normalize stage).
  std::string backlog_group = "normalize";
  // Above this many entries waiting in ingested_stream, new documents are
  // refused with RESOURCE_EXHAUSTED. Default 100,000 (about 1 GB of text).
  int64_t high_water = 100000;
  // The backlog is read from Redis at most this often (it costs a round trip).
  absl::Duration backlog_check_interval = absl::Milliseconds(500);
};

// Thread-safe: the queue and status store are; the backlog cache has a mutex.
class IngestServiceImpl final : public v1::IngestService::Service {
 public:
  // `queue` and `status` are borrowed and must outlive the service.
  IngestServiceImpl(Ingestor ingestor, queue::Queue* queue, queue::StatusStore* status,
                    IngestServiceOptions options);

  grpc::Status Ingest(grpc::ServerContext* context, const v1::IngestRequest* request,
                      v1::IngestResponse* response) override;
  grpc::Status IngestStream(
      grpc::ServerContext* context,
      grpc::ServerReaderWriter<v1::IngestResponse, v1::IngestRequest>* stream) override;
  grpc::Status GetStatus(grpc::ServerContext* context, const v1::GetStatusRequest* request,
                         v1::GetStatusResponse* response) override;

 private:
  // Accepts one document. Errors as IngestService.Ingest documents them.
  absl::StatusOr<v1::IngestResponse> IngestOne(const v1::IngestRequest& request);
  // ResourceExhausted with a retry hint when the backlog is over high_water.
  absl::Status CheckBacklog();

  const Ingestor ingestor_;
  queue::Queue* const queue_;
  queue::StatusStore* const status_;
  const IngestServiceOptions options_;

  absl::Mutex backlog_mu_;
  int64_t backlog_ ABSL_GUARDED_BY(backlog_mu_) = 0;
  absl::Time backlog_read_at_ ABSL_GUARDED_BY(backlog_mu_) = absl::InfinitePast();
};

}  // namespace ingest
}  // namespace vnarchive

#endif  // VNARCHIVE_SERVICES_INGEST_RPC_INGEST_SERVICE_H_
