#include "services/ingest/core/near_duplicate.h"

#include <xxhash.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <limits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/base/hash.h"
#include "common/text/nfc.h"
#include "common/text/segment.h"
#include "services/normalize/core/tone.h"

namespace vnarchive {
namespace ingest {
namespace {

constexpr uint64_t SplitMix64(uint64_t* state) {
  uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// The MinHash family h_i(x) = high 32 bits of (a_i·x + b_i) mod 2^64, with
// odd a_i. The shingle hashes x are already well mixed (XXH3), so one
// multiply-add per function is enough. The constants come from a fixed seed:
// they are part of kSketchVersion 1 and must never change.
struct HashFamily {
  std::array<uint64_t, kMinHashCount> a{};
  std::array<uint64_t, kMinHashCount> b{};
};

constexpr HashFamily MakeHashFamily() {
  HashFamily family;
  uint64_t state = 0x766E61726368ULL;  // "vnarch"
  for (int i = 0; i < kMinHashCount; ++i) {
    family.a[i] = SplitMix64(&state) | 1;
    family.b[i] = SplitMix64(&state);
  }
  return family;
}

constexpr HashFamily kFamily = MakeHashFamily();

// Order matters: "a b c" and "c b a" are different shingles.
inline uint64_t ShingleHash(uint64_t h0, uint64_t h1, uint64_t h2) {
  const uint64_t words[3] = {h0, h1, h2};
  return XXH3_64bits(words, sizeof(words));
}

}  // namespace

TextFingerprint FingerprintText(absl::string_view text) {
  TextFingerprint fingerprint;
  std::string canonical = text::ToNfc(text);
  normalize::CanonicalizeTones(normalize::ToneStyle::kTraditional, &canonical);
  std::string forms;
  std::vector<text::internal::TokenWithForms> tokens;
  tokens.reserve(canonical.size() / 4);
  text::internal::TokenizeWithForms(canonical, &forms, &tokens);
  fingerprint.syllables = tokens.size();

  std::string body;
  body.reserve(canonical.size());
  std::vector<uint64_t> folded_hashes;
  folded_hashes.reserve(tokens.size());
  for (const text::internal::TokenWithForms& token : tokens) {
    if (!body.empty()) body.push_back(' ');
    body.append(forms, token.lower_begin, token.lower_end - token.lower_begin);
    folded_hashes.push_back(
        XXH3_64bits(forms.data() + token.folded_begin, token.folded_end - token.folded_begin));
  }
  fingerprint.body_hash = ContentHash(body);
  if (tokens.size() < kMinSketchSyllables) return fingerprint;

  std::array<uint32_t, kMinHashCount> mins;
  mins.fill(std::numeric_limits<uint32_t>::max());
  for (size_t i = 0; i + kShingleSyllables <= folded_hashes.size(); ++i) {
    const uint64_t x = ShingleHash(folded_hashes[i], folded_hashes[i + 1], folded_hashes[i + 2]);
    for (int k = 0; k < kMinHashCount; ++k) {
      const uint32_t h = static_cast<uint32_t>((kFamily.a[k] * x + kFamily.b[k]) >> 32);
      mins[k] = std::min(mins[k], h);
    }
  }
  fingerprint.minhash.assign(mins.begin(), mins.end());
  const std::string encoded = EncodeSketch(fingerprint.minhash);
  fingerprint.bands.reserve(kBandCount);
  for (int band = 0; band < kBandCount; ++band) {
    // Hashing the band's rows keeps the stored value at 8 bytes whatever
    // kRowsPerBand is; a collision (2^-64) would only propose a candidate
    // that the verification then rejects.
    const uint64_t value =
        XXH3_64bits(encoded.data() + band * kRowsPerBand * 4, kRowsPerBand * 4);
    std::string bytes(8, '\0');
    for (int i = 0; i < 8; ++i) bytes[i] = static_cast<char>(value >> (8 * i));
    fingerprint.bands.push_back(std::move(bytes));
  }
  return fingerprint;
}

std::string EncodeSketch(const std::vector<uint32_t>& minhash) {
  std::string out(4 * minhash.size(), '\0');
  for (size_t i = 0; i < minhash.size(); ++i) {
    for (int b = 0; b < 4; ++b) out[4 * i + b] = static_cast<char>(minhash[i] >> (8 * b));
  }
  return out;
}

absl::StatusOr<std::vector<uint32_t>> DecodeSketch(absl::string_view bytes) {
  if (bytes.size() != kSketchBytes) {
    return absl::InvalidArgumentError(absl::StrCat("a sketch is ", kSketchBytes,
                                                   " bytes; got ", bytes.size()));
  }
  std::vector<uint32_t> minhash(kMinHashCount);
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  for (int i = 0; i < kMinHashCount; ++i) {
    minhash[i] = static_cast<uint32_t>(p[4 * i]) | static_cast<uint32_t>(p[4 * i + 1]) << 8 |
                 static_cast<uint32_t>(p[4 * i + 2]) << 16 |
                 static_cast<uint32_t>(p[4 * i + 3]) << 24;
  }
  return minhash;
}

double EstimateSimilarity(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b) {
  if (a.empty() || a.size() != b.size()) return 0;
  size_t equal = 0;
  for (size_t i = 0; i < a.size(); ++i) equal += a[i] == b[i];
  return static_cast<double>(equal) / static_cast<double>(a.size());
}

absl::StatusOr<NearDuplicateDetector> NearDuplicateDetector::Create(
    const NearDuplicateOptions& options) {
  if (std::isnan(options.threshold) || options.threshold > 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("near-duplicate threshold must be at most 1 (0 or less: off); got ",
                     options.threshold));
  }
  return NearDuplicateDetector(options);
}

std::optional<NearDuplicateMatch> NearDuplicateDetector::Choose(
    absl::string_view self_doc_id, const TextFingerprint& fingerprint,
    const std::vector<NearDuplicateCandidate>& candidates) const {
  if (!enabled() || fingerprint.minhash.empty()) return std::nullopt;
  std::optional<NearDuplicateMatch> best;
  for (const NearDuplicateCandidate& candidate : candidates) {
    if (candidate.doc_id == self_doc_id) continue;
    absl::StatusOr<std::vector<uint32_t>> sketch = DecodeSketch(candidate.sketch);
    if (!sketch.ok()) continue;
    const double similarity = EstimateSimilarity(fingerprint.minhash, *sketch);
    if (similarity < options_.threshold) continue;
    if (!best.has_value() || similarity > best->similarity) {
      best = NearDuplicateMatch{candidate.doc_id, similarity};
    }
  }
  return best;
}

}  // namespace ingest
}  // namespace vnarchive
