#include "services/ingest/rpc/ingest_service.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/base/log.h"
#include "common/base/status_macros.h"
#include "common/grpc/status.h"
#include "google/protobuf/util/time_util.h"
#include "vnarchive/v1/queue.pb.h"

namespace vnarchive {
namespace ingest {
namespace {

using google::protobuf::util::TimeUtil;

v1::GetStatusResponse::Stage StageFromName(const std::string& name) {
  if (name == queue::kStageAccepted) return v1::GetStatusResponse::ACCEPTED;
  if (name == queue::kStageNormalized) return v1::GetStatusResponse::NORMALIZED;
  if (name == queue::kStageExtracted) return v1::GetStatusResponse::EXTRACTED;
  if (name == queue::kStageIndexed) return v1::GetStatusResponse::INDEXED;
  if (name == queue::kStageFailed) return v1::GetStatusResponse::FAILED;
  return v1::GetStatusResponse::STAGE_UNSPECIFIED;
}

}  // namespace

IngestServiceImpl::IngestServiceImpl(Ingestor ingestor, queue::Queue* queue,
                                     queue::StatusStore* status, IngestServiceOptions options)
    : ingestor_(std::move(ingestor)), queue_(queue), status_(status),
      options_(std::move(options)) {}

absl::Status IngestServiceImpl::CheckBacklog() {
  absl::MutexLock lock(&backlog_mu_);
  const absl::Time now = absl::Now();
  if (now - backlog_read_at_ >= options_.backlog_check_interval) {
    VNA_ASSIGN_OR_RETURN(backlog_, queue_->Backlog(options_.ingested_stream,
                                                   options_.backlog_group));
    backlog_read_at_ = now;
  }
  if (backlog_ > options_.high_water) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "pipeline backlog is ", backlog_, " documents (high-water mark ", options_.high_water,
        "); retry after 1s"));
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::IngestResponse> IngestServiceImpl::IngestOne(
    const v1::IngestRequest& request) {
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
  VNA_ASSIGN_OR_RETURN(AcceptedDocument accepted, ingestor_.Accept(incoming));

  v1::IngestResponse response;
  response.set_doc_id(accepted.doc_id);
  response.set_content_hash(accepted.content_hash);
  response.set_encoding(accepted.encoding);
  response.set_encoding_confidence(accepted.encoding_confidence);
  response.set_content_type(std::string(ContentTypeName(accepted.content_type)));
  response.set_content_type_sniffed(accepted.content_type_sniffed);
  response.set_boilerplate_lines_removed(
      static_cast<uint32_t>(accepted.boilerplate_removed.size()));

  // Same id and same text as a document already in the pipeline: nothing to do.
  VNA_ASSIGN_OR_RETURN(std::optional<queue::DocStatus> previous, status_->Get(accepted.doc_id));
  if (previous.has_value() && previous->stage != queue::kStageFailed &&
      previous->content_hash == accepted.content_hash) {
    response.set_outcome(v1::IngestResponse::DUPLICATE);
    response.set_duplicate_of(accepted.doc_id);
    response.set_reason("the same text was already accepted under this doc_id");
    return response;
  }
  VNA_RETURN_IF_ERROR(CheckBacklog());

  v1::PipelineMessage message;
  v1::Document& document = *message.mutable_document();
  document.set_doc_id(accepted.doc_id);
  document.set_content_hash(accepted.content_hash);
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

  // Status first, so no later stage can write its status before this one.
  queue::DocStatus status;
  status.stage = queue::kStageAccepted;
  status.content_hash = accepted.content_hash;
  VNA_RETURN_IF_ERROR(status_->Set(accepted.doc_id, status));
  absl::StatusOr<std::string> published =
      queue_->Publish(options_.ingested_stream, accepted.doc_id, payload);
  if (!published.ok()) {
    // Not enqueued: make sure a retry is not mistaken for a duplicate.
    queue::DocStatus failed;
    failed.stage = queue::kStageFailed;
    failed.error = absl::StrCat("ingest: not enqueued: ", published.status().message());
    (void)status_->Set(accepted.doc_id, failed);
    return published.status();
  }
  response.set_outcome(v1::IngestResponse::ACCEPTED);
  return response;
}

grpc::Status IngestServiceImpl::Ingest(grpc::ServerContext*, const v1::IngestRequest* request,
                                       v1::IngestResponse* response) {
  absl::StatusOr<v1::IngestResponse> result = IngestOne(*request);
  if (!result.ok()) return ToGrpcStatus(result.status());
  *response = *std::move(result);
  return grpc::Status::OK;
}

grpc::Status IngestServiceImpl::IngestStream(
    grpc::ServerContext*, grpc::ServerReaderWriter<v1::IngestResponse, v1::IngestRequest>* stream) {
  v1::IngestRequest request;
  while (stream->Read(&request)) {
    absl::StatusOr<v1::IngestResponse> result = IngestOne(request);
    if (!result.ok()) {
      const absl::StatusCode code = result.status().code();
      // The service cannot go on: end the stream; responses sent so far stand.
      if (code == absl::StatusCode::kUnavailable || code == absl::StatusCode::kResourceExhausted) {
        return ToGrpcStatus(result.status());
      }
      v1::IngestResponse rejected;
      rejected.set_doc_id(request.doc_id());
      rejected.set_outcome(v1::IngestResponse::REJECTED);
      rejected.set_reason(std::string(result.status().message()));
      rejected.set_error_code(static_cast<int>(code));
      result = std::move(rejected);
    }
    if (!stream->Write(*result)) break;  // the client went away
  }
  return grpc::Status::OK;
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
  const queue::DocStatus& doc_status = **status;
  response->set_doc_id(request->doc_id());
  response->set_stage(StageFromName(doc_status.stage));
  // A stale error from an earlier failed attempt is not this version's.
  if (doc_status.stage == queue::kStageFailed) response->set_error(doc_status.error);
  response->set_content_hash(doc_status.content_hash);
  *response->mutable_updated_at() = TimeUtil::MillisecondsToTimestamp(doc_status.updated_unix_ms);
  return grpc::Status::OK;
}

}  // namespace ingest
}  // namespace vnarchive
