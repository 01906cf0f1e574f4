// The compact binary form in which a search shard stores a document's
// entities (table doc_entities, see index.h): one row per document instead
// of a row per entity, so indexing writes one sequential row and a search
// reads one row per matching document.
//
// Two encodings, both self-delimiting and versioned by their first byte:
//   * entities: every entity in order, with span and attributes (what Get
//     returns and what a hit's entity list is chosen from);
//   * facet values: each distinct (type, canonical) with a non-empty
//     canonical, grouped by type (what facet counting reads per match; small,
//     so it stays in the row's first page).
// Strings are stored as a varint byte length and the bytes; numbers as
// unsigned LEB128 varints.
//
//   const std::string blob = EncodeEntities(doc.entities);
//   VNA_ASSIGN_OR_RETURN(std::vector<StoredEntity> again, DecodeEntities(blob));
//   VNA_RETURN_IF_ERROR(ForEachFacetValue(EncodeFacetValues(doc.entities),
//       [&](absl::string_view type, absl::string_view canonical) { ... }));
#ifndef VNARCHIVE_SERVICES_SEARCH_CORE_ENTITY_CODEC_H_
#define VNARCHIVE_SERVICES_SEARCH_CORE_ENTITY_CODEC_H_

#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/search/core/index.h"

namespace vnarchive {
namespace search {

// Encodes `entities` (spans must be non-negative, as Upsert validates).
std::string EncodeEntities(const std::vector<StoredEntity>& entities);

// Decodes what EncodeEntities wrote. DataLoss if `blob` is truncated, has
// trailing bytes or an unknown version.
absl::StatusOr<std::vector<StoredEntity>> DecodeEntities(absl::string_view blob);

// Encodes the distinct (type, canonical) pairs of `entities` whose canonical
// is not empty, grouped by type in order of first appearance.
std::string EncodeFacetValues(const std::vector<StoredEntity>& entities);

// Calls `visit(type, canonical)` once per pair EncodeFacetValues wrote, in
// its order; a call for a type whose values the caller does not need can be
// answered cheaply, since pairs of one type come together. The views point
// into `blob`. DataLoss if `blob` is malformed (calls made before the
// problem was found stand).
absl::Status ForEachFacetValue(
    absl::string_view blob,
    absl::FunctionRef<void(absl::string_view type, absl::string_view canonical)> visit);

}  // namespace search
}  // namespace vnarchive

#endif  // VNARCHIVE_SERVICES_SEARCH_CORE_ENTITY_CODEC_H_
