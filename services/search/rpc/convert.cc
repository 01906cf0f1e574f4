#include "services/search/rpc/convert.h"

#include <algorithm>
#include <cstdint>

#include "google/protobuf/util/time_util.h"

namespace vnarchive {
namespace search {

using google::protobuf::util::TimeUtil;

StoredDocument ToStoredDocument(const v1::Document& document) {
  StoredDocument stored;
  stored.doc_id = document.doc_id();
  stored.name = document.name();
  stored.source = document.source();
  stored.url = document.url();
  stored.title = document.title();
  if (document.has_published_at()) {
    stored.published_at_unix = document.published_at().seconds();
  }
  stored.dateline = document.dateline();
  stored.authors.assign(document.authors().begin(), document.authors().end());
  stored.language = document.language();
  stored.text = document.text();
  stored.content_hash = document.content_hash();
  stored.duplicate_of = document.duplicate_of();
  if (document.has_ingested_at()) {
    stored.ingested_at_unix_ms = TimeUtil::TimestampToMilliseconds(document.ingested_at());
  }
  for (const v1::Entity& entity : document.entities()) {
    StoredEntity& out = stored.entities.emplace_back();
    out.type = v1::EntityType_Name(entity.type());
    out.surface = entity.surface();
    out.begin = entity.span().begin();
    out.end = entity.span().end();
    out.canonical = entity.canonical();
    for (const auto& [key, value] : entity.attributes()) out.attributes.emplace_back(key, value);
  }
  return stored;
}

v1::Document ToProtoDocument(const StoredDocument& stored) {
  v1::Document document;
  document.set_doc_id(stored.doc_id);
  document.set_name(stored.name);
  document.set_source(stored.source);
  document.set_url(stored.url);
  document.set_title(stored.title);
  if (stored.published_at_unix != 0) {
    *document.mutable_published_at() = TimeUtil::SecondsToTimestamp(stored.published_at_unix);
  }
  document.set_dateline(stored.dateline);
  for (const std::string& author : stored.authors) document.add_authors(author);
  document.set_language(stored.language);
  document.set_text(stored.text);
  document.set_content_hash(stored.content_hash);
  document.set_duplicate_of(stored.duplicate_of);
  if (stored.ingested_at_unix_ms != 0) {
    *document.mutable_ingested_at() = TimeUtil::MillisecondsToTimestamp(stored.ingested_at_unix_ms);
  }
  for (const StoredEntity& entity : stored.entities) {
    *document.add_entities() = ToProtoEntity(entity);
  }
  return document;
}

v1::Entity ToProtoEntity(const StoredEntity& entity) {
  v1::Entity out;
  v1::EntityType type = v1::ENTITY_TYPE_UNSPECIFIED;
  v1::EntityType_Parse(entity.type, &type);
  out.set_type(type);
  out.set_surface(entity.surface);
  out.mutable_span()->set_begin(static_cast<uint32_t>(entity.begin));
  out.mutable_span()->set_end(static_cast<uint32_t>(entity.end));
  out.set_canonical(entity.canonical);
  for (const auto& [key, value] : entity.attributes) (*out.mutable_attributes())[key] = value;
  return out;
}


SearchQuery ToSearchQuery(const v1::SearchRequest& request) {
  SearchQuery query;
  query.query = request.query();
  query.limit = request.page_size() == 0 ? 10 : static_cast<int>(std::min<uint32_t>(
                                                    request.page_size(), INT32_MAX));
  query.offset = static_cast<int>(std::min<uint32_t>(request.offset(), INT32_MAX));
  if (request.sort() == v1::DATE_DESC) query.sort = SortOrder::kNewestFirst;
  if (request.sort() == v1::DATE_ASC) query.sort = SortOrder::kOldestFirst;
  for (const v1::Filter& filter : request.filters()) {
    query.filters.push_back({filter.field(), filter.value(), filter.exclude()});
  }
  // Stored dates are whole seconds: a bound inside a second rounds up so
  // that "at or after" and "before" keep their meaning.
  if (request.has_published_after()) {
    const google::protobuf::Timestamp& t = request.published_after();
    query.published_after = t.seconds() + (t.nanos() > 0 ? 1 : 0);
  }
  if (request.has_published_before()) {
    const google::protobuf::Timestamp& t = request.published_before();
    query.published_before = t.seconds() + (t.nanos() > 0 ? 1 : 0);
  }
  query.facets.assign(request.facets().begin(), request.facets().end());
  query.exact_facets = request.exact_facets();
  query.exact_total = request.exact_total();
  if (request.facet_size() != 0) {
    query.facet_limit = static_cast<int>(std::min<uint32_t>(request.facet_size(), INT32_MAX));
  }
  query.snippets = !request.no_snippet();
  return query;
}

void ToSearchResponse(const SearchResult& result, v1::SearchResponse* response) {
  response->set_total(static_cast<uint64_t>(result.total));
  response->set_total_estimated(result.total_estimated);
  for (const Hit& hit : result.hits) {
    v1::SearchHit& out = *response->add_hits();
    out.set_doc_id(hit.doc_id);
    out.set_name(hit.name);
    out.set_title(hit.title);
    out.set_source(hit.source);
    if (hit.published_at_unix != 0) {
      *out.mutable_published_at() = TimeUtil::SecondsToTimestamp(hit.published_at_unix);
    }
    out.set_score(hit.score);
    out.set_snippet(hit.snippet);
    for (const StoredEntity& entity : hit.entities) *out.add_entities() = ToProtoEntity(entity);
  }
  response->set_facet_sample(static_cast<uint64_t>(std::max<int64_t>(result.facet_sample, 0)));
  for (const Facet& facet : result.facets) {
    v1::Facet& out = *response->add_facets();
    out.set_field(facet.field);
    for (const FacetValue& value : facet.values) {
      v1::FacetValue& v = *out.add_values();
      v.set_value(value.value);
      v.set_count(static_cast<uint64_t>(value.count));
    }
  }
  response->set_suggestion(result.suggestion);
}

}  // namespace search
}  // namespace vnarchive
