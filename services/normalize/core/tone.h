// Vietnamese tone-mark placement (DESIGN.md §5): puts the tone mark of every
// Vietnamese syllable on the vowel one configurable style prescribes, so the
// two spellings in use ("hóa"/"hoá", "thủy"/"thuỷ", "khỏe"/"khoẻ") and tones
// typed on the wrong vowel ("lựơng", "baỏ", "nghịêm") become one spelling, and
// both spellings of a word map to the same search term. Only the position of
// the tone changes, never a letter or its case.
//
//   std::string s = "Hoà bình, khoẻ mạnh, nghịêm túc; Facebook";
//   size_t n = CanonicalizeTones(ToneStyle::kTraditional, &s);
//   // n == 3, s == "Hòa bình, khỏe mạnh, nghiệm túc; Facebook"
//   CanonicalizeSyllable("thủy", ToneStyle::kModern);  // "thuỷ"
//
// A syllable is split into
//   initial  b c ch d đ g gh gi h k kh l m n ng ngh nh p ph qu r s t th tr v x
//            (none is allowed). The u of "qu" and the i of "gi" belong to the
//            initial when another vowel follows ("quả", "giữa"); "gì", "gìn"
//            have i as their vowel.
//   nucleus  one to three vowels from a ă â e ê i o ô ơ u ư y, one of the
//            Vietnamese clusters (a, oa, uyê, ươi, ...; see tone.cc); clusters
//            ending in a glide (ai, ao, ưu, oai, ươi, ...) take no final.
//   final    c ch m n ng nh p t, or none.
//   tone     none, sắc, huyền, hỏi, ngã or nặng, typed on any vowel of the
//            syllable (including the u of qu and the i of gi).
// and the tone is placed by the first rule that applies:
//   1. the nucleus has a vowel with a quality mark (ă â ê ô ơ ư): on the last
//      such vowel               ươ→ơ lượng, người; ưa→ư cửa; uyê→ê thuyết;
//                               uô→ô tuổi; uâ→â quân; iê→ê nghiệm
//   2. a final consonant follows: on the last vowel
//                               hoàng, toán, huỳnh, khoét, soóc
//   3. open oa, oe, uy:         traditional on the first   hóa  khỏe  thủy
//                               modern on the second       hoá  khoẻ  thuỷ
//   4. other open two-vowel nuclei: on the first vowel
//                               bảo, mía, múa, núi, cứu, mèo
//   5. open three-vowel nuclei: on the middle vowel
//                               khoái, xoáy, khuỷu, ngoẹo
// A nucleus of one vowel carries the tone itself (quả, quý, giá, gì).
//
// Left byte for byte alone: words that are not a Vietnamese syllable by the
// structure above (foreign words such as "Facebook", "Huawei", "COVID",
// abbreviations such as "UBND", numbers, words with digits, words longer than
// seven letters, words with a letter outside the Vietnamese alphabet such as
// "Müller"), words with two or more tone marks ("hóà": which one was meant is
// unknowable), and words containing combining marks (not NFC). Spelling
// variants are kept as typed: "quí" stays "quí", "kĩ" stays "kĩ". Known
// limit: a foreign word that happens to be a valid Vietnamese syllable with a
// tone, such as Italian "più", is treated as Vietnamese ("pìu").
//
// Words are the tokens of common/text/segment.h (runs of letters, marks and
// digits), so this agrees with the search tokenizer on what a word is.
#ifndef VNARCHIVE_SERVICES_NORMALIZE_CORE_TONE_H_
#define VNARCHIVE_SERVICES_NORMALIZE_CORE_TONE_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace vnarchive {
namespace normalize {

// Where the tone of an open oa/oe/uy syllable goes; all other rules are the
// same in both styles.
enum class ToneStyle {
  // "hóa", "khỏe", "thủy": the older, dictionary spelling. The default.
  kTraditional,
  // "hoá", "khoẻ", "thuỷ": the 1980s school-reform spelling.
  kModern,
};

// Returns "traditional" or "modern": the spelling ParseToneStyle accepts.
absl::string_view ToneStyleName(ToneStyle style);

// Parses a configuration value: exactly "traditional" or "modern".
// InvalidArgument (naming the value) for anything else, including other case.
absl::StatusOr<ToneStyle> ParseToneStyle(absl::string_view name);

// Rewrites every Vietnamese syllable of `text` (expected NFC UTF-8) so its
// tone mark sits where `style` puts it, and returns how many syllables
// changed. Everything else, including invalid UTF-8 (which separates words),
// is kept byte for byte. The text may get shorter or longer ("nghịêm" is one
// byte longer than "nghiệm"); offsets into it are stale if the result is
// non-zero. Thread-safe (no shared mutable state). Allocation-free unless a
// change alters the byte length, in which case the text is rebuilt once.
// Idempotent, and the result does not depend on where the input put tones.
size_t CanonicalizeTones(ToneStyle style, std::string* text);

// Returns `syllable` (one word, or any text) in NFC with every tone placed
// as CanonicalizeTones places it: the form the search tokenizer indexes, so
// "hoá" and "hóa" give the same term. Input that is not valid UTF-8 is
// processed as CanonicalizeTones would, without NFC.
std::string CanonicalizeSyllable(absl::string_view syllable, ToneStyle style);

namespace internal {

// For passes that fuse the tone scan into another scan (syllable_pass.h):
// what one code point of a word contributes to the decision whether the
// word may need its tone moved, as bit flags. The identity bits mean one
// thing on a vowel and another on a consonant (kToneFlagVowel tells which).
enum ToneFlag : uint8_t {
  kToneFlagVowel = 1,          // a e i o u y ă â ê ô ơ ư, with or without tone
  kToneFlagToned = 2,          // carries a tone mark
  kToneFlagQualityMark = 4,    // ă â ê ô ơ ư (toned or not)
  kToneFlagNotVietnamese = 8,  // a digit, combining mark or non-Vietnamese letter
  kToneFlagOorQG = 16,         // vowel o; on a consonant: q or g (qu, gi initials)
  kToneFlagU = 32,             // vowel u
  kToneFlagAorE = 64,          // vowel a or e
  kToneFlagY = 128,            // vowel y
};

// Flags of a code point that is part of a word (a token code point of
// common/text/segment.h): consonants other than q and g (also f j w z, đ)
// have none.
uint8_t ToneFlagsOf(char32_t cp);

// Longest Vietnamese syllable in letters ("nghiêng"); longer words are left
// alone.
inline constexpr int kMaxSyllableLetters = 7;

// Given the flags of every code point of a word with exactly one toned
// vowel, at least two vowels, no kToneFlagNotVietnamese and at most
// kMaxSyllableLetters letters, returns false when the placement rules would
// leave its tone where it is without looking further: the toned vowel is
// the last one with a quality mark (được, người), the last vowel before a
// final consonant (hoàng, nghiệm), the first of an open pair (của, tại, báo;
// oa/oe/uy only in traditional style) or the middle of an open triple
// (khoái), with no qu/gi initial. True means "ask RewriteSyllable", which
// may still leave the word as it is.
// The letters (bit k = flags[k], k < 8) that have flag bit `bit`, from the
// eight flags packed in a word: each byte's bit moved to the top byte by one
// multiply, so the rules below are bit operations, not a loop per letter.
inline uint32_t LettersWith(uint64_t packed, int bit) {
  return static_cast<uint32_t>(
      (((packed >> bit) & 0x0101010101010101ULL) * 0x0102040810204080ULL) >> 56);
}
inline int HighestBit(uint32_t mask) { return 31 - __builtin_clz(mask); }  // mask != 0

inline bool MayNeedToneMove(const uint8_t* flags, int letters, ToneStyle style) {
  uint64_t packed = 0;
  std::memcpy(&packed, flags, static_cast<size_t>(letters));
  const uint32_t all = (1u << letters) - 1;
  const uint32_t toned_mask = LettersWith(packed, 1);
  const uint32_t vowels = LettersWith(packed, 0);
  const uint32_t quality = LettersWith(packed, 2);
  const int toned = __builtin_ctz(toned_mask);
  // Rule 1 (a quality mark), and rule 2 (a final consonant): the same two
  // shortcuts as CanonicalizeTones.
  if (quality != 0 && toned == HighestBit(quality)) return false;
  const int last_vowel = HighestBit(vowels);
  if (last_vowel != letters - 1) return toned != last_vowel;
  // Open syllable: the run of vowels at the end, and what comes before it.
  uint32_t run = vowels;
  const uint32_t consonants = all & ~vowels;
  if (consonants != 0) {
    const int last_consonant = HighestBit(consonants);
    if ((LettersWith(packed, 4) >> last_consonant) & 1) return true;  // qu, gi
    run &= ~((2u << last_consonant) - 1);
  }
  if ((quality & run) != 0) return true;  // a marked vowel the tone is not on
  const int first = __builtin_ctz(run);
  const uint32_t after_first = run & (run - 1);
  const uint32_t after_second = after_first & (after_first - 1);
  if (after_second != 0) {
    if ((after_second & (after_second - 1)) != 0) return true;  // four vowels: not a nucleus
    return toned != __builtin_ctz(after_first);                 // three: rule 5
  }
  if (after_first == 0 || toned != first) return true;
  // Rule 4: the first of the pair; rule 3: oa, oe, uy follow the style.
  const int second = __builtin_ctz(after_first);
  const uint8_t f0 = flags[first];
  const uint8_t f1 = flags[second];
  const bool style_pair = ((f0 & kToneFlagOorQG) && (f1 & kToneFlagAorE)) ||
                          ((f0 & kToneFlagU) && (f1 & kToneFlagY));
  return style_pair && style == ToneStyle::kModern;
}

// For a word that passed MayNeedToneMove: writes it to `out` (room for
// kMaxSyllableLetters * 3 bytes) with its tone where `style` puts it and
// returns the new length, or returns 0 and writes nothing useful if the
// tone stays. The same decision CanonicalizeTones takes for that word.
size_t RewriteSyllable(absl::string_view word, ToneStyle style, char* out);

}  // namespace internal

}  // namespace normalize
}  // namespace vnarchive

#endif  // VNARCHIVE_SERVICES_NORMALIZE_CORE_TONE_H_
