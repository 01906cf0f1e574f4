#include "services/extract/core/extractor.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/base/status_macros.h"
#include "common/text/nfc.h"
#include "common/text/segment.h"
#include "common/text/utf8.h"
#include "unicode/uchar.h"

namespace vnarchive {
namespace extract {
namespace {

// Kind codes as written inside document numbers, with their names
// (Decree 30/2020/NĐ-CP on state documents; party rules on party documents).
struct KindCode {
  absl::string_view code;
  absl::string_view kind;
};
constexpr KindCode kKindCodes[] = {
    {"CT", "chỉ thị"},       {"NQ", "nghị quyết"},         {"QĐ", "quyết định"},
    {"QĐi", "quy định"},     {"KH", "kế hoạch"},           {"NĐ", "nghị định"},
    {"TT", "thông tư"},      {"KL", "kết luận"},           {"HD", "hướng dẫn"},
    {"TB", "thông báo"},     {"CV", "công văn"},           {"BC", "báo cáo"},
    {"TTr", "tờ trình"},     {"QC", "quy chế"},            {"CTr", "chương trình"},
    {"ĐA", "đề án"},         {"TTLT", "thông tư liên tịch"}, {"NQLT", "nghị quyết liên tịch"},
    {"PL", "pháp lệnh"},
};

// Words that introduce a document number ("Chỉ thị số 05-CT/TW"); longest
// first so "thông tư liên tịch" wins over "thông tư". Lower case.
constexpr absl::string_view kKindWords[] = {
    "nghị quyết liên tịch", "thông tư liên tịch", "chương trình", "nghị quyết", "quyết định",
    "nghị định", "hướng dẫn", "thông báo", "pháp lệnh", "công văn", "chỉ thị", "quy định",
    "kế hoạch", "thông tư", "kết luận", "báo cáo", "tờ trình", "quy chế", "đề án", "luật",
};

absl::string_view KindOfCode(absl::string_view code) {
  for (const KindCode& k : kKindCodes) {
    if (k.code == code) return k.kind;
  }
  return {};
}

bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }

// The code point ending just before `pos` (U+0000 at the start of text).
char32_t PrevCodePoint(absl::string_view text, size_t pos) {
  if (pos == 0) return 0;
  size_t start = pos - 1;
  while (start > 0 && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) --start;
  return text::DecodeUtf8(text, &start);
}

char32_t CodePointAt(absl::string_view text, size_t pos) {
  if (pos >= text.size()) return 0;
  return text::DecodeUtf8(text, &pos);
}

bool IsAlnum(char32_t cp) { return cp != 0 && u_isalnum(static_cast<UChar32>(cp)); }

// Scans digits from `pos`; returns the end (== pos if none).
size_t ScanDigits(absl::string_view text, size_t pos) {
  while (pos < text.size() && IsAsciiDigit(text[pos])) ++pos;
  return pos;
}

// Scans a word starting with an upper-case letter followed by letters (and
// digits when `digits` is set: "QH14"); returns its end (== pos if none).
size_t ScanCodeWord(absl::string_view text, size_t pos, bool digits) {
  size_t p = pos;
  bool first = true;
  while (p < text.size()) {
    size_t next = p;
    const auto c = static_cast<UChar32>(text::DecodeUtf8(text, &next));
    const bool ok = first ? u_isupper(c) : (u_isalpha(c) || (digits && u_isdigit(c)));
    if (!ok) break;
    first = false;
    p = next;
  }
  return p;
}

// Scans an issuer: code words joined by '-' ("TW", "UBND-VX", "QH14").
size_t ScanIssuer(absl::string_view text, size_t pos) {
  size_t end = ScanCodeWord(text, pos, /*digits=*/true);
  if (end == pos) return pos;
  while (end < text.size() && text[end] == '-') {
    const size_t more = ScanCodeWord(text, end + 1, /*digits=*/true);
    if (more == end + 1) break;
    end = more;
  }
  return end;
}

// The code ends at a real boundary: not followed by a letter or digit, nor by
// '/', '-' or '.' + letter/digit (a longer code or number we do not parse).
bool EndsCleanly(absl::string_view text, size_t end) {
  if (end >= text.size()) return true;
  const char c = text[end];
  if (c == '/' || c == '-' || c == '.') return !IsAlnum(CodePointAt(text, end + 1));
  return !IsAlnum(CodePointAt(text, end));
}

// A candidate starts at a digit not preceded by a letter, digit or a joiner
// that would make it the tail of a longer token ("v1.2", "a/12", "x-05").
bool StartsCleanly(absl::string_view text, size_t pos) {
  if (pos == 0) return true;
  const char c = text[pos - 1];
  if (c == '/' || c == '-' || c == '.' || c == ',' || c == '_') return false;
  return !IsAlnum(PrevCodePoint(text, pos));
}

// The kind named by the words before `begin` ("Chỉ thị số ", "Nghị định "),
// or empty.
absl::string_view KindWordBefore(absl::string_view text, size_t begin) {
  if (begin == 0 || text[begin - 1] != ' ') return {};
  size_t p = begin - 1;
  for (absl::string_view so : {"số", "Số"}) {
    if (p >= so.size() + 1 && text.substr(p - so.size(), so.size()) == so &&
        text[p - so.size() - 1] == ' ') {
      p -= so.size() + 1;
      break;
    }
  }
  size_t window = p > 48 ? p - 48 : 0;
  while (window < p && (static_cast<unsigned char>(text[window]) & 0xC0) == 0x80) ++window;
  const std::string lower = text::ToLower(text.substr(window, p - window));
  for (absl::string_view kind : kKindWords) {
    if (lower.size() < kind.size() || lower.compare(lower.size() - kind.size(), kind.size(),
                                                    kind.data(), kind.size()) != 0) {
      continue;
    }
    // The kind word must start a word: "Luật" but not "...luật" inside one.
    const size_t kind_begin = p - kind.size();
    if (kind_begin > 0 && IsAlnum(PrevCodePoint(text, kind_begin))) continue;
    return kind;
  }
  return {};
}

// Tries to parse a document code at `pos` (a digit). On success fills *e.
bool ParseDocRef(absl::string_view text, size_t pos, Entity* e) {
  const size_t num_end = ScanDigits(text, pos);
  if (num_end == pos || num_end - pos > 5 || num_end >= text.size()) return false;
  const absl::string_view number = text.substr(pos, num_end - pos);
  absl::string_view kind_code, year, issuer;
  size_t year_len = 0;  // digits between the first two slashes, if any
  size_t end = 0;
  if (text[num_end] == '-') {
    // Party style: NUMBER-KIND/ISSUER ("05-CT/TW", "08-QĐi/TW").
    const size_t kind_end = ScanCodeWord(text, num_end + 1, /*digits=*/false);
    if (kind_end == num_end + 1 || kind_end >= text.size() || text[kind_end] != '/') return false;
    const size_t issuer_end = ScanIssuer(text, kind_end + 1);
    if (issuer_end == kind_end + 1) return false;
    kind_code = text.substr(num_end + 1, kind_end - num_end - 1);
    issuer = text.substr(kind_end + 1, issuer_end - kind_end - 1);
    end = issuer_end;
  } else if (text[num_end] == '/') {
    // State style: NUMBER[/YEAR]/KIND-ISSUER ("157/2007/NĐ-CP", "123/QĐ-UBND")
    // or NUMBER/YEAR/ISSUER ("23/2018/QH14").
    size_t p = num_end + 1;
    const size_t year_end = ScanDigits(text, p);
    if (year_end != p) {
      // Four digits are a year; 2..5 digits are kept as written without a
      // year attribute (typos such as "157/20007/NĐ-CP" occur in real text).
      year_len = year_end - p;
      if (year_len < 2 || year_len > 5 || year_end >= text.size() || text[year_end] != '/') {
        return false;
      }
      if (year_len == 4) year = text.substr(p, 4);
      p = year_end + 1;
    }
    const size_t word_end = ScanCodeWord(text, p, /*digits=*/true);
    if (word_end == p) return false;
    if (word_end < text.size() && text[word_end] == '-') {
      const size_t issuer_end = ScanIssuer(text, word_end + 1);
      if (issuer_end == word_end + 1) return false;
      kind_code = text.substr(p, word_end - p);
      issuer = text.substr(word_end + 1, issuer_end - word_end - 1);
      end = issuer_end;
    } else {
      if (year_len == 0) return false;  // "12/ABC" alone is too weak
      issuer = text.substr(p, word_end - p);
      end = word_end;
    }
  } else {
    return false;
  }
  if (!EndsCleanly(text, end)) return false;
  absl::string_view kind = KindOfCode(kind_code);
  if (kind.empty()) {
    // An unknown code ("456/UBND-VX", "23/2018/QH14") counts only when a
    // kind word introduces it; the whole tail is then the issuer.
    kind = KindWordBefore(text, pos);
    if (kind.empty()) return false;
    if (!kind_code.empty()) {
      const size_t tail = num_end + 1 + (year_len == 0 ? 0 : year_len + 1);
      issuer = text.substr(tail, end - tail);
    }
  }
  e->type = EntityType::kDocRef;
  e->begin = pos;
  e->end = end;
  e->surface = std::string(text.substr(pos, end - pos));
  e->canonical = text::ToNfc(e->surface);
  e->attributes.clear();
  e->attributes.emplace_back("kind", std::string(kind));
  e->attributes.emplace_back("number", std::string(number));
  if (!year.empty()) e->attributes.emplace_back("year", std::string(year));
  e->attributes.emplace_back("issuer", std::string(issuer));
  return true;
}

bool IsLeapYear(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

bool IsValidDate(int y, int m, int d) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1) return false;
  return d <= kDays[m - 1] + (m == 2 && IsLeapYear(y) ? 1 : 0);
}

int ToInt(absl::string_view digits) {
  int v = 0;
  for (char c : digits) v = v * 10 + (c - '0');
  return v;
}

// Matches `word` or its capitalised form at text[pos]; returns the end or pos.
size_t MatchWord(absl::string_view text, size_t pos, absl::string_view lower,
                 absl::string_view capitalised) {
  if (text.substr(pos, lower.size()) == lower) return pos + lower.size();
  if (text.substr(pos, capitalised.size()) == capitalised) return pos + capitalised.size();
  return pos;
}

// Tries to parse a full date at `pos` (a digit). On success fills *e.
bool ParseDate(absl::string_view text, size_t pos, const ExtractorOptions& options, Entity* e) {
  const size_t a_end = ScanDigits(text, pos);
  const size_t a_len = a_end - pos;
  int y = 0, m = 0, d = 0;
  size_t end = 0;
  if (a_len == 4 && a_end < text.size() && text[a_end] == '-') {
    // ISO: YYYY-MM-DD.
    const size_t m_end = ScanDigits(text, a_end + 1);
    if (m_end - a_end - 1 != 2 || m_end >= text.size() || text[m_end] != '-') return false;
    const size_t d_end = ScanDigits(text, m_end + 1);
    if (d_end - m_end - 1 != 2) return false;
    y = ToInt(text.substr(pos, 4));
    m = ToInt(text.substr(a_end + 1, 2));
    d = ToInt(text.substr(m_end + 1, 2));
    end = d_end;
  } else if (a_len == 1 || a_len == 2) {
    d = ToInt(text.substr(pos, a_len));
    if (a_end >= text.size()) return false;
    const char sep = text[a_end];
    if (sep == '/' || sep == '-' || sep == '.') {
      // D/M/YYYY, D-M-YYYY, D.M.YYYY (one separator throughout).
      const size_t m_end = ScanDigits(text, a_end + 1);
      const size_t m_len = m_end - a_end - 1;
      if (m_len < 1 || m_len > 2 || m_end >= text.size() || text[m_end] != sep) return false;
      const size_t y_end = ScanDigits(text, m_end + 1);
      if (y_end - m_end - 1 != 4) return false;
      m = ToInt(text.substr(a_end + 1, m_len));
      y = ToInt(text.substr(m_end + 1, 4));
      end = y_end;
    } else if (sep == ' ') {
      // "12 tháng 3 năm 2019".
      size_t p = MatchWord(text, a_end + 1, "tháng ", "Tháng ");
      if (p == a_end + 1) return false;
      const size_t m_end = ScanDigits(text, p);
      const size_t m_len = m_end - p;
      if (m_len < 1 || m_len > 2) return false;
      m = ToInt(text.substr(p, m_len));
      const size_t q = MatchWord(text, m_end, " năm ", " Năm ");
      if (q == m_end) return false;
      const size_t y_end = ScanDigits(text, q);
      if (y_end - q != 4) return false;
      y = ToInt(text.substr(q, 4));
      end = y_end;
    } else {
      return false;
    }
  } else {
    return false;
  }
  if (!EndsCleanly(text, end)) return false;
  if (y < options.min_year || y > options.max_year || !IsValidDate(y, m, d)) return false;
  e->type = EntityType::kDate;
  e->begin = pos;
  e->end = end;
  e->surface = std::string(text.substr(pos, end - pos));
  e->canonical = absl::StrFormat("%04d-%02d-%02d", y, m, d);
  e->attributes = {{"year", absl::StrCat(y)}, {"month", absl::StrCat(m)}, {"day", absl::StrCat(d)}};
  return true;
}

}  // namespace

const char* EntityTypeName(EntityType type) {
  switch (type) {
    case EntityType::kPerson:
      return "PERSON";
    case EntityType::kOrg:
      return "ORG";
    case EntityType::kLoc:
      return "LOC";
    case EntityType::kDate:
      return "DATE";
    case EntityType::kDocRef:
      return "DOC_REF";
  }
  return "UNKNOWN";
}

Extractor::Extractor(ExtractorOptions options) : options_(std::move(options)) {}

absl::StatusOr<ExtractResult> Extractor::Extract(absl::string_view normalized_text) const {
  VNA_RETURN_IF_ERROR(text::ValidateUtf8(normalized_text));
  ExtractResult result;
  const absl::string_view text = normalized_text;
  size_t pos = 0;
  // One pass over candidate starts. A DOC_REF is tried before a DATE at the
  // same position and the scan resumes after any match, so a date can never
  // fire inside a document code ("157/2007/NĐ-CP").
  while (pos < text.size()) {
    if (!IsAsciiDigit(text[pos]) || !StartsCleanly(text, pos)) {
      ++pos;
      continue;
    }
    Entity e;
    if ((options_.doc_refs && ParseDocRef(text, pos, &e)) ||
        (options_.dates && ParseDate(text, pos, options_, &e))) {
      pos = e.end;
      result.entities.push_back(std::move(e));
      continue;
    }
    pos = ScanDigits(text, pos);  // skip the rest of this number
  }
  return result;
}

}  // namespace extract
}  // namespace vnarchive
