#include "services/search/core/suggest.h"

#include <algorithm>
#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/text/segment.h"

namespace vnarchive {
namespace search {
namespace {

// How one term was matched in one spelling (lower case), and the ways that
// spelling was written (case as in the documents). std::map: ties break the
// same way on every run.
struct Form {
  int count = 0;
  std::map<std::string, int> written;
};

}  // namespace

std::string SuggestDiacritics(absl::string_view query, const std::vector<PlainTerm>& terms,
                              const std::vector<std::string>& marked,
                              const SuggestOptions& options) {
  std::vector<std::string> keys;
  keys.reserve(terms.size());
  for (const PlainTerm& term : terms) keys.push_back(absl::StrJoin(term.folded, " "));
  std::vector<std::map<std::string, Form>> forms(terms.size());
  for (const std::string& span : marked) {
    const std::vector<text::Token> tokens = text::TokenizeSyllables(span);
    if (tokens.empty()) continue;
    std::vector<absl::string_view> folded, lower, written;
    for (const text::Token& t : tokens) {
      folded.push_back(t.folded);
      lower.push_back(t.lower);
      written.push_back(t.text);
    }
    const std::string key = absl::StrJoin(folded, " ");
    for (size_t i = 0; i < terms.size(); ++i) {
      if (keys[i] != key) continue;
      Form& form = forms[i][absl::StrJoin(lower, " ")];
      ++form.count;
      ++form.written[absl::StrJoin(written, " ")];
    }
  }

  // (term index, replacement) in query order.
  std::vector<std::pair<size_t, std::string>> replacements;
  for (size_t i = 0; i < terms.size(); ++i) {
    int total = 0;
    bool any_diacritics = false;
    const std::pair<const std::string, Form>* best = nullptr;
    for (const auto& entry : forms[i]) {
      total += entry.second.count;
      any_diacritics |= text::HasDiacritics(entry.first);
      if (best == nullptr || entry.second.count > best->second.count) best = &entry;
    }
    if (best == nullptr) continue;  // not seen: keep it
    const bool dominant = best->second.count >= options.min_count &&
                          best->second.count >= options.min_share * total;
    if (!dominant) {
      if (any_diacritics) return "";  // several words could be meant
      continue;
    }
    if (!text::HasDiacritics(best->first)) continue;  // the archive writes it so too
    const auto most_written = std::max_element(
        best->second.written.begin(), best->second.written.end(),
        [](const auto& a, const auto& b) { return a.second < b.second; });
    std::string replacement = most_written->first;
    if (!terms[i].quoted && terms[i].folded.size() > 1) {
      replacement = absl::StrCat("\"", replacement, "\"");
    }
    replacements.emplace_back(i, std::move(replacement));
  }
  if (replacements.empty()) return "";
  std::string out;
  size_t done = 0;
  for (const auto& [i, replacement] : replacements) {
    absl::StrAppend(&out, query.substr(done, terms[i].begin - done), replacement);
    done = terms[i].end;
  }
  absl::StrAppend(&out, query.substr(done));
  return out;
}

}  // namespace search
}  // namespace vnarchive
