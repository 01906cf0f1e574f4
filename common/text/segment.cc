#include "common/text/segment.h"

#include <array>
#include <cstdint>
#include <cstring>

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

inline char AsciiLower(unsigned char c) {
  return static_cast<char>(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
}

// Writes the UTF-8 encoding of `cp` to out[0..3] and returns its length; as
// AppendUtf8, a surrogate or a value above U+10FFFF becomes U+FFFD.
inline size_t PutUtf8(char32_t cp, char* out) {
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  if (cp < 0x80) {
    out[0] = static_cast<char>(cp);
    return 1;
  }
  if (cp < 0x800) {
    out[0] = static_cast<char>(0xC0 | (cp >> 6));
    out[1] = static_cast<char>(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = static_cast<char>(0xE0 | (cp >> 12));
    out[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out[2] = static_cast<char>(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = static_cast<char>(0xF0 | (cp >> 18));
  out[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
  out[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
  out[3] = static_cast<char>(0x80 | (cp & 0x3F));
  return 4;
}

// The definitions of the two mappings for one non-ASCII code point: write
// the mapped form to out[0..3], return its length. The fast tables below are
// built from these, so they cannot disagree.
size_t LowerCodePoint(char32_t cp, char* out) {
  return PutUtf8(static_cast<char32_t>(u_tolower(static_cast<UChar32>(cp))), out);
}

size_t FoldCodePoint(const FoldTable& table, char32_t cp, char* out) {
  if (cp >= kRange1Begin && cp < kRange1End) {
    return PutUtf8(table.range1[cp - kRange1Begin].folded, out);
  }
  if (cp >= kRange2Begin && cp < kRange2End) {
    return PutUtf8(table.range2[cp - kRange2Begin].folded, out);
  }
  if (cp >= kMarksBegin && cp < kMarksEnd) return 0;  // a combining mark (NFD input): dropped
  return LowerCodePoint(cp, out);
}

// A mapped code point as ready-made UTF-8 bytes, so that mapping costs a
// table load and a fixed 3-byte copy instead of ICU calls and an encode.
struct MappedUtf8 {
  uint8_t size;  // 0..3 bytes, or kNotMapped
  char bytes[3];
};
constexpr uint8_t kNotMapped = 0xFF;  // longer than 3 bytes: use the *CodePoint function

// Every two-byte code point (U+0080..U+07FF) and Latin Extended Additional
// (U+1E00..U+1EFF): all the non-ASCII letters of Vietnamese.
constexpr char32_t kTwoByteBegin = 0x0080;
constexpr char32_t kTwoByteEnd = 0x0800;

struct CaseTables {
  std::array<MappedUtf8, kTwoByteEnd - kTwoByteBegin> lower2, fold2;
  std::array<MappedUtf8, kRange2End - kRange2Begin> lower_ext, fold_ext;
};

template <typename Fn>
MappedUtf8 BuildMapped(char32_t cp, Fn map) {
  char buf[4];
  const size_t size = map(cp, buf);
  MappedUtf8 m = {kNotMapped, {0, 0, 0}};
  if (size <= 3) {
    m.size = static_cast<uint8_t>(size);
    for (size_t i = 0; i < size; ++i) m.bytes[i] = buf[i];
  }
  return m;
}

const CaseTables& GetCaseTables() {
  static const CaseTables* const tables = [] {
    const FoldTable& fold = GetFoldTable();
    auto fold_fn = [&fold](char32_t cp, char* out) { return FoldCodePoint(fold, cp, out); };
    auto* t = new CaseTables;
    for (char32_t cp = kTwoByteBegin; cp < kTwoByteEnd; ++cp) {
      t->lower2[cp - kTwoByteBegin] = BuildMapped(cp, LowerCodePoint);
      t->fold2[cp - kTwoByteBegin] = BuildMapped(cp, fold_fn);
    }
    for (char32_t cp = kRange2Begin; cp < kRange2End; ++cp) {
      t->lower_ext[cp - kRange2Begin] = BuildMapped(cp, LowerCodePoint);
      t->fold_ext[cp - kRange2Begin] = BuildMapped(cp, fold_fn);
    }
    return t;
  }();
  return *tables;
}

// Appends `utf8` to `out`, lower-cased (and folded when kFold).
template <bool kFold>
void AppendMapped(absl::string_view utf8, std::string* out) {
  const CaseTables& tables = GetCaseTables();
  const FoldTable& fold = GetFoldTable();
  const size_t n = utf8.size();
  const size_t old_size = out->size();
  // Writes go through a raw pointer into room made up front. Three bytes per
  // input byte always suffice: ASCII maps to one byte, an invalid byte to
  // U+FFFD (three), and a sequence of k >= 2 bytes to at most four <= 2k.
  // The tail is cut off at the end; the resize is amortised over the calls
  // that share `out`.
  out->resize(old_size + 3 * n);
  char* const base = &(*out)[0];
  char* w = base + old_size;
  const auto* p = reinterpret_cast<const unsigned char*>(utf8.data());
  size_t pos = 0;
  while (pos < n) {
    const unsigned char c = p[pos];
    if (c < 0x80) {
      *w++ = AsciiLower(c);
      ++pos;
      continue;
    }
    const char32_t cp = internal::DecodeNonAscii(utf8, &pos);
    const MappedUtf8* m = nullptr;
    if (cp < kTwoByteEnd) {
      m = kFold ? &tables.fold2[cp - kTwoByteBegin] : &tables.lower2[cp - kTwoByteBegin];
    } else if (cp >= kRange2Begin && cp < kRange2End) {
      m = kFold ? &tables.fold_ext[cp - kRange2Begin] : &tables.lower_ext[cp - kRange2Begin];
    }
    if (m != nullptr && m->size != kNotMapped) {
      // Copying all three bytes is safe: at least two input bytes remained,
      // so at least six bytes of room do.
      std::memcpy(w, m->bytes, 3);
      w += m->size;
    } else {
      w += kFold ? FoldCodePoint(fold, cp, w) : LowerCodePoint(cp, w);
    }
  }
  out->resize(static_cast<size_t>(w - base));
}

}  // namespace

void AppendLower(absl::string_view utf8, std::string* out) { AppendMapped<false>(utf8, out); }

void AppendFold(absl::string_view utf8, std::string* out) { AppendMapped<true>(utf8, out); }

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
    const char32_t cp = internal::DecodeNonAscii(utf8, &pos);
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
