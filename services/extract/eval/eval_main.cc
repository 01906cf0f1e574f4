// vna_extract_eval: scores the extractor against gold annotations
// (ANNOTATION.md) and prints the per-type table.
//
//   vna_extract_eval                       # the development set and, when
//                                          # present, the seed articles
//   vna_extract_eval --texts DIR --gold FILE [--errors] [--dump]
//   vna_extract_eval --explain FILE        # every entity of one text, with
//                                          # its span, rule and source
//
// The default locations come from the build: the development set in
// tests/data/extract, the seed texts under the CMake setting VNA_CORPUS_DIR.
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>

#include "CLI/CLI.hpp"
#include "absl/strings/str_join.h"
#include "services/extract/eval/evaluate.h"

namespace {

using vnarchive::extract::Evaluate;
using vnarchive::extract::Evaluation;
using vnarchive::extract::Extractor;

// Prints the table (and, on request, errors or predictions); returns false on
// failure.
bool Run(const std::string& label, const std::string& texts, const std::string& gold,
         bool errors, bool dump) {
  const Extractor extractor;
  absl::StatusOr<Evaluation> ev = Evaluate(texts, gold, extractor);
  if (!ev.ok()) {
    std::cerr << label << ": " << ev.status() << "\n";
    return false;
  }
  std::cout << "== " << label << " (" << texts << ")\n" << ev->scorer.Table();
  if (errors) {
    for (const auto& e : ev->scorer.Errors()) {
      std::cout << e.doc << " " << e.type << "\n";
      if (!e.false_positives.empty()) {
        std::cout << "  + " << absl::StrJoin(e.false_positives, "\n  + ") << "\n";
      }
      if (!e.false_negatives.empty()) {
        std::cout << "  - " << absl::StrJoin(e.false_negatives, "\n  - ") << "\n";
      }
    }
  }
  if (dump) {
    for (const auto& p : ev->predictions) std::cout << ToJsonLine(p) << "\n";
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Scores vnarchive entity extraction against gold annotations"};
  std::string texts;
  std::string gold;
  bool errors = false;
  bool dump = false;
  std::string explain;
  app.add_option("--explain", explain, "print every entity and relation of one text file");
  app.add_option("--texts", texts, "directory of the .txt files named in the gold file");
  app.add_option("--gold", gold, "gold annotations, one JSON object per line (ANNOTATION.md)");
  app.add_flag("--errors", errors, "list false positives (+) and negatives (-) per document");
  app.add_flag("--dump", dump, "print the predictions in the gold format");
  CLI11_PARSE(app, argc, argv);

  if (!explain.empty()) {
    absl::StatusOr<std::string> raw = vnarchive::extract::ReadFile(explain);
    if (!raw.ok()) {
      std::cerr << raw.status() << "\n";
      return 1;
    }
    absl::StatusOr<vnarchive::extract::ExtractResult> r =
        vnarchive::extract::NormalizeAndExtract(*raw, Extractor());
    if (!r.ok()) {
      std::cerr << r.status() << "\n";
      return 1;
    }
    for (const auto& e : r->entities) {
      std::cout << vnarchive::extract::EntityTypeName(e.type) << "\t" << e.begin << "-" << e.end
                << "\t" << e.surface << "\t= " << e.canonical << "\t" << e.rule << " "
                << e.source << "\n";
    }
    for (const auto& rel : r->relations) {
      std::cout << "ROLE\t" << rel.person << "\t| " << rel.title << "\t| " << rel.organisation
                << "\t" << rel.rule << "\n";
    }
    return 0;
  }

  if (!texts.empty() || !gold.empty()) {
    if (texts.empty() || gold.empty()) {
      std::cerr << "--texts and --gold go together\n";
      return 2;
    }
    if (!std::filesystem::is_directory(texts)) {
      std::cerr << "texts directory " << texts << " does not exist\n";
      return 1;
    }
    return Run("evaluation", texts, gold, errors, dump) ? 0 : 1;
  }

  const std::string data = VNA_EXTRACT_DATA_DIR;
  bool ok = Run("development set", data + "/dev", data + "/dev_gold.jsonl", errors, dump);
  const std::string seeds = std::string(VNA_CORPUS_DIR) + "/seeds";
  if (std::filesystem::is_directory(seeds)) {
    ok = Run("seed articles", seeds, data + "/seeds_gold.jsonl", errors, dump) && ok;
  } else {
    std::cout << "== seed articles: not scored, the seed texts are absent (looked in " << seeds
              << "; set the CMake cache variable VNA_CORPUS_DIR to the corpus directory)\n";
  }
  return ok ? 0 : 1;
}
