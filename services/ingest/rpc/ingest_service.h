// IngestServiceImpl: the gRPC adapter of ingest. Validates through
// core::Ingestor, finds duplicates (core near_duplicate.h over a
// queue::AdmissionStore), refuses work when the pipeline is backed up, and
// admits documents: status recorded and message appended to <prefix>ingested
// in one atomic step per document (AdmissionStore::Admit).
//
//   IngestServiceImpl service(Ingestor(ingestor_options), *detector, admission_store,
//                             backlog_queue, status_store, service_options);
//   GrpcServer::Start(server_options, {&service}, ...);
//
// IngestStream runs on gRPC's callback API: requests are read ahead (up to
// max_read_ahead) while a worker thread of the stream handles the ones that
// have arrived, up to max_batch at a time, with one Redis round trip to look
// them up and one to admit them; responses are written in order as they are
// ready. Reading ahead never blocks the handling, so a stream can be ended
// (RESOURCE_EXHAUSTED, UNAVAILABLE) at any point even while the client is
// still sending.
#ifndef VNARCHIVE_SERVICES_INGEST_RPC_INGEST_SERVICE_H_
#define VNARCHIVE_SERVICES_INGEST_RPC_INGEST_SERVICE_H_

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/queue/admission_store.h"
#include "common/queue/queue.h"
#include "common/queue/status_store.h"
#include "services/ingest/core/ingestor.h"
#include "services/ingest/core/near_duplicate.h"
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
  // The backlog is read from Redis at most this often (it costs a round
  // trip); in between, what this replica enqueued is added to the last
  // reading, so the estimate errs high. While the estimate is over the
  // high-water mark it is read again after 50 ms at most. Default 500 ms.
  absl::Duration backlog_check_interval = absl::Milliseconds(500);
  // The retry hint sent with RESOURCE_EXHAUSTED, in the message and as the
  // trailing metadata "retry-after-ms". Default 1 s.
  absl::Duration retry_after = absl::Seconds(1);
  // Most documents of one IngestStream handled together. Default 64.
  int max_batch = 64;
  // Most requests of one IngestStream read ahead of the batch being
  // handled; the stream stops reading (and gRPC flow control slows the
  // client) beyond it. Default 256.
  int max_read_ahead = 256;
};

// Thread-safe. Not copyable or movable. The destructor waits for open
// IngestStreams to end: stop the server first.
class IngestServiceImpl final
    : public v1::IngestService::WithCallbackMethod_IngestStream<v1::IngestService::Service> {
 public:
  // `admission`, `backlog_queue` and `status` are borrowed and must outlive
  // the service. `backlog_queue` answers Backlog(); `status` answers
  // GetStatus (the admission store writes the same statuses).
  IngestServiceImpl(Ingestor ingestor, NearDuplicateDetector detector,
                    queue::AdmissionStore* admission, queue::Queue* backlog_queue,
                    queue::StatusStore* status, IngestServiceOptions options);
  ~IngestServiceImpl() override;
  IngestServiceImpl(const IngestServiceImpl&) = delete;
  IngestServiceImpl& operator=(const IngestServiceImpl&) = delete;

  grpc::Status Ingest(grpc::ServerContext* context, const v1::IngestRequest* request,
                      v1::IngestResponse* response) override;
  grpc::ServerBidiReactor<v1::IngestRequest, v1::IngestResponse>* IngestStream(
      grpc::CallbackServerContext* context) override;
  grpc::Status GetStatus(grpc::ServerContext* context, const v1::GetStatusRequest* request,
                         v1::GetStatusResponse* response) override;
  grpc::Status GetStatuses(grpc::ServerContext* context, const v1::GetStatusesRequest* request,
                           v1::GetStatusesResponse* response) override;
  grpc::Status Stats(grpc::ServerContext* context, const v1::IngestStatsRequest* request,
                     v1::IngestStatsResponse* response) override;

 private:
  class StreamReactor;

  // A batch of requests with what can be known of each without Redis.
  struct PreparedBatch {
    std::vector<v1::IngestRequest> requests;
    std::vector<absl::StatusOr<AcceptedDocument>> docs;  // parallel to requests
    std::vector<TextFingerprint> fingerprints;           // for the accepted ones
    // Per request, its call's trace id (common/grpc/trace.h), given to the
    // document so each stage's log lines about it carry the id.
    std::vector<std::string> trace_ids;
  };

  // A unary Ingest call waiting for its document to be committed with
  // others (IngestTogether).
  struct WaitingCall {
    // One request; moved from by the committing call (the owner waits, and
    // reads only `result` afterwards).
    PreparedBatch* prepared = nullptr;
    std::optional<absl::StatusOr<v1::IngestResponse>> result;
  };

  // The CPU half of handling a batch: decode, read, validate and
  // fingerprint each document. Thread-safe; touches no shared state, so
  // a stream prepares its next batch while the previous one is at Redis.
  PreparedBatch Prepare(std::vector<v1::IngestRequest> requests, std::string trace_id) const;
  // The Redis half, in order: look the batch up (one round trip), decide
  // duplicates and near-duplicates, apply back-pressure, admit (one round
  // trip). Returns one result per request: a response (ACCEPTED or
  // DUPLICATE), or the error the single-document call returns —
  // InvalidArgument/Internal for a rejected document (with its
  // RejectionReason), ResourceExhausted (backlog over the high-water mark)
  // or Unavailable (Redis away) for a document that was not admitted and can
  // be sent again. Counts only Redis round trips: see Record.
  std::vector<absl::StatusOr<v1::IngestResponse>> Commit(const PreparedBatch& batch);
  // Group commit for unary calls: the call's prepared document is committed
  // together with those of other calls waiting meanwhile (up to max_batch,
  // in arrival order), by whichever call is not waiting for a commit in
  // flight. Under concurrency the two Redis round trips are shared, as a
  // stream shares them; a lone call commits at once, alone.
  absl::StatusOr<v1::IngestResponse> IngestTogether(PreparedBatch prepared);

  // Returns how many more documents may be enqueued before the backlog is
  // over high_water (at least 1); ResourceExhausted with a retry hint when it
  // already is; Unavailable when the backlog cannot be read.
  absl::StatusOr<int64_t> BacklogRoom();
  void AddToBacklog(int64_t admitted);

  // Counts and logs the answer given for `request`: a response, a
  // rejection, or the error that ended a call (logged with the call's
  // trace id).
  void Record(const v1::IngestRequest& request, const std::string& trace_id,
              const absl::StatusOr<v1::IngestResponse>& result);
  // True for the errors that end an IngestStream instead of rejecting one
  // document: the service cannot go on, the document may be sent again.
  static bool EndsStream(const absl::Status& status);
  // The trailing metadata to send with `status` (the retry hint).
  void AddRetryHint(const absl::Status& status, grpc::ServerContextBase* context) const;

  const Ingestor ingestor_;
  const NearDuplicateDetector detector_;
  queue::AdmissionStore* const admission_;
  queue::Queue* const backlog_queue_;
  queue::StatusStore* const status_;
  const IngestServiceOptions options_;

  absl::Mutex group_mu_;
  std::deque<WaitingCall*> waiting_calls_ ABSL_GUARDED_BY(group_mu_);
  bool group_committing_ ABSL_GUARDED_BY(group_mu_) = false;

  absl::Mutex backlog_mu_;
  int64_t backlog_ ABSL_GUARDED_BY(backlog_mu_) = 0;
  absl::Time backlog_read_at_ ABSL_GUARDED_BY(backlog_mu_) = absl::InfinitePast();

  mutable absl::Mutex stats_mu_;
  uint64_t accepted_ ABSL_GUARDED_BY(stats_mu_) = 0;
  uint64_t near_duplicates_ ABSL_GUARDED_BY(stats_mu_) = 0;
  uint64_t duplicates_ ABSL_GUARDED_BY(stats_mu_) = 0;
  uint64_t admit_batches_ ABSL_GUARDED_BY(stats_mu_) = 0;
  std::map<std::string, uint64_t> rejected_ ABSL_GUARDED_BY(stats_mu_);
  int open_streams_ ABSL_GUARDED_BY(stats_mu_) = 0;
};

}  // namespace ingest
}  // namespace vnarchive

#endif  // VNARCHIVE_SERVICES_INGEST_RPC_INGEST_SERVICE_H_
