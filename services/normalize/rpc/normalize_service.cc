#include "services/normalize/rpc/normalize_service.h"

#include "common/base/status_macros.h"
#include "common/grpc/status.h"

namespace vnarchive {
namespace normalize {
namespace {

NormalizerOptions WithStyle(NormalizerOptions options, ToneStyle style) {
  options.tone_style = style;
  return options;
}

}  // namespace

NormalizeServiceImpl::NormalizeServiceImpl(const NormalizerOptions& options)
    : default_style_(options.tone_style),
      traditional_(WithStyle(options, ToneStyle::kTraditional)),
      modern_(WithStyle(options, ToneStyle::kModern)) {}

absl::StatusOr<NormalizedText> NormalizeServiceImpl::Run(
    const v1::NormalizeRequest& request) const {
  ToneStyle style = default_style_;
  if (request.tone_style() == v1::TRADITIONAL) style = ToneStyle::kTraditional;
  if (request.tone_style() == v1::MODERN) style = ToneStyle::kModern;
  const Normalizer& normalizer = style == ToneStyle::kModern ? modern_ : traditional_;

  if (request.raw().empty()) {
    if (!request.encoding().empty() || request.lenient()) {
      return absl::InvalidArgumentError("encoding and lenient apply to raw, which is empty");
    }
    return normalizer.Normalize(request.text());
  }
  if (!request.text().empty()) {
    return absl::InvalidArgumentError("set text or raw, not both");
  }
  DecodeOptions decode;
  decode.lenient = request.lenient();
  if (!request.encoding().empty()) {
    VNA_ASSIGN_OR_RETURN(decode.forced, ParseEncodingName(request.encoding()));
  }
  return normalizer.NormalizeBytes(request.raw(), decode);
}

grpc::Status NormalizeServiceImpl::Normalize(grpc::ServerContext*,
                                             const v1::NormalizeRequest* request,
                                             v1::NormalizeResponse* response) {
  absl::StatusOr<NormalizedText> result = Run(*request);
  if (!result.ok()) return ToGrpcStatus(result.status());
  ToResponse(*result, request->include_tokens(), response);
  return grpc::Status::OK;
}

}  // namespace normalize
}  // namespace vnarchive
