#include "services/search/core/query.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/container/flat_hash_map.h"
#include "common/base/status_macros.h"
#include "common/text/segment.h"
#include "common/text/utf8.h"
#include "services/normalize/core/abbreviations.h"
#include "services/search/core/fts5_tokenizer.h"

namespace vnarchive {
namespace search {
namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// One term or phrase of the query, already tokenized.
struct Clause {
  std::vector<text::Token> tokens;
  std::string typed;  // as typed, without quotes, in the index's tone style
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

// The index terms of Phrase(clause, folded), as the query tokenizer gives them.
std::vector<std::string> PhraseTerms(const Clause& clause, bool folded) {
  std::vector<std::string> terms;
  terms.reserve(clause.tokens.size());
  for (const text::Token& t : clause.tokens) {
    terms.push_back(QueryTerm(folded ? t.folded : t.lower));
  }
  return terms;
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

// True for a short form that is also an everyday syllable: one word of one
// or two letters with a vowel ("TƯ" is "tư", "TU" is "tu"). Searching for
// it in place of its expansion would match that syllable everywhere; "TW"
// (no vowel) or "T.Ư" (two words) are safe.
bool IsSyllableLike(const std::vector<text::Token>& short_tokens) {
  if (short_tokens.size() != 1) return false;
  const text::Token& token = short_tokens.front();
  return text::CountCodePoints(token.lower) <= 2 &&
         token.folded.find_first_of("aeiouy") != std::string::npos;
}

// Other spellings of a clause: its expansion and the other short forms of
// that expansion if it is an abbreviation ("TW" -> "Trung ương", "T.Ư"), its
// abbreviations if it is an expansion. A short form of one or two letters
// ("TU", "TP") counts only when typed in capitals as written: in lower case
// it is more likely a syllable ("tu", "tp" for "từ", ...); one that reads as
// a syllable is never searched for on behalf of another spelling.
std::vector<std::vector<text::Token>> AbbreviationAlternatives(absl::string_view typed,
                                                               const Clause& clause) {
  std::vector<std::vector<text::Token>> alternatives;
  const AbbreviationIndex& index = Abbreviations();
  const std::string typed_short = JoinForms(clause.tokens, false);
  auto add_short_forms = [&](const std::string& folded_expansion) {
    auto it = index.by_expansion.find(folded_expansion);
    if (it == index.by_expansion.end()) return;
    for (const std::vector<text::Token>& short_tokens : it->second) {
      if (IsSyllableLike(short_tokens) || JoinForms(short_tokens, false) == typed_short) continue;
      alternatives.push_back(short_tokens);
    }
  };
  if (auto it = index.by_short.find(typed_short); it != index.by_short.end()) {
    for (const AbbreviationIndex::ShortForm& form : it->second) {
      if (text::CountCodePoints(form.written) <= 2 && typed != form.written) continue;
      alternatives.push_back(form.expansion);
      add_short_forms(JoinForms(form.expansion, true));
    }
  }
  add_short_forms(JoinForms(clause.tokens, true));
  return alternatives;
}

std::string Combine(const std::vector<std::string>& positives,
                    const std::vector<std::string>& negatives) {
  std::string out = absl::StrCat("(", absl::StrJoin(positives, " AND "), ")");
  if (!negatives.empty()) {
    absl::StrAppend(&out, " NOT (", absl::StrJoin(negatives, " OR "), ")");
  }
  return out;
}


// One lexical item of the query: a term or phrase, a field filter, or OR.
struct Item {
  enum class Kind { kText, kFilter, kOr };
  Kind kind = Kind::kText;
  size_t pos = 0;  // first byte (the '-' of an exclusion)
  size_t end = 0;  // one past the last byte (past a closing quote)
  bool negate = false;
  bool quoted = false;
  absl::string_view body;  // the text, or the filter's value, without quotes
  size_t body_pos = 0;     // where `body` starts in the query
  FilterField field = FilterField::kPerson;
  Clause clause;  // kText: the body tokenized
};

absl::Status ErrorAt(size_t pos, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("query at byte ", pos, ": ", what));
}

// `s` for an error message: at most 40 bytes, cut between code points.
std::string Excerpt(absl::string_view s) {
  constexpr size_t kMax = 40;
  if (s.size() <= kMax) return std::string(s);
  size_t cut = kMax;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return absl::StrCat(s.substr(0, cut), "\xE2\x80\xA6");
}

// Where the quote opened at `open` closes: the end of the query if it does not.
size_t ClosingQuote(absl::string_view query, size_t open) {
  const size_t close = query.find('"', open + 1);
  return close == absl::string_view::npos ? query.size() : close;
}

// Splits the query into items. Never fails: what is not syntax is text.
std::vector<Item> Lex(absl::string_view query) {
  std::vector<Item> items;
  size_t i = 0;
  const size_t n = query.size();
  while (i < n) {
    while (i < n && IsSpace(query[i])) ++i;
    if (i >= n) break;
    Item item;
    item.pos = i;
    if (query[i] == '-') {
      item.negate = true;
      ++i;
      if (i >= n || IsSpace(query[i])) continue;  // a lone '-' is punctuation
    }
    if (query[i] == '"') {
      const size_t close = ClosingQuote(query, i);
      item.quoted = true;
      item.body_pos = i + 1;
      item.body = query.substr(i + 1, close - i - 1);
      i = std::min(close + 1, n);
    } else {
      const size_t start = i;
      while (i < n && !IsSpace(query[i]) && query[i] != '"') ++i;
      const absl::string_view word = query.substr(start, i - start);
      item.body_pos = start;
      item.body = word;
      const size_t colon = word.find(':');
      std::optional<FilterField> field;
      if (colon != absl::string_view::npos) field = FilterFieldFromName(word.substr(0, colon));
      if (word == "OR" && !item.negate) {
        item.kind = Item::Kind::kOr;
      } else if (field) {
        item.kind = Item::Kind::kFilter;
        item.field = *field;
        item.body_pos = start + colon + 1;
        item.body = word.substr(colon + 1);
        if (item.body.empty() && i < n && query[i] == '"') {  // field:"quoted value"
          const size_t close = ClosingQuote(query, i);
          item.quoted = true;
          item.body_pos = i + 1;
          item.body = query.substr(i + 1, close - i - 1);
          i = std::min(close + 1, n);
        }
      }
    }
    item.end = i;
    items.push_back(std::move(item));
  }
  return items;
}

// Checks that every OR stands between two positive terms or phrases, or two
// positive filters. `items` holds no text item without tokens.
absl::Status CheckOrs(const std::vector<Item>& items) {
  constexpr absl::string_view kHint =
      " (to search for the word, write it in lower case or in quotes: \"OR\")";
  for (size_t k = 0; k < items.size(); ++k) {
    if (items[k].kind != Item::Kind::kOr) continue;
    const size_t pos = items[k].pos;
    if (k == 0 || items[k - 1].kind == Item::Kind::kOr) {
      return ErrorAt(pos, absl::StrCat("OR has no term, phrase or filter before it", kHint));
    }
    if (k + 1 == items.size() || items[k + 1].kind == Item::Kind::kOr) {
      return ErrorAt(pos, absl::StrCat("OR has no term, phrase or filter after it", kHint));
    }
    const Item& left = items[k - 1];
    const Item& right = items[k + 1];
    if (left.negate || right.negate) {
      return ErrorAt(pos, "OR cannot join an exclusion (-x): exclusions always apply");
    }
    if (left.kind != right.kind) {
      return ErrorAt(pos,
                     "OR joins two terms or phrases, or two filters; not a term and a filter");
    }
  }
  return absl::OkStatus();
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


absl::Status CheckHasPositivePart(const ParsedQuery& parsed) {
  if (!parsed.match.empty()) return absl::OkStatus();
  for (const std::vector<Filter>& group : parsed.filters) {
    if (!group.front().exclude) return absl::OkStatus();
  }
  if (!parsed.excluded.empty() || !parsed.filters.empty()) {
    return absl::InvalidArgumentError(
        "query has only exclusions (-term, -field:value); add a term or a filter to search for");
  }
  return absl::InvalidArgumentError(
      "query has no searchable terms or filters (only punctuation or operators)");
}

namespace internal {

absl::StatusOr<ParsedQuery> ParseQueryParts(absl::string_view query,
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

  std::vector<Item> items;
  for (Item& item : Lex(query)) {
    if (item.kind == Item::Kind::kText) {
      // The index holds one tone style; "hoá" must meet "hóa" (and NFD, NFC).
      item.clause.typed = normalize::CanonicalizeSyllable(item.body, options.tone_style);
      item.clause.tokens = text::TokenizeSyllables(item.clause.typed);
      if (item.clause.tokens.empty()) continue;  // only punctuation: nothing to match
    }
    items.push_back(std::move(item));
  }
  VNA_RETURN_IF_ERROR(CheckOrs(items));

  // Terms are ANDed; `a OR b` puts b in a's group, matched as either.
  std::vector<std::vector<Clause>> positives;
  // Per group of `positives`: an unquoted term without OR (it may belong to
  // a run of words whose adjacency ranks higher), and whether it was typed
  // right after the previous group (no filter or exclusion between).
  std::vector<bool> run_member;
  std::vector<bool> follows_previous;
  bool previous_positive = false;
  std::vector<Clause> negatives;
  ParsedQuery parsed;
  size_t filter_count = 0;
  bool joins_previous = false;
  for (Item& item : items) {
    if (item.kind == Item::Kind::kOr) {
      joins_previous = true;
      continue;
    }
    if (item.kind == Item::Kind::kText) {
      if (item.negate) {
        negatives.push_back(std::move(item.clause));
        previous_positive = false;
      } else {
        if (!ClauseHasDiacritics(item.clause)) {
          PlainTerm term{item.body_pos, item.body_pos + item.body.size(), item.quoted, {}};
          for (const text::Token& t : item.clause.tokens) term.folded.push_back(t.folded);
          parsed.plain_terms.push_back(std::move(term));
        }
        if (joins_previous) {
          positives.back().push_back(std::move(item.clause));
          run_member.back() = false;
        } else {
          positives.push_back({std::move(item.clause)});
          run_member.push_back(!item.quoted);
          follows_previous.push_back(previous_positive);
        }
        previous_positive = true;
      }
    } else {
      previous_positive = false;
      const std::string written = Excerpt(query.substr(item.pos, item.end - item.pos));
      if (++filter_count > options.max_filters) {
        return ErrorAt(item.pos, absl::StrCat("more than ", options.max_filters,
                                              " filters; this is one too many"));
      }
      if (item.body.empty()) {
        return ErrorAt(item.pos, absl::StrCat(written, " has no value: write ",
                                              FilterFieldName(item.field), ":word or ",
                                              FilterFieldName(item.field),
                                              ":\"several words\", without a space after ':'"));
      }
      absl::StatusOr<Filter> filter = ParseFilter(
          item.field, normalize::CanonicalizeSyllable(item.body, options.tone_style), item.negate);
      if (!filter.ok()) {
        return ErrorAt(item.pos, absl::StrCat(written, ": ", filter.status().message()));
      }
      if (joins_previous) {
        parsed.filters.back().push_back(*std::move(filter));
      } else {
        parsed.filters.push_back({*std::move(filter)});
      }
    }
    joins_previous = false;
  }

  std::vector<std::string> excluded;
  for (const Clause& clause : negatives) {
    excluded.push_back(Phrase(clause, /*folded=*/false));
  }
  if (positives.empty()) {
    parsed.excluded = absl::StrJoin(excluded, " OR ");
    return parsed;
  }
  std::vector<std::string> combined;
  // FTS5 numbers the phrases of `match` from 0, left to right; the positive
  // groups come first, so the numbers below are theirs.
  int phrase = 0;
  std::vector<std::vector<std::string>>& terms = parsed.rank_plan.phrase_terms;
  std::vector<RankPlan::Word> words;  // per group: its first clause's forms
  std::vector<std::string> combined_folded;
  for (const std::vector<Clause>& group : positives) {
    std::vector<std::string> any_form;  // every way the group can match
    std::vector<std::string> folded_forms;  // the same documents, folded forms only
    std::vector<int>& as_typed = parsed.rank_plan.exact.emplace_back();
    RankPlan::Word& word = words.emplace_back();
    word.tokens = static_cast<int>(group.front().tokens.size());
    for (const Clause& clause : group) {
      as_typed.push_back(phrase);
      if (&clause == &group.front()) word.phrases.push_back(phrase);
      any_form.push_back(Phrase(clause, /*folded=*/false));
      terms.push_back(PhraseTerms(clause, /*folded=*/false));
      ++phrase;
      // Without diacritics the typed form already is the folded one.
      folded_forms.push_back(Phrase(clause, /*folded=*/ClauseHasDiacritics(clause)));
      if (ClauseHasDiacritics(clause)) {
        parsed.has_exact_variant = true;
        if (&clause == &group.front()) word.phrases.push_back(phrase);
        any_form.push_back(Phrase(clause, /*folded=*/true));
        terms.push_back(PhraseTerms(clause, /*folded=*/true));
        ++phrase;
      }
      // Folded, an alternative matches every spelling of it.
      for (std::vector<text::Token>& alternative :
           AbbreviationAlternatives(clause.typed, clause)) {
        Clause spelled{std::move(alternative), ""};
        any_form.push_back(Phrase(spelled, /*folded=*/true));
        folded_forms.push_back(any_form.back());
        terms.push_back(PhraseTerms(spelled, /*folded=*/true));
        ++phrase;
      }
    }
    combined.push_back(any_form.size() == 1
                           ? any_form[0]
                           : absl::StrCat("(", absl::StrJoin(any_form, " OR "), ")"));
    combined_folded.push_back(
        folded_forms.size() == 1 ? folded_forms[0]
                                 : absl::StrCat("(", absl::StrJoin(folded_forms, " OR "), ")"));
  }
  terms.resize(terms.size() + excluded.size());  // phrases that only exclude
  parsed.match = Combine(combined, excluded);
  parsed.count_match = Combine(combined_folded, excluded);
  if (!parsed.has_exact_variant) parsed.rank_plan.exact.clear();

  // Runs of two or more words typed one after the other: "ban thuong vu"
  // ranks "Ban Thường vụ" above a text where the three words are scattered.
  for (size_t first = 0; first < positives.size();) {
    size_t end = first + 1;
    while (run_member[first] && end < positives.size() && run_member[end] &&
           follows_previous[end]) {
      ++end;
    }
    if (end - first >= 2) {
      parsed.rank_plan.runs.emplace_back(words.begin() + static_cast<std::ptrdiff_t>(first),
                                         words.begin() + static_cast<std::ptrdiff_t>(end));
    }
    first = end;
  }
  return parsed;
}

}  // namespace internal

absl::StatusOr<ParsedQuery> ParseQuery(absl::string_view query, const QueryOptions& options) {
  VNA_ASSIGN_OR_RETURN(ParsedQuery parsed, internal::ParseQueryParts(query, options));
  VNA_RETURN_IF_ERROR(CheckHasPositivePart(parsed));
  return parsed;
}

}  // namespace search
}  // namespace vnarchive
