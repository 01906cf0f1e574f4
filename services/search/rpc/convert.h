// Conversions between the protobuf document model and search/core's plain
// structs: the edge where the adapter meets the core.
#ifndef VNARCHIVE_SERVICES_SEARCH_RPC_CONVERT_H_
#define VNARCHIVE_SERVICES_SEARCH_RPC_CONVERT_H_

#include "services/search/core/index.h"
#include "vnarchive/v1/document.pb.h"

namespace vnarchive {
namespace search {

StoredDocument ToStoredDocument(const v1::Document& document);
v1::Document ToProtoDocument(const StoredDocument& stored);

}  // namespace search
}  // namespace vnarchive

#endif  // VNARCHIVE_SERVICES_SEARCH_RPC_CONVERT_H_
