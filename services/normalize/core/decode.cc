#include "services/normalize/core/decode.h"

#include <iconv.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/base/status_macros.h"
#include "common/text/nfc.h"
#include "common/text/utf8.h"

namespace vnarchive {
namespace normalize {
namespace {

using text::AppendUtf8;

constexpr char32_t kReplacement = 0xFFFD;
// Detection looks at this much of an 8-bit input: enough text to be sure,
// bounded cost for large files.
constexpr size_t kDetectPrefixBytes = 16u << 10;

// ---------------------------------------------------------------------------
// Byte tables of the 8-bit encodings.

// What one byte decodes to: up to two code points (a VNI diacritic byte is a
// shape mark plus a tone mark), pre-encoded as UTF-8 so decoding is a copy.
struct ByteEntry {
  uint8_t count = 0;  // 0: the byte has no mapping
  char32_t cps[2] = {0, 0};
  uint8_t utf8_len = 0;
  char utf8[8] = {};
};

struct ByteTable {
  std::array<ByteEntry, 256> entries;
  // Single-code-point entries inverted, for Encode (first byte wins).
  absl::flat_hash_map<char32_t, uint8_t> reverse;
};

void SetEntry(ByteTable* t, int byte, char32_t a, char32_t b = 0) {
  ByteEntry& e = t->entries[byte];
  e.count = b == 0 ? 1 : 2;
  e.cps[0] = a;
  e.cps[1] = b;
  std::string s;
  AppendUtf8(a, &s);
  if (b != 0) AppendUtf8(b, &s);
  e.utf8_len = static_cast<uint8_t>(s.size());
  std::memcpy(e.utf8, s.data(), s.size());
}

// Sets `byte` from a UTF-8 literal of one or two code points.
void SetEntryUtf8(ByteTable* t, int byte, absl::string_view utf8) {
  size_t pos = 0;
  const char32_t a = text::DecodeUtf8(utf8, &pos);
  const char32_t b = pos < utf8.size() ? text::DecodeUtf8(utf8, &pos) : 0;
  SetEntry(t, byte, a, b);
}

void BuildReverse(ByteTable* t) {
  for (int b = 0; b < 256; ++b) {
    const ByteEntry& e = t->entries[b];
    if (e.count == 1) t->reverse.emplace(e.cps[0], static_cast<uint8_t>(b));
  }
}

// Windows-1252 at 0x80..0x9F (0: one of the five undefined bytes).
constexpr char32_t kCp1252High[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

void SetAsciiAndCp1252Punctuation(ByteTable* t) {
  for (int b = 0; b < 0x80; ++b) SetEntry(t, b, static_cast<char32_t>(b));
  for (int b = 0x80; b < 0xA0; ++b) {
    if (kCp1252High[b - 0x80] != 0) SetEntry(t, b, kCp1252High[b - 0x80]);
  }
}

// TCVN 5712:1993 VN3 ("ABC"), from the standard's code chart. Only the
// positions VN3 defines; the rest of A0..FF stays unmapped.
ByteTable BuildTcvn3() {
  ByteTable t;
  SetAsciiAndCp1252Punctuation(&t);
  static constexpr std::pair<int, const char*> kChart[] = {
      {0xA0, "\u00A0"}, {0xA1, "Ă"}, {0xA2, "Â"}, {0xA3, "Ê"}, {0xA4, "Ô"},
      {0xA5, "Ơ"}, {0xA6, "Ư"}, {0xA7, "Đ"}, {0xA8, "ă"}, {0xA9, "â"},
      {0xAA, "ê"}, {0xAB, "ô"}, {0xAC, "ơ"}, {0xAD, "ư"}, {0xAE, "đ"},
      {0xB5, "à"}, {0xB6, "ả"}, {0xB7, "ã"}, {0xB8, "á"}, {0xB9, "ạ"},
      {0xBB, "ằ"}, {0xBC, "ẳ"}, {0xBD, "ẵ"}, {0xBE, "ắ"}, {0xC6, "ặ"},
      {0xC7, "ầ"}, {0xC8, "ẩ"}, {0xC9, "ẫ"}, {0xCA, "ấ"}, {0xCB, "ậ"},
      {0xCC, "è"}, {0xCE, "ẻ"}, {0xCF, "ẽ"}, {0xD0, "é"}, {0xD1, "ẹ"},
      {0xD2, "ề"}, {0xD3, "ể"}, {0xD4, "ễ"}, {0xD5, "ế"}, {0xD6, "ệ"},
      {0xD7, "ì"}, {0xD8, "ỉ"}, {0xDC, "ĩ"}, {0xDD, "í"}, {0xDE, "ị"},
      {0xDF, "ò"}, {0xE1, "ỏ"}, {0xE2, "õ"}, {0xE3, "ó"}, {0xE4, "ọ"},
      {0xE5, "ồ"}, {0xE6, "ổ"}, {0xE7, "ỗ"}, {0xE8, "ố"}, {0xE9, "ộ"},
      {0xEA, "ờ"}, {0xEB, "ở"}, {0xEC, "ỡ"}, {0xED, "ớ"}, {0xEE, "ợ"},
      {0xEF, "ù"}, {0xF1, "ủ"}, {0xF2, "ũ"}, {0xF3, "ú"}, {0xF4, "ụ"},
      {0xF5, "ừ"}, {0xF6, "ử"}, {0xF7, "ữ"}, {0xF8, "ứ"}, {0xF9, "ự"},
      {0xFA, "ỳ"}, {0xFB, "ỷ"}, {0xFC, "ỹ"}, {0xFD, "ý"}, {0xFE, "ỵ"},
  };
  for (const auto& [byte, utf8] : kChart) SetEntryUtf8(&t, byte, utf8);
  BuildReverse(&t);
  return t;
}

// VNI-Windows diacritic bytes (lower-case form; the upper-case form is the
// byte minus 0x20), indexed by tone: none, grave, hook, tilde, acute, dot.
constexpr uint8_t kVniTone[6] = {0, 0xF8, 0xFB, 0xF5, 0xF9, 0xEF};
constexpr uint8_t kVniCircumflex[6] = {0xE2, 0xE0, 0xE5, 0xE3, 0xE1, 0xE4};
constexpr uint8_t kVniBreve[6] = {0xEA, 0xE8, 0xFA, 0xFC, 0xE9, 0xEB};
// Toned i's are single bytes (the font needs a dotless i under the mark).
constexpr uint8_t kVniToneI[6] = {0, 0xEC, 0xE6, 0xF3, 0xED, 0xF2};
constexpr uint8_t kVniYDot = 0xEE;   // ỵ: the dot cannot sit under y's tail
constexpr uint8_t kVniOHorn = 0xF4;  // ơ
constexpr uint8_t kVniUHorn = 0xF6;  // ư
constexpr uint8_t kVniDStroke = 0xF1;  // đ
constexpr char32_t kToneMarks[6] = {0, 0x0300, 0x0309, 0x0303, 0x0301, 0x0323};

// VNI-Windows: Windows-1252 except where the fonts draw Vietnamese.
ByteTable BuildVni() {
  ByteTable t;
  SetAsciiAndCp1252Punctuation(&t);
  for (int b = 0xA0; b < 0x100; ++b) SetEntry(&t, b, static_cast<char32_t>(b));
  for (int upper = 0; upper < 2; ++upper) {
    const int shift = upper ? 0x20 : 0;
    for (int tone = 0; tone < 6; ++tone) {
      if (tone != 0) SetEntry(&t, kVniTone[tone] - shift, kToneMarks[tone]);
      SetEntry(&t, kVniCircumflex[tone] - shift, 0x0302, kToneMarks[tone]);
      SetEntry(&t, kVniBreve[tone] - shift, 0x0306, kToneMarks[tone]);
    }
    SetEntryUtf8(&t, kVniToneI[1] - shift, upper ? "Ì" : "ì");
    SetEntryUtf8(&t, kVniToneI[2] - shift, upper ? "Ỉ" : "ỉ");
    SetEntryUtf8(&t, kVniToneI[3] - shift, upper ? "Ĩ" : "ĩ");
    SetEntryUtf8(&t, kVniToneI[4] - shift, upper ? "Í" : "í");
    SetEntryUtf8(&t, kVniToneI[5] - shift, upper ? "Ị" : "ị");
    SetEntryUtf8(&t, kVniYDot - shift, upper ? "Ỵ" : "ỵ");
    SetEntryUtf8(&t, kVniOHorn - shift, upper ? "Ơ" : "ơ");
    SetEntryUtf8(&t, kVniUHorn - shift, upper ? "Ư" : "ư");
    SetEntryUtf8(&t, kVniDStroke - shift, upper ? "Đ" : "đ");
  }
  BuildReverse(&t);
  return t;
}

// The one place that talks to iconv: a conversion descriptor owned RAII.
class Iconv {
 public:
  static absl::StatusOr<Iconv> Open(const char* to, const char* from) {
    iconv_t cd = iconv_open(to, from);
    if (cd == reinterpret_cast<iconv_t>(-1)) {
      return absl::FailedPreconditionError(absl::StrFormat(
          "the system iconv cannot convert %s to %s: %s", from, to, std::strerror(errno)));
    }
    return Iconv(cd);
  }
  Iconv(Iconv&& o) noexcept : cd_(std::exchange(o.cd_, kInvalid())) {}
  Iconv& operator=(Iconv&&) = delete;
  Iconv(const Iconv&) = delete;
  Iconv& operator=(const Iconv&) = delete;
  ~Iconv() {
    if (cd_ != kInvalid()) iconv_close(cd_);
  }

  // Converts all of `in` from a fresh state and flushes (Windows-1258 holds
  // back a base letter waiting for a tone). False if iconv rejects it.
  bool Convert(absl::string_view in, std::string* out) {
    out->clear();
    iconv(cd_, nullptr, nullptr, nullptr, nullptr);
    char buf[64];
    char* inp = const_cast<char*>(in.data());
    size_t inleft = in.size();
    char* outp = buf;
    size_t outleft = sizeof(buf);
    if (iconv(cd_, &inp, &inleft, &outp, &outleft) == static_cast<size_t>(-1)) return false;
    if (iconv(cd_, nullptr, nullptr, &outp, &outleft) == static_cast<size_t>(-1)) return false;
    out->assign(buf, outp - buf);
    return true;
  }

 private:
  static iconv_t kInvalid() { return reinterpret_cast<iconv_t>(-1); }
  explicit Iconv(iconv_t cd) : cd_(cd) {}
  iconv_t cd_;
};

// Reads the system's table of a single-byte charset one byte at a time.
absl::StatusOr<ByteTable> BuildFromIconv(const char* charset) {
  VNA_ASSIGN_OR_RETURN(Iconv cd, Iconv::Open("UTF-8", charset));
  ByteTable t;
  std::string utf8;
  for (int b = 0; b < 256; ++b) {
    const char byte = static_cast<char>(b);
    if (!cd.Convert(absl::string_view(&byte, 1), &utf8) || utf8.empty()) continue;
    size_t pos = 0;
    const char32_t a = text::DecodeUtf8(utf8, &pos);
    const char32_t second = pos < utf8.size() ? text::DecodeUtf8(utf8, &pos) : 0;
    if (pos != utf8.size()) continue;  // more than we can hold: not a charset byte
    SetEntry(&t, b, a, second);
  }
  BuildReverse(&t);
  return t;
}

struct Tables {
  ByteTable tcvn3 = BuildTcvn3();
  ByteTable vni = BuildVni();
  absl::StatusOr<ByteTable> cp1258 = BuildFromIconv("CP1258");
  absl::StatusOr<ByteTable> viscii = BuildFromIconv("VISCII");
};

const Tables& GetTables() {
  static const Tables* const tables = new Tables();
  return *tables;
}

absl::StatusOr<const ByteTable*> TableFor(Encoding e) {
  const Tables& t = GetTables();
  switch (e) {
    case Encoding::kTcvn3:
      return &t.tcvn3;
    case Encoding::kVni:
      return &t.vni;
    case Encoding::kWindows1258:
      if (!t.cp1258.ok()) return t.cp1258.status();
      return &*t.cp1258;
    case Encoding::kViscii:
      if (!t.viscii.ok()) return t.viscii.status();
      return &*t.viscii;
    default:
      return absl::InternalError("not an 8-bit encoding");
  }
}

// ---------------------------------------------------------------------------
// Vietnamese letters: what a syllable is made of.

enum Shape : uint8_t { kPlain, kBreve, kCircumflex, kHorn, kStroke };

struct Letter {
  char base = 0;  // lower-case ASCII base; 'D' for đ
  Shape shape = kPlain;
  uint8_t tone = 0;  // index into kToneMarks
  bool upper = false;
  char32_t shaped = 0;  // the letter without its tone (ấ -> â)
};

// All 12 vowels x 6 tone states in both cases, plus đ/Đ: the 134 non-ASCII
// Vietnamese letters and the 24 plain vowels. Built with NFC so the table
// cannot disagree with the composition the decoder relies on.
absl::flat_hash_map<char32_t, Letter> BuildLetters() {
  struct Vowel {
    char base;
    Shape shape;
    char32_t lower, upper;
  };
  static constexpr Vowel kVowels[] = {
      {'a', kPlain, 'a', 'A'},        {'a', kBreve, 0x103, 0x102},
      {'a', kCircumflex, 0xE2, 0xC2}, {'e', kPlain, 'e', 'E'},
      {'e', kCircumflex, 0xEA, 0xCA}, {'i', kPlain, 'i', 'I'},
      {'o', kPlain, 'o', 'O'},        {'o', kCircumflex, 0xF4, 0xD4},
      {'o', kHorn, 0x1A1, 0x1A0},     {'u', kPlain, 'u', 'U'},
      {'u', kHorn, 0x1B0, 0x1AF},     {'y', kPlain, 'y', 'Y'},
  };
  absl::flat_hash_map<char32_t, Letter> letters;
  for (const Vowel& v : kVowels) {
    for (int upper = 0; upper < 2; ++upper) {
      const char32_t shaped = upper ? v.upper : v.lower;
      for (uint8_t tone = 0; tone < 6; ++tone) {
        std::string s;
        AppendUtf8(shaped, &s);
        if (tone != 0) AppendUtf8(kToneMarks[tone], &s);
        const std::string nfc = text::ToNfc(s);
        size_t pos = 0;
        const char32_t cp = text::DecodeUtf8(nfc, &pos);
        letters[cp] = Letter{v.base, v.shape, tone, upper != 0, shaped};
      }
    }
  }
  letters[0x111] = Letter{'D', kStroke, 0, false, 0x111};
  letters[0x110] = Letter{'D', kStroke, 0, true, 0x110};
  return letters;
}

const absl::flat_hash_map<char32_t, Letter>& Letters() {
  static const auto* const letters =
      new absl::flat_hash_map<char32_t, Letter>(BuildLetters());
  return *letters;
}

// Looks `cp` up as a Vietnamese letter (ASCII consonants included).
bool AsLetter(char32_t cp, Letter* out) {
  if (cp < 0x80) {
    if (!absl::ascii_isalpha(static_cast<unsigned char>(cp))) return false;
    *out = Letter{absl::ascii_tolower(static_cast<unsigned char>(cp)), kPlain, 0,
                  absl::ascii_isupper(static_cast<unsigned char>(cp)), cp};
    return true;
  }
  const auto& letters = Letters();
  const auto it = letters.find(cp);
  if (it == letters.end()) return false;
  *out = it->second;
  return true;
}

bool IsVowel(char b) {
  return b == 'a' || b == 'e' || b == 'i' || b == 'o' || b == 'u' || b == 'y';
}

// True if `w` (lower-case letters) is a well-formed Vietnamese syllable:
// onset + 1..3 vowels + coda, at most one tone, vowel shapes that occur
// together, and a stop coda (c ch p t) only under the acute or dot tone.
bool IsSyllable(const std::vector<Letter>& w) {
  static constexpr const char* kOnsets[] = {
      "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "th", "tr", "qu", "b", "c", "d",
      "D",   "g",  "h",  "k",  "l",  "m",  "n",  "p",  "r",  "s",  "t",  "v",  "x", ""};
  static constexpr const char* kCodas[] = {"", "c", "ch", "m", "n", "ng", "nh", "p", "t"};
  if (w.empty() || w.size() > 7) return false;
  int tones = 0;
  int tone = 0;
  for (const Letter& l : w) {
    if (l.tone != 0) {
      ++tones;
      tone = l.tone;
    }
  }
  if (tones > 1) return false;
  for (const char* onset : kOnsets) {
    const size_t n = std::strlen(onset);
    if (n > w.size()) continue;
    bool match = true;
    for (size_t i = 0; i < n && match; ++i) {
      match = w[i].base == onset[i] && (w[i].shape == kPlain || w[i].shape == kStroke) &&
              w[i].tone == 0;
    }
    if (!match) continue;
    size_t i = n;
    int shaped = 0, horns = 0;
    while (i < w.size() && IsVowel(w[i].base)) {
      if (w[i].shape != kPlain) ++shaped;
      if (w[i].shape == kHorn) ++horns;
      ++i;
    }
    const size_t vowels = i - n;
    if (vowels == 0 || vowels > 3) continue;
    if (shaped > 2 || (shaped == 2 && horns != 2)) continue;
    std::string coda;
    bool coda_ok = true;
    for (; i < w.size(); ++i) {
      if (w[i].shape != kPlain || w[i].tone != 0) coda_ok = false;
      coda.push_back(w[i].base);
    }
    if (!coda_ok) continue;
    if (std::find_if(std::begin(kCodas), std::end(kCodas),
                     [&](const char* c) { return coda == c; }) == std::end(kCodas)) {
      continue;
    }
    const bool stop = coda == "c" || coda == "ch" || coda == "p" || coda == "t";
    if (stop && tone != 4 && tone != 5) continue;
    return true;
  }
  return false;
}

// Non-ASCII punctuation that is neutral evidence: it ends a word and counts
// neither for nor against an encoding.
bool IsNeutralPunctuation(char32_t cp) {
  switch (cp) {
    case 0x00A0: case 0x00A9: case 0x00AB: case 0x00B0: case 0x00B7: case 0x00BB:
    case 0x2013: case 0x2014: case 0x2018: case 0x2019: case 0x201C: case 0x201D:
    case 0x2022: case 0x2026: case 0x20AB: case 0x20AC:
      return true;
    default:
      return false;
  }
}

struct Score {
  size_t good = 0;  // non-ASCII characters inside well-formed syllables
  size_t bad = 0;   // anything non-ASCII that is not, controls, bad bytes
  double value() const {
    return good + bad == 0 ? 1.0 : static_cast<double>(good) / (good + bad);
  }
  size_t evidence() const { return good + bad; }
};

// How Vietnamese `utf8` (NFC) looks; see decode.h for the rule.
Score ScoreVietnamese(absl::string_view utf8) {
  Score score;
  std::vector<Letter> word;
  bool word_ok = true;
  size_t word_non_ascii = 0;
  auto end_word = [&] {
    if (word_non_ascii > 0) {
      if (word_ok && IsSyllable(word)) {
        score.good += word_non_ascii;
      } else {
        score.bad += word_non_ascii;
      }
    }
    word.clear();
    word_ok = true;
    word_non_ascii = 0;
  };
  size_t pos = 0;
  while (pos < utf8.size()) {
    const char32_t cp = text::DecodeUtf8(utf8, &pos);
    if (cp < 0x80) {
      Letter l;
      if (AsLetter(cp, &l)) {
        l.upper = false;
        word.push_back(l);
        continue;
      }
      end_word();
      if (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r' && cp != '\f' && cp != '\v') {
        ++score.bad;
      }
      continue;
    }
    if (IsNeutralPunctuation(cp)) {
      end_word();
      continue;
    }
    ++word_non_ascii;
    Letter l;
    if (AsLetter(cp, &l)) {
      word.push_back(l);
    } else {
      word_ok = false;  // foreign letter, symbol, control, stray mark, U+FFFD
    }
  }
  end_word();
  return score;
}

// ---------------------------------------------------------------------------
// Decoders. Each appends to *out; in strict mode the first undecodable byte
// is an InvalidArgument naming its offset in the caller's input (`base` is
// the offset of `bytes` within it).

absl::Status Decode8Bit(absl::string_view bytes, size_t base, const ByteTable& table,
                        Encoding encoding, bool lenient, std::string* out,
                        size_t* replacements) {
  out->reserve(out->size() + bytes.size() + bytes.size() / 2);
  for (size_t i = 0; i < bytes.size(); ++i) {
    const uint8_t b = static_cast<uint8_t>(bytes[i]);
    const ByteEntry& e = table.entries[b];
    if (e.count == 0) {
      if (!lenient) {
        return absl::InvalidArgumentError(absl::StrFormat(
            "invalid %s at byte %d (0x%02x): no mapping", EncodingName(encoding), base + i, b));
      }
      AppendUtf8(kReplacement, out);
      ++*replacements;
      continue;
    }
    out->append(e.utf8, e.utf8_len);
  }
  return absl::OkStatus();
}

// True if DecodeUtf8 returned a replacement for a bad byte (not a real U+FFFD).
bool IsBadByte(char32_t cp, size_t before, size_t after) {
  return cp == kReplacement && after - before == 1;
}

// UTF-8 that failed validation: copies it with U+FFFD for each bad byte.
void DecodeUtf8Lenient(absl::string_view bytes, std::string* out, size_t* replacements) {
  size_t pos = 0;
  while (pos < bytes.size()) {
    const size_t before = pos;
    const char32_t cp = text::DecodeUtf8(bytes, &pos);
    if (IsBadByte(cp, before, pos)) {
      ++*replacements;
      AppendUtf8(kReplacement, out);
    } else {
      out->append(bytes.data() + before, pos - before);
    }
  }
}

absl::Status DecodeUtf16(absl::string_view bytes, size_t base, bool big_endian,
                         bool lenient, std::string* out, size_t* replacements) {
  auto unit = [&](size_t i) -> char32_t {
    const uint8_t b0 = static_cast<uint8_t>(bytes[i]);
    const uint8_t b1 = static_cast<uint8_t>(bytes[i + 1]);
    return big_endian ? (b0 << 8 | b1) : (b1 << 8 | b0);
  };
  const absl::string_view name = big_endian ? "utf-16be" : "utf-16le";
  out->reserve(out->size() + bytes.size());
  size_t i = 0;
  for (; i + 1 < bytes.size(); i += 2) {
    char32_t cp = unit(i);
    if (cp >= 0xD800 && cp <= 0xDFFF) {
      const bool high = cp <= 0xDBFF;
      const char32_t next = i + 3 < bytes.size() ? unit(i + 2) : 0;
      if (high && next >= 0xDC00 && next <= 0xDFFF) {
        cp = 0x10000 + ((cp - 0xD800) << 10) + (next - 0xDC00);
        i += 2;
      } else {
        if (!lenient) {
          return absl::InvalidArgumentError(absl::StrFormat(
              "invalid %s at byte %d (0x%04x): unpaired surrogate", name, base + i, cp));
        }
        ++*replacements;
        cp = kReplacement;
      }
    }
    AppendUtf8(cp, out);
  }
  if (i < bytes.size()) {
    if (!lenient) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "invalid %s at byte %d: odd length %d, the last code unit is truncated", name,
          base + i, base + bytes.size()));
    }
    ++*replacements;
    AppendUtf8(kReplacement, out);
  }
  return absl::OkStatus();
}

// The Windows-1252 byte a mis-decoding turned into `cp`, or -1. C1 controls
// stand for themselves: that is how the five bytes cp1252 leaves undefined
// (and every 80..9F byte, after an ISO-8859-1 mis-decoding) survive.
int Cp1252Byte(char32_t cp) {
  if (cp < 0x100) return static_cast<int>(cp);
  for (int i = 0; i < 32; ++i) {
    if (kCp1252High[i] == cp) return 0x80 + i;
  }
  return -1;
}

// Maps each code point of valid UTF-8 `utf8` to its Windows-1252 byte. On
// failure returns false and sets *bad_offset to the offset of the first code
// point without one.
bool ToCp1252Bytes(absl::string_view utf8, std::string* out, size_t* bad_offset) {
  out->clear();
  out->reserve(utf8.size());
  size_t pos = 0;
  while (pos < utf8.size()) {
    if (static_cast<uint8_t>(utf8[pos]) < 0x80) {
      out->push_back(utf8[pos++]);
      continue;
    }
    const size_t before = pos;
    const int b = Cp1252Byte(text::DecodeUtf8(utf8, &pos));
    if (b < 0) {
      *bad_offset = before;
      return false;
    }
    out->push_back(static_cast<char>(b));
  }
  return true;
}

// Offset in `utf8` of its `n`-th code point (each became one repaired byte).
size_t OffsetOfCodePoint(absl::string_view utf8, size_t n) {
  size_t pos = 0;
  for (size_t i = 0; i < n && pos < utf8.size(); ++i) text::DecodeUtf8(utf8, &pos);
  return pos;
}

// Repairs mojibake `utf8` (valid UTF-8) into *out.
absl::Status RepairMojibake(absl::string_view utf8, size_t base, bool lenient,
                            std::string* out, size_t* replacements) {
  std::string bytes;
  size_t bad = 0;
  if (!ToCp1252Bytes(utf8, &bytes, &bad)) {
    if (!lenient) {
      size_t p = bad;
      const char32_t cp = text::DecodeUtf8(utf8, &p);
      return absl::InvalidArgumentError(absl::StrFormat(
          "invalid utf-8-mojibake at byte %d (U+%04X): no Windows-1252 byte", base + bad,
          static_cast<uint32_t>(cp)));
    }
    // Lenient: characters with no cp1252 byte become U+FFFD, the rest is
    // repaired run by run.
    size_t pos = 0;
    std::string run;
    auto flush = [&] {
      DecodeUtf8Lenient(run, out, replacements);
      run.clear();
    };
    while (pos < utf8.size()) {
      const int b = Cp1252Byte(text::DecodeUtf8(utf8, &pos));
      if (b < 0) {
        flush();
        AppendUtf8(kReplacement, out);
        ++*replacements;
      } else {
        run.push_back(static_cast<char>(b));
      }
    }
    flush();
    return absl::OkStatus();
  }
  if (text::ValidateUtf8(bytes).ok()) {
    out->append(bytes);
    return absl::OkStatus();
  }
  if (lenient) {
    DecodeUtf8Lenient(bytes, out, replacements);
    return absl::OkStatus();
  }
  size_t pos = 0;
  while (pos < bytes.size()) {
    const size_t before = pos;
    const char32_t cp = text::DecodeUtf8(bytes, &pos);
    if (IsBadByte(cp, before, pos)) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "invalid utf-8-mojibake at byte %d: the repaired bytes are not UTF-8 (0x%02x)",
          base + OffsetOfCodePoint(utf8, before), static_cast<uint8_t>(bytes[before])));
    }
  }
  return absl::InternalError("mojibake repair: validation disagrees with decoding");
}

// Number of valid multi-byte sequences and of bad bytes in `bytes`.
void CountUtf8(absl::string_view bytes, size_t* sequences, size_t* bad) {
  *sequences = 0;
  *bad = 0;
  size_t pos = 0;
  while (pos < bytes.size()) {
    if (static_cast<uint8_t>(bytes[pos]) < 0x80) {
      ++pos;
      continue;
    }
    const size_t before = pos;
    const char32_t cp = text::DecodeUtf8(bytes, &pos);
    if (IsBadByte(cp, before, pos)) {
      ++*bad;
    } else {
      ++*sequences;
    }
  }
}

// 1 - 2^-(n+1): one multi-byte sequence is weak evidence, ten are certainty.
double SequenceConfidence(size_t n) {
  double c = 0.5;
  for (size_t i = 0; i < n && c > 1e-9; ++i) c /= 2;
  return 1.0 - c;
}

bool StartsWith(absl::string_view s, absl::string_view prefix) {
  return s.size() >= prefix.size() && s.substr(0, prefix.size()) == prefix;
}

constexpr absl::string_view kUtf8Bom = "\xEF\xBB\xBF";
constexpr absl::string_view kUtf16LeBom = "\xFF\xFE";
constexpr absl::string_view kUtf16BeBom = "\xFE\xFF";

// Decodes `bytes` as `encoding` (no detection) into result->utf8 (not yet
// NFC). Removes a BOM that matches the encoding.
absl::Status DecodeAs(absl::string_view bytes, Encoding encoding, bool lenient,
                      DecodeResult* result) {
  result->encoding = encoding;
  std::string& out = result->utf8;
  size_t* repl = &result->replacements;
  switch (encoding) {
    case Encoding::kUtf8:
    case Encoding::kUtf8Mojibake: {
      const size_t base = StartsWith(bytes, kUtf8Bom) ? kUtf8Bom.size() : 0;
      result->had_bom = base != 0;
      const absl::string_view body = bytes.substr(base);
      const absl::Status valid = text::ValidateUtf8(bytes);
      std::string utf8;
      if (!valid.ok()) {
        if (!lenient) return valid;  // offsets count the BOM: validated `bytes`
        DecodeUtf8Lenient(body, &utf8, repl);
      }
      const absl::string_view text = valid.ok() ? body : absl::string_view(utf8);
      if (encoding == Encoding::kUtf8) {
        out.append(text.data(), text.size());
        return absl::OkStatus();
      }
      return RepairMojibake(text, base, lenient, &out, repl);
    }
    case Encoding::kUtf16Le:
    case Encoding::kUtf16Be: {
      const bool be = encoding == Encoding::kUtf16Be;
      const size_t base = StartsWith(bytes, be ? kUtf16BeBom : kUtf16LeBom) ? 2 : 0;
      result->had_bom = base != 0;
      return DecodeUtf16(bytes.substr(base), base, be, lenient, &out, repl);
    }
    case Encoding::kWindows1258:
    case Encoding::kTcvn3:
    case Encoding::kVni:
    case Encoding::kViscii: {
      VNA_ASSIGN_OR_RETURN(const ByteTable* table, TableFor(encoding));
      return Decode8Bit(bytes, 0, *table, encoding, lenient, &out, repl);
    }
  }
  return absl::InternalError("unknown encoding");
}

// Step 4 of detection: the 8-bit candidate whose decoding looks most
// Vietnamese, and how sure that is.
absl::Status DetectLegacy(absl::string_view bytes, Encoding* best, double* confidence) {
  static constexpr Encoding kCandidates[] = {Encoding::kWindows1258, Encoding::kVni,
                                             Encoding::kTcvn3, Encoding::kViscii};
  const absl::string_view sample = bytes.substr(0, kDetectPrefixBytes);
  double best_value = -1, second_value = -1;
  size_t best_evidence = 0;
  for (Encoding e : kCandidates) {
    VNA_ASSIGN_OR_RETURN(const ByteTable* table, TableFor(e));
    std::string decoded;
    size_t unmapped = 0;
    VNA_RETURN_IF_ERROR(Decode8Bit(sample, 0, *table, e, /*lenient=*/true, &decoded, &unmapped));
    Score s = ScoreVietnamese(text::ToNfc(decoded));
    s.bad += unmapped;  // already bad as U+FFFD; count again: a hard no
    const double v = s.value();
    if (v > best_value) {
      second_value = best_value;
      best_value = v;
      best_evidence = s.evidence();
      *best = e;
    } else if (v > second_value) {
      second_value = v;
    }
  }
  const double margin = best_value - std::max(0.0, second_value);
  const double evidence = static_cast<double>(best_evidence) / (best_evidence + 3.0);
  *confidence = std::min(
      0.99, best_value * (0.5 + 0.5 * std::min(1.0, margin / 0.3)) * evidence);
  return absl::OkStatus();
}

absl::Status Detect(absl::string_view bytes, bool lenient, DecodeResult* result) {
  if (StartsWith(bytes, kUtf8Bom) || StartsWith(bytes, kUtf16LeBom) ||
      StartsWith(bytes, kUtf16BeBom)) {
    const Encoding e = StartsWith(bytes, kUtf8Bom)      ? Encoding::kUtf8
                       : StartsWith(bytes, kUtf16LeBom) ? Encoding::kUtf16Le
                                                        : Encoding::kUtf16Be;
    VNA_RETURN_IF_ERROR(DecodeAs(bytes, e, lenient, result));
    result->confidence = 1.0;
    if (e != Encoding::kUtf8) return absl::OkStatus();
    // Notepad-saved mojibake carries a UTF-8 BOM too: fall through to step 2
    // on the decoded body.
  }
  size_t sequences = 0, bad = 0;
  if (result->had_bom) {
    if (result->replacements > 0) return absl::OkStatus();  // damaged: not mojibake
    CountUtf8(result->utf8, &sequences, &bad);
  } else {
    CountUtf8(bytes, &sequences, &bad);
    if (bad > 0 && sequences < 4 * bad) {
      Encoding e = Encoding::kWindows1258;
      double confidence = 0;
      VNA_RETURN_IF_ERROR(DetectLegacy(bytes, &e, &confidence));
      DecodeResult legacy;
      if (DecodeAs(bytes, e, lenient, &legacy).ok()) {
        *result = std::move(legacy);
        result->confidence = confidence;
        return absl::OkStatus();
      }
      // Not even the best 8-bit guess decodes it: most likely damaged UTF-8
      // (a short text with a few bad bytes), so report the UTF-8 error, which
      // names the first bad byte, rather than a legacy-table miss.
    }
    VNA_RETURN_IF_ERROR(DecodeAs(bytes, Encoding::kUtf8, lenient, result));
    result->confidence =
        sequences == 0 ? 1.0 : static_cast<double>(sequences) / (sequences + bad) *
                                   SequenceConfidence(sequences);
    if (bad > 0) return absl::OkStatus();  // damaged UTF-8 is not mojibake
  }
  if (sequences == 0) return absl::OkStatus();
  // Step 2: mojibake?
  std::string cp1252;
  size_t unused = 0;
  if (!ToCp1252Bytes(result->utf8, &cp1252, &unused) || cp1252 == result->utf8 ||
      !text::ValidateUtf8(cp1252).ok()) {
    return absl::OkStatus();
  }
  const double before = ScoreVietnamese(text::ToNfc(result->utf8)).value();
  const double after = ScoreVietnamese(text::ToNfc(cp1252)).value();
  if (after < before) return absl::OkStatus();
  size_t repaired_sequences = 0;
  CountUtf8(cp1252, &repaired_sequences, &bad);
  result->utf8 = std::move(cp1252);
  result->encoding = Encoding::kUtf8Mojibake;
  result->confidence = std::min(0.99, 0.7 + 0.3 * (after - before)) *
                       SequenceConfidence(repaired_sequences);
  return absl::OkStatus();
}

}  // namespace

bool MayDecodeAsIs(absl::string_view bytes, double* confidence) {
  if (StartsWith(bytes, kUtf8Bom) || StartsWith(bytes, kUtf16LeBom) ||
      StartsWith(bytes, kUtf16BeBom)) {
    return false;
  }
  // In well-formed UTF-8 every byte from C0 up leads a multi-byte sequence.
  // SequenceConfidence no longer changes after a few dozen, so counting
  // stops there instead of reading the whole text.
  constexpr size_t kEnoughSequences = 64;
  size_t sequences = 0;
  for (size_t i = 0; i < bytes.size() && sequences < kEnoughSequences; ++i) {
    sequences += static_cast<uint8_t>(bytes[i]) >= 0xC0;
  }
  *confidence = sequences == 0 ? 1.0 : SequenceConfidence(sequences);
  if (sequences == 0) return true;
  // Detect's mojibake test (step 2). Vietnamese has letters Windows-1252
  // lacks, so for real text ToCp1252Bytes gives up within a few words.
  std::string cp1252;
  size_t unused = 0;
  if (!ToCp1252Bytes(bytes, &cp1252, &unused) || cp1252 == bytes ||
      !text::ValidateUtf8(cp1252).ok()) {
    return true;
  }
  return ScoreVietnamese(text::ToNfc(cp1252)).value() <
         ScoreVietnamese(text::ToNfc(bytes)).value();
}

namespace {

// ---------------------------------------------------------------------------
// Encoders.

absl::Status Unencodable(size_t offset, char32_t cp, Encoding e, absl::string_view why) {
  std::string ch;
  AppendUtf8(cp, &ch);
  return absl::InvalidArgumentError(absl::StrFormat(
      "%s cannot encode U+%04X (%s) at byte %d%s", EncodingName(e), static_cast<uint32_t>(cp),
      ch, offset, why));
}

// VNI's base letter + diacritic byte form of a Vietnamese letter.
std::string EncodeVniLetter(const Letter& l) {
  const int shift = l.upper ? 0x20 : 0;
  auto byte = [&](uint8_t b) { return std::string(1, static_cast<char>(b - shift)); };
  const char base = l.upper ? absl::ascii_toupper(l.base) : l.base;
  if (l.shape == kStroke) return byte(kVniDStroke);
  if (l.base == 'i' && l.tone != 0) return byte(kVniToneI[l.tone]);
  if (l.base == 'y' && l.tone == 5) return byte(kVniYDot);
  if (l.shape == kHorn) {
    std::string s = byte(l.base == 'o' ? kVniOHorn : kVniUHorn);
    if (l.tone != 0) s += byte(kVniTone[l.tone]);
    return s;
  }
  std::string s(1, base);
  if (l.shape == kCircumflex) return s + byte(kVniCircumflex[l.tone]);
  if (l.shape == kBreve) return s + byte(kVniBreve[l.tone]);
  if (l.tone != 0) s += byte(kVniTone[l.tone]);
  return s;
}

absl::StatusOr<std::string> Encode8Bit(absl::string_view nfc, Encoding encoding) {
  VNA_ASSIGN_OR_RETURN(const ByteTable* table, TableFor(encoding));
  std::string out;
  out.reserve(nfc.size());
  size_t pos = 0;
  while (pos < nfc.size()) {
    const size_t offset = pos;
    const char32_t cp = text::DecodeUtf8(nfc, &pos);
    Letter l;
    const bool letter = cp >= 0x80 && AsLetter(cp, &l);
    if (letter && encoding == Encoding::kVni) {
      out += EncodeVniLetter(l);
      continue;
    }
    const auto it = table->reverse.find(cp);
    if (it != table->reverse.end()) {
      out.push_back(static_cast<char>(it->second));
      continue;
    }
    if (letter && l.tone != 0) {  // Windows-1258: base letter + combining tone
      const auto shaped = table->reverse.find(l.shaped);
      const auto tone = table->reverse.find(kToneMarks[l.tone]);
      if (shaped != table->reverse.end() && tone != table->reverse.end()) {
        out.push_back(static_cast<char>(shaped->second));
        out.push_back(static_cast<char>(tone->second));
        continue;
      }
    }
    const bool abc_capital = encoding == Encoding::kTcvn3 && letter && l.upper && l.tone != 0;
    return Unencodable(offset, cp, encoding,
                       abc_capital ? " (TCVN3 keeps upper-case toned letters in separate "
                                     "\"H\" fonts, not in the byte set)"
                                   : "");
  }
  return out;
}

}  // namespace

absl::string_view EncodingName(Encoding encoding) {
  switch (encoding) {
    case Encoding::kUtf8:
      return "utf-8";
    case Encoding::kUtf16Le:
      return "utf-16le";
    case Encoding::kUtf16Be:
      return "utf-16be";
    case Encoding::kWindows1258:
      return "windows-1258";
    case Encoding::kTcvn3:
      return "tcvn3";
    case Encoding::kVni:
      return "vni";
    case Encoding::kViscii:
      return "viscii";
    case Encoding::kUtf8Mojibake:
      return "utf-8-mojibake";
  }
  return "unknown";
}

absl::StatusOr<Encoding> ParseEncodingName(absl::string_view name) {
  static constexpr std::pair<const char*, Encoding> kNames[] = {
      {"utf-8", Encoding::kUtf8},
      {"utf8", Encoding::kUtf8},
      {"utf-16le", Encoding::kUtf16Le},
      {"utf16le", Encoding::kUtf16Le},
      {"utf-16-le", Encoding::kUtf16Le},
      {"utf-16be", Encoding::kUtf16Be},
      {"utf16be", Encoding::kUtf16Be},
      {"utf-16-be", Encoding::kUtf16Be},
      {"windows-1258", Encoding::kWindows1258},
      {"windows1258", Encoding::kWindows1258},
      {"cp1258", Encoding::kWindows1258},
      {"cp-1258", Encoding::kWindows1258},
      {"win1258", Encoding::kWindows1258},
      {"tcvn3", Encoding::kTcvn3},
      {"tcvn", Encoding::kTcvn3},
      {"tcvn-3", Encoding::kTcvn3},
      {"abc", Encoding::kTcvn3},
      {"vn3", Encoding::kTcvn3},
      {"vni", Encoding::kVni},
      {"vni-windows", Encoding::kVni},
      {"vniwin", Encoding::kVni},
      {"viscii", Encoding::kViscii},
      {"utf-8-mojibake", Encoding::kUtf8Mojibake},
      {"utf8-mojibake", Encoding::kUtf8Mojibake},
      {"mojibake", Encoding::kUtf8Mojibake},
  };
  const std::string lower = absl::AsciiStrToLower(absl::StripAsciiWhitespace(name));
  for (const auto& [alias, encoding] : kNames) {
    if (lower == alias) return encoding;
  }
  std::vector<absl::string_view> known;
  for (Encoding e : {Encoding::kUtf8, Encoding::kUtf16Le, Encoding::kUtf16Be,
                     Encoding::kWindows1258, Encoding::kTcvn3, Encoding::kVni,
                     Encoding::kViscii, Encoding::kUtf8Mojibake}) {
    known.push_back(EncodingName(e));
  }
  return absl::InvalidArgumentError(absl::StrFormat(
      "unknown encoding \"%s\"; known: %s", absl::CHexEscape(name.substr(0, 64)),
      absl::StrJoin(known, ", ")));
}

absl::StatusOr<DecodeResult> Decode(absl::string_view bytes, const DecodeOptions& options) {
  if (bytes.size() > options.max_input_bytes) {
    return absl::ResourceExhaustedError(absl::StrFormat(
        "input of %d bytes is larger than max_input_bytes (%d)", bytes.size(),
        options.max_input_bytes));
  }
  DecodeResult result;
  if (options.forced.has_value()) {
    VNA_RETURN_IF_ERROR(DecodeAs(bytes, *options.forced, options.lenient, &result));
    result.confidence = 1.0;
  } else {
    VNA_RETURN_IF_ERROR(Detect(bytes, options.lenient, &result));
  }
  // NFC composes Windows-1258's and VNI's base letter + tone; the quick
  // check keeps already-NFC text a copy.
  if (!text::IsNfc(result.utf8)) {
    VNA_ASSIGN_OR_RETURN(result.utf8, text::ToNfcChecked(result.utf8));
  }
  return result;
}

absl::StatusOr<std::string> Encode(absl::string_view utf8, Encoding encoding) {
  VNA_RETURN_IF_ERROR(text::ValidateUtf8(utf8));
  VNA_ASSIGN_OR_RETURN(const std::string nfc, text::ToNfcChecked(utf8));
  switch (encoding) {
    case Encoding::kUtf8:
      return nfc;
    case Encoding::kUtf16Le:
    case Encoding::kUtf16Be: {
      const bool be = encoding == Encoding::kUtf16Be;
      std::string out(be ? kUtf16BeBom : kUtf16LeBom);
      auto unit = [&](uint32_t u) {
        const char hi = static_cast<char>(u >> 8), lo = static_cast<char>(u & 0xFF);
        out.push_back(be ? hi : lo);
        out.push_back(be ? lo : hi);
      };
      size_t pos = 0;
      while (pos < nfc.size()) {
        const uint32_t cp = text::DecodeUtf8(nfc, &pos);
        if (cp >= 0x10000) {
          unit(0xD800 + ((cp - 0x10000) >> 10));
          unit(0xDC00 + ((cp - 0x10000) & 0x3FF));
        } else {
          unit(cp);
        }
      }
      return out;
    }
    case Encoding::kUtf8Mojibake: {
      // Each UTF-8 byte read as Windows-1252; undefined bytes as C1 controls.
      std::string out;
      for (const char c : nfc) {
        const uint8_t b = static_cast<uint8_t>(c);
        const char32_t cp = b >= 0x80 && b < 0xA0 && kCp1252High[b - 0x80] != 0
                                ? kCp1252High[b - 0x80]
                                : b;
        AppendUtf8(cp, &out);
      }
      return out;
    }
    case Encoding::kWindows1258:
    case Encoding::kTcvn3:
    case Encoding::kVni:
    case Encoding::kViscii:
      return Encode8Bit(nfc, encoding);
  }
  return absl::InternalError("unknown encoding");
}

}  // namespace normalize
}  // namespace vnarchive
