// Conversions between normalize/core results and the protobuf contracts,
// kept apart from the gRPC service so that the offline client can use them
// without linking a server.
#ifndef VNARCHIVE_SERVICES_NORMALIZE_RPC_NORMALIZE_CONVERT_H_
#define VNARCHIVE_SERVICES_NORMALIZE_RPC_NORMALIZE_CONVERT_H_

#include "absl/status/status.h"
#include "services/normalize/core/normalizer.h"
#include "vnarchive/v1/document.pb.h"
#include "vnarchive/v1/normalize.pb.h"

namespace vnarchive {
namespace normalize {

// Replaces document.text (and the title) with its normalised form and fills
// paragraphs.
// Errors as Normalizer::Normalize.
absl::Status NormalizeDocument(const Normalizer& normalizer, v1::Document& document);

// Fills `response` from `result` (tokens only when `include_tokens`).
void ToResponse(const NormalizedText& result, bool include_tokens,
                v1::NormalizeResponse* response);

}  // namespace normalize
}  // namespace vnarchive

#endif  // VNARCHIVE_SERVICES_NORMALIZE_RPC_NORMALIZE_CONVERT_H_
