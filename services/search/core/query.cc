#include "services/search/core/query.h"

#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/text/segment.h"
#include "common/text/utf8.h"

namespace vnarchive {
namespace search {
namespace {

constexpr absl::string_view kFieldNames[] = {"person", "org", "loc", "ref",
                                             "source"};

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// True if `word` is `name:...` with a reserved field name (ASCII, any case).
bool IsFieldFilter(absl::string_view word) {
  size_t colon = word.find(':');
  if (colon == absl::string_view::npos) return false;
  std::string name = absl::AsciiStrToLower(word.substr(0, colon));
  for (absl::string_view field : kFieldNames) {
    if (name == field) return true;
  }
  return false;
}

// One term or phrase of the query, already tokenized.
struct Clause {
  std::vector<text::Token> tokens;
};

// Renders the tokens as an FTS5 phrase of literals ("a" + "b"), using the
// lower-case form (exact) or the folded form.
std::string Phrase(const Clause& clause, bool folded) {
  std::vector<std::string> parts;
  parts.reserve(clause.tokens.size());
  for (const text::Token& t : clause.tokens) {
    parts.push_back(QuoteFts5(folded ? t.folded : t.lower));
  }
  return absl::StrJoin(parts, " + ");
}

bool ClauseHasDiacritics(const Clause& clause) {
  for (const text::Token& t : clause.tokens) {
    if (text::HasDiacritics(t.text)) return true;
  }
  return false;
}

std::string Combine(const std::vector<std::string>& positives,
                    const std::vector<std::string>& negatives) {
  std::string out = absl::StrCat("(", absl::StrJoin(positives, " AND "), ")");
  if (!negatives.empty()) {
    absl::StrAppend(&out, " NOT (", absl::StrJoin(negatives, " OR "), ")");
  }
  return out;
}

}  // namespace

std::string QuoteFts5(absl::string_view token) {
  std::string out;
  out.reserve(token.size() + 2);
  out.push_back('"');
  for (char c : token) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

absl::StatusOr<ParsedQuery> ParseQuery(absl::string_view query,
                                       const QueryOptions& options) {
  if (query.size() > options.max_query_bytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("query is ", query.size(), " bytes; the limit is ",
                     options.max_query_bytes));
  }
  if (absl::Status utf8 = text::ValidateUtf8(query); !utf8.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("query: ", utf8.message()));
  }
  if (absl::StripAsciiWhitespace(query).empty()) {
    return absl::InvalidArgumentError("query is empty");
  }

  std::vector<Clause> positives;
  std::vector<Clause> negatives;
  size_t i = 0;
  const size_t n = query.size();
  while (i < n) {
    while (i < n && IsSpace(query[i])) ++i;
    if (i >= n) break;
    bool negate = false;
    if (query[i] == '-') {
      negate = true;
      ++i;
      if (i >= n || IsSpace(query[i])) continue;  // a lone '-' is punctuation
    }
    absl::string_view body;
    if (query[i] == '"') {
      size_t close = query.find('"', i + 1);
      if (close == absl::string_view::npos) close = n;  // unbalanced: to the end
      body = query.substr(i + 1, close - i - 1);
      i = close + 1;
    } else {
      size_t start = i;
      while (i < n && !IsSpace(query[i]) && query[i] != '"') ++i;
      body = query.substr(start, i - start);
      if (IsFieldFilter(body)) {
        return absl::UnimplementedError(absl::StrCat(
            "field filters (person:, org:, loc:, ref:, source:) arrive with the "
            "search issue; got '",
            body.substr(0, body.find(':') + 1), "'"));
      }
    }
    Clause clause{text::TokenizeSyllables(body)};
    if (clause.tokens.empty()) continue;  // only punctuation: nothing to match
    (negate ? negatives : positives).push_back(std::move(clause));
  }

  if (positives.empty()) {
    if (!negatives.empty()) {
      return absl::InvalidArgumentError(
          "query has only exclusions (-term); add a term to search for");
    }
    return absl::InvalidArgumentError(
        "query has no searchable terms (only punctuation or operators)");
  }

  std::vector<std::string> combined;
  std::vector<std::string> exact;
  std::vector<std::string> excluded;
  ParsedQuery parsed;
  for (const Clause& clause : positives) {
    std::string as_typed = Phrase(clause, /*folded=*/false);
    if (ClauseHasDiacritics(clause)) {
      parsed.has_exact_variant = true;
      combined.push_back(
          absl::StrCat("(", as_typed, " OR ", Phrase(clause, /*folded=*/true), ")"));
    } else {
      combined.push_back(as_typed);
    }
    exact.push_back(std::move(as_typed));
  }
  for (const Clause& clause : negatives) {
    excluded.push_back(Phrase(clause, /*folded=*/false));
  }
  parsed.match = Combine(combined, excluded);
  parsed.exact_match = Combine(exact, excluded);
  return parsed;
}

}  // namespace search
}  // namespace vnarchive
