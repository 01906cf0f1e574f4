#include "services/search/core/snippet.h"

#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/text/segment.h"

namespace vnarchive {
namespace search {
namespace {

// One phrase instance: tokens [first, end) of the text.
struct Instance {
  size_t first;
  size_t end;
  size_t phrase;
};

// True when token `k` opens a sentence: the first token, or one after a
// full stop, question or exclamation mark, or line break.
bool StartsSentence(absl::string_view text,
                    const std::vector<text::internal::TokenWithForms>& tokens, size_t k) {
  if (k == 0) return true;
  const absl::string_view gap =
      text.substr(tokens[k - 1].end, tokens[k].begin - tokens[k - 1].end);
  return gap.find_first_of(".!?\n") != absl::string_view::npos;
}

}  // namespace

std::string MakeSnippet(absl::string_view text,
                        const std::vector<std::vector<std::string>>& phrases,
                        const SnippetOptions& options) {
  std::string forms;
  std::vector<text::internal::TokenWithForms> tokens;
  text::internal::TokenizeWithForms(text, &forms, &tokens);
  const size_t n = tokens.size();
  if (n == 0) return "";
  const size_t length = static_cast<size_t>(std::max(options.tokens, 1));

  auto matches = [&](size_t k, absl::string_view term) {
    const text::internal::TokenWithForms& t = tokens[k];
    const absl::string_view lower(forms.data() + t.lower_begin, t.lower_end - t.lower_begin);
    if (lower == term) return true;
    const absl::string_view folded(forms.data() + t.folded_begin, t.folded_end - t.folded_begin);
    return folded == term;
  };
  std::vector<Instance> instances;
  for (size_t k = 0; k < n; ++k) {
    for (size_t p = 0; p < phrases.size(); ++p) {
      const std::vector<std::string>& terms = phrases[p];
      if (terms.empty() || k + terms.size() > n) continue;
      size_t i = 0;
      while (i < terms.size() && matches(k + i, terms[i])) ++i;
      if (i == terms.size()) instances.push_back({k, k + terms.size(), p});
    }
  }

  size_t start = 0;
  if (!instances.empty()) {
    // The best window of `length` tokens starting at an instance: most
    // distinct phrases, then most instances (two pointers over the
    // instances, in order of position).
    std::vector<int> in_window(phrases.size(), 0);
    size_t distinct = 0;
    size_t best_score = 0, best_first = 0, best_last = 0;
    size_t j = 0;
    for (size_t i = 0; i < instances.size(); ++i) {
      while (j < instances.size() && instances[j].first < instances[i].first + length) {
        if (in_window[instances[j].phrase]++ == 0) ++distinct;
        ++j;
      }
      const size_t score = distinct * 1000 + (j - i);
      if (score > best_score) {
        best_score = score;
        best_first = i;
        best_last = j;
      }
      if (--in_window[instances[i].phrase] == 0) --distinct;
    }
    const size_t first = instances[best_first].first;
    size_t last_end = first + 1;
    for (size_t i = best_first; i < best_last; ++i) {
      last_end = std::max(last_end, std::min(instances[i].end, first + length));
    }
    // Room left in the window: start at a sentence within it, else centre.
    const size_t slack = length - std::min(length, last_end - first);
    const size_t earliest = first > slack ? first - slack : 0;
    start = first > slack / 2 ? first - slack / 2 : 0;
    for (size_t k = first + 1; k-- > earliest;) {
      if (StartsSentence(text, tokens, k)) {
        start = k;
        break;
      }
    }
    if (start + length > n) start = n > length ? n - length : 0;
  }
  const size_t end = std::min(n, start + length);

  std::string out;
  out.reserve(std::min<size_t>(text.size(), tokens[end - 1].end - tokens[start].begin + 64));
  if (start > 0) absl::StrAppend(&out, options.ellipsis);
  // Cut at tokens, except at the ends of the text, which are kept whole.
  size_t written = start > 0 ? tokens[start].begin : 0;  // text before it is in `out`
  auto mark = [&](size_t first, size_t last) {  // tokens [first, last)
    absl::StrAppend(&out, text.substr(written, tokens[first].begin - written), options.open,
                    text.substr(tokens[first].begin, tokens[last - 1].end - tokens[first].begin),
                    options.close);
    written = tokens[last - 1].end;
  };
  size_t run_first = 0, run_end = 0;  // the marked run being extended; empty at first
  for (const Instance& instance : instances) {
    if (instance.first < start) continue;
    if (instance.first >= end) break;
    const size_t instance_end = std::min(instance.end, end);
    if (instance.first < run_end) {
      run_end = std::max(run_end, instance_end);
      continue;
    }
    if (run_end > run_first) mark(run_first, run_end);
    run_first = instance.first;
    run_end = instance_end;
  }
  if (run_end > run_first) mark(run_first, run_end);
  if (end < n) {
    absl::StrAppend(&out, text.substr(written, tokens[end - 1].end - written), options.ellipsis);
  } else {
    absl::StrAppend(&out, text.substr(written));
  }
  return out;
}

}  // namespace search
}  // namespace vnarchive
