// Entity extraction from normalised text (DESIGN.md §6, ANNOTATION.md). This
// step implements DOC_REF (coded party and state document references such as
// "05-CT/TW", "08-QĐi/TW", "157/2007/NĐ-CP", "123/QĐ-UBND") and DATE
// ("20/7/2019", "20-07-2019", "20.07.2019", "2019-07-20",
// "12 tháng 3 năm 2019") with a hand-written scanner: one linear pass, no
// regular-expression engine. PERSON, ORG and LOC come later.
// Pure logic: no gRPC, protobuf or Redis.
//
//   vnarchive::extract::Extractor extractor;
//   absl::StatusOr<ExtractResult> r = extractor.Extract("Chỉ thị số 05-CT/TW");
//   // r->entities[0]: type kDocRef, surface "05-CT/TW", begin 17, end 25,
//   //   canonical "05-CT/TW", attributes {kind: chỉ thị, number: 05, issuer: TW}
#ifndef VNARCHIVE_SERVICES_EXTRACT_CORE_EXTRACTOR_H_
#define VNARCHIVE_SERVICES_EXTRACT_CORE_EXTRACTOR_H_

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace vnarchive {
namespace extract {

enum class EntityType { kPerson, kOrg, kLoc, kDate, kDocRef };

// Returns "PERSON", "ORG", "LOC", "DATE" or "DOC_REF" (ANNOTATION.md names).
const char* EntityTypeName(EntityType type);

struct Entity {
  EntityType type = EntityType::kDocRef;
  std::string surface;  // input[begin, end) as written
  size_t begin = 0;     // UTF-8 byte span into the input of Extract
  size_t end = 0;
  // DOC_REF: the code itself, NFC ("08-QĐi/TW"). DATE: ISO 8601 "2019-03-12".
  std::string canonical;
  // DOC_REF, in this order: "kind" (e.g. "chỉ thị": from the code's letters,
  // or, for a code with unknown letters such as "456/UBND-VX", from the kind
  // word before it; a code that neither names is not extracted), "number"
  // ("05"), "year" (only when the code carries a 4-digit one), "issuer"
  // ("TW", "CP", "UBND"). DATE: "year", "month", "day" as decimal strings
  // without leading zeros.
  std::vector<std::pair<std::string, std::string>> attributes;
};

struct ExtractResult {
  // Non-overlapping, ordered by `begin`.
  std::vector<Entity> entities;
};

struct ExtractorOptions {
  // Find DOC_REF entities. Default true.
  bool doc_refs = true;
  // Find DATE entities. Default true.
  bool dates = true;
  // Dates whose year lies outside [min_year, max_year] are ignored: they are
  // almost always other numbers that look like dates. Defaults 1800 and 2199.
  int min_year = 1800;
  int max_year = 2199;
};

// Thread-safe: Extract is const and the object is immutable after
// construction. Copyable and movable.
class Extractor {
 public:
  explicit Extractor(ExtractorOptions options = {});

  // Returns the entities in `normalized_text` (expected to be the `text` of
  // normalize::Normalizer: NFC, single spaces). InvalidArgument if it is not
  // valid UTF-8 (the message names the byte offset).
  absl::StatusOr<ExtractResult> Extract(absl::string_view normalized_text) const;

  const ExtractorOptions& options() const { return options_; }

 private:
  ExtractorOptions options_;
};

}  // namespace extract
}  // namespace vnarchive

#endif  // VNARCHIVE_SERVICES_EXTRACT_CORE_EXTRACTOR_H_
