#include "services/extract/rpc/extract_service.h"

#include "common/grpc/status.h"

namespace vnarchive {
namespace extract {

grpc::Status ExtractServiceImpl::Extract(grpc::ServerContext*, const v1::ExtractRequest* request,
                                         v1::ExtractResponse* response) {
  absl::StatusOr<ExtractResult> result = extractor_->Extract(request->text());
  if (!result.ok()) return ToGrpcStatus(result.status());
  AppendEntities(result->entities, response->mutable_entities());
  AppendRelations(result->relations, response->mutable_relations());
  return grpc::Status::OK;
}

}  // namespace extract
}  // namespace vnarchive
