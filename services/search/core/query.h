// Parses a user's search string into FTS5 MATCH expressions, safely: every
// token is re-emitted as an FTS5 string literal, so no user input can inject
// FTS5 syntax (column filters, NEAR, prefix `*`, AND/OR/NOT, parentheses).
//
// Syntax (everything else is plain text):
//   đảng ủy            terms: every one must match (AND)
//   "ban chấp hành"    phrase: the syllables adjacent and in order
//   -tham  -"nhũng"    exclusion of a term or phrase (FTS5 NOT)
//   hòa OR "bình yên"  either (upper-case OR between two terms or phrases;
//                      binds tighter than the implicit AND: a b OR c d is
//                      a AND (b OR c) AND d)
//   05-CT/TW           a word whose tokens are split by punctuation is matched
//                      as the phrase of its tokens ("05" + "ct" + "tw")
// Words and phrases are tokenized with text::TokenizeSyllables, the same
// tokenizer as the index: punctuation separates and is never syntax.
// A token typed without diacritics matches every diacritic variant; a token
// typed with diacritics matches its exact form OR its folded form in `match`
// and only its exact form in `exact_match` (used to rank exact matches first).
// Exclusions always use the form as typed (`-dang` excludes every variant,
// `-đảng` only the exact one).
// A term or phrase that is an abbreviation of official text (the normaliser's
// table: `UBND`, `HĐND`, `T.Ư`, ...) also matches its expansion, and an
// expansion ("ủy ban nhân dân", any diacritics) also matches its
// abbreviations. Short forms of one or two letters (`TU`, `TP`) count only
// when typed as written, in capitals: in lower case they are syllables.
// An unbalanced `"` is closed at the end of the query. Curly quotes are
// ordinary punctuation. Field filters `person:`, `org:`, `loc:`, `ref:`,
// `source:` are reserved: a word `field:value` with one of these names is
// Unimplemented for now; any other `word:value` (e.g. `title:x`) is plain text.
//
//   absl::StatusOr<ParsedQuery> q = ParseQuery("Đảng -\"tham nhũng\"");
//   // q->match       == "((\"đảng\" OR \"dang\")) NOT (\"tham\" + \"nhũng\")"
//   // q->exact_match == "(\"đảng\") NOT (\"tham\" + \"nhũng\")"
#ifndef VNARCHIVE_SERVICES_SEARCH_CORE_QUERY_H_
#define VNARCHIVE_SERVICES_SEARCH_CORE_QUERY_H_

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace vnarchive {
namespace search {

struct QueryOptions {
  // Longest accepted query, in bytes of UTF-8. Longer queries are
  // InvalidArgument. Default: 1024.
  size_t max_query_bytes = 1024;
};

// The FTS5 expressions for one user query. Plain value type.
struct ParsedQuery {
  // Finds every matching document (exact and folded variants).
  std::string match;
  // The same query with tokens as typed: a subset of `match`'s rows that
  // should rank first. Equal to `match` when no positive token carries
  // diacritics (then `has_exact_variant` is false and no boost is needed).
  std::string exact_match;
  bool has_exact_variant = false;
};

// Parses `query`. Returns the expressions, or
//   InvalidArgument: longer than options.max_query_bytes, invalid UTF-8, empty
//                    or whitespace-only, no searchable token (e.g. "*", "()"),
//                    or only exclusions ("-x -y");
//   Unimplemented:   a field filter (`source:x`, `person:...`, ...).
absl::StatusOr<ParsedQuery> ParseQuery(absl::string_view query,
                                       const QueryOptions& options = {});

// Quotes `token` as an FTS5 string literal: wraps it in double quotes and
// doubles any embedded double quote. Returns the literal.
std::string QuoteFts5(absl::string_view token);

}  // namespace search
}  // namespace vnarchive

#endif  // VNARCHIVE_SERVICES_SEARCH_CORE_QUERY_H_
