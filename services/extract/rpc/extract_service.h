// ExtractServiceImpl: the gRPC adapter over extract/core's Extractor.
#ifndef VNARCHIVE_SERVICES_EXTRACT_RPC_EXTRACT_SERVICE_H_
#define VNARCHIVE_SERVICES_EXTRACT_RPC_EXTRACT_SERVICE_H_

#include "services/extract/core/extractor.h"
#include "services/extract/rpc/extract_convert.h"
#include "vnarchive/v1/extract.grpc.pb.h"

namespace vnarchive {
namespace extract {

// Thread-safe: Extractor::Extract is const and thread-safe.
class ExtractServiceImpl final : public v1::ExtractService::Service {
 public:
  // `extractor` is borrowed and must outlive the service.
  explicit ExtractServiceImpl(const Extractor* extractor) : extractor_(extractor) {}

  grpc::Status Extract(grpc::ServerContext* context, const v1::ExtractRequest* request,
                       v1::ExtractResponse* response) override;

 private:
  const Extractor* const extractor_;
};

}  // namespace extract
}  // namespace vnarchive

#endif  // VNARCHIVE_SERVICES_EXTRACT_RPC_EXTRACT_SERVICE_H_
