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
  }
}

absl::Status ExtractDocument(const Extractor& extractor, v1::Document& document) {
  absl::StatusOr<ExtractResult> result = extractor.Extract(document.text());
  if (!result.ok()) return result.status();
  document.clear_entities();
  AppendEntities(result->entities, document.mutable_entities());
  return absl::OkStatus();
}

}  // namespace extract
}  // namespace vnarchive
