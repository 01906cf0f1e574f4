#include "services/ingest/rpc/ingest_service.h"

#include <algorithm>
#include <deque>
#include <future>
#include <map>
#include <optional>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "common/base/log.h"
#include "common/base/status_macros.h"
#include "common/grpc/status.h"
#include "common/grpc/trace.h"
#include "google/protobuf/util/time_util.h"
#include "vnarchive/v1/queue.pb.h"

namespace vnarchive {
namespace ingest {
namespace {

using google::protobuf::util::TimeUtil;

// GetStatuses answers at most this many ids per call.
constexpr int kMaxStatusesPerCall = 1000;

// While the backlog is over the high-water mark, it is read at most this
// often (see BacklogRoom).
constexpr absl::Duration kFullBacklogCheckInterval = absl::Milliseconds(50);

v1::GetStatusResponse::Stage StageFromName(const std::string& name) {
  if (name == queue::kStageAccepted) return v1::GetStatusResponse::ACCEPTED;
  if (name == queue::kStageNormalized) return v1::GetStatusResponse::NORMALIZED;
  if (name == queue::kStageExtracted) return v1::GetStatusResponse::EXTRACTED;
  if (name == queue::kStageIndexed) return v1::GetStatusResponse::INDEXED;
  if (name == queue::kStageFailed) return v1::GetStatusResponse::FAILED;
  return v1::GetStatusResponse::STAGE_UNSPECIFIED;
}

void FillStatus(const std::string& doc_id, const queue::DocStatus& doc_status,
                v1::GetStatusResponse* response) {
  response->set_doc_id(doc_id);
  response->set_stage(StageFromName(doc_status.stage));
  // A stale error from an earlier failed attempt is not this version's.
  if (doc_status.stage == queue::kStageFailed) response->set_error(doc_status.error);
  response->set_content_hash(doc_status.content_hash);
  *response->mutable_updated_at() = TimeUtil::MillisecondsToTimestamp(doc_status.updated_unix_ms);
}

IncomingDocument IncomingFrom(const v1::IngestRequest& request) {
  IncomingDocument incoming;
  incoming.doc_id = request.doc_id();
  incoming.text = request.text();
  incoming.name = request.name();
  incoming.url = request.url();
  incoming.source = request.source();
  incoming.title = request.title();
  incoming.encoding = request.encoding();
  incoming.content_type = request.content_type();
  if (request.has_published_at()) {
    incoming.published_at = absl::FromUnixSeconds(request.published_at().seconds()) +
                            absl::Nanoseconds(request.published_at().nanos());
  }
  return incoming;
}

// The pipeline message for an accepted document.
absl::StatusOr<std::string> Payload(const v1::IngestRequest& request,
                                    const AcceptedDocument& accepted,
                                    const std::string& duplicate_of,
                                    const std::string& trace_id) {
  v1::PipelineMessage message;
  v1::Document& document = *message.mutable_document();
  document.set_doc_id(accepted.doc_id);
  document.set_trace_id(trace_id);
  document.set_content_hash(accepted.content_hash);
  document.set_duplicate_of(duplicate_of);
  document.set_text(accepted.text);
  if (request.keep_original()) document.set_original(request.text());
  document.set_name(request.name());
  document.set_url(accepted.url);
  document.set_source(accepted.source);
  document.set_title(accepted.title);
  document.set_dateline(accepted.dateline);
  if (!accepted.author.empty()) document.add_authors(accepted.author);
  document.set_language("vi");
  // The caller's timestamp is passed on exactly as sent.
  if (request.has_published_at()) {
    *document.mutable_published_at() = request.published_at();
  } else if (accepted.published_at.has_value()) {
    *document.mutable_published_at() =
        TimeUtil::SecondsToTimestamp(absl::ToUnixSeconds(*accepted.published_at));
  }
  document.mutable_metadata_origins()->insert(accepted.metadata_origins.begin(),
                                              accepted.metadata_origins.end());
  for (const TextSpan& caption : accepted.captions) {
    v1::Span& span = *document.add_captions();
    span.set_begin(static_cast<uint32_t>(caption.begin));
    span.set_end(static_cast<uint32_t>(caption.end));
  }
  *document.mutable_ingested_at() = TimeUtil::GetCurrentTime();
  std::string payload;
  if (!message.SerializeToString(&payload)) {
    return absl::InternalError(absl::StrCat("cannot serialize document ", accepted.doc_id));
  }
  return payload;
}

v1::IngestResponse ResponseFor(const AcceptedDocument& accepted) {
  v1::IngestResponse response;
  response.set_doc_id(accepted.doc_id);
  response.set_content_hash(accepted.content_hash);
  response.set_encoding(accepted.encoding);
  response.set_encoding_confidence(accepted.encoding_confidence);
  response.set_content_type(std::string(ContentTypeName(accepted.content_type)));
  response.set_content_type_sniffed(accepted.content_type_sniffed);
  response.set_boilerplate_lines_removed(
      static_cast<uint32_t>(accepted.boilerplate_removed.size()));
  return response;
}

void MarkDuplicate(const std::string& of, v1::IngestResponse* response) {
  response->set_outcome(v1::IngestResponse::DUPLICATE);
  response->set_duplicate_of(of);
  response->set_reason(of == response->doc_id()
                           ? "the same text was already accepted under this doc_id"
                           : absl::StrCat("the same text was already accepted as ", of));
}

}  // namespace

// --- IngestStream ----------------------------------------------------------

// One IngestStream call. gRPC calls the On* reactions on its threads; the
// stream's own worker thread handles batches and calls Finish. Deletes itself
// in OnDone.
class IngestServiceImpl::StreamReactor final
    : public grpc::ServerBidiReactor<v1::IngestRequest, v1::IngestResponse> {
 public:
  StreamReactor(IngestServiceImpl* service, grpc::CallbackServerContext* context)
      : service_(service), context_(context), trace_id_(TraceIdForCall(*context)) {
    StartRead(&incoming_);
    worker_ = std::thread([this] { Work(); });
  }

  void OnReadDone(bool ok) override {
    bool read_more = false;
    {
      absl::MutexLock lock(&mu_);
      if (!ok) {
        input_done_ = true;  // the client half-closed, or the call is over
        return;
      }
      pending_.push_back(std::move(incoming_));
      incoming_.Clear();
      read_more = static_cast<int>(pending_.size()) < service_->options_.max_read_ahead;
      reading_ = read_more;
    }
    if (read_more) StartRead(&incoming_);
  }

  void OnWriteDone(bool ok) override {
    const v1::IngestResponse* next = nullptr;
    {
      absl::MutexLock lock(&mu_);
      outgoing_.pop_front();
      if (!ok) {
        broken_ = true;  // the client is gone: nothing more is written
        writing_ = false;
        outgoing_.clear();
        return;
      }
      writing_ = !outgoing_.empty();
      if (writing_) next = &outgoing_.front();
    }
    if (next != nullptr) StartWrite(next);
  }

  void OnCancel() override {
    absl::MutexLock lock(&mu_);
    cancelled_ = true;
  }

  void OnDone() override {
    // Work() ends with Finish() and touches nothing after it, so detaching
    // is safe should gRPC run this on the worker thread itself.
    if (worker_.get_id() == std::this_thread::get_id()) {
      worker_.detach();
    } else {
      worker_.join();
    }
    {
      absl::MutexLock lock(&service_->stats_mu_);
      --service_->open_streams_;
    }
    delete this;
  }

 private:
  // Queues `response` for writing (written at once when nothing is in flight).
  void Send(v1::IngestResponse response) {
    const v1::IngestResponse* write = nullptr;
    {
      absl::MutexLock lock(&mu_);
      if (broken_ || cancelled_) return;
      outgoing_.push_back(std::move(response));
      if (!writing_) {
        writing_ = true;
        write = &outgoing_.back();
      }
    }
    // A deque keeps references to its elements valid while others are added.
    if (write != nullptr) StartWrite(write);
  }

  // Takes up to max_batch waiting requests. With `wait`, first waits until
  // there are some (or the input ended, or the call is over); returns none
  // when there is nothing more to do. Sets *stop when the call is over.
  std::vector<v1::IngestRequest> TakeBatch(bool wait, bool* stop) {
    const IngestServiceOptions& options = service_->options_;
    std::vector<v1::IngestRequest> batch;
    bool resume_reading = false;
    {
      absl::MutexLock lock(&mu_);
      // Responses not yet written are bounded too: a client that does not
      // read its answers stops the handling.
      auto ready = [this, &options]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return cancelled_ || broken_ ||
               ((!pending_.empty() || input_done_) &&
                static_cast<int>(outgoing_.size()) < options.max_read_ahead);
      };
      if (wait) mu_.Await(absl::Condition(&ready));
      if (cancelled_ || broken_) {
        *stop = true;
        return batch;
      }
      while (!pending_.empty() && static_cast<int>(batch.size()) < options.max_batch) {
        batch.push_back(std::move(pending_.front()));
        pending_.pop_front();
      }
      if (!batch.empty() && !reading_ && !input_done_) {
        reading_ = true;
        resume_reading = true;
      }
    }
    if (resume_reading) StartRead(&incoming_);
    return batch;
  }

  void Work() {
    absl::Status end;
    // The next batch, prepared (decoded, read, fingerprinted) on a helper
    // thread while the current one is at Redis: the two halves of the work
    // overlap, and a second core is used.
    std::optional<std::future<PreparedBatch>> ahead;
    bool stop = false;
    while (!stop) {
      PreparedBatch current;
      if (ahead.has_value()) {
        current = ahead->get();
        ahead.reset();
      } else {
        std::vector<v1::IngestRequest> batch = TakeBatch(/*wait=*/true, &stop);
        if (batch.empty()) break;
        current = service_->Prepare(std::move(batch), trace_id_);
      }
      std::vector<v1::IngestRequest> next = TakeBatch(/*wait=*/false, &stop);
      if (!next.empty()) {
        ahead = std::async(std::launch::async,
                           [this, next = std::move(next)]() mutable {
                             return service_->Prepare(std::move(next), trace_id_);
                           });
      }
      std::vector<absl::StatusOr<v1::IngestResponse>> results = service_->Commit(current);
      for (size_t i = 0; i < results.size() && end.ok(); ++i) {
        service_->Record(current.requests[i], current.trace_ids[i], results[i]);
        if (results[i].ok()) {
          Send(*std::move(results[i]));
        } else if (EndsStream(results[i].status())) {
          end = results[i].status();
        } else {
          v1::IngestResponse rejected;
          rejected.set_doc_id(current.requests[i].doc_id());
          rejected.set_outcome(v1::IngestResponse::REJECTED);
          rejected.set_reason(std::string(results[i].status().message()));
          rejected.set_reason_code(RejectionReason(results[i].status()));
          rejected.set_error_code(static_cast<int>(results[i].status().code()));
          Send(std::move(rejected));
        }
      }
      if (!end.ok()) break;
    }
    // A batch prepared ahead and not committed is simply not answered: the
    // client sends it again.
    if (ahead.has_value()) ahead->wait();
    // Every response is written (or the client is gone) before the status.
    {
      absl::MutexLock lock(&mu_);
      auto drained = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return cancelled_ || broken_ || (outgoing_.empty() && !writing_);
      };
      mu_.Await(absl::Condition(&drained));
      if (cancelled_) end = absl::CancelledError("the call was cancelled");
    }
    service_->AddRetryHint(end, context_);
    Finish(ToGrpcStatus(end));  // nothing may follow: see OnDone
  }

  IngestServiceImpl* const service_;
  grpc::CallbackServerContext* const context_;
  const std::string trace_id_;  // of the call: one for all its documents
  std::thread worker_;
  v1::IngestRequest incoming_;  // the read in flight

  absl::Mutex mu_;
  std::deque<v1::IngestRequest> pending_ ABSL_GUARDED_BY(mu_);
  std::deque<v1::IngestResponse> outgoing_ ABSL_GUARDED_BY(mu_);  // front: being written
  bool reading_ ABSL_GUARDED_BY(mu_) = true;   // a read is in flight
  bool writing_ ABSL_GUARDED_BY(mu_) = false;  // a write is in flight
  bool input_done_ ABSL_GUARDED_BY(mu_) = false;
  bool broken_ ABSL_GUARDED_BY(mu_) = false;
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
};

// --- IngestServiceImpl -----------------------------------------------------

IngestServiceImpl::IngestServiceImpl(Ingestor ingestor, NearDuplicateDetector detector,
                                     queue::AdmissionStore* admission,
                                     queue::Queue* backlog_queue, queue::StatusStore* status,
                                     IngestServiceOptions options)
    : ingestor_(std::move(ingestor)),
      detector_(std::move(detector)),
      admission_(admission),
      backlog_queue_(backlog_queue),
      status_(status),
      options_(std::move(options)) {}

IngestServiceImpl::~IngestServiceImpl() {
  absl::MutexLock lock(&stats_mu_);
  stats_mu_.Await(absl::Condition(
      +[](int* open) { return *open == 0; }, &open_streams_));
}

bool IngestServiceImpl::EndsStream(const absl::Status& status) {
  return absl::IsUnavailable(status) || absl::IsResourceExhausted(status);
}

absl::StatusOr<int64_t> IngestServiceImpl::BacklogRoom() {
  absl::MutexLock lock(&backlog_mu_);
  const absl::Time now = absl::Now();
  // The estimate only grows between readings; once it says "full", it is
  // read again sooner, so that refusals end as soon as the stage drains.
  const absl::Duration interval =
      backlog_ > options_.high_water
          ? std::min(options_.backlog_check_interval, kFullBacklogCheckInterval)
          : options_.backlog_check_interval;
  if (now - backlog_read_at_ >= interval) {
    VNA_ASSIGN_OR_RETURN(backlog_, backlog_queue_->Backlog(options_.ingested_stream,
                                                           options_.backlog_group));
    backlog_read_at_ = now;
  }
  if (backlog_ > options_.high_water) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "pipeline backlog is ", backlog_, " documents (high-water mark ", options_.high_water,
        "); retry after ", absl::FormatDuration(options_.retry_after)));
  }
  return options_.high_water + 1 - backlog_;
}

void IngestServiceImpl::AddToBacklog(int64_t admitted) {
  absl::MutexLock lock(&backlog_mu_);
  backlog_ += admitted;
}

void IngestServiceImpl::AddRetryHint(const absl::Status& status,
                                     grpc::ServerContextBase* context) const {
  if (!absl::IsResourceExhausted(status)) return;
  AddRetryAfter(options_.retry_after, context);
}

IngestServiceImpl::PreparedBatch IngestServiceImpl::Prepare(
    std::vector<v1::IngestRequest> requests, std::string trace_id) const {
  PreparedBatch batch;
  batch.requests = std::move(requests);
  batch.trace_ids.assign(batch.requests.size(), trace_id);
  batch.docs.reserve(batch.requests.size());
  batch.fingerprints.resize(batch.requests.size());
  for (size_t i = 0; i < batch.requests.size(); ++i) {
    batch.docs.push_back(ingestor_.Accept(IncomingFrom(batch.requests[i])));
    if (batch.docs[i].ok()) batch.fingerprints[i] = FingerprintText(batch.docs[i]->text);
  }
  return batch;
}

std::vector<absl::StatusOr<v1::IngestResponse>> IngestServiceImpl::Commit(
    const PreparedBatch& batch) {
  const size_t n = batch.requests.size();
  std::vector<absl::StatusOr<v1::IngestResponse>> results(n, absl::InternalError("unset"));
  const std::vector<TextFingerprint>& fingerprints = batch.fingerprints;

  // 1. The documents that passed on their own.
  std::vector<size_t> accepted;
  std::vector<queue::AdmissionQuery> queries;
  for (size_t i = 0; i < n; ++i) {
    if (!batch.docs[i].ok()) {
      results[i] = batch.docs[i].status();
      continue;
    }
    queries.push_back({batch.docs[i]->doc_id, fingerprints[i].body_hash,
                       detector_.enabled() ? fingerprints[i].bands : std::vector<std::string>()});
    accepted.push_back(i);
  }
  if (accepted.empty()) return results;

  // 2. What the index knows about them: one round trip.
  absl::StatusOr<std::vector<queue::AdmissionLookup>> lookups = admission_->Lookup(queries);
  if (!lookups.ok()) {
    for (size_t i : accepted) results[i] = lookups.status();
    return results;
  }

  // 3. Decide each: duplicate, near-duplicate, or new. Earlier documents of
  // the same batch are not in the index yet, so their bands are matched
  // here; exact duplicates within the batch are left to Admit.
  std::vector<queue::Admission> admissions;
  std::vector<size_t> admitted;  // index of each admission's request
  std::vector<double> similarity(n, 0);
  std::map<std::pair<size_t, std::string>, size_t> batch_bands;  // (band, value) -> request
  for (size_t k = 0; k < accepted.size(); ++k) {
    const size_t i = accepted[k];
    const AcceptedDocument& doc = *batch.docs[i];
    const TextFingerprint& fingerprint = fingerprints[i];
    const queue::AdmissionLookup& found = (*lookups)[k];
    v1::IngestResponse response = ResponseFor(doc);
    const bool live = !found.stage.empty() && found.stage != queue::kStageFailed;
    if (live && found.content_hash == doc.content_hash) {
      MarkDuplicate(doc.doc_id, &response);
      results[i] = std::move(response);
      continue;
    }
    if (found.stage.empty() && !found.same_body.empty()) {
      MarkDuplicate(found.same_body, &response);
      results[i] = std::move(response);
      continue;
    }
    std::string duplicate_of;
    if (!found.same_body.empty()) {
      // An update whose body is another document's: stored, and linked.
      duplicate_of = found.same_body;
      similarity[i] = 1;
    } else if (detector_.enabled() && !fingerprint.minhash.empty()) {
      std::vector<NearDuplicateCandidate> candidates;
      for (const queue::SimilarDocument& similar : found.similar) {
        candidates.push_back({similar.doc_id, similar.sketch});
      }
      for (size_t j = 0; j < fingerprint.bands.size(); ++j) {
        auto earlier = batch_bands.find({j, fingerprint.bands[j]});
        if (earlier == batch_bands.end()) continue;
        candidates.push_back({batch.docs[earlier->second]->doc_id,
                              EncodeSketch(fingerprints[earlier->second].minhash)});
      }
      if (std::optional<NearDuplicateMatch> match =
              detector_.Choose(doc.doc_id, fingerprint, candidates)) {
        duplicate_of = match->doc_id;
        similarity[i] = match->similarity;
      }
    }
    for (size_t j = 0; j < fingerprint.bands.size(); ++j) {
      batch_bands.emplace(std::make_pair(j, fingerprint.bands[j]), i);
    }
    absl::StatusOr<std::string> payload = Payload(batch.requests[i], doc, duplicate_of,
                                                     batch.trace_ids[i]);
    if (!payload.ok()) {
      results[i] = payload.status();
      continue;
    }
    queue::Admission& admission = admissions.emplace_back();
    admission.doc_id = doc.doc_id;
    admission.content_hash = doc.content_hash;
    admission.body_hash = fingerprint.body_hash;
    admission.duplicate_of = duplicate_of;
    if (detector_.enabled()) {
      admission.sketch = EncodeSketch(fingerprint.minhash);
      admission.bands = fingerprint.bands;
    }
    admission.payload = *std::move(payload);
    results[i] = std::move(response);
    admitted.push_back(i);
  }
  if (admissions.empty()) return results;

  // 4. Back-pressure: what goes beyond the room left under the high-water
  // mark is refused, in order, so a batch never overshoots it.
  absl::StatusOr<int64_t> room = BacklogRoom();
  if (!room.ok()) {
    for (size_t i : admitted) results[i] = room.status();
    return results;
  }
  if (static_cast<int64_t>(admissions.size()) > *room) {
    const absl::Status full = absl::ResourceExhaustedError(absl::StrCat(
        "pipeline backlog reaches the high-water mark ", options_.high_water, "; retry after ",
        absl::FormatDuration(options_.retry_after)));
    for (size_t k = static_cast<size_t>(*room); k < admitted.size(); ++k) {
      results[admitted[k]] = full;
    }
    admissions.resize(static_cast<size_t>(*room));
    admitted.resize(static_cast<size_t>(*room));
  }

  // 5. Admit: one round trip.
  absl::StatusOr<std::vector<queue::AdmissionResult>> admits =
      admission_->Admit(options_.ingested_stream, admissions);
  if (!admits.ok()) {
    for (size_t i : admitted) results[i] = admits.status();
    return results;
  }
  int64_t enqueued = 0;
  for (size_t k = 0; k < admitted.size(); ++k) {
    const size_t i = admitted[k];
    const queue::AdmissionResult& admit = (*admits)[k];
    v1::IngestResponse& response = *results[i];
    if (admit.outcome == queue::AdmissionResult::Outcome::kDuplicate) {
      MarkDuplicate(admit.duplicate_of, &response);
      continue;
    }
    ++enqueued;
    response.set_outcome(v1::IngestResponse::ACCEPTED);
    if (!admissions[k].duplicate_of.empty()) {
      response.set_duplicate_of(admissions[k].duplicate_of);
      response.set_similarity(similarity[i]);
      response.set_reason(absl::StrFormat("near-duplicate of %s (similarity %.2f); stored",
                                          admissions[k].duplicate_of, similarity[i]));
    }
  }
  AddToBacklog(enqueued);
  {
    absl::MutexLock lock(&stats_mu_);
    ++admit_batches_;
  }
  return results;
}

void IngestServiceImpl::Record(const v1::IngestRequest& request, const std::string& trace_id,
                               const absl::StatusOr<v1::IngestResponse>& result) {
  if (result.ok()) {
    absl::MutexLock lock(&stats_mu_);
    if (result->outcome() == v1::IngestResponse::DUPLICATE) {
      ++duplicates_;
    } else {
      ++accepted_;
      if (!result->duplicate_of().empty()) ++near_duplicates_;
    }
    return;
  }
  const absl::Status& status = result.status();
  std::string reason;
  if (absl::IsResourceExhausted(status)) {
    reason = "backlog";
  } else if (absl::IsUnavailable(status)) {
    reason = "unavailable";
  } else {
    reason = RejectionReason(status);
  }
  {
    absl::MutexLock lock(&stats_mu_);
    ++rejected_[reason];
  }
  const LogFields fields = {{"reason", reason},
                            {"doc_id", request.doc_id()},
                            {"trace_id", trace_id},
                            {"name", request.name()},
                            {"error", std::string(status.message())}};
  if (absl::IsUnavailable(status) || absl::IsInternal(status)) {
    LogWarning("document not accepted", fields);
  } else {
    LogInfo("document not accepted", fields);
  }
}

grpc::Status IngestServiceImpl::Ingest(grpc::ServerContext* context,
                                       const v1::IngestRequest* request,
                                       v1::IngestResponse* response) {
  const std::string trace_id = TraceIdForCall(*context);
  PreparedBatch prepared = Prepare({*request}, trace_id);
  absl::StatusOr<v1::IngestResponse> result =
      prepared.docs[0].ok() ? IngestTogether(std::move(prepared)) : prepared.docs[0].status();
  Record(*request, trace_id, result);
  if (!result.ok()) {
    AddRetryHint(result.status(), context);
    return ToGrpcStatus(result.status());
  }
  *response = *std::move(result);
  return grpc::Status::OK;
}

absl::StatusOr<v1::IngestResponse> IngestServiceImpl::IngestTogether(PreparedBatch prepared) {
  WaitingCall me;
  me.prepared = &prepared;
  absl::MutexLock lock(&group_mu_);
  waiting_calls_.push_back(&me);
  auto answered_or_free = [this, &me]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(group_mu_) {
    return me.result.has_value() || !group_committing_;
  };
  while (true) {
    group_mu_.Await(absl::Condition(&answered_or_free));
    if (me.result.has_value()) return *std::move(me.result);
    // No commit in flight: this call commits the oldest waiting ones (its
    // own among them, or in a later round).
    group_committing_ = true;
    std::vector<WaitingCall*> calls;
    PreparedBatch together;
    while (!waiting_calls_.empty() &&
           static_cast<int>(calls.size()) < std::max(1, options_.max_batch)) {
      WaitingCall* call = waiting_calls_.front();
      waiting_calls_.pop_front();
      calls.push_back(call);
      PreparedBatch& one = *call->prepared;
      together.requests.push_back(std::move(one.requests[0]));
      together.docs.push_back(std::move(one.docs[0]));
      together.fingerprints.push_back(std::move(one.fingerprints[0]));
      together.trace_ids.push_back(std::move(one.trace_ids[0]));
    }
    group_mu_.Unlock();
    std::vector<absl::StatusOr<v1::IngestResponse>> results = Commit(together);
    group_mu_.Lock();
    for (size_t i = 0; i < calls.size(); ++i) calls[i]->result = std::move(results[i]);
    group_committing_ = false;
  }
}

grpc::ServerBidiReactor<v1::IngestRequest, v1::IngestResponse>* IngestServiceImpl::IngestStream(
    grpc::CallbackServerContext* context) {
  {
    absl::MutexLock lock(&stats_mu_);
    ++open_streams_;
  }
  return new StreamReactor(this, context);
}

grpc::Status IngestServiceImpl::GetStatus(grpc::ServerContext*,
                                          const v1::GetStatusRequest* request,
                                          v1::GetStatusResponse* response) {
  if (request->doc_id().empty()) {
    return ToGrpcStatus(absl::InvalidArgumentError("doc_id is required"));
  }
  absl::StatusOr<std::optional<queue::DocStatus>> status = status_->Get(request->doc_id());
  if (!status.ok()) return ToGrpcStatus(status.status());
  if (!status->has_value()) {
    return ToGrpcStatus(
        absl::NotFoundError(absl::StrCat("no document ", request->doc_id(), " was accepted")));
  }
  FillStatus(request->doc_id(), **status, response);
  return grpc::Status::OK;
}

grpc::Status IngestServiceImpl::GetStatuses(grpc::ServerContext*,
                                            const v1::GetStatusesRequest* request,
                                            v1::GetStatusesResponse* response) {
  if (request->doc_ids_size() > kMaxStatusesPerCall) {
    return ToGrpcStatus(absl::InvalidArgumentError(absl::StrCat(
        request->doc_ids_size(), " doc_ids asked; at most ", kMaxStatusesPerCall, " per call")));
  }
  std::vector<std::string> ids(request->doc_ids().begin(), request->doc_ids().end());
  for (const std::string& id : ids) {
    if (id.empty()) return ToGrpcStatus(absl::InvalidArgumentError("an empty doc_id was asked"));
  }
  absl::StatusOr<std::vector<std::optional<queue::DocStatus>>> statuses = status_->GetMany(ids);
  if (!statuses.ok()) return ToGrpcStatus(statuses.status());
  for (size_t i = 0; i < ids.size(); ++i) {
    v1::GetStatusResponse& out = *response->add_statuses();
    if ((*statuses)[i].has_value()) {
      FillStatus(ids[i], *(*statuses)[i], &out);
    } else {
      out.set_doc_id(ids[i]);
    }
  }
  return grpc::Status::OK;
}

grpc::Status IngestServiceImpl::Stats(grpc::ServerContext*, const v1::IngestStatsRequest*,
                                      v1::IngestStatsResponse* response) {
  {
    absl::MutexLock lock(&stats_mu_);
    response->set_accepted(accepted_);
    response->set_near_duplicates(near_duplicates_);
    response->set_duplicates(duplicates_);
    response->mutable_rejected()->insert(rejected_.begin(), rejected_.end());
    response->set_open_streams(static_cast<uint64_t>(open_streams_));
    response->set_admit_batches(admit_batches_);
  }
  absl::MutexLock lock(&backlog_mu_);
  response->set_backlog(backlog_);
  response->set_high_water(options_.high_water);
  return grpc::Status::OK;
}

}  // namespace ingest
}  // namespace vnarchive
