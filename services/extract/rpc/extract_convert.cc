#include "services/extract/rpc/extract_convert.h"

namespace vnarchive {
namespace extract {
namespace {

v1::EntityType ToProtoType(EntityType type) {
  switch (type) {
    case EntityType::kPerson: return v1::PERSON;
    case EntityType::kOrg: return v1::ORG;
    case EntityType::kLoc: return v1::LOC;
    case EntityType::kDate: return v1::DATE;
    case EntityType::kDocRef: return v1::DOC_REF;
  }
  return v1::ENTITY_TYPE_UNSPECIFIED;
}

}  // namespace

void AppendEntities(const std::vector<Entity>& entities,
                    google::protobuf::RepeatedPtrField<v1::Entity>* out) {
  for (const Entity& entity : entities) {
    v1::Entity& converted = *out->Add();
    converted.set_type(ToProtoType(entity.type));
    converted.set_surface(entity.surface);
    converted.mutable_span()->set_begin(static_cast<uint32_t>(entity.begin));
    converted.mutable_span()->set_end(static_cast<uint32_t>(entity.end));
    converted.set_canonical(entity.canonical);
    for (const auto& [key, value] : entity.attributes) {
      (*converted.mutable_attributes())[key] = value;
    }
    converted.set_rule(entity.rule);
    converted.set_source(entity.source);
  }
}

void AppendRelations(const std::vector<Relation>& relations,
                     google::protobuf::RepeatedPtrField<v1::Relation>* out) {
  for (const Relation& relation : relations) {
    v1::Relation& converted = *out->Add();
    converted.set_kind(v1::Relation::ROLE);
    converted.set_person(relation.person);
    converted.set_title(relation.title);
    converted.set_organisation(relation.organisation);
    converted.mutable_person_span()->set_begin(static_cast<uint32_t>(relation.person_begin));
    converted.mutable_person_span()->set_end(static_cast<uint32_t>(relation.person_end));
    converted.mutable_title_span()->set_begin(static_cast<uint32_t>(relation.title_begin));
    converted.mutable_title_span()->set_end(static_cast<uint32_t>(relation.title_end));
    converted.set_rule(relation.rule);
  }
}

absl::Status ExtractDocument(const Extractor& extractor, v1::Document& document) {
  absl::StatusOr<ExtractResult> result = extractor.Extract(document.text());
  if (!result.ok()) return result.status();
  document.clear_entities();
  document.clear_relations();
  AppendEntities(result->entities, document.mutable_entities());
  AppendRelations(result->relations, document.mutable_relations());
  return absl::OkStatus();
}

}  // namespace extract
}  // namespace vnarchive
