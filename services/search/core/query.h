// Parses a user's search string into FTS5 MATCH expressions and field
// filters, safely: every token is re-emitted as an FTS5 string literal, so no
// user input can inject FTS5 syntax (column filters, NEAR, prefix `*`,
// AND/OR/NOT, parentheses), and filter values only ever become bound SQL
// parameters (see filter.h).
//
// Syntax (the full user guide is docs/search.md):
//   đảng ủy            terms: every one must match (AND)
//   "ban chấp hành"    phrase: the syllables adjacent and in order
//   -tham  -"nhũng"    exclusion of a term or phrase (FTS5 NOT)
//   hòa OR "bình yên"  either (upper-case OR between two terms or phrases, or
//                      between two filters; binds tighter than the implicit
//                      AND: a b OR c d is a AND (b OR c) AND d)
//   05-CT/TW           a word whose tokens are split by punctuation is matched
//                      as the phrase of its tokens ("05" + "ct" + "tw")
//   person:"Nguyễn Phú Trọng"   org:x  loc:"Hậu Giang"  ref:08-QĐi/TW
//   source:baochinhphu.vn       field filters on the document's entities and
//                      source (word or "quoted value"; case, diacritics and
//                      punctuation do not matter; see filter.h)
//   date:2019  date:2019-07  date:2019-07-20  date:20/07/2019  date:07/2019
//   date:2019-01-01..2019-06-30  date:2019..  date:..2019-06-30
//                      publication date, days in Vietnam time (UTC+7)
//   -person:x  -date:2019        a filter preceded by '-' excludes
// Terms, phrases and filters AND together; a query may be filters only.
// Words and phrases are tokenized with text::TokenizeSyllables, the same
// tokenizer as the index: punctuation separates and is never syntax.
// A token typed without diacritics matches every diacritic variant; a token
// typed with diacritics matches its exact form OR its folded form in `match`,
// and `rank_plan` says which of those phrases are the forms as typed (rows
// with them rank first) and which words were typed one after the other (rows
// with them adjacent rank next).
// Tokens are first put in the index's tone style (QueryOptions::tone_style),
// so "hoá" and "hóa" are one word. Exclusions always use the form as typed
// (`-dang` excludes every variant, `-đảng` only the exact one).
// A term or phrase that is an abbreviation of official text (the normaliser's
// table: `UBND`, `HĐND`, `T.Ư`, ...) also matches its expansion, and an
// expansion ("ủy ban nhân dân", any diacritics) also matches its
// abbreviations. Short forms of one or two letters (`TU`, `TP`) count only
// when typed as written, in capitals: in lower case they are syllables.
// An unbalanced `"` is closed at the end of the query. Curly quotes are
// ordinary punctuation. A `word:value` whose name is not a field (`title:x`)
// is plain text; field names are ASCII in any case (`Person:`).
// Malformed queries are InvalidArgument with a message that starts
// "query at byte N:" (N counts bytes of the query as given, from 0) and says
// what is wrong: an OR without a term or filter on both sides (or next to an
// exclusion, or between a term and a filter), a filter without a value
// (`person:`, `person:""`), a date that is not one (`date:2019-13-01`), a
// reversed range.
//
//   absl::StatusOr<ParsedQuery> q = ParseQuery("Đảng -\"tham nhũng\"");
//   // q->match == "((\"đảng\" OR \"dang\")) NOT (\"tham\" + \"nhũng\")"
//   // q->rank_plan.exact == {{0}}: phrase 0 ("đảng") is the word as typed
//   q = ParseQuery("ban thuong vu");
//   // q->rank_plan.runs == {{{{0}, 1}, {{1}, 1}, {{2}, 1}}}: three adjacent words
//   q = ParseQuery("person:\"Đào Đức Toàn\" date:2019");
//   // q->match.empty(); q->filters == {{person "dao duc toan"}, {date [2019, 2020)}}
// Every function here is pure and thread-safe.
#ifndef VNARCHIVE_SERVICES_SEARCH_CORE_QUERY_H_
#define VNARCHIVE_SERVICES_SEARCH_CORE_QUERY_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/normalize/core/tone.h"
#include "services/search/core/filter.h"

namespace vnarchive {
namespace search {

struct QueryOptions {
  // Longest accepted query, in bytes of UTF-8. Longer queries are
  // InvalidArgument. Default: 1024.
  size_t max_query_bytes = 1024;
  // Most field filters one search may carry (each becomes an SQL subquery).
  // More are InvalidArgument. Default: 16.
  size_t max_filters = 16;
  // The tone style the index's documents were normalised to; query words are
  // put in it before matching. Default: traditional ("thủy", "hòa").
  normalize::ToneStyle tone_style = normalize::ToneStyle::kTraditional;
};

// A positive term or phrase typed without any diacritic, remembered so a
// suggestion can put the diacritics the archive uses in its place
// (suggest.h). Plain value type.
struct PlainTerm {
  size_t begin = 0;  // byte span of the term in the query as given, without quotes
  size_t end = 0;
  bool quoted = false;              // typed as a "phrase"
  std::vector<std::string> folded;  // its tokens' folded forms
};

// What relevance ranking reads per matching row besides bm25 (rank_function.h):
// which phrases of ParsedQuery::match are which forms of which query word.
// Phrases are numbered from 0 in the order they appear in `match`, as FTS5
// numbers them. Plain value type.
struct RankPlan {
  // Per positive group (a term or phrase, or several joined by OR): the
  // numbers of its phrases as typed. A row matches "as typed" when every
  // group has one of them. Empty when no positive token carries diacritics
  // (every match is then as typed, and none ranks above the others).
  std::vector<std::vector<int>> exact;
  // One word of a run: the numbers of its phrases as typed and folded (the
  // same tokens, so the same positions) and its number of tokens.
  struct Word {
    std::vector<int> phrases;
    int tokens = 1;
  };
  // Runs of two or more unquoted words typed one after the other (no OR,
  // filter or exclusion between): a row "has the words adjacent" when, for
  // every run, its words stand at consecutive positions of one column.
  std::vector<std::vector<Word>> runs;
  // Per phrase of `match`, in FTS5's numbering: the index terms of its
  // tokens (fts5_tokenizer.h QueryTerm), so the index can tell how many
  // documents hold it (vna_bm25); empty for a phrase that only excludes.
  std::vector<std::vector<std::string>> phrase_terms;
};

// The parts of one user query. Plain value type.
struct ParsedQuery {
  // Finds every document matching the text part (exact and folded variants);
  // "" when the query has no positive term (filters only).
  std::string match;
  // Finds exactly the documents `match` finds, written with the folded form
  // alone where `match` has both: every document with a diacritic form of a
  // word also has its folded form at the same position (fts5_tokenizer.h),
  // so the exact form adds nothing to WHICH documents match, only to how
  // they rank, and FTS5 merges half as many postings. For counting and
  // facets. "" when `match` is.
  std::string count_match;
  // True when a positive token carries diacritics: then rank_plan.exact says
  // which rows match as typed.
  bool has_exact_variant = false;
  RankPlan rank_plan;
  // When `match` is empty: the excluded terms and phrases as one FTS5
  // expression (documents matching it are removed), or "" if none.
  std::string excluded;
  // Field filters: every group must hold; a group holds when any of its
  // filters does (filters joined by OR). An excluding filter is a group of
  // its own.
  std::vector<std::vector<Filter>> filters;
  // Positive terms typed without diacritics, in query order.
  std::vector<PlainTerm> plain_terms;
};

// Parses `query`. Returns the parts, or InvalidArgument:
//   longer than options.max_query_bytes, invalid UTF-8, empty or
//   whitespace-only, no searchable term or filter (e.g. "*", "()"), only
//   exclusions ("-x -person:y"), more than options.max_filters filters, or
//   malformed ("query at byte N: ...", see above).
absl::StatusOr<ParsedQuery> ParseQuery(absl::string_view query,
                                       const QueryOptions& options = {});

// Returns OK if `parsed` selects documents by something positive (a term, a
// phrase or a filter that does not exclude); InvalidArgument otherwise, since
// "everything except x" would rank the whole archive. ParseQuery() applies it;
// SearchIndex applies it again after adding a request's structured filters.
absl::Status CheckHasPositivePart(const ParsedQuery& parsed);

// Quotes `token` as an FTS5 string literal: wraps it in double quotes and
// doubles any embedded double quote. Returns the literal.
std::string QuoteFts5(absl::string_view token);

namespace internal {

// ParseQuery without CheckHasPositivePart(), for a caller that adds filters
// of its own before checking.
absl::StatusOr<ParsedQuery> ParseQueryParts(absl::string_view query,
                                            const QueryOptions& options);

}  // namespace internal

}  // namespace search
}  // namespace vnarchive

#endif  // VNARCHIVE_SERVICES_SEARCH_CORE_QUERY_H_
