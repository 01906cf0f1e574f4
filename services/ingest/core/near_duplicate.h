// Exact and near-duplicate detection for ingest, as pure logic: what a text's
// wording looks like to the duplicate index (a TextFingerprint), and which of
// the documents the index proposes is a near-duplicate of it. The index
// itself (Redis keys under the key prefix) lives behind
// queue::AdmissionStore; nothing here does I/O.
//
//   NearDuplicateOptions options;
//   options.threshold = 0.8;  // --near_duplicate_threshold
//   absl::StatusOr<NearDuplicateDetector> detector = NearDuplicateDetector::Create(options);
//   TextFingerprint fingerprint = FingerprintText(accepted.text);
//   // store: documents sharing a band value with fingerprint.bands, each
//   // with its stored sketch (EncodeSketch(fingerprint.minhash) when stored)
//   std::optional<NearDuplicateMatch> match =
//       detector->Choose(accepted.doc_id, fingerprint, candidates);
//
// Two tests of sameness:
//  * Exact duplicate: the same *normalised body*, i.e. the same syllables in
//    the same order once the text is NFC, its tone marks are in one place
//    (traditional style) and it is lower-cased; punctuation, spacing, line
//    ends, NFC/NFD and tone style do not count. TextFingerprint::body_hash.
//  * Near duplicate: the estimated Jaccard similarity of the two texts' sets
//    of syllable 3-shingles (three consecutive syllables, folded: lower-case,
//    no diacritics, đ→d) is at least the threshold. A republished article
//    with another header and footer or a few edited words keeps most of its
//    shingles; another article on the same topic shares set phrases only.
//
// Why MinHash with LSH banding rather than SimHash: MinHash estimates the
// Jaccard similarity itself, so the threshold flag means something a reader
// can check ("80% of the 3-syllable phrases are shared"), and the estimate
// has a known error (about ±0.05 at 0.8 with 64 hashes). Banding turns the
// candidate search into exact lookups of a few short values: 16 bands of 4
// hashes each, one hash-field lookup per band, all in one Redis round trip.
// A pair at similarity 0.8 shares at least one band with probability
// 1-(1-0.8^4)^16 > 0.9997; at 0.5, 0.64 (then the verification rejects it);
// at 0.3, 0.12. SimHash fingerprints are 64 bits, but finding those within a
// Hamming distance needs several permuted tables and its distance has no
// direct reading as a share of wording. Below a threshold of about 0.6 the
// banding misses a growing share of true pairs (recall 0.99 at 0.7, 0.89 at
// 0.6, 0.64 at 0.5): lower thresholds work, with less recall.
//
// The sketch's shape (shingle size, hash count, bands, seeds) is part of what
// is stored: changing any of it needs a new kSketchVersion, which names the
// band keys, so old and new sketches are never compared.
#ifndef VNARCHIVE_SERVICES_INGEST_CORE_NEAR_DUPLICATE_H_
#define VNARCHIVE_SERVICES_INGEST_CORE_NEAR_DUPLICATE_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace vnarchive {
namespace ingest {

// Syllables per shingle.
inline constexpr int kShingleSyllables = 3;
// MinHash values per sketch, and how they are banded for the index.
inline constexpr int kMinHashCount = 64;
inline constexpr int kBandCount = 16;
inline constexpr int kRowsPerBand = kMinHashCount / kBandCount;
// Texts with fewer syllables get no sketch: with a handful of shingles one
// edited word changes most of them, so a similarity says nothing.
inline constexpr size_t kMinSketchSyllables = 8;
// Version of the sketch's shape; stores name their band keys with it.
inline constexpr int kSketchVersion = 1;
// Bytes of an encoded sketch: kMinHashCount 32-bit values, little-endian.
inline constexpr size_t kSketchBytes = 4 * kMinHashCount;

// What the duplicate index keeps and looks up about one text. Copyable.
struct TextFingerprint {
  // XXH3-128 (32 hex digits) of the normalised body: the lower-case
  // syllables, NFC with canonical (traditional) tone placement, joined by
  // one space. Equal bodies are exact duplicates. Never empty (a text
  // without syllables hashes the empty sequence).
  std::string body_hash;
  // Syllables in the text.
  size_t syllables = 0;
  // The MinHash sketch of the folded 3-shingles; empty when the text has
  // fewer than kMinSketchSyllables syllables (no near-duplicate detection).
  std::vector<uint32_t> minhash;
  // One value per band (kBandCount of them, 8 raw bytes each: a hash of the
  // band's kRowsPerBand MinHash values); empty when minhash is. Two texts
  // are candidates when any band j has the same value in both.
  std::vector<std::string> bands;
};

// Returns the fingerprint of `text` (UTF-8; invalid bytes separate
// syllables, as in the tokenizer). Deterministic across processes, runs and
// platforms: stored fingerprints stay comparable. Thread-safe.
TextFingerprint FingerprintText(absl::string_view text);

// Returns `minhash` as kSketchBytes bytes (the stored form); empty for an
// empty sketch.
std::string EncodeSketch(const std::vector<uint32_t>& minhash);

// Returns the sketch stored as `bytes`. InvalidArgument when `bytes` is not
// kSketchBytes long (a sketch of another version or a damaged value).
absl::StatusOr<std::vector<uint32_t>> DecodeSketch(absl::string_view bytes);

// Returns the share of positions where the two sketches agree: an unbiased
// estimate of the Jaccard similarity of the two shingle sets, in [0, 1].
// 0 when either sketch is empty or their sizes differ.
double EstimateSimilarity(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b);

struct NearDuplicateOptions {
  // A document is a near-duplicate of an earlier one when their estimated
  // similarity (EstimateSimilarity) is at least this. 0 or negative turns
  // near-duplicate detection off (exact duplicates are still found); at most
  // 1. Default 0.8: in tests/data/duplicates, republished copies of a
  // 600-word article with another header and footer or a few edited words
  // score 0.86-0.95, other articles on the same topic below 0.1, and an
  // excerpt of two thirds of it 0.70 (not linked).
  double threshold = 0.8;
};

// A document the index proposes: its id and its stored sketch (EncodeSketch).
struct NearDuplicateCandidate {
  std::string doc_id;
  std::string sketch;
};

struct NearDuplicateMatch {
  std::string doc_id;
  double similarity = 0;
};

// Decides which proposed document, if any, a text is a near-duplicate of.
// Immutable after Create: thread-safe and copyable.
class NearDuplicateDetector {
 public:
  // InvalidArgument when the threshold is above 1 or not a number.
  static absl::StatusOr<NearDuplicateDetector> Create(const NearDuplicateOptions& options);

  // False when the threshold turns detection off: then there is no need to
  // look candidates up.
  bool enabled() const { return options_.threshold > 0; }
  const NearDuplicateOptions& options() const { return options_; }

  // Returns the candidate with the highest estimated similarity to
  // `fingerprint` at or above the threshold (ties: the first one given), or
  // nullopt. Skips `self_doc_id` (an update of a document is never a
  // near-duplicate of its own earlier version), candidates whose sketch does
  // not decode, and everything when detection is off or the text has no
  // sketch.
  std::optional<NearDuplicateMatch> Choose(
      absl::string_view self_doc_id, const TextFingerprint& fingerprint,
      const std::vector<NearDuplicateCandidate>& candidates) const;

 private:
  explicit NearDuplicateDetector(NearDuplicateOptions options) : options_(options) {}

  NearDuplicateOptions options_;
};

}  // namespace ingest
}  // namespace vnarchive

#endif  // VNARCHIVE_SERVICES_INGEST_CORE_NEAR_DUPLICATE_H_
