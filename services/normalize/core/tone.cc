#include "services/normalize/core/tone.h"

#include <cstdint>
#include <cstring>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/text/nfc.h"
#include "common/text/segment.h"
#include "common/text/utf8.h"

namespace vnarchive {
namespace normalize {
namespace {

// Vowel letters without tone, 1..12; 0 is "not a vowel". Consonants are
// stored as their lower-case ASCII letter (>= 'a'), đ as kDd, so one byte
// names any letter of a syllable.
enum : uint8_t {
  kA = 1, kAw, kAa, kE, kEe, kI, kO, kOo, kOw, kU, kUw, kY,  // a ă â e ê i o ô ơ u ư y
  kDd = 13,                                                   // đ
};
constexpr int kVowelCount = 12;
constexpr int kToneCount = 6;  // none, sắc, huyền, hỏi, ngã, nặng

constexpr bool IsVowel(uint8_t code) { return code >= kA && code <= kY; }
// ă â ê ô ơ ư: the vowels that attract the tone (rule 1 in tone.h).
constexpr bool HasQualityMark(uint8_t code) {
  return code == kAw || code == kAa || code == kEe || code == kOo || code == kOw ||
         code == kUw;
}

// kForms[vowel - 1][tone]: the lower-case precomposed code point. Checked
// against ICU's decompositions in tone_test.cc.
constexpr char16_t kForms[kVowelCount][kToneCount] = {
    {0x0061, 0x00E1, 0x00E0, 0x1EA3, 0x00E3, 0x1EA1},  // a á à ả ã ạ
    {0x0103, 0x1EAF, 0x1EB1, 0x1EB3, 0x1EB5, 0x1EB7},  // ă ắ ằ ẳ ẵ ặ
    {0x00E2, 0x1EA5, 0x1EA7, 0x1EA9, 0x1EAB, 0x1EAD},  // â ấ ầ ẩ ẫ ậ
    {0x0065, 0x00E9, 0x00E8, 0x1EBB, 0x1EBD, 0x1EB9},  // e é è ẻ ẽ ẹ
    {0x00EA, 0x1EBF, 0x1EC1, 0x1EC3, 0x1EC5, 0x1EC7},  // ê ế ề ể ễ ệ
    {0x0069, 0x00ED, 0x00EC, 0x1EC9, 0x0129, 0x1ECB},  // i í ì ỉ ĩ ị
    {0x006F, 0x00F3, 0x00F2, 0x1ECF, 0x00F5, 0x1ECD},  // o ó ò ỏ õ ọ
    {0x00F4, 0x1ED1, 0x1ED3, 0x1ED5, 0x1ED7, 0x1ED9},  // ô ố ồ ổ ỗ ộ
    {0x01A1, 0x1EDB, 0x1EDD, 0x1EDF, 0x1EE1, 0x1EE3},  // ơ ớ ờ ở ỡ ợ
    {0x0075, 0x00FA, 0x00F9, 0x1EE7, 0x0169, 0x1EE5},  // u ú ù ủ ũ ụ
    {0x01B0, 0x1EE9, 0x1EEB, 0x1EED, 0x1EEF, 0x1EF1},  // ư ứ ừ ử ữ ự
    {0x0079, 0x00FD, 0x1EF3, 0x1EF7, 0x1EF9, 0x1EF5},  // y ý ỳ ỷ ỹ ỵ
};

// Upper case of a code point from kForms (or đ): ASCII and Latin-1 letters
// are 0x20 apart, the Latin Extended ones are (upper, lower) pairs.
constexpr char32_t UpperOf(char32_t lower) {
  return lower < 0x100 ? lower - 0x20 : lower - 1;
}

constexpr char32_t FormOf(uint8_t vowel, uint8_t tone, bool upper) {
  const char32_t lower = kForms[vowel - 1][tone];
  return upper ? UpperOf(lower) : lower;
}

// A decoded letter, packed into one byte for the tables below:
// bits 0-3 letter code (vowel or kDd), bits 4-6 tone, bit 7 upper case.
// 0 means "not a Vietnamese letter".
constexpr uint8_t Pack(uint8_t code, uint8_t tone, bool upper) {
  return static_cast<uint8_t>(code | (tone << 4) | (upper ? 0x80 : 0));
}

// Every Vietnamese letter outside ASCII is in U+00C0..U+01BF (two UTF-8
// bytes, lead 0xC3..0xC6) or U+1E80..U+1EFF (E1 BA xx / E1 BB xx), so two
// small tables decode them without a search.
constexpr char32_t kLatinBegin = 0x00C0;
constexpr char32_t kLatinEnd = 0x01C0;
constexpr char32_t kExtBegin = 0x1E80;
constexpr char32_t kExtEnd = 0x1F00;

struct DecodeTables {
  uint8_t latin[kLatinEnd - kLatinBegin] = {};
  uint8_t ext[kExtEnd - kExtBegin] = {};
};

constexpr void Put(DecodeTables* t, char32_t cp, uint8_t packed) {
  if (cp >= kLatinBegin && cp < kLatinEnd) t->latin[cp - kLatinBegin] = packed;
  if (cp >= kExtBegin && cp < kExtEnd) t->ext[cp - kExtBegin] = packed;
}

constexpr DecodeTables BuildDecodeTables() {
  DecodeTables t;
  for (uint8_t v = kA; v <= kY; ++v) {
    for (uint8_t tone = 0; tone < kToneCount; ++tone) {
      Put(&t, FormOf(v, tone, false), Pack(v, tone, false));
      Put(&t, FormOf(v, tone, true), Pack(v, tone, true));
    }
  }
  Put(&t, 0x0111, Pack(kDd, 0, false));  // đ
  Put(&t, 0x0110, Pack(kDd, 0, true));   // Đ
  return t;
}
constexpr DecodeTables kDecode = BuildDecodeTables();

// ASCII bytes: 0 separator, kAsciiOther a digit, otherwise the letter code.
constexpr uint8_t kAsciiOther = 0xFF;
struct AsciiTable {
  uint8_t code[128] = {};
};
constexpr AsciiTable BuildAsciiTable() {
  AsciiTable t;
  for (int c = '0'; c <= '9'; ++c) t.code[c] = kAsciiOther;
  for (int c = 'a'; c <= 'z'; ++c) {
    uint8_t code = static_cast<uint8_t>(c);
    switch (c) {
      case 'a': code = kA; break;
      case 'e': code = kE; break;
      case 'i': code = kI; break;
      case 'o': code = kO; break;
      case 'u': code = kU; break;
      case 'y': code = kY; break;
      default: break;
    }
    t.code[c] = code;
    t.code[c - 'a' + 'A'] = code;
  }
  return t;
}
constexpr AsciiTable kAscii = BuildAsciiTable();

// Vowel clusters of Vietnamese, keyed by up to three vowel codes. Clusters
// ending in a glide (i/y/o/u after another vowel) close the syllable
// themselves and take no final consonant. A cluster outside this list
// ("ou", "ei", "ưo") marks a foreign word or a misspelling we do not guess
// at.
enum : uint8_t { kNotNucleus = 0, kOpenOnly = 1, kOpenOrClosed = 2 };
constexpr int NucleusKey(uint8_t v0, uint8_t v1, uint8_t v2) {
  return v0 + 13 * v1 + 169 * v2;
}
struct NucleusEntry {
  uint8_t v0, v1, v2, kind;
};
constexpr NucleusEntry kNucleusList[] = {
    // Two vowels. oo: xoong, soóc; uơ: thuở, huơ; uâ: xuân; oă: hoặc.
    {kA, kI, 0, kOpenOnly},   {kA, kO, 0, kOpenOnly},     {kA, kU, 0, kOpenOnly},
    {kA, kY, 0, kOpenOnly},   {kAa, kU, 0, kOpenOnly},    {kAa, kY, 0, kOpenOnly},
    {kE, kO, 0, kOpenOnly},   {kEe, kU, 0, kOpenOnly},    {kI, kA, 0, kOpenOnly},
    {kI, kEe, 0, kOpenOrClosed}, {kI, kU, 0, kOpenOnly},  {kO, kA, 0, kOpenOrClosed},
    {kO, kAw, 0, kOpenOrClosed}, {kO, kE, 0, kOpenOrClosed}, {kO, kI, 0, kOpenOnly},
    {kO, kO, 0, kOpenOrClosed}, {kOo, kI, 0, kOpenOnly}, {kOw, kI, 0, kOpenOnly},
    {kU, kA, 0, kOpenOnly},   {kU, kAa, 0, kOpenOrClosed}, {kU, kEe, 0, kOpenOrClosed},
    {kU, kI, 0, kOpenOnly},   {kU, kOo, 0, kOpenOrClosed}, {kU, kOw, 0, kOpenOrClosed},
    {kU, kY, 0, kOpenOrClosed}, {kUw, kA, 0, kOpenOnly}, {kUw, kI, 0, kOpenOnly},
    {kUw, kU, 0, kOpenOnly},  {kUw, kOw, 0, kOpenOrClosed}, {kY, kEe, 0, kOpenOrClosed},
    // Three vowels. oao: ngoao; uya: khuya; uyu: khuỷu; oeo: ngoẹo.
    {kI, kEe, kU, kOpenOnly},  {kY, kEe, kU, kOpenOnly},  {kO, kA, kI, kOpenOnly},
    {kO, kA, kY, kOpenOnly},   {kO, kA, kO, kOpenOnly},   {kO, kE, kO, kOpenOnly},
    {kU, kAa, kY, kOpenOnly},  {kU, kOo, kI, kOpenOnly},  {kUw, kOw, kI, kOpenOnly},
    {kUw, kOw, kU, kOpenOnly}, {kU, kY, kA, kOpenOnly},   {kU, kY, kEe, kOpenOrClosed},
    {kU, kY, kU, kOpenOnly},
};
struct NucleusTable {
  uint8_t kind[13 * 13 * 13] = {};
};
constexpr NucleusTable BuildNucleusTable() {
  NucleusTable t;
  for (uint8_t v = kA; v <= kY; ++v) t.kind[NucleusKey(v, 0, 0)] = kOpenOrClosed;
  for (const NucleusEntry& e : kNucleusList) t.kind[NucleusKey(e.v0, e.v1, e.v2)] = e.kind;
  return t;
}
constexpr NucleusTable kNuclei = BuildNucleusTable();

// The longest syllable, "nghiêng", has seven letters; longer words are not
// Vietnamese syllables and are skipped without analysis.
constexpr int kMaxLetters = internal::kMaxSyllableLetters;

struct Letter {
  uint8_t code = 0;   // vowel 1..12, kDd, or a lower-case ASCII consonant
  uint8_t tone = 0;   // 0..5; only vowels carry one
  bool upper = false;
  uint8_t begin = 0;  // byte offset in the word
  uint8_t size = 0;   // UTF-8 bytes
};

// Returns the index in `l[0, n)` of the vowel that must carry the tone, or -1
// if the letters are not a Vietnamese syllable (then the word is left alone).
int TonePosition(const Letter* l, int n, ToneStyle style) {
  auto code = [l, n](int k) -> uint8_t { return k < n ? l[k].code : 0; };
  // Initial consonant.
  int i = 0;
  switch (code(0)) {
    case 'q':  // the u of qu is part of the initial: quả, quý, quốc
      if (code(1) != kU) return -1;
      i = 2;
      break;
    case 'g':  // gh; gi before another vowel (giá, giữa) but not in gì, gìn
      i = code(1) == 'h' || (code(1) == kI && IsVowel(code(2))) ? 2 : 1;
      break;
    case 'n':
      i = code(1) == 'g' ? (code(2) == 'h' ? 3 : 2) : code(1) == 'h' ? 2 : 1;
      break;
    case 'c': case 'k': case 'p':
      i = code(1) == 'h' ? 2 : 1;
      break;
    case 't':
      i = code(1) == 'h' || code(1) == 'r' ? 2 : 1;
      break;
    case 'b': case 'd': case kDd: case 'h': case 'l': case 'm': case 'r':
    case 's': case 'v': case 'x':
      i = 1;
      break;
    default:
      if (!IsVowel(code(0))) return -1;  // f, j, w, z, a digraph's tail...
      break;
  }
  // Nucleus: the run of vowels after the initial.
  const int nucleus = i;
  while (i < n && IsVowel(l[i].code)) ++i;
  const int vowels = i - nucleus;
  if (vowels < 1 || vowels > 3) return -1;
  const uint8_t kind = kNuclei.kind[NucleusKey(
      code(nucleus), vowels > 1 ? code(nucleus + 1) : 0, vowels > 2 ? code(nucleus + 2) : 0)];
  if (kind == kNotNucleus) return -1;
  // Final consonant: c ch m n ng nh p t, or nothing.
  const int final_size = n - i;
  if (final_size > 0) {
    if (kind == kOpenOnly || final_size > 2) return -1;
    const uint8_t f0 = code(i);
    const uint8_t f1 = code(i + 1);
    const bool ok = final_size == 1
                        ? (f0 == 'c' || f0 == 'm' || f0 == 'n' || f0 == 'p' || f0 == 't')
                        : ((f0 == 'c' && f1 == 'h') || (f0 == 'n' && (f1 == 'g' || f1 == 'h')));
    if (!ok) return -1;
  }
  // Placement, rules 1-5 of tone.h.
  for (int k = i - 1; k >= nucleus; --k) {
    if (HasQualityMark(l[k].code)) return k;
  }
  if (final_size > 0 || vowels == 1) return i - 1;
  if (vowels == 3) return nucleus + 1;
  const uint8_t v0 = l[nucleus].code;
  const uint8_t v1 = l[nucleus + 1].code;
  const bool style_dependent = (v0 == kO && (v1 == kA || v1 == kE)) || (v0 == kU && v1 == kY);
  if (style_dependent && style == ToneStyle::kModern) return nucleus + 1;
  return nucleus;
}

enum class CharKind {
  kSeparator,  // not part of a word (segment.h: not a letter, mark or digit)
  kLetter,     // a letter of the Vietnamese alphabet (CharInfo::packed)
  kOther,      // part of a word but not Vietnamese: digit, "ü", combining mark
};

// What one code point is, for the scan: returned by value so the hot loop
// keeps it in registers.
struct CharInfo {
  CharKind kind;
  uint8_t packed;  // Pack()ed letter when kind == kLetter
  uint8_t size;    // UTF-8 bytes
};

// Classifies the non-ASCII code point at p[0, avail) (avail >= 1, p[0] >=
// 0x80). The Vietnamese letters are decided by table; anything else falls
// back to the tokenizer's own definition, so word boundaries agree with
// text::ForEachTokenSpan.
inline CharInfo ReadNonAscii(const unsigned char* p, size_t avail) {
  const unsigned char c = p[0];
  char32_t cp;
  uint8_t size;
  if (c >= 0xC3 && c <= 0xC6 && avail >= 2 && (p[1] & 0xC0) == 0x80) {
    cp = (static_cast<char32_t>(c & 0x1F) << 6) | (p[1] & 0x3F);
    const uint8_t packed = kDecode.latin[cp - kLatinBegin];
    if (packed != 0) return {CharKind::kLetter, packed, 2};
    size = 2;
  } else if (c == 0xE1 && avail >= 3 && (p[1] == 0xBA || p[1] == 0xBB) &&
             (p[2] & 0xC0) == 0x80) {
    cp = kExtBegin + (static_cast<char32_t>(p[1] - 0xBA) << 6) + (p[2] & 0x3F);
    const uint8_t packed = kDecode.ext[cp - kExtBegin];
    if (packed != 0) return {CharKind::kLetter, packed, 3};
    size = 3;
  } else {
    size_t pos = 0;
    cp = text::DecodeUtf8(absl::string_view(reinterpret_cast<const char*>(p), avail), &pos);
    size = static_cast<uint8_t>(pos);
  }
  return {text::internal::IsNonAsciiTokenCodePoint(cp) ? CharKind::kOther : CharKind::kSeparator,
          0, size};
}

// Decodes the letter at p[0, avail) of a word already scanned (so it is a
// Vietnamese letter) into *letter; returns its UTF-8 length.
inline size_t ReadLetter(const unsigned char* p, size_t avail, Letter* letter) {
  if (p[0] < 0x80) {
    letter->code = kAscii.code[p[0]];
    letter->tone = 0;
    letter->upper = p[0] < 'a';
    return 1;
  }
  const CharInfo info = ReadNonAscii(p, avail);
  letter->code = info.packed & 0x0F;
  letter->tone = (info.packed >> 4) & 0x07;
  letter->upper = (info.packed & 0x80) != 0;
  return info.size;
}

// Applies edits to a string while it is scanned: an edit that keeps the byte
// length is written in place; the first one that does not starts a rebuilt
// copy, which later edits append to.
class Editor {
 public:
  explicit Editor(std::string* text) : text_(text) {}

  void Replace(size_t begin, size_t end, const char* bytes, size_t size) {
    if (size == end - begin) {
      std::memcpy(&(*text_)[begin], bytes, size);
      return;
    }
    if (!rebuilding_) {
      rebuilding_ = true;
      rebuilt_.reserve(text_->size() + text_->size() / 16 + 16);
    }
    rebuilt_.append(*text_, copied_, begin - copied_);
    rebuilt_.append(bytes, size);
    copied_ = end;
  }

  void Finish() {
    if (!rebuilding_) return;
    rebuilt_.append(*text_, copied_, std::string::npos);
    text_->swap(rebuilt_);
  }

 private:
  std::string* text_;
  bool rebuilding_ = false;
  std::string rebuilt_;
  size_t copied_ = 0;  // text_[0, copied_) is already in rebuilt_
};

// Writes the word data[begin, end) (at most kMaxLetters Vietnamese letters
// with exactly one tone) to `out` with its tone where `style` puts it and
// returns the new length, or returns 0 if the tone is already there (or the
// word is not a syllable we may change). `out` has room for
// kMaxLetters * 3 bytes.
size_t RewriteWord(const unsigned char* data, size_t begin, size_t end, ToneStyle style,
                   char* out) {
  Letter letter[kMaxLetters];
  int letters = 0;
  int toned = -1;
  for (size_t pos = begin; pos < end && letters < kMaxLetters; ++letters) {
    Letter& l = letter[letters];
    const size_t size = ReadLetter(data + pos, end - pos, &l);
    l.begin = static_cast<uint8_t>(pos - begin);
    l.size = static_cast<uint8_t>(size);
    if (l.tone != 0) toned = letters;
    pos += size;
  }
  const int target = TonePosition(letter, letters, style);
  if (target < 0 || toned < 0 || target == toned) return 0;
  size_t size = 0;
  const uint8_t tone = letter[toned].tone;
  for (int k = 0; k < letters; ++k) {
    const Letter& l = letter[k];
    if (k == toned) {
      size += text::WriteUtf8(FormOf(l.code, 0, l.upper), out + size);
    } else if (k == target) {
      size += text::WriteUtf8(FormOf(l.code, tone, l.upper), out + size);
    } else {
      std::memcpy(out + size, data + begin + l.begin, l.size);
      size += l.size;
    }
  }
  return size;
}

// Returns true (and edits) if the word data[begin, end), at most kMaxLetters
// Vietnamese letters with exactly one tone, needs its tone moved.
bool FixWord(const unsigned char* data, size_t begin, size_t end, ToneStyle style,
             Editor* editor) {
  char out[kMaxLetters * 3];
  const size_t size = RewriteWord(data, begin, end, style, out);
  if (size == 0) return false;
  editor->Replace(begin, end, out, size);
  return true;
}

}  // namespace

absl::string_view ToneStyleName(ToneStyle style) {
  switch (style) {
    case ToneStyle::kTraditional:
      return "traditional";
    case ToneStyle::kModern:
      return "modern";
  }
  return "traditional";
}

absl::StatusOr<ToneStyle> ParseToneStyle(absl::string_view name) {
  if (name == "traditional") return ToneStyle::kTraditional;
  if (name == "modern") return ToneStyle::kModern;
  return absl::InvalidArgumentError(
      absl::StrCat("unknown tone style \"", name.substr(0, 64),
                   "\": expected \"traditional\" or \"modern\""));
}

size_t CanonicalizeTones(ToneStyle style, std::string* text) {
  const size_t n = text->size();
  // Edits only rewrite bytes of words already scanned, and the string is only
  // swapped after the scan, so this pointer stays valid throughout.
  const unsigned char* data = reinterpret_cast<const unsigned char*>(text->data());
  Editor editor(text);
  size_t changed = 0;
  size_t pos = 0;
  while (pos < n) {
    // Scan one word [begin, pos) counting only what decides whether it can
    // need a change; most words have no tone or one vowel and are done here.
    const size_t begin = pos;
    // A word of ASCII letters and digits carries no tone, so it never
    // changes: skip it with a tight loop (many Vietnamese syllables are
    // plain ASCII: "cho", "trong", "Nam"). At a non-ASCII byte, the full
    // scan below starts over from `begin`.
    size_t ascii_end = pos;
    while (ascii_end < n && data[ascii_end] < 0x80 && kAscii.code[data[ascii_end]] != 0) {
      ++ascii_end;
    }
    if (ascii_end == n || data[ascii_end] < 0x80) {
      pos = ascii_end == n ? n : ascii_end + 1;  // past the ASCII separator
      continue;
    }
    size_t separator = 0;  // bytes of the separator that ended the word
    int letters = 0;
    int vowels = 0;
    int tones = 0;
    bool vietnamese = true;
    bool last_is_vowel = false;     // the word so far ends in a vowel
    bool last_vowel_toned = false;  // its last vowel so far carries the tone
    bool toned_has_mark = false;    // the toned vowel is ă â ê ô ơ ư
    bool mark_after_tone = false;   // one of those follows the toned vowel
    while (pos < n) {
      const unsigned char c = data[pos];
      if (c < 0x80) {  // ASCII: one table lookup
        const uint8_t code = kAscii.code[c];
        if (code == 0) {
          separator = 1;
          break;
        }
        vietnamese &= code != kAsciiOther;
        const bool vowel = IsVowel(code);
        vowels += vowel;
        last_is_vowel = vowel;
        last_vowel_toned &= !vowel;
        ++letters;
        ++pos;
        continue;
      }
      const CharInfo info = ReadNonAscii(data + pos, n - pos);
      if (info.kind == CharKind::kSeparator) {
        separator = info.size;
        break;
      }
      vietnamese &= info.kind == CharKind::kLetter;
      const uint8_t code = info.packed & 0x0F;
      const bool vowel = IsVowel(code);
      const bool toned = (info.packed & 0x70) != 0;
      vowels += vowel;
      tones += toned;
      last_is_vowel = vowel;
      if (vowel) last_vowel_toned = toned;
      if (toned) {
        toned_has_mark = HasQualityMark(code);
        mark_after_tone = false;
      } else {
        mark_after_tone |= HasQualityMark(code);
      }
      ++letters;
      pos += info.size;
    }
    // No tone, two tones, or one vowel: nothing to move, or nothing we may.
    // Two more shortcuts, because any valid parse would agree: a tone on the
    // last vowel with a quality mark stays there (rule 1), and so does a tone
    // on the last vowel before a final consonant (every closed nucleus has
    // its marked vowel last, so rules 1 and 2 agree). Together they spare the
    // analysis for most words: được, người, nghiệm, hoàng.
    if (vietnamese && tones == 1 && vowels >= 2 && letters <= kMaxLetters &&
        !(toned_has_mark && !mark_after_tone) && !(!last_is_vowel && last_vowel_toned)) {
      changed += FixWord(data, begin, pos, style, &editor);
    }
    pos += separator;
  }
  editor.Finish();
  return changed;
}

namespace internal {

uint8_t ToneFlagsOf(char32_t cp) {
  uint8_t code = 0;
  uint8_t tone = 0;
  if (cp < 0x80) {
    code = kAscii.code[cp];
    if (code == kAsciiOther) return kToneFlagNotVietnamese;
  } else {
    uint8_t packed = 0;
    if (cp >= kLatinBegin && cp < kLatinEnd) packed = kDecode.latin[cp - kLatinBegin];
    if (cp >= kExtBegin && cp < kExtEnd) packed = kDecode.ext[cp - kExtBegin];
    if (packed == 0) return kToneFlagNotVietnamese;
    code = packed & 0x0F;
    tone = (packed >> 4) & 0x07;
  }
  if (!IsVowel(code)) return code == 'q' || code == 'g' ? kToneFlagOorQG : 0;
  uint8_t flags = kToneFlagVowel;
  if (tone != 0) flags |= kToneFlagToned;
  if (HasQualityMark(code)) flags |= kToneFlagQualityMark;
  if (code == kO) flags |= kToneFlagOorQG;
  if (code == kU) flags |= kToneFlagU;
  if (code == kA || code == kE) flags |= kToneFlagAorE;
  if (code == kY) flags |= kToneFlagY;
  return flags;
}

size_t RewriteSyllable(absl::string_view word, ToneStyle style, char* out) {
  return RewriteWord(reinterpret_cast<const unsigned char*>(word.data()), 0, word.size(), style,
                     out);
}

}  // namespace internal

std::string CanonicalizeSyllable(absl::string_view syllable, ToneStyle style) {
  std::string out = text::ToNfc(syllable);
  CanonicalizeTones(style, &out);
  return out;
}

}  // namespace normalize
}  // namespace vnarchive
