#include "services/search/core/filter.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/text/segment.h"
#include "services/normalize/core/abbreviations.h"

namespace vnarchive {
namespace search {
namespace {

struct FieldInfo {
  FilterField field;
  absl::string_view name;
  absl::string_view entity_type;
};

constexpr FieldInfo kFields[] = {
    {FilterField::kPerson, "person", "PERSON"}, {FilterField::kOrg, "org", "ORG"},
    {FilterField::kLoc, "loc", "LOC"},          {FilterField::kRef, "ref", "DOC_REF"},
    {FilterField::kSource, "source", ""},       {FilterField::kDate, "date", ""},
};

// Documents are dated in Vietnam time; it has had no daylight saving since 1975.
absl::TimeZone VietnamTime() { return absl::FixedTimeZone(7 * 3600); }

bool IsDigits(absl::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

absl::string_view StripLeadingZeros(absl::string_view digits) {
  const size_t nz = digits.find_first_not_of('0');
  return nz == absl::string_view::npos ? absl::string_view("0") : digits.substr(nz);
}

// `value` with the abbreviations of the words before its first number written
// out ("Nghị quyết TW 4" -> "Nghị quyết Trung ương 4"): the extractor's
// canonical values spell them in full. Codes after the number keep theirs
// ("05-CT/TW": TW is the issuer there, not a word).
std::string ExpandWordsBeforeNumber(absl::string_view value) {
  size_t words_end = value.size();
  for (const text::Token& t : text::TokenizeSyllables(value)) {
    if (IsDigits(t.text)) {
      words_end = t.begin;
      break;
    }
  }
  const absl::string_view words = value.substr(0, words_end);
  std::string out;
  size_t done = 0;
  for (const normalize::AbbreviationMatch& m : normalize::FindAbbreviations(words)) {
    absl::StrAppend(&out, words.substr(done, m.begin - done), m.expansion);
    done = m.end;
  }
  absl::StrAppend(&out, value.substr(done));
  return out;
}

// The folded tokens of a document reference, normalised so that the ways of
// writing one reference agree: "số" before a number and leading zeros go.
std::vector<std::string> RefTokens(absl::string_view value) {
  const std::vector<text::Token> tokens = text::TokenizeSyllables(ExpandWordsBeforeNumber(value));
  std::vector<std::string> out;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const text::Token& t = tokens[i];
    if (t.folded == "so" && i + 1 < tokens.size() && IsDigits(tokens[i + 1].text)) continue;
    out.emplace_back(IsDigits(t.text) ? StripLeadingZeros(t.text) : absl::string_view(t.folded));
  }
  return out;
}

std::string Join(const std::vector<std::string>& tokens, size_t from = 0) {
  return absl::StrJoin(tokens.begin() + static_cast<std::ptrdiff_t>(from), tokens.end(), " ");
}

void AddUnique(std::string key, std::vector<std::string>* keys) {
  if (key.empty() || std::find(keys->begin(), keys->end(), key) != keys->end()) return;
  keys->push_back(std::move(key));
}

// One end of a date: the days [first, after_last) it covers.
struct DaySpan {
  absl::CivilDay first;
  absl::CivilDay after_last;
};

absl::Status NotADate(absl::string_view spec) {
  return absl::InvalidArgumentError(
      absl::StrCat("'", spec,
                   "' is not a date: write YYYY, YYYY-MM, YYYY-MM-DD, MM/YYYY or DD/MM/YYYY, "
                   "or a range A..B, A.. or ..B"));
}

absl::StatusOr<DaySpan> ParseDaySpan(absl::string_view spec) {
  // ISO order with '-', Vietnamese order (day first) with '/'.
  const bool vietnamese = spec.find('/') != absl::string_view::npos;
  std::vector<absl::string_view> parts = absl::StrSplit(spec, vietnamese ? '/' : '-');
  if (parts.size() > 3 || (vietnamese && parts.size() < 2)) return NotADate(spec);
  if (vietnamese) std::reverse(parts.begin(), parts.end());  // now year, month, day
  for (size_t i = 0; i < parts.size(); ++i) {
    const size_t max_digits = i == 0 ? 4 : 2;
    if (!IsDigits(parts[i]) || parts[i].size() > max_digits ||
        (i == 0 && parts[i].size() != 4)) {
      return NotADate(spec);
    }
  }
  int year = 0, month = 0, day = 0;
  if (!absl::SimpleAtoi(parts[0], &year)) return NotADate(spec);
  if (parts.size() == 1) return DaySpan{absl::CivilDay(year, 1, 1), absl::CivilDay(year + 1, 1, 1)};
  if (!absl::SimpleAtoi(parts[1], &month)) return NotADate(spec);
  if (month < 1 || month > 12) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", spec, "': there is no month ", month, " (months are 1 to 12)"));
  }
  const absl::CivilMonth civil_month(year, month);
  if (parts.size() == 2) {
    return DaySpan{absl::CivilDay(civil_month), absl::CivilDay(civil_month + 1)};
  }
  if (!absl::SimpleAtoi(parts[2], &day)) return NotADate(spec);
  const absl::CivilDay civil_day(year, month, day);  // normalises 2019-02-30 to March
  if (day < 1 || civil_day.month() != month) {
    return absl::InvalidArgumentError(absl::StrCat(
        "'", spec, "': day ", day, " does not exist in ", absl::FormatCivilTime(civil_month)));
  }
  return DaySpan{civil_day, civil_day + 1};
}

int64_t StartOf(absl::CivilDay day) {
  return absl::ToUnixSeconds(absl::FromCivil(day, VietnamTime()));
}

}  // namespace

absl::string_view FilterFieldName(FilterField field) {
  for (const FieldInfo& info : kFields) {
    if (info.field == field) return info.name;
  }
  return "";
}

std::optional<FilterField> FilterFieldFromName(absl::string_view name) {
  for (const FieldInfo& info : kFields) {
    if (absl::EqualsIgnoreCase(info.name, name)) return info.field;
  }
  return std::nullopt;
}

absl::string_view EntityTypeOfField(FilterField field) {
  for (const FieldInfo& info : kFields) {
    if (info.field == field) return info.entity_type;
  }
  return "";
}

std::string MatchKey(absl::string_view text) {
  std::string key;
  for (const text::Token& t : text::TokenizeSyllables(text)) {
    if (!key.empty()) key.push_back(' ');
    key += t.folded;
  }
  return key;
}

std::string SourceKey(absl::string_view source) { return MatchKey(source); }

absl::StatusOr<DateRange> ParseDateRange(absl::string_view value) {
  if (value.empty()) return absl::InvalidArgumentError("empty value");
  const size_t dots = value.find("..");
  if (dots == absl::string_view::npos) {
    absl::StatusOr<DaySpan> span = ParseDaySpan(value);
    if (!span.ok()) return span.status();
    return DateRange{StartOf(span->first), StartOf(span->after_last)};
  }
  const absl::string_view from = value.substr(0, dots);
  const absl::string_view to = value.substr(dots + 2);
  if (from.empty() && to.empty()) {
    return absl::InvalidArgumentError("'..' is a range without ends: give a start, an end or both");
  }
  DateRange range;
  if (!from.empty()) {
    absl::StatusOr<DaySpan> span = ParseDaySpan(from);
    if (!span.ok()) return span.status();
    range.from_unix = StartOf(span->first);
  }
  if (!to.empty()) {
    absl::StatusOr<DaySpan> span = ParseDaySpan(to);
    if (!span.ok()) return span.status();
    range.to_unix = StartOf(span->after_last);
  }
  if (range.from_unix && range.to_unix && *range.from_unix >= *range.to_unix) {
    return absl::InvalidArgumentError(absl::StrCat(
        "'", value, "': the range ends before it starts (write the earlier date first)"));
  }
  return range;
}

absl::StatusOr<Filter> ParseFilter(FilterField field, absl::string_view value, bool exclude) {
  Filter filter;
  filter.field = field;
  filter.exclude = exclude;
  if (field == FilterField::kDate) {
    absl::StatusOr<DateRange> range = ParseDateRange(value);
    if (!range.ok()) return range.status();
    filter.from_unix = range->from_unix;
    filter.to_unix = range->to_unix;
    return filter;
  }
  if (field == FilterField::kRef) {
    const std::vector<std::string> tokens = RefTokens(value);
    AddUnique(Join(tokens), &filter.keys);
    // "Chỉ thị 05-CT/TW": the code alone is what the index stores. Only when
    // something follows the number: "Quy định 08" alone must not become "8",
    // which would match every reference numbered 8.
    for (size_t i = 1; i + 1 < tokens.size(); ++i) {
      if (IsDigits(tokens[i])) {
        AddUnique(Join(tokens, i), &filter.keys);
        break;
      }
    }
    filter.prefix = true;
  } else {
    AddUnique(MatchKey(value), &filter.keys);
    filter.prefix = field == FilterField::kSource;
  }
  if (filter.keys.empty()) {
    return absl::InvalidArgumentError(value.empty()
                                          ? std::string("empty value")
                                          : absl::StrCat("'", value, "' has no letters or digits"));
  }
  return filter;
}

std::vector<FilterKey> FilterKeysForEntity(
    absl::string_view type, absl::string_view canonical,
    const std::vector<std::pair<std::string, std::string>>& attributes) {
  std::optional<FilterField> field;
  for (const FieldInfo& info : kFields) {
    if (!info.entity_type.empty() && info.entity_type == type) field = info.field;
  }
  if (!field) return {};
  std::vector<std::string> keys;
  if (*field != FilterField::kRef) {
    AddUnique(MatchKey(canonical), &keys);
  } else {
    AddUnique(Join(RefTokens(canonical)), &keys);
    // 08-QĐi/TW is also "Quy định 08" to whoever types it that way.
    absl::string_view kind, number;
    for (const auto& [key, value] : attributes) {
      if (key == "kind") kind = value;
      if (key == "number") number = value;
    }
    if (!kind.empty() && IsDigits(number)) {
      AddUnique(Join(RefTokens(absl::StrCat(kind, " ", number))), &keys);
    }
  }
  std::vector<FilterKey> out;
  out.reserve(keys.size());
  for (std::string& key : keys) out.push_back({*field, std::move(key)});
  return out;
}

}  // namespace search
}  // namespace vnarchive
