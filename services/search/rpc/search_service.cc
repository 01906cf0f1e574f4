#include "services/search/rpc/search_service.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/base/log.h"
#include "common/grpc/status.h"
#include "common/service/document_stage.h"
#include "google/protobuf/util/time_util.h"
#include "services/search/rpc/convert.h"

namespace vnarchive {
namespace search {
namespace {

using google::protobuf::util::TimeUtil;

// Marks a committed document indexed. If that write fails the entry must not
// be acked: GetStatus (and `vnarchive ingest --wait`) would never learn the
// document is searchable. Redelivery re-commits it, which is harmless.
absl::Status MarkIndexed(queue::StatusStore* status, const StoredDocument& document) {
  queue::DocStatus indexed;
  indexed.stage = queue::kStageIndexed;
  absl::Status written = status->Set(document.doc_id, indexed);
  if (!written.ok()) {
    LogWarning("cannot record indexed status; the entry will be redelivered",
               {{"doc_id", document.doc_id}, {"error", std::string(written.message())}});
  }
  return written;
}

}  // namespace

queue::StageWorker::BatchHandler MakeIndexHandler(SearchIndex* index, queue::StatusStore* status) {
  return [index, status](const std::vector<queue::Entry>& batch) {
    std::vector<absl::Status> results(batch.size());
    std::vector<StoredDocument> documents;
    std::vector<size_t> positions;  // index into batch of each document
    for (size_t i = 0; i < batch.size(); ++i) {
      absl::StatusOr<v1::PipelineMessage> message = DecodePipelineEntry(batch[i]);
      if (!message.ok()) {
        results[i] = message.status();
        continue;
      }
      documents.push_back(ToStoredDocument(message->document()));
      positions.push_back(i);
    }
    if (documents.empty()) return results;
    const absl::Status committed = index->Upsert(documents);
    for (size_t k = 0; k < documents.size(); ++k) {
      // A batch that failed as a whole is retried a document at a time, so
      // the one that broke it does not hold back the others.
      absl::Status& result = results[positions[k]];
      result = committed.ok() ? absl::OkStatus() : index->Upsert({documents[k]});
      if (result.ok()) result = MarkIndexed(status, documents[k]);
    }
    return results;
  };
}

SearchServiceImpl::SearchServiceImpl(SearchIndex* index,
                                     std::function<queue::StageWorker::Counters()> worker_counters)
    : index_(index), worker_counters_(std::move(worker_counters)) {}

grpc::Status SearchServiceImpl::Search(grpc::ServerContext*, const v1::SearchRequest* request,
                                       v1::SearchResponse* response) {
  if (request->filters_size() > 0 || request->facets_size() > 0 ||
      request->has_published_after() || request->has_published_before()) {
    return ToGrpcStatus(absl::UnimplementedError(
        "filters, facets and date ranges are not implemented yet; plain, phrase and "
        "exclusion queries and sorting by relevance or date are"));
  }
  SearchQuery query;
  query.query = request->query();
  query.limit = request->page_size() == 0 ? 10 : static_cast<int>(request->page_size());
  query.offset = static_cast<int>(request->offset());
  if (request->sort() == v1::DATE_DESC) query.sort = SortOrder::kNewestFirst;
  if (request->sort() == v1::DATE_ASC) query.sort = SortOrder::kOldestFirst;
  absl::StatusOr<SearchResult> result = index_->Search(query);
  if (!result.ok()) return ToGrpcStatus(result.status());
  response->set_total(result->total);
  for (const Hit& hit : result->hits) {
    v1::SearchHit& out = *response->add_hits();
    out.set_doc_id(hit.doc_id);
    out.set_name(hit.name);
    out.set_title(hit.title);
    out.set_source(hit.source);
    if (hit.published_at_unix != 0) {
      *out.mutable_published_at() = TimeUtil::SecondsToTimestamp(hit.published_at_unix);
    }
    out.set_score(hit.score);
    if (!request->no_snippet()) out.set_snippet(hit.snippet);
  }
  return grpc::Status::OK;
}

grpc::Status SearchServiceImpl::GetDocument(grpc::ServerContext*,
                                            const v1::GetDocumentRequest* request,
                                            v1::GetDocumentResponse* response) {
  if (request->doc_id().empty()) {
    return ToGrpcStatus(absl::InvalidArgumentError("doc_id is required"));
  }
  absl::StatusOr<std::optional<StoredDocument>> stored = index_->Get(request->doc_id());
  if (!stored.ok()) return ToGrpcStatus(stored.status());
  if (!stored->has_value()) {
    return ToGrpcStatus(absl::NotFoundError(
        absl::StrCat("document ", request->doc_id(), " is not in the index")));
  }
  *response->mutable_document() = ToProtoDocument(**stored);
  return grpc::Status::OK;
}

grpc::Status SearchServiceImpl::DeleteDocument(grpc::ServerContext*,
                                               const v1::DeleteDocumentRequest* request,
                                               v1::DeleteDocumentResponse*) {
  if (request->doc_id().empty()) {
    return ToGrpcStatus(absl::InvalidArgumentError("doc_id is required"));
  }
  absl::StatusOr<bool> deleted = index_->Delete(request->doc_id());
  if (!deleted.ok()) return ToGrpcStatus(deleted.status());
  if (!*deleted) {
    return ToGrpcStatus(absl::NotFoundError(
        absl::StrCat("document ", request->doc_id(), " is not in the index")));
  }
  return grpc::Status::OK;
}

grpc::Status SearchServiceImpl::Stats(grpc::ServerContext*, const v1::StatsRequest*,
                                      v1::StatsResponse* response) {
  absl::StatusOr<IndexStats> stats = index_->Stats();
  if (!stats.ok()) return ToGrpcStatus(stats.status());
  response->set_documents(stats->documents);
  response->set_entities(stats->entities);
  response->set_index_bytes(stats->db_bytes);
  if (worker_counters_) {
    const queue::StageWorker::Counters counters = worker_counters_();
    response->set_indexed(counters.processed);
    response->set_failed(counters.failed);
    response->set_dead_lettered(counters.dead_lettered);
    response->set_last_commit_ms(absl::ToDoubleMilliseconds(counters.last_batch_latency));
  }
  return grpc::Status::OK;
}

}  // namespace search
}  // namespace vnarchive
