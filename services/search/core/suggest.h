// The diacritics suggestion ("did you mean") for queries typed without
// diacritics: for each such term, the form the archive clearly writes it in,
// learnt from the words the best hits matched ("neu guong" -> "nêu gương").
//
// Why from the hits' marked words: the index computes a snippet for every
// returned hit anyway, and its marked spans are the exact words at the
// matched positions of the best hits. Reading them costs a tokenization of a
// few short strings and no SQL, and it learns the form in context: with
// "neu guong" the hits say "nêu gương", whereas the archive-wide most
// frequent "neu" is "nếu" (if). The alternative, an fts5vocab table, would
// need every diacritic variant of each syllable as candidates (dozens per
// syllable) and would only give archive-wide counts of single syllables.
//
//   std::string s = SuggestDiacritics("neu guong", parsed.plain_terms,
//                                     {"nêu", "gương", "nêu", "gương"});
//   // s == "nêu gương"
// SuggestDiacritics is pure and thread-safe.
#ifndef VNARCHIVE_SERVICES_SEARCH_CORE_SUGGEST_H_
#define VNARCHIVE_SERVICES_SEARCH_CORE_SUGGEST_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "services/search/core/query.h"

namespace vnarchive {
namespace search {

struct SuggestOptions {
  // A form is dominant when it was matched at least `min_count` times and
  // makes up at least `min_share` of a term's matches. Defaults: 2, 0.75.
  int min_count = 2;
  double min_share = 0.75;
};

// Returns `query` with each of `terms` (ParsedQuery::plain_terms of that
// query) replaced by its dominant form among `marked` (the texts the hits'
// snippets marked as matches, as written in the documents), or "" when there
// is nothing to suggest: no term has a dominant form with diacritics, or some
// term was matched in several diacritic forms with none dominant (then the
// archive does not say which word was meant). A term matched in no marked
// span keeps its spelling. A replacement keeps the case most often written
// in the documents ("ha noi" -> "Hà Nội"); a term that was a bare word and
// becomes several words is put in quotes to stay a phrase. Marked spans that
// fold to no term (abbreviation expansions, other terms) are ignored.
std::string SuggestDiacritics(absl::string_view query, const std::vector<PlainTerm>& terms,
                              const std::vector<std::string>& marked,
                              const SuggestOptions& options = {});

}  // namespace search
}  // namespace vnarchive

#endif  // VNARCHIVE_SERVICES_SEARCH_CORE_SUGGEST_H_
