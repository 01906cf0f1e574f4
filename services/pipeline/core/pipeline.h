// The whole document pipeline in one process: a file's bytes in, the
// search::StoredDocument the distributed suite would index out. It chains the
// stages' own core libraries exactly as their stream workers do
// (DESIGN.md §1): ingest's Ingestor (decode, HTML, boilerplate, metadata,
// doc_id), the normaliser (the normalize worker's settings: text and title),
// the extractor (the extract worker's defaults), then the mapping the search
// worker applies to the Document it receives. No gRPC, no protobuf, no Redis:
// `vnarchive index --db` and the search quality test use it directly.
//
//   DocumentPipeline pipeline(PipelineOptions{});
//   absl::StatusOr<PipelineOutput> out =
//       pipeline.Process({.bytes = ReadFile("a.txt"), .name = "a.txt"});
//   if (!out.ok()) return out.status();  // InvalidArgument: empty, binary, ...
//   VNA_RETURN_IF_ERROR(index->Upsert({out->document}));
//
// The step functions below are the pipeline's parts, public so that each can
// be tested against the adapter it mirrors (pipeline_equivalence_test.cc runs
// the real ingest, normalize, extract and search adapters on the same files
// and compares).
#ifndef VNARCHIVE_SERVICES_PIPELINE_CORE_PIPELINE_H_
#define VNARCHIVE_SERVICES_PIPELINE_CORE_PIPELINE_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/extract/core/extractor.h"
#include "services/ingest/core/ingestor.h"
#include "services/normalize/core/normalizer.h"
#include "services/normalize/core/tone.h"
#include "services/search/core/index.h"

namespace vnarchive {
namespace pipeline {

struct PipelineOptions {
  // What ingest accepts (size limit, encoding confidence, HTML limits).
  // Default: the ingest service's defaults.
  ingest::IngestorOptions ingest;
  // Where tone marks go in the stored text and title (the normalize
  // service's --tone_style); a SearchIndex over the output must use the same
  // IndexOptions::tone_style. Default traditional ("hóa", "thủy").
  normalize::ToneStyle tone_style = normalize::ToneStyle::kTraditional;
};

// One document as a caller hands it to ingest. Empty strings mean "not
// given", as in IngestRequest.
struct PipelineInput {
  std::string bytes;         // the file's content, any encoding ingest knows
  std::string name;          // shown in search results (a file's base name)
  std::string doc_id;        // caller id; empty: the content hash
  std::string content_type;  // "text/plain", "text/html"; empty: sniffed
  std::string encoding;      // forces the encoding (decode.h names); empty: detected
  std::string source;        // outlet or system
};

// The indexed document and what ingest decided on the way. Copyable, movable.
struct PipelineOutput {
  search::StoredDocument document;
  std::string encoding;  // what the bytes were decoded from, e.g. "tcvn3"
  double encoding_confidence = 1.0;
  ingest::ContentType content_type = ingest::ContentType::kPlainText;
  bool content_type_sniffed = false;
  size_t boilerplate_lines_removed = 0;
};

// Stateless after construction and thread-safe (Process is const; the
// normaliser and extractor are immutable). Copyable and movable.
class DocumentPipeline {
 public:
  explicit DocumentPipeline(PipelineOptions options = {});

  // Runs ingest, normalize and extract on `input` and returns the document
  // as the search worker would store it, with ingested_at = `now`.
  // InvalidArgument from ingest (empty or binary content, undecodable bytes
  // naming the offset, text over the size limit, a bad doc_id or content
  // type, a page without text), from normalize ("normalize: ..."), or from
  // extract ("extract: ..."); ResourceExhausted or Internal as those stages
  // return them.
  absl::StatusOr<PipelineOutput> Process(const PipelineInput& input, absl::Time now) const;
  absl::StatusOr<PipelineOutput> Process(const PipelineInput& input) const;

  const PipelineOptions& options() const { return options_; }

 private:
  PipelineOptions options_;
  ingest::Ingestor ingestor_;
  normalize::Normalizer normalizer_;
  extract::Extractor extractor_;
};

// Returns the document ingest publishes for `accepted` (what
// IngestServiceImpl puts in the Document it enqueues), in the search
// worker's form: the caller's `name`, the accepted text, metadata, hash and
// publication time (whole seconds), one author when known, language "vi",
// ingested_at = `ingested_at` (milliseconds). No entities yet.
search::StoredDocument FromAccepted(const ingest::AcceptedDocument& accepted,
                                    absl::string_view name, absl::Time ingested_at);

// Replaces document->text and a non-empty title with their normalised forms,
// as the normalize worker does. Errors as Normalizer::Normalize; the document
// is unchanged on error.
absl::Status NormalizeStored(const normalize::Normalizer& normalizer,
                             search::StoredDocument* document);

// Appends `entities` in the stored form: type by name ("PERSON", ...), span,
// surface, canonical value and attributes. An attribute key that repeats
// keeps its last value at its first position: the Document's attributes are
// a map, so the distributed pipeline keeps one value per key.
void AppendStoredEntities(const std::vector<extract::Entity>& entities,
                          std::vector<search::StoredEntity>* out);

// The normaliser settings the normalize worker uses for documents: `style`,
// no tokens and no abbreviation report (later stages tokenise themselves).
normalize::NormalizerOptions WorkerNormalizerOptions(normalize::ToneStyle style);

}  // namespace pipeline
}  // namespace vnarchive

#endif  // VNARCHIVE_SERVICES_PIPELINE_CORE_PIPELINE_H_
