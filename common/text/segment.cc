#include "common/text/segment.h"

#include <algorithm>
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

// The definitions of the two mappings for one non-ASCII code point: write
// the mapped form to out[0..3], return its length. The fast tables below are
// built from these, so they cannot disagree.
size_t LowerCodePoint(char32_t cp, char* out) {
  return WriteUtf8(static_cast<char32_t>(u_tolower(static_cast<UChar32>(cp))), out);
}

size_t FoldCodePoint(const FoldTable& table, char32_t cp, char* out) {
  if (cp >= kRange1Begin && cp < kRange1End) {
    return WriteUtf8(table.range1[cp - kRange1Begin].folded, out);
  }
  if (cp >= kRange2Begin && cp < kRange2End) {
    return WriteUtf8(table.range2[cp - kRange2Begin].folded, out);
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

// Room WriteMapped needs per input byte: ASCII maps to one byte, an invalid
// byte to U+FFFD (three), and a sequence of k >= 2 bytes to at most four <= 2k.
constexpr size_t kMaxMappedBytesPerByte = 3;

// Writes `utf8` to out[0, n), lower-cased (and folded when kFold); returns n,
// at most kMaxMappedBytesPerByte * utf8.size().
template <bool kFold>
size_t WriteMapped(absl::string_view utf8, char* out) {
  const CaseTables& tables = GetCaseTables();
  const size_t n = utf8.size();
  char* w = out;
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
      // Copying all three bytes is safe: this code point took at least two
      // input bytes, so at least six bytes of room remain.
      std::memcpy(w, m->bytes, 3);
      w += m->size;
    } else {
      w += kFold ? FoldCodePoint(GetFoldTable(), cp, w) : LowerCodePoint(cp, w);
    }
  }
  return static_cast<size_t>(w - out);
}

template <bool kFold>
void AppendMapped(absl::string_view utf8, std::string* out) {
  const size_t old_size = out->size();
  out->resize(old_size + kMaxMappedBytesPerByte * utf8.size());
  out->resize(old_size + WriteMapped<kFold>(utf8, &(*out)[old_size]));
}

}  // namespace

namespace internal {

void TokenizeWithForms(absl::string_view utf8, std::string* forms,
                       std::vector<TokenWithForms>* tokens) {
  const CaseTables& tables = GetCaseTables();
  const FoldTable& fold_table = GetFoldTable();
  const size_t n = utf8.size();
  const auto* p = reinterpret_cast<const unsigned char*>(utf8.data());
  // Both forms are written through raw pointers into room made ahead; each
  // code point adds at most 4 bytes to each, so 4 bytes of room are checked
  // for before each one. The lower-case form goes straight into *forms; the
  // folded form, which must follow it, is collected in `fold` and appended
  // when the token ends.
  //
  // The buffers' bases and sizes are kept in locals: the compiler must assume
  // any char store may change a std::string's fields, so reading them from
  // the strings would reload them after every byte written.
  constexpr size_t kMaxBytesPerCodePoint = 4;
  size_t used = forms->size();
  forms->resize(used + 2 * n + 64);
  char* lower_base = &(*forms)[0];
  size_t lower_capacity = forms->size();
  std::string fold(64, '\0');
  char* fold_base = &fold[0];
  size_t fold_capacity = fold.size();
  size_t fold_used = 0;
  auto grow_lower = [&](size_t need) {
    forms->resize(std::max(2 * lower_capacity, used + need));
    lower_base = &(*forms)[0];
    lower_capacity = forms->size();
  };
  TokenWithForms token;
  bool in_token = false;
  auto end_token = [&](size_t end) {
    token.end = static_cast<uint32_t>(end);
    token.lower_end = static_cast<uint32_t>(used);
    if (lower_capacity - used < fold_used) grow_lower(fold_used);
    std::memcpy(lower_base + used, fold_base, fold_used);
    used += fold_used;
    token.folded_begin = token.lower_end;
    token.folded_end = static_cast<uint32_t>(used);
    tokens->push_back(token);
    in_token = false;
  };
  size_t pos = 0;
  while (pos < n) {
    const unsigned char c = p[pos];
    size_t next = pos + 1;
    char32_t cp = c;
    bool is_token;
    if (c < 0x80) {
      is_token = IsAsciiTokenByte(c);
    } else {
      next = pos;
      cp = DecodeNonAscii(utf8, &next);
      is_token = IsNonAsciiTokenCodePointFast(cp);
    }
    if (!is_token) {
      if (in_token) end_token(pos);
      pos = next;
      continue;
    }
    if (!in_token) {
      in_token = true;
      token.begin = static_cast<uint32_t>(pos);
      token.lower_begin = static_cast<uint32_t>(used);
      fold_used = 0;
    }
    if (lower_capacity - used < kMaxBytesPerCodePoint) grow_lower(kMaxBytesPerCodePoint);
    if (fold_capacity - fold_used < kMaxBytesPerCodePoint) {
      fold.resize(2 * fold_capacity);
      fold_base = &fold[0];
      fold_capacity = fold.size();
    }
    char* lw = lower_base + used;
    char* fw = fold_base + fold_used;
    pos = next;
    if (c < 0x80) {
      *lw = *fw = AsciiLower(c);
      ++used;
      ++fold_used;
      continue;
    }
    const MappedUtf8* lower = nullptr;
    const MappedUtf8* folded = nullptr;
    if (cp < kTwoByteEnd) {
      lower = &tables.lower2[cp - kTwoByteBegin];
      folded = &tables.fold2[cp - kTwoByteBegin];
    } else if (cp >= kRange2Begin && cp < kRange2End) {
      lower = &tables.lower_ext[cp - kRange2Begin];
      folded = &tables.fold_ext[cp - kRange2Begin];
    }
    // The fixed 3-byte copies fit in the 4 bytes of room checked above.
    if (lower != nullptr && lower->size != kNotMapped) {
      std::memcpy(lw, lower->bytes, 3);
      used += lower->size;
    } else {
      used += LowerCodePoint(cp, lw);
    }
    if (folded != nullptr && folded->size != kNotMapped) {
      std::memcpy(fw, folded->bytes, 3);
      fold_used += folded->size;
    } else {
      fold_used += FoldCodePoint(fold_table, cp, fw);
    }
  }
  if (in_token) end_token(n);
  forms->resize(used);
}

}  // namespace internal

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
