#include "services/normalize/rpc/normalize_service.h"

#include "common/grpc/status.h"

namespace vnarchive {
namespace normalize {

grpc::Status NormalizeServiceImpl::Normalize(grpc::ServerContext*,
                                             const v1::NormalizeRequest* request,
                                             v1::NormalizeResponse* response) {
  absl::StatusOr<NormalizedText> result = normalizer_->Normalize(request->text());
  if (!result.ok()) return ToGrpcStatus(result.status());
  ToResponse(*result, request->include_tokens(), response);
  return grpc::Status::OK;
}

}  // namespace normalize
}  // namespace vnarchive
