// NormalizeServiceImpl: the gRPC adapter over normalize/core's Normalizer.
#ifndef VNARCHIVE_SERVICES_NORMALIZE_RPC_NORMALIZE_SERVICE_H_
#define VNARCHIVE_SERVICES_NORMALIZE_RPC_NORMALIZE_SERVICE_H_

#include "absl/status/statusor.h"
#include "services/normalize/core/normalizer.h"
#include "services/normalize/rpc/normalize_convert.h"
#include "vnarchive/v1/normalize.grpc.pb.h"

namespace vnarchive {
namespace normalize {

// Thread-safe: Normalizer is immutable. Not copyable.
class NormalizeServiceImpl final : public v1::NormalizeService::Service {
 public:
  // `options` configure both styles' normalizers; its tone_style is the
  // default for requests that name none.
  explicit NormalizeServiceImpl(const NormalizerOptions& options);

  grpc::Status Normalize(grpc::ServerContext* context, const v1::NormalizeRequest* request,
                         v1::NormalizeResponse* response) override;

 private:
  absl::StatusOr<NormalizedText> Run(const v1::NormalizeRequest& request) const;

  const ToneStyle default_style_;
  const Normalizer traditional_;
  const Normalizer modern_;
};

}  // namespace normalize
}  // namespace vnarchive

#endif  // VNARCHIVE_SERVICES_NORMALIZE_RPC_NORMALIZE_SERVICE_H_
