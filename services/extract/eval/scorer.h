// Scoring of entity annotations exactly as ANNOTATION.md defines it:
// per document, the *set* of distinct values of each type (after Unicode NFC
// and tone-style canonicalisation, so "khoá" and "khóa" are one value;
// everything else, case included, matters), precision / recall / F1
// micro-averaged over documents. ORG is lenient (a prediction matches a gold
// value when one contains the other); PERSON_ROLE is scored as (person,
// role) pairs whose persons are equal and whose roles contain one another.
//
//   Scorer scorer;
//   for (...) scorer.Add(gold_doc, predicted_doc);
//   for (const TypeScore& s : scorer.Scores()) Print(s.type, s.f1());
//   std::cout << scorer.Table();
//
// Counting with lenient matching: a prediction is correct when it matches at
// least one gold value, and a gold value is found when at least one
// prediction matches it; precision = correct / predicted, recall = found /
// gold (for exact matching both are the size of the intersection). A type
// with no gold and no predictions scores 1.
#ifndef VNARCHIVE_SERVICES_EXTRACT_EVAL_SCORER_H_
#define VNARCHIVE_SERVICES_EXTRACT_EVAL_SCORER_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "services/extract/eval/annotation.h"

namespace vnarchive {
namespace extract {

// Returns `value` in NFC with its tone marks placed in the traditional style
// (normalize/core/tone.h): the form both sides are compared in.
std::string CanonicalForComparison(absl::string_view value);

// Micro-averaged counts of one type over the documents added.
struct TypeScore {
  std::string type;       // "PERSON", ..., "PERSON_ROLE"
  size_t predicted = 0;   // distinct predicted values, summed over documents
  size_t gold = 0;        // distinct gold values
  size_t correct = 0;     // predictions that match a gold value
  size_t found = 0;       // gold values matched by a prediction
  double precision() const;
  double recall() const;
  double f1() const;
};

// The differences of one document and type, for error reports.
struct TypeErrors {
  std::string doc;
  std::string type;
  std::vector<std::string> false_positives;  // canonical forms
  std::vector<std::string> false_negatives;
};

// Accumulates scores over documents. Not thread-safe; copyable and movable.
class Scorer {
 public:
  Scorer();

  // Scores one document: `predicted` against `gold` (their `doc` names are
  // not compared). Keeps the per-type differences for Errors().
  void Add(const DocAnnotation& gold, const DocAnnotation& predicted);

  // One entry per type: kValueTypes in order, then PERSON_ROLE.
  const std::vector<TypeScore>& Scores() const { return scores_; }
  // The score of `type`; a zero score if unknown.
  TypeScore Score(absl::string_view type) const;
  // Per-document differences, in the order documents were added.
  const std::vector<TypeErrors>& Errors() const { return errors_; }
  size_t documents() const { return documents_; }

  // A fixed-width table: type, predicted, gold, correct, found, P, R, F1.
  std::string Table() const;

 private:
  std::vector<TypeScore> scores_;
  std::vector<TypeErrors> errors_;
  size_t documents_ = 0;
};

}  // namespace extract
}  // namespace vnarchive

#endif  // VNARCHIVE_SERVICES_EXTRACT_EVAL_SCORER_H_
