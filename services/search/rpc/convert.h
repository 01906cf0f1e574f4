// Conversions between the protobuf messages (document model, search request
// and response) and search/core's plain structs: the edge where the adapter
// meets the core. No gRPC here, so an in-process client (the CLI's embedded
// mode) can run SearchIndex::Search with the service's exact semantics:
//
//   absl::StatusOr<SearchResult> result = index->Search(ToSearchQuery(request));
//   if (result.ok()) ToSearchResponse(*result, &response);
#ifndef VNARCHIVE_SERVICES_SEARCH_RPC_CONVERT_H_
#define VNARCHIVE_SERVICES_SEARCH_RPC_CONVERT_H_

#include "services/search/core/index.h"
#include "vnarchive/v1/document.pb.h"
#include "vnarchive/v1/search.pb.h"

namespace vnarchive {
namespace search {

StoredDocument ToStoredDocument(const v1::Document& document);
v1::Document ToProtoDocument(const StoredDocument& stored);
// One entity: type (ENTITY_TYPE_UNSPECIFIED for a type the proto does not
// name), surface, span, canonical value and attributes.
v1::Entity ToProtoEntity(const StoredEntity& entity);

// The core query for a SearchRequest: page size 0 means 10, facet_size 0
// means the core's default (10), published_* become whole-second bounds
// (a bound inside a second rounds up), no_snippet turns snippets off. Values
// are passed on unchecked: SearchIndex::Search validates them.
SearchQuery ToSearchQuery(const v1::SearchRequest& request);

// Appends `result` (total, hits with their entities, facets, suggestion) to
// *response.
void ToSearchResponse(const SearchResult& result, v1::SearchResponse* response);

}  // namespace search
}  // namespace vnarchive

#endif  // VNARCHIVE_SERVICES_SEARCH_RPC_CONVERT_H_
