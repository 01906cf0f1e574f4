// The extractor's knowledge base (DESIGN.md §6): provinces (the 63 before and
// the 34 after 1 July 2025), districts, regions and countries, family names,
// titles, organisation heads, and party and state document-type and issuer
// codes, loaded from the
// TSV files in services/extract/data (compiled into the binary), and a
// matcher that finds them in tokenised text.
//
// The matcher is a trie over syllables keyed by their folded forms ("ha",
// "noi"), so "Hà Nội", "HÀ NỘI" and "Ha Noi" reach the same entry with one
// hash lookup per token; each candidate is then checked against the spelling
// in the data: diacritics (exact, or absent from the text) and capitalisation
// (see GazetteerMatchOptions). No regular expressions.
//
//   std::shared_ptr<const Gazetteer> gaz = Gazetteer::Default();
//   std::string s = "Bí thư Tỉnh ủy Hậu Giang";
//   std::vector<text::Token> tokens = text::TokenizeSyllables(s);
//   for (const GazetteerMatch& m : gaz->FindAll(s, tokens)) {
//     // "Bí thư" [0,2) title; "Tỉnh ủy" [2,4) org head; "Hậu Giang" [4,6) province
//   }
//
// Hồ Chí Minh: a bare "Hồ Chí Minh" is the person (ANNOTATION.md), so the
// city is listed only with its administrative word or abbreviation
// ("Thành phố Hồ Chí Minh", "TP Hồ Chí Minh", "TP.HCM"). FindAll takes the
// longest match at each position, so "Thành phố Hồ Chí Minh" is the city
// and nothing inside it is reported, while "Chủ tịch Hồ Chí Minh" yields the
// title and only the family name "Hồ": the person is the extractor's to find.
//
// Pure logic: Abseil and common/text only; no I/O at run time.
#ifndef VNARCHIVE_SERVICES_EXTRACT_CORE_GAZETTEER_H_
#define VNARCHIVE_SERVICES_EXTRACT_CORE_GAZETTEER_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "common/text/segment.h"

namespace vnarchive {
namespace extract {

// Which data file an entry comes from; doc_types.tsv gives two.
enum class GazetteerCategory : uint8_t {
  kProvince,    // provinces.tsv
  kDistrict,    // districts.tsv
  kFamilyName,  // family_names.tsv
  kTitle,       // titles.tsv
  kOrgHead,     // org_heads.tsv
  kDocType,     // doc_types.tsv, kind "type"
  kIssuer,      // doc_types.tsv, kind "issuer"
  kPlace,       // places.tsv: regions and countries
};

// Returns "province", "district", "family_name", "title", "org_head",
// "doc_type", "issuer" or "place".
const char* GazetteerCategoryName(GazetteerCategory category);

// What normally comes after a title or an organisation head (the "follows"
// column of titles.tsv and org_heads.tsv).
enum class Follows : uint8_t {
  kNothing,     // "-": complete as it stands ("Bộ Chính trị", "Tổng Bí thư")
  kPlace,       // "place": "Tỉnh ủy [Hậu Giang]", "UBND [tỉnh X]"
  kMaybePlace,  // "place?": "Sở Y tế [tỉnh X]", "Đảng ủy [xã X]"
  kOrg,         // "org": "Bí thư [Tỉnh ủy]", "Ban Thường vụ [Tỉnh ủy]"
  kMaybeOrg,    // "org?": "Thủ tướng [Chính phủ]", "Đại biểu Quốc hội [tỉnh X]"
  kName,        // "name": its own name follows ("Sở [Nội vụ]", "Chi bộ [...]")
};

// One row of a data file. Fields that do not apply to the category are empty
// (or false / kNothing).
struct GazetteerEntry {
  GazetteerCategory category = GazetteerCategory::kProvince;
  // Canonical form, NFC: "Hà Nội", "Thành phố Hồ Chí Minh", "Bí thư",
  // "Ủy ban nhân dân", "Nghị quyết", "Ban Chấp hành Trung ương" (issuer TW).
  std::string name;
  // kProvince: "tỉnh" or "thành phố trực thuộc trung ương"; kDistrict:
  // "quận", "huyện", "thị xã" or "thành phố".
  std::string level;
  // kTitle, kOrgHead: the sphere ("party", "state", "government", ...);
  // kDocType, kIssuer: the system ("party", "state" or "both").
  std::string kind;
  // kDistrict: its province (63 list). kProvince: for a name only in the 63
  // list, the 34-list province it merged into on 1 July 2025.
  std::string parent;
  // kDocType, kIssuer: the code as written in document numbers ("QĐi", "TW");
  // empty for a type without a code (Luật).
  std::string code;
  // kTitle, kOrgHead: what normally follows.
  Follows follows = Follows::kNothing;
  // kProvince: member of the 63-unit list (until 30 June 2025) and of the
  // 34-unit list (from 1 July 2025).
  bool in_63_list = false;
  bool in_34_list = false;
  // kFamilyName: names of the same origin (Hoàng: Huỳnh).
  std::vector<std::string> related;
  // Every spelling the matcher looks for, as written in the data: the name
  // and then its variants; for document types the code first; for issuers
  // only codes (their full names are organisations, in org_heads.tsv).
  std::vector<std::string> aliases;
  // Where the row is: "provinces.tsv:42".
  std::string source;
};

// How the diacritics of the text must agree with the data.
enum class DiacriticsMode : uint8_t {
  // Every syllable as in the data. Tone placement does not matter ("Khánh
  // Hoà" is "Khánh Hòa"); tones and letters (ă â ê ô ơ ư đ) do.
  kExact,
  // As kExact, or the text syllable carries no diacritics at all ("Ha Noi"):
  // text typed without them still matches, but a different accented word
  // does not ("Phù Yên" is not "Phú Yên"). The default.
  kExactOrBare,
  // Only the folded forms must agree.
  kIgnore,
};

struct GazetteerMatchOptions {
  // See DiacriticsMode. Default kExactOrBare.
  DiacriticsMode diacritics = DiacriticsMode::kExactOrBare;
  // Drop candidates whose capitalisation disagrees with the data. Default
  // true. The rules, per syllable of the spelling in the data: an
  // abbreviation (TP, HCM, QĐi, a single capital letter) must be written
  // exactly so; otherwise provinces, districts and family names need every
  // syllable the data capitalises to start with a capital ("Hòa Bình" the
  // province, not "hòa bình" peace); organisation heads need only their first
  // syllable capitalised ("Bộ Y tế", not "bộ"); titles and document-type
  // names match in any case. Text in capitals passes ("HÀ NỘI"). With false,
  // nothing is dropped for case and GazetteerMatch::case_matches tells.
  bool match_case = true;
};

// One entry found in the text. Several matches may share a span: they are
// alternatives (the province Thái Bình and its capital city; BCT the
// Politburo and BCT the ministry), in data-file order.
struct GazetteerMatch {
  size_t begin = 0;  // token range [begin, end) in the tokens searched
  size_t end = 0;
  size_t byte_begin = 0;  // tokens[begin].begin and tokens[end - 1].end
  size_t byte_end = 0;
  // Borrowed from the Gazetteer that found it: valid while that lives.
  const GazetteerEntry* entry = nullptr;
  // The spelling that matched (one of entry->aliases, same lifetime).
  absl::string_view alias;
  // Every syllable has the data's diacritics (tone placement aside). When an
  // exact candidate exists for a span, inexact ones for it are dropped.
  bool exact = false;
  // The capitalisation agrees (always true when match_case is set).
  bool case_matches = false;
};

// The contents of the data files (not file names). Views: they need only
// outlive the Create call. `places` is optional: empty means no regions or
// countries.
struct GazetteerSources {
  absl::string_view provinces;     // provinces.tsv
  absl::string_view districts;     // districts.tsv
  absl::string_view family_names;  // family_names.tsv
  absl::string_view titles;        // titles.tsv
  absl::string_view org_heads;     // org_heads.tsv
  absl::string_view doc_types;     // doc_types.tsv
  absl::string_view places;        // places.tsv (optional)
};

// Immutable after Create, so thread-safe: any number of threads may call the
// const methods at once. Not copyable or movable; share it as
// std::shared_ptr<const Gazetteer>.
class Gazetteer {
 public:
  // Parses and checks the files and builds the matcher. InvalidArgument
  // naming the file and line ("districts.tsv:40: ...") for a malformed file:
  // invalid UTF-8 or not NFC, a wrong header or column count, an empty field,
  // an unknown level, list, follows, kind or system value, a duplicate row, an
  // alias without letters or digits, or a reference to a row that does not
  // exist (a district's province, a merged province's target, a related
  // family name).
  static absl::StatusOr<std::shared_ptr<const Gazetteer>> Create(
      const GazetteerSources& sources);

  // The files compiled into the binary (static storage).
  static GazetteerSources BuiltinSources();

  // The gazetteer of BuiltinSources(), built once on first use; later calls
  // return the same object. The built-in data is checked by
  // gazetteer_test.cc; if it were broken anyway, this logs the error and
  // aborts, since no caller could recover.
  static std::shared_ptr<const Gazetteer> Default();

  Gazetteer(const Gazetteer&) = delete;
  Gazetteer& operator=(const Gazetteer&) = delete;
  ~Gazetteer();

  // Returns the longest match at each position, scanning left to right and
  // resuming after each match, so spans never overlap (several matches may
  // share one span; see GazetteerMatch). `tokens` are the syllable tokens of
  // `text` (text::TokenizeSyllables); their offsets point into `text`. A
  // match never spans a gap between tokens other than up to three of
  // " -.,/&'" ("Bà Rịa - Vũng Tàu", "TP.HCM", "GD&ĐT"), so it stops at
  // sentence punctuation and line breaks. Pass an empty `text` when there is
  // none (a query's tokens): then tokens count as adjacent. Ordered by begin.
  std::vector<GazetteerMatch> FindAll(absl::string_view text,
                                      absl::Span<const text::Token> tokens,
                                      const GazetteerMatchOptions& options = {}) const;

  // As FindAll, but every match at every position, also those inside or
  // overlapping a longer one ("Ủy viên Ban Thường vụ" and "Ban Thường vụ";
  // "Thành phố Hồ Chí Minh" and "Hồ"). Ordered by begin, then longest first.
  std::vector<GazetteerMatch> FindAllOverlapping(
      absl::string_view text, absl::Span<const text::Token> tokens,
      const GazetteerMatchOptions& options = {}) const;

  // Returns the entries one of whose spellings is exactly `phrase` (all of
  // it, tokenised as text), in data-file order; empty if none. Lookup("NĐ"),
  // Lookup("Thừa Thiên Huế"), Lookup("Ha Noi").
  std::vector<const GazetteerEntry*> Lookup(
      absl::string_view phrase, const GazetteerMatchOptions& options = {}) const;

  // Every entry, in data-file order (provinces, districts, family names,
  // titles, organisation heads, document types and issuers, places).
  absl::Span<const GazetteerEntry> entries() const { return entries_; }

 private:
  struct Syllable;
  struct Alias;
  struct TokenInfo;
  struct Candidate;

  Gazetteer();

  absl::Status AddAliases(size_t entry_index);
  void AddAlias(size_t entry_index, absl::string_view spelling,
                std::vector<text::Token> tokens);
  // Trie node reached from `node` by syllable `id`, or kNoNode.
  uint32_t Next(uint32_t node, uint32_t id) const;
  // Fills `ids` with each token's syllable id (kNoSyllable if none).
  void SyllableIds(absl::Span<const text::Token> tokens, std::vector<uint32_t>* ids) const;
  // Calls `found(end, candidates)` for each span [begin, end) with at least
  // one candidate passing `options`, shortest first.
  template <typename Fn>
  void MatchAt(absl::string_view text, absl::Span<const text::Token> tokens,
               const std::vector<uint32_t>& ids, std::vector<TokenInfo>* infos,
               size_t begin, const GazetteerMatchOptions& options,
               std::vector<Candidate>* scratch, Fn found) const;
  void AppendMatches(absl::Span<const text::Token> tokens, size_t begin, size_t end,
                     const std::vector<Candidate>& candidates,
                     std::vector<GazetteerMatch>* out) const;

  std::vector<GazetteerEntry> entries_;
  std::vector<Alias> aliases_;
  // Folded syllable -> dense id.
  absl::flat_hash_map<std::string, uint32_t> syllable_ids_;
  // Root edges indexed by syllable id; deeper edges keyed (node << 32 | id).
  std::vector<uint32_t> root_edges_;
  absl::flat_hash_map<uint64_t, uint32_t> edges_;
  // Per trie node: the aliases that end there.
  std::vector<std::vector<uint32_t>> node_aliases_;
};

}  // namespace extract
}  // namespace vnarchive

#endif  // VNARCHIVE_SERVICES_EXTRACT_CORE_GAZETTEER_H_
