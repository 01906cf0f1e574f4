// Conversions between extract/core results and the protobuf contracts,
// kept apart from the gRPC service so that the offline client can use them
// without linking a server.
#ifndef VNARCHIVE_SERVICES_EXTRACT_RPC_EXTRACT_CONVERT_H_
#define VNARCHIVE_SERVICES_EXTRACT_RPC_EXTRACT_CONVERT_H_

#include <vector>

#include "absl/status/status.h"
#include "services/extract/core/extractor.h"
#include "vnarchive/v1/document.pb.h"

namespace vnarchive {
namespace extract {

// Replaces document.entities and document.relations with those found in
// document.text.
// Errors as Extractor::Extract.
absl::Status ExtractDocument(const Extractor& extractor, v1::Document& document);

// Converts core entities to protobuf entities, appending to `out`.
void AppendEntities(const std::vector<Entity>& entities,
                    google::protobuf::RepeatedPtrField<v1::Entity>* out);

// Converts core relations (ROLE) to protobuf relations, appending to `out`.
void AppendRelations(const std::vector<Relation>& relations,
                     google::protobuf::RepeatedPtrField<v1::Relation>* out);

}  // namespace extract
}  // namespace vnarchive

#endif  // VNARCHIVE_SERVICES_EXTRACT_RPC_EXTRACT_CONVERT_H_
