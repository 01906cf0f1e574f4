// NormalizeServiceImpl: the gRPC adapter over normalize/core's Normalizer.
#ifndef VNARCHIVE_SERVICES_NORMALIZE_RPC_NORMALIZE_SERVICE_H_
#define VNARCHIVE_SERVICES_NORMALIZE_RPC_NORMALIZE_SERVICE_H_

#include "services/normalize/core/normalizer.h"
#include "services/normalize/rpc/normalize_convert.h"
#include "vnarchive/v1/normalize.grpc.pb.h"

namespace vnarchive {
namespace normalize {

// Thread-safe: Normalizer::Normalize is const and thread-safe.
class NormalizeServiceImpl final : public v1::NormalizeService::Service {
 public:
  // `normalizer` is borrowed and must outlive the service.
  explicit NormalizeServiceImpl(const Normalizer* normalizer) : normalizer_(normalizer) {}

  grpc::Status Normalize(grpc::ServerContext* context, const v1::NormalizeRequest* request,
                         v1::NormalizeResponse* response) override;

 private:
  const Normalizer* const normalizer_;
};

}  // namespace normalize
}  // namespace vnarchive

#endif  // VNARCHIVE_SERVICES_NORMALIZE_RPC_NORMALIZE_SERVICE_H_
