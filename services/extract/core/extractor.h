// Entity extraction from normalised text (DESIGN.md §6), following the
// annotation guideline (ANNOTATION.md): PERSON, ORG, LOC, DATE, DOC_REF and
// the PERSON_ROLE relation (a person and the title attached to them).
//
//   * DOC_REF and DATE come from a hand-written byte scanner (no regular
//     expressions): coded references ("05-CT/TW", "157/2007/NĐ-CP"), full
//     dates in every common format, and partial dates after a cue word
//     ("Sáng 20/7") whose year is the document's dateline year.
//   * PERSON, ORG, LOC and roles come from one left-to-right walk over the
//     syllable tokens and the gazetteer's matches (gazetteer.h): titles,
//     organisation heads with their complements ("Ban Thường vụ" + "Tỉnh ủy"
//     + "Hậu Giang"), places with or without their administrative word,
//     family names opening personal names, and bylines.
//   * Numbered references without a code ("Quy định 08") and plenum
//     resolutions ("Nghị quyết T.Ư 4 (khoá XII)") are read from the same
//     tokens and given their canonical ids.
// Pure logic: no gRPC, protobuf or Redis; the gazetteer is compiled in.
//
//   vnarchive::extract::Extractor extractor;
//   absl::StatusOr<ExtractResult> r =
//       extractor.Extract("Sáng 20/7/2019, Phó Bí thư Thành ủy Đào Đức Toàn ...");
//   // r->entities: DATE "20/7/2019" = "2019-07-20", ORG "Thành ủy",
//   //   PERSON "Đào Đức Toàn"; r->relations: ROLE Đào Đức Toàn /
//   //   "Phó Bí thư Thành ủy" / organisation "Thành ủy".
#ifndef VNARCHIVE_SERVICES_EXTRACT_CORE_EXTRACTOR_H_
#define VNARCHIVE_SERVICES_EXTRACT_CORE_EXTRACTOR_H_

#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/extract/core/gazetteer.h"

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
  // The value ANNOTATION.md scores, NFC:
  //   DOC_REF  the code without "số" or spaces ("08-QĐi/TW"); a numbered
  //            document without a code "Quy định 08", or the coded id of the
  //            same document when the text also cites it with its code;
  //            plenum resolutions "Nghị quyết Trung ương 4 khóa XII".
  //   DATE     ISO 8601 "2019-03-12".
  //   LOC      the name without its administrative word ("Hậu Giang" for
  //            "tỉnh Hậu Giang"); an abbreviation becomes the full name
  //            ("TP.HCM" -> "Thành phố Hồ Chí Minh").
  //   PERSON, ORG  as written.
  std::string canonical;
  // Parsed fields, in a fixed order per type:
  //   DOC_REF  "kind" (e.g. "chỉ thị"), "number" ("05"), "year" (when the
  //            code carries a 4-digit one), "issuer" ("TW"), "date" (ISO,
  //            when "ngày <date>" follows the reference); plenums: "kind",
  //            "plenum", "term".
  //   DATE     "year", "month", "day" (decimal, no leading zeros), and
  //            "year_from" = "dateline" or "option" when the text gave none.
  //   LOC      "level" ("tỉnh", "huyện", "xã", "vùng", "quốc gia", ...) and,
  //            for districts, "province".
  //   ORG      "head" (the organisation head it was built from, canonical)
  //            and "kind" ("party", "state", ...).
  std::vector<std::pair<std::string, std::string>> attributes;
  // Which rule produced the entity, a stable lower-case identifier such as
  // "doc_ref.code", "date.partial", "loc.admin_word", "org.head",
  // "person.after_title", "person.byline" (see extractor.cc). Never empty.
  std::string rule;
  // The gazetteer row behind it, e.g. "provinces.tsv:64" (empty when no row
  // was involved).
  std::string source;
};

// PERSON_ROLE (ANNOTATION.md; the proto's Relation kind ROLE): a person and
// the title attached to them in the text.
struct Relation {
  // The person's canonical value and span (a PERSON entity of the result).
  std::string person;
  size_t person_begin = 0;
  size_t person_end = 0;
  // The title as written, with the organisation it names ("Phó Bí thư Thành
  // ủy", "Bí thư Tỉnh ủy Hậu Giang"), and its span. One relation per title of
  // a chain ("Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy X": two relations).
  std::string title;
  size_t title_begin = 0;
  size_t title_end = 0;
  // The organisation the title names, as written ("Tỉnh ủy Hậu Giang"), or
  // empty.
  std::string organisation;
  // "role.before_name" (title, then the name) or "role.after_name" (the
  // name, then ", title" or " - title").
  std::string rule;
};

struct ExtractResult {
  // Ordered by `begin`, then longest first. Entities of different types may
  // nest (a LOC inside an ORG: "Tỉnh ủy Hậu Giang"); two entities of one
  // type never overlap.
  std::vector<Entity> entities;
  // PERSON_ROLE relations, in text order of their titles.
  std::vector<Relation> relations;
  // True if max_entities cut the entities or the relations.
  bool truncated = false;
};

struct ExtractorOptions {
  // Find DOC_REF entities. Default true.
  bool doc_refs = true;
  // Find DATE entities. Default true.
  bool dates = true;
  // Find PERSON, ORG and LOC entities and roles. Default true for each.
  bool persons = true;
  bool orgs = true;
  bool locs = true;
  bool roles = true;
  // Dates whose year lies outside [min_year, max_year] are ignored: they are
  // almost always other numbers that look like dates. Defaults 1800 and 2199.
  int min_year = 1800;
  int max_year = 2199;
  // The year of a partial date ("Sáng 20/7"). 0 (the default): the year of
  // the document's dateline, found in the text (the first full date written
  // next to a time of day, as in "(15:25 20/07/2019)" or "08:28, Thứ Tư,
  // 22/05/2019", else the first full date near the top); partial dates are
  // dropped when there is none. A caller that knows the publication date
  // (ingest metadata) passes its year here.
  int reference_year = 0;
  // Inputs longer than this are refused with ResourceExhausted (the
  // normaliser's own limit by default), so one request's memory is bounded.
  size_t max_input_bytes = 64u << 20;
  // At most this many entities and this many relations are returned per
  // text (the first ones, in text order); ExtractResult::truncated says when
  // more were found. Keeps a stored document and a response bounded whatever
  // the input (a table of ten thousand names).
  size_t max_entities = 20000;
  // The knowledge base. Default (null): Gazetteer::Default(), the built-in
  // data.
  std::shared_ptr<const Gazetteer> gazetteer;
};

// Thread-safe: Extract is const and the object is immutable after
// construction (the gazetteer is shared and immutable). Copyable and movable.
class Extractor {
 public:
  explicit Extractor(ExtractorOptions options = {});

  // Returns the entities and relations in `normalized_text` (expected to be
  // the `text` of normalize::Normalizer: NFC, single spaces, LF line ends).
  // InvalidArgument if it is not valid UTF-8 (the message names the byte
  // offset).
  absl::StatusOr<ExtractResult> Extract(absl::string_view normalized_text) const;

  const ExtractorOptions& options() const { return options_; }

 private:
  ExtractorOptions options_;
  std::shared_ptr<const Gazetteer> gazetteer_;  // never null
};

}  // namespace extract
}  // namespace vnarchive

#endif  // VNARCHIVE_SERVICES_EXTRACT_CORE_EXTRACTOR_H_
