// Entity annotations of documents in the gold format of ANNOTATION.md (one
// JSON object per line), reading and writing it, and turning an extractor
// result into the same shape, so gold and predictions can be scored alike
// (scorer.h).
//
//   absl::StatusOr<std::vector<DocAnnotation>> gold = ParseGoldJsonl(contents);
//   DocAnnotation predicted = FromExtractResult("a.txt", extractor.Extract(text).value());
//   std::string line = ToJsonLine(predicted);  // {"doc":"a.txt","PERSON":[...],...}
#ifndef VNARCHIVE_SERVICES_EXTRACT_EVAL_ANNOTATION_H_
#define VNARCHIVE_SERVICES_EXTRACT_EVAL_ANNOTATION_H_

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/extract/core/extractor.h"

namespace vnarchive {
namespace extract {

// The entity types scored as value sets, in the order tables print them.
inline constexpr absl::string_view kValueTypes[] = {"PERSON", "LOC", "ORG", "DOC_REF", "DATE"};
// The relation type, scored as (person, role) pairs.
inline constexpr absl::string_view kRoleType = "PERSON_ROLE";

// One document's annotation. Values are kept as written in the file (not yet
// canonicalised; the scorer does that). Plain struct: copyable and movable.
struct DocAnnotation {
  std::string doc;  // the text's file name, e.g. "dev_01.txt"
  // "PERSON", "LOC", "ORG", "DOC_REF", "DATE" -> values. A missing key and an
  // empty list mean the same: no entity of that type.
  std::map<std::string, std::vector<std::string>> values;
  // PERSON_ROLE pairs: (person, role as written).
  std::vector<std::pair<std::string, std::string>> roles;
};

// Parses gold JSONL: one object per non-empty line with "doc" (string),
// any of the five value types (arrays of strings) and "PERSON_ROLE" (array
// of two-string arrays). InvalidArgument naming the line for malformed JSON,
// a missing "doc", a value of the wrong shape, an unknown key or a document
// listed twice.
absl::StatusOr<std::vector<DocAnnotation>> ParseGoldJsonl(absl::string_view contents);

// One JSON line (no trailing newline) in the gold format; keys in the order
// of kValueTypes, then PERSON_ROLE; values sorted and de-duplicated.
std::string ToJsonLine(const DocAnnotation& annotation);

// The values ANNOTATION.md scores, taken from an extractor result: each
// entity's canonical value under its type name, and each relation's
// (person, title).
DocAnnotation FromExtractResult(absl::string_view doc, const ExtractResult& result);

}  // namespace extract
}  // namespace vnarchive

#endif  // VNARCHIVE_SERVICES_EXTRACT_EVAL_ANNOTATION_H_
