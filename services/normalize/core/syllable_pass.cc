#include "services/normalize/core/syllable_pass.h"

#include <algorithm>
#include <cstring>
#include <memory>

#include "common/text/segment.h"
#include "common/text/utf8.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace vnarchive {
namespace normalize {
namespace {

// Everything the pass needs to know of one code point, so that the loop does
// one table load per code point: whether it belongs to a token, its
// lower-case and folded forms as ready-made UTF-8 (at most 4 bytes each, so
// both are written with fixed 4-byte copies), and its tone flags.
struct CodePointEntry {
  char lower[4];
  char fold[4];
  uint8_t lower_size;
  uint8_t fold_size;
  bool token;
  uint8_t tone_flags;  // internal::ToneFlag bits; 0 unless `token`
};

// Table layout: ASCII and all two-byte code points (U+0000..U+07FF) at their
// own index, then Latin Extended Additional (U+1E00..U+1EFF, the Vietnamese
// letters with two marks). Together: every code point of Vietnamese text
// except punctuation that the clean pass has already made ASCII.
constexpr size_t kTwoByteEnd = 0x800;
constexpr char32_t kExtBegin = 0x1E00;
constexpr size_t kExtSize = 0x100;

void FillEntry(char32_t cp, CodePointEntry* e) {
  char utf8[4];
  const absl::string_view bytes(utf8, text::WriteUtf8(cp, utf8));
  // The forms come from segment.h's own functions, so the pass cannot
  // disagree with the search tokenizer.
  const std::string lower = text::ToLower(bytes);
  const std::string fold = text::Fold(bytes);
  std::memset(e, 0, sizeof(*e));
  std::memcpy(e->lower, lower.data(), std::min<size_t>(lower.size(), 4));
  std::memcpy(e->fold, fold.data(), std::min<size_t>(fold.size(), 4));
  e->lower_size = static_cast<uint8_t>(lower.size());
  e->fold_size = static_cast<uint8_t>(fold.size());
  e->token = cp < 0x80 ? text::internal::IsAsciiTokenByte(static_cast<unsigned char>(cp))
                       : text::internal::IsNonAsciiTokenCodePoint(cp);
  e->tone_flags = e->token ? internal::ToneFlagsOf(cp) : 0;
}

struct CodePointTable {
  CodePointEntry entries[kTwoByteEnd + kExtSize + 1];
};
// The last entry stands for "not in the table"; the scan then describes the
// code point itself.
constexpr uint32_t kOutsideIndex = kTwoByteEnd + kExtSize;

const CodePointTable& GetTable() {
  static const CodePointTable* const table = [] {
    auto* t = new CodePointTable;
    for (char32_t cp = 0; cp < kTwoByteEnd; ++cp) FillEntry(cp, &t->entries[cp]);
    for (char32_t cp = kExtBegin; cp < kExtBegin + kExtSize; ++cp) {
      FillEntry(cp, &t->entries[kTwoByteEnd + (cp - kExtBegin)]);
    }
    FillEntry(0, &t->entries[kOutsideIndex]);
    return t;
  }();
  return *table;
}

// The entry of the code point at p (valid UTF-8, p[0, avail)), and its size
// in bytes. Code points outside the table are described in *outside, from
// the same definitions.
struct Decoded {
  const CodePointEntry* entry;
  size_t size;
};

Decoded DescribeOutsideTable(const unsigned char* p, size_t avail, CodePointEntry* outside) {
  size_t size = 0;
  const char32_t cp =
      text::DecodeUtf8(absl::string_view(reinterpret_cast<const char*>(p), avail), &size);
  FillEntry(cp, outside);
  return {outside, size};
}

// One branch tells ASCII from the rest; the two- and three-byte letters,
// which Vietnamese mixes unpredictably, are then told apart without a
// branch (a table index computed for both and one selected). p[1] and p[2]
// may be read past the code point: the caller keeps padding after the text.
inline Decoded DecodeAt(const CodePointTable& table, const unsigned char* p, size_t avail,
                        CodePointEntry* outside) {
  const uint32_t b0 = p[0];
  if (b0 < 0x80) return {&table.entries[b0], 1};
  const uint32_t b1 = p[1];
  const uint32_t b2 = p[2];
  const uint32_t two = 0u - static_cast<uint32_t>(b0 < 0xE0);
  const uint32_t ext = 0u - static_cast<uint32_t>((b0 == 0xE1) & ((b1 & 0xFC) == 0xB8));
  const uint32_t index =
      ((((b0 & 0x1F) << 6) | (b1 & 0x3F)) & two) |
      ((static_cast<uint32_t>(kTwoByteEnd) + (((b1 & 0x03) << 6) | (b2 & 0x3F))) & ext) |
      (kOutsideIndex & ~(two | ext));
  if (__builtin_expect(index == kOutsideIndex, 0)) return DescribeOutsideTable(p, avail, outside);
  return {&table.entries[index], 2 + (ext & 1)};
}

// SWAR ("SIMD within a register") tests on 8 bytes at once: the high bit of
// each byte of the result is set where the byte is an ASCII letter or digit.
constexpr uint64_t kEachByte = 0x0101010101010101ULL;
constexpr uint64_t kHighBits = 0x80 * kEachByte;
inline uint64_t AsciiAlnumBytes(uint64_t word) {
  const uint64_t low7 = word & (0x7F * kEachByte);  // no carries between bytes below
  auto in_range = [](uint64_t x, unsigned lo, unsigned hi) {
    return (x + (0x80 - lo) * kEachByte) & ~(x + (0x7F - hi) * kEachByte) & kHighBits;
  };
  const uint64_t letters = in_range(low7 | (0x20 * kEachByte), 'a', 'z');
  const uint64_t digits = in_range(low7, '0', '9');
  return (letters | digits) & ~word & kHighBits;
}

// Recently seen syllables with their forms, so that a syllable met before
// (Vietnamese text draws most of its syllables from a few thousand) is
// copied from here instead of decoded again code point by code point. Only
// tokens shorter than 16 bytes whose tone stays where it is are kept, and an
// entry is found only by the token's exact bytes, so a hit gives exactly
// what the code point loop would (syllable_pass_test.cc compares the two).
// Direct-mapped: a new token replaces whatever shared its slot.
struct TokenCacheEntry {
  char key[16];    // the token's bytes, zero after its end (no token has a 0 byte)
  char lower[24];  // lower-case form (at most 1.5 times the token's bytes)
  char fold[16];   // folded form (never longer than the token)
  uint8_t lower_size;
  uint8_t fold_size;
  uint8_t config;  // SyllablePassOptions it was made under; 0 = empty
};

struct TokenCache {
  // 4096 entries of 64 bytes: 256 KiB, small enough for a typical L2 cache
  // and enough for the syllables that make up nearly all running text.
  static constexpr int kIndexBits = 12;
  static constexpr size_t kEntries = size_t{1} << kIndexBits;
  TokenCacheEntry entries[kEntries];
};

// The options an entry depends on: whether and how tones are placed.
inline uint8_t CacheConfig(const SyllablePassOptions& options) {
  return static_cast<uint8_t>(1 | (options.canonicalize_tones ? 2 : 0) |
                              (options.tone_style == ToneStyle::kModern ? 4 : 0));
}

#if defined(__SSE2__)
// The token that may start at p (a token byte or a non-ASCII byte), for the
// cache: its length, up to the first ASCII byte among the next 16 that is
// not a letter or digit, and its bytes zero-padded to 16 in *key; 0 when no
// such byte is among the 16 (too long to cache). A span found so may still
// hold a non-ASCII separator; no cached token has one, so it just misses.
inline size_t CacheableTokenAt(const unsigned char* p, __m128i* key) {
  const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  // Bytes >= 0x80 are negative as signed chars and fail every range test.
  const __m128i lower = _mm_or_si128(bytes, _mm_set1_epi8(0x20));
  const __m128i letter = _mm_and_si128(_mm_cmpgt_epi8(lower, _mm_set1_epi8('a' - 1)),
                                       _mm_cmplt_epi8(lower, _mm_set1_epi8('z' + 1)));
  const __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(bytes, _mm_set1_epi8('0' - 1)),
                                      _mm_cmplt_epi8(bytes, _mm_set1_epi8('9' + 1)));
  const __m128i ascii = _mm_cmpgt_epi8(bytes, _mm_set1_epi8(-1));
  const uint32_t ends = static_cast<uint32_t>(
      _mm_movemask_epi8(_mm_andnot_si128(_mm_or_si128(letter, digit), ascii)));
  if (ends == 0) return 0;
  const int length = __builtin_ctz(ends);
  const __m128i index = _mm_setr_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  *key = _mm_and_si128(bytes, _mm_cmpgt_epi8(_mm_set1_epi8(static_cast<char>(length)), index));
  return static_cast<size_t>(length);
}

inline size_t CacheSlot(__m128i key) {
  const uint64_t low = static_cast<uint64_t>(_mm_cvtsi128_si64(key));
  const uint64_t high = static_cast<uint64_t>(_mm_cvtsi128_si64(_mm_unpackhi_epi64(key, key)));
  const uint64_t h = (low ^ (high * 0x9E3779B97F4A7C15ULL)) * 0xC2B2AE3D27D4EB4FULL;
  return static_cast<size_t>(h >> (64 - TokenCache::kIndexBits));
}

inline bool CacheKeyEquals(const TokenCacheEntry& entry, __m128i key) {
  const __m128i stored = _mm_loadu_si128(reinterpret_cast<const __m128i*>(entry.key));
  return _mm_movemask_epi8(_mm_cmpeq_epi8(stored, key)) == 0xFFFF;
}
#endif

// Scratch buffers of one thread, reused by every call so that the pass
// allocates only when a paragraph is longer than any before. The hot loop
// writes through raw pointers into them, never through a std::string or
// std::vector, whose size fields would be reloaded after every byte stored
// (a char store may alias anything) and whose growth checks would run per
// code point.
struct Scratch {
  std::unique_ptr<unsigned char[]> text;  // the paragraph, zero-padded
  std::unique_ptr<char[]> forms;          // lower-case then folded form, per token
  std::unique_ptr<char[]> fold;           // the folded form of the current token
  std::unique_ptr<NormalizedToken[]> tokens;
  std::unique_ptr<uint32_t[]> abbreviation_candidates;  // token indexes
  std::unique_ptr<TokenCache> token_cache = std::make_unique<TokenCache>();
  size_t capacity = 0;  // paragraph bytes the buffers have room for

  // A code point's lower-case or folded form is never longer than 1.5 times
  // its UTF-8 length (a two-byte letter may lower-case to three bytes).
  static constexpr size_t kFormBytesPerByte = 2;
  // Room for reading two bytes past the last code point, and for the
  // fixed-size copies past the last byte written.
  static constexpr size_t kPadding = 32;

  void Reserve(size_t bytes) {
    if (bytes <= capacity && text != nullptr) return;
    capacity = std::max({bytes, 2 * capacity, size_t{4096}});
    text.reset(new unsigned char[capacity + kPadding]);
    forms.reset(new char[2 * kFormBytesPerByte * capacity + kPadding]);
    fold.reset(new char[kFormBytesPerByte * capacity + kPadding]);
    // A token and the separator after it take at least two bytes.
    tokens.reset(new NormalizedToken[capacity / 2 + 1]);
    abbreviation_candidates.reset(new uint32_t[capacity / 2 + 1]);
  }

  // Paragraphs rarely pass a few kilobytes; after a huge one the buffers
  // (about 21 bytes per byte of text) are given back rather than kept by
  // the thread.
  static constexpr size_t kMaxKeptCapacity = 256 << 10;
  void ReleaseIfHuge() {
    if (capacity <= kMaxKeptCapacity) return;
    capacity = 0;
    text.reset();
    forms.reset();
    fold.reset();
    tokens.reset();
    abbreviation_candidates.reset();
  }

  void Load(absl::string_view paragraph) {
    Reserve(paragraph.size());
    std::memcpy(text.get(), paragraph.data(), paragraph.size());
    std::memset(text.get() + paragraph.size(), 0, kPadding);
  }
};

// What a scan found: tokens (with their final offsets) and forms in the
// scratch buffers.
struct ScanResult {
  size_t token_count = 0;
  size_t forms_bytes = 0;
  size_t abbreviation_candidate_count = 0;
  // A syllable whose tone must move to a letter of another UTF-8 length
  // ("nghịêm" -> "nghiệm"): the scan stopped; the caller rewrites the
  // paragraph the general way and scans again.
  bool length_changes = false;
  size_t tones_moved = 0;
};

// The scan of scratch->text[0, size): tokens, their forms, and tones moved
// in place in scratch->text when the move keeps the byte length (nearly
// always: "hoá" -> "hóa", "uỷ" -> "ủy", "khoẻ" -> "khỏe").
// Offsets in the tokens are final: text offsets count from `text_base` (the
// paragraph's offset in the caller's text), forms offsets from `forms_base`.
ScanResult Scan(const SyllablePassOptions& options, size_t size, uint32_t text_base,
                uint32_t forms_base, Scratch* scratch) {
  const CodePointTable& table = GetTable();
  unsigned char* const p = scratch->text.get();
  char* const forms = scratch->forms.get();
  char* const fold = scratch->fold.get();
  NormalizedToken* const tokens = scratch->tokens.get();
  uint32_t* const abbreviation_candidates = scratch->abbreviation_candidates.get();
  const AbbreviationPrefixes* const prefixes = options.abbreviation_prefixes;
  const absl::string_view paragraph(reinterpret_cast<const char*>(p), size);
  size_t abbreviation_candidate_count = 0;
  CodePointEntry outside;
  ScanResult result;
  size_t forms_used = 0;
  size_t token_count = 0;
#if defined(__SSE2__)
  TokenCache& cache = *scratch->token_cache;
  const uint8_t config = CacheConfig(options);
#endif
  // Records the token [token_begin, token_end) whose forms are in
  // forms[lower_begin, lower_end) and, from lower_end on, `fold_size` bytes.
  auto add_token = [&](size_t token_begin, size_t token_end, size_t lower_begin,
                       size_t lower_end, size_t fold_size) {
    if (prefixes != nullptr && prefixes->MayStartAt(paragraph, token_begin)) {
      abbreviation_candidates[abbreviation_candidate_count++] = static_cast<uint32_t>(token_count);
    }
    NormalizedToken& token = tokens[token_count++];
    token.begin = text_base + static_cast<uint32_t>(token_begin);
    token.end = text_base + static_cast<uint32_t>(token_end);
    token.lower_begin = forms_base + static_cast<uint32_t>(lower_begin);
    token.lower_end = forms_base + static_cast<uint32_t>(lower_end);
    token.folded_begin = token.lower_end;
    token.folded_end = forms_base + static_cast<uint32_t>(lower_end + fold_size);
    forms_used = lower_end + fold_size;
  };
  size_t pos = 0;
  while (pos < size) {
    // Separators: ASCII ones (spaces, punctuation) by a byte test.
    while (pos < size && p[pos] < 0x80 && !table.entries[p[pos]].token) ++pos;
    if (pos >= size) break;
    // A token: [token_begin, pos) once found. Its lower-case form goes
    // straight into `forms`, the folded form into `fold`, to be copied after
    // it at the end. Three ways, the faster first.
    const size_t token_begin = pos;
    const size_t lower_begin = forms_used;
#if defined(__SSE2__)
    // A syllable seen before: its forms from the cache (fixed-size copies;
    // the buffers have padding for them).
    // (Reading 16 bytes is safe: the text has kPadding zero bytes after it.)
    __m128i key = _mm_setzero_si128();
    const size_t cacheable = CacheableTokenAt(p + pos, &key);
    TokenCacheEntry* const slot = cacheable != 0 ? &cache.entries[CacheSlot(key)] : nullptr;
    if (slot != nullptr && slot->config == config && CacheKeyEquals(*slot, key)) {
      std::memcpy(forms + lower_begin, slot->lower, sizeof(slot->lower));
      const size_t lower_end = lower_begin + slot->lower_size;
      std::memcpy(forms + lower_end, slot->fold, sizeof(slot->fold));
      pos += cacheable;
      add_token(token_begin, pos, lower_begin, lower_end, slot->fold_size);
      continue;
    }
#endif
    size_t fold_used = 0;
    bool tone_candidate = false;
    bool found = false;
    if (p[pos] < 0x80) {
      // ASCII letters and digits shorter than 8 bytes (cho, trong, Nam,
      // 2019): both forms are the word lower-cased, 8 bytes at a time; no
      // tone to place.
      uint64_t word;
      std::memcpy(&word, p + pos, 8);
      const uint64_t alnum = AsciiAlnumBytes(word);
      const uint64_t ends = ~alnum & kHighBits;
      const size_t length = ends == 0 ? 8 : static_cast<size_t>(__builtin_ctzll(ends)) / 8;
      if (length < 8 && p[pos + length] < 0x80) {
        // Upper-case letters are the letters without the 0x20 bit.
        const uint64_t lower = word | ((alnum & ~(word << 2)) >> 2);
        std::memcpy(forms + forms_used, &lower, 8);
        std::memcpy(fold, &lower, 8);
        forms_used += length;
        fold_used = length;
        pos += length;
        found = true;
      }
    }
    if (!found) {
      // Anything else, one code point at a time.
      Decoded d = DecodeAt(table, p + pos, size - pos, &outside);
      if (!d.entry->token) {
        pos += d.size;
        continue;
      }
      uint8_t flags[8];
      int letters = 0;
      int vowels = 0;
      int tones = 0;
      uint8_t all_flags = 0;
      while (true) {
        const CodePointEntry& e = *d.entry;
        std::memcpy(forms + forms_used, e.lower, 4);
        forms_used += e.lower_size;
        std::memcpy(fold + fold_used, e.fold, 4);
        fold_used += e.fold_size;
        const uint8_t f = e.tone_flags;
        flags[letters & 7] = f;
        vowels += f & internal::kToneFlagVowel;
        tones += (f & internal::kToneFlagToned) >> 1;
        all_flags |= f;
        ++letters;
        pos += d.size;
        if (pos >= size) break;
        d = DecodeAt(table, p + pos, size - pos, &outside);
        if (!d.entry->token) break;
      }
      tone_candidate = options.canonicalize_tones && tones == 1 && vowels >= 2 &&
                       letters <= internal::kMaxSyllableLetters &&
                       !(all_flags & internal::kToneFlagNotVietnamese) &&
                       internal::MayNeedToneMove(flags, letters, options.tone_style);
    }
    // Tones: the filter CanonicalizeTones applies, then its rewrite of the
    // rare word that may need a change, so both always agree.
    [[maybe_unused]] bool tone_moved = false;  // then the token is not cached: its bytes changed
    if (tone_candidate) {
      char rewritten[internal::kMaxSyllableLetters * 3];
      const absl::string_view word(reinterpret_cast<const char*>(p) + token_begin,
                                   pos - token_begin);
      const size_t rewritten_size = internal::RewriteSyllable(word, options.tone_style, rewritten);
      if (rewritten_size != 0) {
        const std::string lower = text::ToLower(absl::string_view(rewritten, rewritten_size));
        if (rewritten_size != word.size() || lower.size() != forms_used - lower_begin) {
          result.length_changes = true;
          return result;
        }
        std::memcpy(p + token_begin, rewritten, rewritten_size);
        std::memcpy(forms + lower_begin, lower.data(), lower.size());
        ++result.tones_moved;
        tone_moved = true;
      }
    }
    const size_t lower_end = forms_used;
    // Syllables fold to a few bytes: one fixed copy instead of a call.
    if (fold_used <= 16) {
      std::memcpy(forms + lower_end, fold, 16);
    } else {
      std::memcpy(forms + lower_end, fold, fold_used);
    }
#if defined(__SSE2__)
    const size_t lower_size = lower_end - lower_begin;
    if (slot != nullptr && pos - token_begin == cacheable && !tone_moved &&
        lower_size <= sizeof(slot->lower)) {
      _mm_storeu_si128(reinterpret_cast<__m128i*>(slot->key), key);
      std::memcpy(slot->lower, forms + lower_begin, sizeof(slot->lower));
      std::memcpy(slot->fold, fold, sizeof(slot->fold));
      slot->lower_size = static_cast<uint8_t>(lower_size);
      slot->fold_size = static_cast<uint8_t>(fold_used);
      slot->config = config;
    }
#endif
    add_token(token_begin, pos, lower_begin, lower_end, fold_used);
  }
  result.token_count = token_count;
  result.forms_bytes = forms_used;
  result.abbreviation_candidate_count = abbreviation_candidate_count;
  return result;
}

size_t Run(const SyllablePassOptions& options, size_t begin, const SyllablePassOutput& out) {
  std::string& text = *out.text;
  const size_t size = text.size() - begin;
  thread_local Scratch scratch;
  scratch.Load(absl::string_view(text).substr(begin));
  const uint32_t text_base = static_cast<uint32_t>(begin);
  const uint32_t forms_base = static_cast<uint32_t>(out.forms->size());
  ScanResult scan = Scan(options, size, text_base, forms_base, &scratch);
  size_t moved = scan.tones_moved;
  if (scan.length_changes) {
    std::string paragraph = text.substr(begin);
    moved = CanonicalizeTones(options.tone_style, &paragraph);
    text.replace(begin, size, paragraph);
    scratch.Load(paragraph);
    SyllablePassOptions tones_placed = options;
    tones_placed.canonicalize_tones = false;
    scan = Scan(tones_placed, paragraph.size(), text_base, forms_base, &scratch);
  } else if (moved != 0) {
    text.replace(begin, size, reinterpret_cast<const char*>(scratch.text.get()), size);
  }
  if (!options.tokenize) {
    scratch.ReleaseIfHuge();
    return moved;
  }

  const size_t first = out.tokens->size();
  if (options.abbreviation_prefixes != nullptr) {
    for (size_t i = 0; i < scan.abbreviation_candidate_count; ++i) {
      out.abbreviation_candidates->push_back(
          static_cast<uint32_t>(first + scratch.abbreviation_candidates[i]));
    }
  }
  out.forms->append(scratch.forms.get(), scan.forms_bytes);
  out.tokens->insert(out.tokens->end(), scratch.tokens.get(),
                     scratch.tokens.get() + scan.token_count);
  scratch.ReleaseIfHuge();
  return moved;
}

}  // namespace

size_t RunSyllablePass(const SyllablePassOptions& options, size_t begin,
                       const SyllablePassOutput& out) {
  if (!options.tokenize && !options.canonicalize_tones) return 0;
  return Run(options, begin, out);
}

}  // namespace normalize
}  // namespace vnarchive
