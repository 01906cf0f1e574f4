// The Vietnamese FTS5 tokenizer: registers `tokenize='vietnamese'` on a SQLite
// connection so FTS5 tables index syllables the way common/text defines them.
//
// Documents (and auxiliary functions such as snippet()/highlight()): each
// syllable token gives its lower-case form and, when folding changes it, the
// diacritic-free folded form at the SAME position (FTS5_TOKEN_COLOCATED):
//   "Đảng ủy" -> "đảng" + "dang"(colocated), "ủy" + "uy"(colocated)
// Queries: each token gives exactly one form:
//   * typed with diacritics ("Đảng") -> its lower form "đảng": exact matches only;
//   * typed without ("dang")         -> its folded form "dang": every diacritic
//     variant, because documents carry the folded form colocated.
// Offsets passed to FTS5 are byte offsets into the original text, so
// snippet()/highlight() mark the original bytes.
//
//   sqlite3* db = ...;
//   VNA_RETURN_IF_ERROR(RegisterVietnameseTokenizer(db));
//   // CREATE VIRTUAL TABLE t USING fts5(body, tokenize='vietnamese');
#ifndef VNARCHIVE_SERVICES_SEARCH_CORE_FTS5_TOKENIZER_H_
#define VNARCHIVE_SERVICES_SEARCH_CORE_FTS5_TOKENIZER_H_

#include <sqlite3.h>

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace vnarchive {
namespace search {

// The name under which RegisterVietnameseTokenizer() registers the tokenizer.
inline constexpr char kVietnameseTokenizerName[] = "vietnamese";

// Registers the tokenizer on `db` (borrowed; must be open). Must be called on
// every connection that reads or writes a table using it, before the table is
// first touched. The tokenizer is stateless and thread-safe; it takes no
// arguments (`tokenize='vietnamese x'` fails to create the table).
//
// Returns OK; FailedPrecondition if `db` is null or this SQLite build has no
// FTS5 (or an fts5_api older than version 2); or the converted SQLite error.
absl::Status RegisterVietnameseTokenizer(sqlite3* db);

// The one term the tokenizer gives for a query token (a single syllable or
// word, as text::ForEachTokenSpan cuts them): its lower form when it carries
// diacritics, else its folded form. The same string the index holds for it.
std::string QueryTerm(absl::string_view token);

}  // namespace search
}  // namespace vnarchive

#endif  // VNARCHIVE_SERVICES_SEARCH_CORE_FTS5_TOKENIZER_H_
