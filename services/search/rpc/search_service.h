// SearchServiceImpl: the gRPC adapter over search/core's SearchIndex, and
// the index worker's batch handler (<prefix>extracted -> one transaction).
#ifndef VNARCHIVE_SERVICES_SEARCH_RPC_SEARCH_SERVICE_H_
#define VNARCHIVE_SERVICES_SEARCH_RPC_SEARCH_SERVICE_H_

#include <functional>
#include <vector>

#include "common/queue/stage_worker.h"
#include "common/queue/status_store.h"
#include "services/search/core/index.h"
#include "vnarchive/v1/search.grpc.pb.h"

namespace vnarchive {
namespace search {

// Returns a handler that commits a batch of documents in one transaction
// and marks them indexed. Only after it returns are the entries acked, so a
// crash at any point loses nothing. A batch that fails as a whole is retried
// one document at a time, so one bad document cannot hold back the others.
// `index` and `status` are borrowed and must outlive the handler.
queue::StageWorker::BatchHandler MakeIndexHandler(SearchIndex* index, queue::StatusStore* status);

// Thread-safe (SearchIndex is).
class SearchServiceImpl final : public v1::SearchService::Service {
 public:
  // `index` is borrowed. `worker_counters` (may be empty) reports the index
  // worker's counters for Stats.
  SearchServiceImpl(SearchIndex* index, std::function<queue::StageWorker::Counters()> worker_counters);

  grpc::Status Search(grpc::ServerContext* context, const v1::SearchRequest* request,
                      v1::SearchResponse* response) override;
  grpc::Status GetDocument(grpc::ServerContext* context, const v1::GetDocumentRequest* request,
                           v1::GetDocumentResponse* response) override;
  grpc::Status DeleteDocument(grpc::ServerContext* context,
                              const v1::DeleteDocumentRequest* request,
                              v1::DeleteDocumentResponse* response) override;
  grpc::Status Stats(grpc::ServerContext* context, const v1::StatsRequest* request,
                     v1::StatsResponse* response) override;

 private:
  SearchIndex* const index_;
  const std::function<queue::StageWorker::Counters()> worker_counters_;
};

}  // namespace search
}  // namespace vnarchive

#endif  // VNARCHIVE_SERVICES_SEARCH_RPC_SEARCH_SERVICE_H_
