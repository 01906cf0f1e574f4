// Field filters of the search query language — `person:`, `org:`, `loc:`,
// `ref:`, `source:` and `date:` — on both sides of the index: what a filter's
// value turns into when a query is parsed (lookup keys or a date range), and
// which keys the index stores for a document when it is written. Both sides
// build keys with the same function, so they fold text identically.
//
// A key is the value's syllable tokens (text::TokenizeSyllables, the search
// tokenizer's definition) in their folded form, joined by one space: case,
// diacritics, tone style and punctuation never matter.
//   person:"Nguyễn Phú Trọng", person:nguyen-phu-trong  -> "nguyen phu trong"
// `ref:` keys also drop a "số" before a number and the leading zeros of
// numbers, and expand the abbreviations T.Ư / TW / TƯ in the words before the
// number, so every way of writing a reference meets the index's keys:
//   ref:08-QĐi/TW, ref:8-qdi/tw, ref:"08/QĐi-TW"  -> "8 qdi tw"
//   ref:"Quy định số 08"                          -> "quy dinh 8"
// The index stores for each DOC_REF its canonical value's key and, when the
// extractor parsed a kind and a number, "<kind> <number>" ("quy dinh 8" for
// 08-QĐi/TW), so a reference cited by its code is also found by its kind and
// number. `ref:` and `source:` keys match whole words at the start of a
// stored key (`ref:"Nghị quyết Trung ương 4"` finds "... 4 khóa XII",
// `source:baochinhphu` finds "baochinhphu.vn"); person, org and loc keys
// match the whole value only.
//
//   absl::StatusOr<Filter> f = ParseFilter(FilterField::kRef, "Chỉ thị số 05-CT/TW");
//   // f->keys == {"chi thi 5 ct tw", "5 ct tw"}, f->prefix == true
//   absl::StatusOr<Filter> d = ParseFilter(FilterField::kDate, "2019-07");
//   // [d->from_unix, d->to_unix): 2019-07-01 00:00 to 2019-08-01 00:00, UTC+7
// Every function here is pure and thread-safe.
#ifndef VNARCHIVE_SERVICES_SEARCH_CORE_FILTER_H_
#define VNARCHIVE_SERVICES_SEARCH_CORE_FILTER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace vnarchive {
namespace search {

enum class FilterField { kPerson, kOrg, kLoc, kRef, kSource, kDate };

// The field's name in the query syntax and in the index's filter_keys table:
// "person", "org", "loc", "ref", "source", "date".
absl::string_view FilterFieldName(FilterField field);

// The field named `name` (ASCII, any case), or std::nullopt for any other name.
std::optional<FilterField> FilterFieldFromName(absl::string_view name);

// The entity type ("PERSON", "ORG", "LOC", "DOC_REF") whose canonical values
// the field matches, or "" for source and date.
absl::string_view EntityTypeOfField(FilterField field);

// One parsed filter. Plain value type.
struct Filter {
  FilterField field = FilterField::kPerson;
  // Keep documents that do NOT match (`-person:x`).
  bool exclude = false;
  // person/org/loc/ref/source: a document matches when it has any of these
  // keys for `field`. Never empty for these fields.
  std::vector<std::string> keys;
  // The keys also match stored keys that continue with more words (ref, source).
  bool prefix = false;
  // date: published_at in [from_unix, to_unix), seconds since the epoch; an
  // absent bound is open. Documents without a date never match.
  std::optional<int64_t> from_unix;
  std::optional<int64_t> to_unix;
};

// Parses `value` (the text after `field:`, without quotes; NFC) as a filter
// on `field`. Returns the filter, or InvalidArgument with a message that says
// what is wrong with the value (no position: callers know where it was):
//   an empty value or one with no letters or digits;
//   date: not one of YYYY, YYYY-MM, YYYY-MM-DD, MM/YYYY, DD/MM/YYYY (each
//   may be one end of a range A..B, A.. or ..B), a month or day that does not
//   exist, or a range that ends before it starts.
absl::StatusOr<Filter> ParseFilter(FilterField field, absl::string_view value,
                                   bool exclude = false);

// A date range in Vietnam time (UTC+7, the archive's documents' time zone):
// [from_unix, to_unix), either bound may be open but not both.
struct DateRange {
  std::optional<int64_t> from_unix;
  std::optional<int64_t> to_unix;
};

// Parses a `date:` value (see ParseFilter). Returns the range or
// InvalidArgument.
absl::StatusOr<DateRange> ParseDateRange(absl::string_view value);

// The folded key of `text`: its syllable tokens' folded forms joined by one
// space ("Hậu  Giang!" -> "hau giang"); "" if it has no tokens.
std::string MatchKey(absl::string_view text);

// The key(s) under which a document is stored for filtering: one
// (field name, key) pair per key. Plain value type.
struct FilterKey {
  FilterField field = FilterField::kPerson;
  std::string key;
};

// Keys for one entity of type `type` ("PERSON", "ORG", "LOC", "DOC_REF";
// other types give none) with `canonical` value and parsed `attributes`
// (DOC_REF uses "kind" and "number"). No duplicates; empty keys are dropped.
std::vector<FilterKey> FilterKeysForEntity(
    absl::string_view type, absl::string_view canonical,
    const std::vector<std::pair<std::string, std::string>>& attributes);

// The key for a document's source ("baochinhphu.vn" -> "baochinhphu vn"), ""
// when it has none.
std::string SourceKey(absl::string_view source);

}  // namespace search
}  // namespace vnarchive

#endif  // VNARCHIVE_SERVICES_SEARCH_CORE_FILTER_H_
