#include "services/search/core/query.h"

#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/container/flat_hash_map.h"
#include "common/text/segment.h"
#include "common/text/utf8.h"
#include "services/normalize/core/abbreviations.h"

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
  std::string typed;  // the term or phrase as typed, without quotes
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

std::string JoinForms(const std::vector<text::Token>& tokens, bool folded) {
  std::vector<absl::string_view> forms;
  forms.reserve(tokens.size());
  for (const text::Token& t : tokens) forms.push_back(folded ? t.folded : t.lower);
  return absl::StrJoin(forms, " ");
}

// The abbreviations of official text both ways, keyed by token forms, so a
// query for "UBND" also finds "Ủy ban nhân dân" and the other way round.
struct AbbreviationIndex {
  struct ShortForm {
    absl::string_view written;               // "UBND"
    std::vector<text::Token> expansion;      // ủy ban nhân dân
  };
  // Lower-case tokens of a short form ("ubnd", "t ư", "cb cc vc").
  absl::flat_hash_map<std::string, std::vector<ShortForm>> by_short;
  // Folded tokens of an expansion ("uy ban nhan dan") -> short forms' tokens.
  absl::flat_hash_map<std::string, std::vector<std::vector<text::Token>>> by_expansion;
};

const AbbreviationIndex& Abbreviations() {
  static const AbbreviationIndex* const index = [] {
    auto* built = new AbbreviationIndex;
    for (const normalize::Abbreviation& a : normalize::BuiltinAbbreviations()) {
      std::vector<text::Token> short_tokens = text::TokenizeSyllables(a.short_form);
      std::vector<text::Token> expansion = text::TokenizeSyllables(a.expansion);
      built->by_short[JoinForms(short_tokens, false)].push_back({a.short_form, expansion});
      built->by_expansion[JoinForms(expansion, true)].push_back(std::move(short_tokens));
    }
    return built;
  }();
  return *index;
}

// Other spellings of a clause: its expansion if it is an abbreviation, its
// abbreviations if it is an expansion. A short form of one or two letters
// ("TU", "TP") counts only when typed in capitals as written: in lower case
// it is more likely a syllable ("tu", "tp" for "từ", ...).
std::vector<std::vector<text::Token>> AbbreviationAlternatives(absl::string_view typed,
                                                               const Clause& clause) {
  std::vector<std::vector<text::Token>> alternatives;
  const AbbreviationIndex& index = Abbreviations();
  if (auto it = index.by_short.find(JoinForms(clause.tokens, false));
      it != index.by_short.end()) {
    for (const AbbreviationIndex::ShortForm& form : it->second) {
      if (text::CountCodePoints(form.written) <= 2 && typed != form.written) continue;
      alternatives.push_back(form.expansion);
    }
  }
  if (auto it = index.by_expansion.find(JoinForms(clause.tokens, true));
      it != index.by_expansion.end()) {
    for (const std::vector<text::Token>& short_tokens : it->second) {
      alternatives.push_back(short_tokens);
    }
  }
  return alternatives;
}

// "OR" that turned out not to join two terms: searched as the word "or".
Clause OrAsWord() { return Clause{text::TokenizeSyllables("OR"), "OR"}; }

// True if a term may follow position `i` (so an OR there has a right side).
bool HasTermAfter(absl::string_view query, size_t i) {
  while (i < query.size() && IsSpace(query[i])) ++i;
  return i < query.size() && query[i] != '-';
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

  // Terms are ANDed; `a OR b` puts b in a's group, matched as either.
  std::vector<std::vector<Clause>> positives;
  std::vector<Clause> negatives;
  bool pending_or = false;
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
      // A bare upper-case OR between two terms is the operator; anywhere
      // else (first, last, after an exclusion, "or") it is an ordinary word.
      if (body == "OR" && !negate && !positives.empty() && !pending_or &&
          HasTermAfter(query, i)) {
        pending_or = true;  // a word again if no term follows after all
        continue;
      }
      if (IsFieldFilter(body)) {
        return absl::UnimplementedError(absl::StrCat(
            "field filters (person:, org:, loc:, ref:, source:) arrive with the "
            "search issue; got '",
            body.substr(0, body.find(':') + 1), "'"));
      }
    }
    Clause clause{text::TokenizeSyllables(body), std::string(body)};
    if (clause.tokens.empty()) continue;  // only punctuation: nothing to match
    if (negate) {
      if (pending_or) positives.push_back({OrAsWord()});
      negatives.push_back(std::move(clause));
    } else if (pending_or) {
      positives.back().push_back(std::move(clause));
    } else {
      positives.push_back({std::move(clause)});
    }
    pending_or = false;
  }
  if (pending_or) positives.push_back({OrAsWord()});

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
  for (const std::vector<Clause>& group : positives) {
    std::vector<std::string> any_form;  // every way the group can match
    std::vector<std::string> as_typed;  // only as typed, for the exact ranking
    for (const Clause& clause : group) {
      as_typed.push_back(Phrase(clause, /*folded=*/false));
      any_form.push_back(as_typed.back());
      if (ClauseHasDiacritics(clause)) {
        parsed.has_exact_variant = true;
        any_form.push_back(Phrase(clause, /*folded=*/true));
      }
      // Folded, an alternative matches every spelling of it.
      for (std::vector<text::Token>& alternative :
           AbbreviationAlternatives(clause.typed, clause)) {
        any_form.push_back(Phrase(Clause{std::move(alternative), ""}, /*folded=*/true));
      }
    }
    combined.push_back(any_form.size() == 1
                           ? any_form[0]
                           : absl::StrCat("(", absl::StrJoin(any_form, " OR "), ")"));
    exact.push_back(as_typed.size() == 1
                        ? as_typed[0]
                        : absl::StrCat("(", absl::StrJoin(as_typed, " OR "), ")"));
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
