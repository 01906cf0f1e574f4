#include "services/search/rpc/search_service.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/base/log.h"
#include "common/grpc/status.h"
#include "common/service/document_stage.h"
#include "services/search/rpc/convert.h"

namespace vnarchive {
namespace search {
namespace {

// Marks committed documents indexed, in one write. If that write fails the
// entries must not be acked: GetStatus (and `vnarchive ingest --wait`) would
// never learn the documents are searchable. Redelivery re-commits them,
// which is harmless.
absl::Status MarkIndexed(queue::StatusStore* status, const std::vector<std::string>& doc_ids) {
  queue::DocStatus indexed;
  indexed.stage = queue::kStageIndexed;
  absl::Status written = status->SetMany(doc_ids, indexed);
  if (!written.ok()) {
    LogWarning("cannot record indexed status; the entries will be redelivered",
               {{"documents", absl::StrCat(doc_ids.size())},
                {"error", std::string(written.message())}});
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
    std::vector<size_t> indexed;  // into documents
    for (size_t k = 0; k < documents.size(); ++k) {
      // A batch that failed as a whole is retried a document at a time, so
      // the one that broke it does not hold back the others.
      absl::Status& result = results[positions[k]];
      result = committed.ok() ? absl::OkStatus() : index->Upsert({documents[k]});
      if (result.ok()) indexed.push_back(k);
    }
    if (indexed.empty()) return results;
    std::vector<std::string> doc_ids;
    doc_ids.reserve(indexed.size());
    for (size_t k : indexed) doc_ids.push_back(documents[k].doc_id);
    const absl::Status written = MarkIndexed(status, doc_ids);
    for (size_t k : indexed) results[positions[k]] = written;
    return results;
  };
}

SearchServiceImpl::SearchServiceImpl(SearchIndex* index,
                                     std::function<queue::StageWorker::Counters()> worker_counters)
    : index_(index), worker_counters_(std::move(worker_counters)) {}

grpc::Status SearchServiceImpl::Search(grpc::ServerContext*, const v1::SearchRequest* request,
                                       v1::SearchResponse* response) {
  absl::StatusOr<SearchResult> result = index_->Search(ToSearchQuery(*request));
  if (!result.ok()) return ToGrpcStatus(result.status());
  ToSearchResponse(*result, response);
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
