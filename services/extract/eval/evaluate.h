// Runs the extractor over a directory of texts and scores it against a gold
// file (annotation.h, scorer.h), normalising each text first exactly as the
// pipeline does (normalize::Normalizer), so spans and values are those the
// extract service would see. Shared by the vna_extract_eval tool and the
// development-set test.
//
//   absl::StatusOr<Evaluation> ev = Evaluate(texts_dir, gold_path, Extractor());
//   if (ev.ok()) std::cout << ev->scorer.Table();
#ifndef VNARCHIVE_SERVICES_EXTRACT_EVAL_EVALUATE_H_
#define VNARCHIVE_SERVICES_EXTRACT_EVAL_EVALUATE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/extract/core/extractor.h"
#include "services/extract/eval/annotation.h"
#include "services/extract/eval/scorer.h"

namespace vnarchive {
namespace extract {

struct Evaluation {
  Scorer scorer;
  // What the extractor produced, one per gold document, in gold order.
  std::vector<DocAnnotation> predictions;
};

// Reads the whole file at `path`. NotFound if it does not exist or cannot
// be read.
absl::StatusOr<std::string> ReadFile(const std::string& path);

// Scores `extractor` on every document of the gold file `gold_path`, reading
// `<texts_dir>/<doc>`. NotFound if the gold file or any text is missing (the
// message names it); InvalidArgument for a malformed gold file or a text
// that is not valid UTF-8; the normaliser's and extractor's errors as they
// come.
absl::StatusOr<Evaluation> Evaluate(const std::string& texts_dir, const std::string& gold_path,
                                    const Extractor& extractor);

// Normalises `raw` as the pipeline does and extracts from it.
absl::StatusOr<ExtractResult> NormalizeAndExtract(absl::string_view raw,
                                                  const Extractor& extractor,
                                                  std::string* normalized_text = nullptr);

}  // namespace extract
}  // namespace vnarchive

#endif  // VNARCHIVE_SERVICES_EXTRACT_EVAL_EVALUATE_H_
