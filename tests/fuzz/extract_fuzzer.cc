// libFuzzer target over entity extraction: arbitrary bytes, normalised as
// the pipeline does, then extracted. Checks what callers rely on, not only
// that nothing crashes: every entity and relation span lies inside the text
// and its surface is exactly the bytes it spans, same-type entities never
// overlap, and the output stays within max_entities. A run in the test
// suite also bounds time per input, which catches pathological matching.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>

#include "services/extract/core/extractor.h"
#include "services/normalize/core/normalizer.h"

namespace {

void Require(bool condition) {
  if (!condition) std::abort();
}

void CheckText(const vnarchive::extract::Extractor& extractor, absl::string_view text) {
  absl::StatusOr<vnarchive::extract::ExtractResult> result = extractor.Extract(text);
  Require(result.ok());
  Require(result->entities.size() <= extractor.options().max_entities);
  Require(result->relations.size() <= extractor.options().max_entities);
  std::map<int, size_t> end_of_type;
  for (const vnarchive::extract::Entity& e : result->entities) {
    Require(e.begin < e.end && e.end <= text.size());
    Require(text.substr(e.begin, e.end - e.begin) == e.surface);
    Require(!e.canonical.empty() && !e.rule.empty());
    const int type = static_cast<int>(e.type);
    Require(end_of_type[type] <= e.begin);  // ordered, no same-type overlap
    end_of_type[type] = e.end;
  }
  for (const vnarchive::extract::Relation& r : result->relations) {
    Require(r.person_begin <= r.person_end && r.person_end <= text.size());
    Require(r.title_begin <= r.title_end && r.title_end <= text.size());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const vnarchive::normalize::Normalizer* normalizer =
      new vnarchive::normalize::Normalizer();
  static const vnarchive::extract::Extractor* extractor = [] {
    vnarchive::extract::ExtractorOptions options;
    options.max_entities = 200;  // small, so the cap itself is exercised
    return new vnarchive::extract::Extractor(options);
  }();
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  vnarchive::normalize::DecodeOptions lenient;
  lenient.lenient = true;
  absl::StatusOr<vnarchive::normalize::NormalizedText> normalized =
      normalizer->NormalizeBytes(input, lenient);
  Require(normalized.ok());
  CheckText(*extractor, normalized->text);
  // Extract also takes any valid UTF-8, normalised or not.
  if (vnarchive::text::ValidateUtf8(input).ok()) CheckText(*extractor, input);
  return 0;
}
