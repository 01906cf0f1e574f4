#include "services/search/rpc/convert.h"

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
    v1::Entity& out = *document.add_entities();
    v1::EntityType type = v1::ENTITY_TYPE_UNSPECIFIED;
    v1::EntityType_Parse(entity.type, &type);
    out.set_type(type);
    out.set_surface(entity.surface);
    out.mutable_span()->set_begin(static_cast<uint32_t>(entity.begin));
    out.mutable_span()->set_end(static_cast<uint32_t>(entity.end));
    out.set_canonical(entity.canonical);
    for (const auto& [key, value] : entity.attributes) (*out.mutable_attributes())[key] = value;
  }
  return document;
}

}  // namespace search
}  // namespace vnarchive
