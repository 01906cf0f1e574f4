// Builds a hit's snippet from its text and the query's phrases, in the
// search process instead of through FTS5's snippet(): snippet() needs the
// FTS5 cursor on the row, so the page's snippets came from a MATCH query over
// every match between the page's lowest and highest id (up to the whole rank
// window), and it tokenized each text twice. Here each text is tokenized
// once, with the index's own forms (text::internal::TokenizeWithForms), and
// nothing but the page's rows is read.
//
// A token matches a query term when its lower-case or its folded form
// equals the term: exactly the postings the FTS5 tokenizer writes for it
// (fts5_tokenizer.h), so every instance FTS5 matched is marked, including
// matches through folding ("dang" in "Đảng") or an abbreviation's expansion
// (a phrase of its own in the query). A phrase matches where its terms stand
// at consecutive tokens.
//
//   SnippetOptions options{16, "[", "]", "…"};
//   MakeSnippet("Hội nghị Ban Chấp hành Đảng bộ tỉnh", {{"dang"}}, options)
//   // == "Hội nghị Ban Chấp hành [Đảng] bộ tỉnh"
//
// Pure and thread-safe.
#ifndef VNARCHIVE_SERVICES_SEARCH_CORE_SNIPPET_H_
#define VNARCHIVE_SERVICES_SEARCH_CORE_SNIPPET_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace vnarchive {
namespace search {

struct SnippetOptions {
  int tokens = 16;              // length of the fragment, in tokens (>= 1)
  absl::string_view open;       // written before each marked run of tokens
  absl::string_view close;      // and after it
  absl::string_view ellipsis;   // where the fragment cuts the text
};

// Returns the fragment of `text` (UTF-8, normalised as indexed) of at most
// options.tokens consecutive tokens that holds the most distinct `phrases`
// (each a list of index terms, fts5_tokenizer.h QueryTerm; an empty phrase
// is ignored), then the most instances; the earliest such fragment. The
// fragment starts at a sentence when one starts shortly before its first
// match, and is otherwise centred on its matches. Every phrase instance
// inside it is wrapped in open/close (overlapping instances share one mark);
// the ellipsis stands where text was cut. Without any instance: the opening
// tokens of the text. "" for a text without tokens. The text between tokens
// is kept as it is (line breaks included), and so is the text before the
// first token and after the last when the fragment reaches them.
std::string MakeSnippet(absl::string_view text,
                        const std::vector<std::vector<std::string>>& phrases,
                        const SnippetOptions& options);

}  // namespace search
}  // namespace vnarchive

#endif  // VNARCHIVE_SERVICES_SEARCH_CORE_SNIPPET_H_
