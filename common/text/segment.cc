#include "common/text/segment.h"

#include <array>

#include "common/text/utf8.h"
#include "unicode/normalizer2.h"
#include "unicode/uchar.h"
#include "unicode/unistr.h"

namespace vnarchive {
namespace text {
namespace internal {

bool IsNonAsciiTokenCodePoint(char32_t cp) {
  return (U_GET_GC_MASK(static_cast<UChar32>(cp)) &
          (U_GC_L_MASK | U_GC_M_MASK | U_GC_ND_MASK)) != 0;
}

}  // namespace internal

namespace {

// Latin-1 Supplement letters through Latin Extended-B, and Latin Extended
// Additional (where the Vietnamese letters with two marks live): every
// precomposed Latin letter Vietnamese text uses.
constexpr char32_t kRange1Begin = 0x00C0;
constexpr char32_t kRange1End = 0x0250;
constexpr char32_t kRange2Begin = 0x1E00;
constexpr char32_t kRange2End = 0x1F00;
// Combining Diacritical Marks: dropped by Fold so NFD input folds like NFC.
constexpr char32_t kMarksBegin = 0x0300;
constexpr char32_t kMarksEnd = 0x0370;

struct FoldEntry {
  char32_t folded;  // lower-cased base letter
  bool diacritic;   // folded differs from the plain lower-case form
};

struct FoldTable {
  std::array<FoldEntry, kRange1End - kRange1Begin> range1;
  std::array<FoldEntry, kRange2End - kRange2Begin> range2;
};

FoldEntry BuildEntry(const icu::Normalizer2* nfd, char32_t cp) {
  const UChar32 c = static_cast<UChar32>(cp);
  const char32_t lower = static_cast<char32_t>(u_tolower(c));
  if (cp == 0x0110 || cp == 0x0111) return {U'd', true};  // Đ/đ: no decomposition
  UChar32 base = c;
  icu::UnicodeString decomposition;
  if (nfd != nullptr && nfd->getDecomposition(c, decomposition) &&
      decomposition.length() > 0) {
    base = decomposition.char32At(0);
  }
  const char32_t folded = static_cast<char32_t>(u_tolower(base));
  return {folded, folded != lower};
}

// Built once from ICU's NFD data rather than typed in, so the table cannot
// drift from Unicode; a lookup costs far less than a Transliterator
// (TOOLCHAIN.md: 150+ MB/s vs 6-10 MB/s).
const FoldTable& GetFoldTable() {
  static const FoldTable* const table = [] {
    auto* t = new FoldTable;
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
    // ICU data is linked in, so this cannot fail in practice; without it the
    // table still lower-cases (and maps đ), it only stops removing marks.
    if (U_FAILURE(status)) nfd = nullptr;
    for (char32_t cp = kRange1Begin; cp < kRange1End; ++cp) {
      t->range1[cp - kRange1Begin] = BuildEntry(nfd, cp);
    }
    for (char32_t cp = kRange2Begin; cp < kRange2End; ++cp) {
      t->range2[cp - kRange2Begin] = BuildEntry(nfd, cp);
    }
    return t;
  }();
  return *table;
}

// Decodes the code point at data[*pos]; 2- and 3-byte sequences inline (all of
// Vietnamese), the rest through the validating decoder.
inline char32_t NextCodePoint(absl::string_view data, size_t* pos) {
  const auto* p = reinterpret_cast<const unsigned char*>(data.data()) + *pos;
  const size_t avail = data.size() - *pos;
  const unsigned char b0 = p[0];
  if (b0 >= 0xC2 && b0 < 0xE0 && avail >= 2 && (p[1] & 0xC0) == 0x80) {
    *pos += 2;
    return (static_cast<char32_t>(b0 & 0x1F) << 6) | (p[1] & 0x3F);
  }
  if (b0 > 0xE0 && b0 < 0xF0 && b0 != 0xED && avail >= 3 && (p[1] & 0xC0) == 0x80 &&
      (p[2] & 0xC0) == 0x80) {
    *pos += 3;
    return (static_cast<char32_t>(b0 & 0x0F) << 12) |
           (static_cast<char32_t>(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
  }
  return DecodeUtf8(data, pos);
}

inline char AsciiLower(unsigned char c) {
  return static_cast<char>(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
}

// Appends `utf8` to `out`, lower-casing ASCII inline and passing every
// non-ASCII code point to `map(cp, out)`.
template <typename Map>
void MapCodePoints(absl::string_view utf8, std::string* out, Map map) {
  size_t pos = 0;
  const size_t n = utf8.size();
  while (pos < n) {
    const unsigned char c = static_cast<unsigned char>(utf8[pos]);
    if (c < 0x80) {
      out->push_back(AsciiLower(c));
      ++pos;
      continue;
    }
    map(NextCodePoint(utf8, &pos), out);
  }
}

void LowerCodePoint(char32_t cp, std::string* out) {
  AppendUtf8(static_cast<char32_t>(u_tolower(static_cast<UChar32>(cp))), out);
}

}  // namespace

void AppendLower(absl::string_view utf8, std::string* out) {
  MapCodePoints(utf8, out, LowerCodePoint);
}

void AppendFold(absl::string_view utf8, std::string* out) {
  const FoldTable& table = GetFoldTable();
  MapCodePoints(utf8, out, [&table](char32_t cp, std::string* out) {
    if (cp >= kRange1Begin && cp < kRange1End) {
      AppendUtf8(table.range1[cp - kRange1Begin].folded, out);
    } else if (cp >= kRange2Begin && cp < kRange2End) {
      AppendUtf8(table.range2[cp - kRange2Begin].folded, out);
    } else if (cp >= kMarksBegin && cp < kMarksEnd) {
      // A combining mark (NFD input): dropped.
    } else {
      LowerCodePoint(cp, out);
    }
  });
}

std::string ToLower(absl::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  AppendLower(utf8, &out);
  return out;
}

std::string Fold(absl::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  AppendFold(utf8, &out);
  return out;
}

bool HasDiacritics(absl::string_view utf8) {
  const FoldTable& table = GetFoldTable();
  size_t pos = 0;
  while (pos < utf8.size()) {
    if (static_cast<unsigned char>(utf8[pos]) < 0x80) {
      ++pos;
      continue;
    }
    const char32_t cp = NextCodePoint(utf8, &pos);
    if (cp >= kRange1Begin && cp < kRange1End) {
      if (table.range1[cp - kRange1Begin].diacritic) return true;
    } else if (cp >= kRange2Begin && cp < kRange2End) {
      if (table.range2[cp - kRange2Begin].diacritic) return true;
    } else if (cp >= kMarksBegin && cp < kMarksEnd) {
      return true;
    }
  }
  return false;
}

std::vector<Token> TokenizeSyllables(absl::string_view utf8) {
  std::vector<Token> tokens;
  ForEachTokenSpan(utf8, [&](size_t begin, size_t end) {
    const absl::string_view piece = utf8.substr(begin, end - begin);
    Token t;
    t.begin = begin;
    t.end = end;
    t.text = std::string(piece);
    t.lower = ToLower(piece);
    t.folded = Fold(piece);
    tokens.push_back(std::move(t));
  });
  return tokens;
}

}  // namespace text
}  // namespace vnarchive
