#include "services/extract/eval/evaluate.h"

#include <fstream>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/base/status_macros.h"
#include "services/normalize/core/normalizer.h"

namespace vnarchive {
namespace extract {

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

absl::StatusOr<ExtractResult> NormalizeAndExtract(absl::string_view raw,
                                                  const Extractor& extractor,
                                                  std::string* normalized_text) {
  // One normaliser for all calls: it is immutable and thread-safe.
  static const normalize::Normalizer* const normalizer = new normalize::Normalizer();
  VNA_ASSIGN_OR_RETURN(normalize::NormalizedText normalized, normalizer->Normalize(raw));
  absl::StatusOr<ExtractResult> result = extractor.Extract(normalized.text);
  if (normalized_text != nullptr) *normalized_text = std::move(normalized.text);
  return result;
}

absl::StatusOr<Evaluation> Evaluate(const std::string& texts_dir, const std::string& gold_path,
                                    const Extractor& extractor) {
  VNA_ASSIGN_OR_RETURN(const std::string gold_contents, ReadFile(gold_path));
  absl::StatusOr<std::vector<DocAnnotation>> gold = ParseGoldJsonl(gold_contents);
  if (!gold.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(gold_path, ": ", gold.status().message()));
  }
  Evaluation ev;
  for (const DocAnnotation& g : *gold) {
    VNA_ASSIGN_OR_RETURN(const std::string raw, ReadFile(absl::StrCat(texts_dir, "/", g.doc)));
    absl::StatusOr<ExtractResult> result = NormalizeAndExtract(raw, extractor);
    if (!result.ok()) {
      return absl::Status(result.status().code(),
                          absl::StrCat(g.doc, ": ", result.status().message()));
    }
    DocAnnotation predicted = FromExtractResult(g.doc, *result);
    ev.scorer.Add(g, predicted);
    ev.predictions.push_back(std::move(predicted));
  }
  return ev;
}

}  // namespace extract
}  // namespace vnarchive
