#include "services/pipeline/core/pipeline.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/base/status_macros.h"

namespace vnarchive {
namespace pipeline {
namespace {

// Keeps the code and prefixes the stage, so a failure says where it happened.
absl::Status InStage(absl::string_view stage, const absl::Status& status) {
  return absl::Status(status.code(), absl::StrCat(stage, ": ", status.message()));
}

}  // namespace

normalize::NormalizerOptions WorkerNormalizerOptions(normalize::ToneStyle style) {
  normalize::NormalizerOptions options;
  options.tone_style = style;
  options.tokenize = false;
  options.find_abbreviations = false;
  return options;
}

search::StoredDocument FromAccepted(const ingest::AcceptedDocument& accepted,
                                    absl::string_view name, absl::Time ingested_at) {
  search::StoredDocument doc;
  doc.doc_id = accepted.doc_id;
  doc.name = std::string(name);
  doc.source = accepted.source;
  doc.url = accepted.url;
  doc.title = accepted.title;
  // Ingest sends whole seconds (a Timestamp built from ToUnixSeconds).
  if (accepted.published_at.has_value()) {
    doc.published_at_unix = absl::ToUnixSeconds(*accepted.published_at);
  }
  doc.dateline = accepted.dateline;
  if (!accepted.author.empty()) doc.authors.push_back(accepted.author);
  doc.language = "vi";
  doc.text = accepted.text;
  doc.content_hash = accepted.content_hash;
  doc.ingested_at_unix_ms = absl::ToUnixMillis(ingested_at);
  return doc;
}

absl::Status NormalizeStored(const normalize::Normalizer& normalizer,
                             search::StoredDocument* document) {
  VNA_ASSIGN_OR_RETURN(normalize::NormalizedText text, normalizer.Normalize(document->text));
  // The title is searched and shown beside the text: same spelling rules.
  if (!document->title.empty()) {
    VNA_ASSIGN_OR_RETURN(normalize::NormalizedText title, normalizer.Normalize(document->title));
    document->title = std::move(title.text);
  }
  document->text = std::move(text.text);
  return absl::OkStatus();
}

void AppendStoredEntities(const std::vector<extract::Entity>& entities,
                          std::vector<search::StoredEntity>* out) {
  out->reserve(out->size() + entities.size());
  for (const extract::Entity& entity : entities) {
    search::StoredEntity& stored = out->emplace_back();
    stored.type = extract::EntityTypeName(entity.type);
    stored.surface = entity.surface;
    stored.begin = static_cast<int64_t>(entity.begin);
    stored.end = static_cast<int64_t>(entity.end);
    stored.canonical = entity.canonical;
    for (const auto& [key, value] : entity.attributes) {
      bool replaced = false;
      for (auto& [stored_key, stored_value] : stored.attributes) {
        if (stored_key != key) continue;
        stored_value = value;
        replaced = true;
        break;
      }
      if (!replaced) stored.attributes.emplace_back(key, value);
    }
  }
}

DocumentPipeline::DocumentPipeline(PipelineOptions options)
    : options_(options),
      ingestor_(options.ingest),
      normalizer_(WorkerNormalizerOptions(options.tone_style)),
      extractor_() {}

absl::StatusOr<PipelineOutput> DocumentPipeline::Process(const PipelineInput& input) const {
  return Process(input, absl::Now());
}

absl::StatusOr<PipelineOutput> DocumentPipeline::Process(const PipelineInput& input,
                                                         absl::Time now) const {
  ingest::IncomingDocument incoming;
  incoming.doc_id = input.doc_id;
  incoming.text = input.bytes;
  incoming.encoding = input.encoding;
  incoming.content_type = input.content_type;
  incoming.name = input.name;
  incoming.source = input.source;
  VNA_ASSIGN_OR_RETURN(ingest::AcceptedDocument accepted, ingestor_.Accept(incoming));

  PipelineOutput out;
  out.encoding = accepted.encoding;
  out.encoding_confidence = accepted.encoding_confidence;
  out.content_type = accepted.content_type;
  out.content_type_sniffed = accepted.content_type_sniffed;
  out.boilerplate_lines_removed = accepted.boilerplate_removed.size();
  out.document = FromAccepted(accepted, input.name, now);

  if (absl::Status normalized = NormalizeStored(normalizer_, &out.document); !normalized.ok()) {
    return InStage("normalize", normalized);
  }
  absl::StatusOr<extract::ExtractResult> extracted = extractor_.Extract(out.document.text);
  if (!extracted.ok()) return InStage("extract", extracted.status());
  // Relations (ROLE) are not stored: the search worker keeps entities only.
  AppendStoredEntities(extracted->entities, &out.document.entities);
  return out;
}

}  // namespace pipeline
}  // namespace vnarchive
