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

}  // namespace normalize
}  // namespace vnarchive

#endif  // VNARCHIVE_SERVICES_NORMALIZE_CORE_TONE_H_
