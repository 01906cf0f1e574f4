#include "services/ingest/core/near_duplicate.h"

#include <cmath>
#include <fstream>
#include <iostream>
#include <limits>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/base/status_matchers.h"
#include "gtest/gtest.h"
#include "services/ingest/core/ingestor.h"

namespace vnarchive {
namespace ingest {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

// A sentence of 14 syllables, long enough for a sketch.
constexpr char kSentence[] =
    "Sáng 14/6, Huyện ủy Long Mỹ tổ chức hội nghị sơ kết 5 năm thực hiện Chỉ thị.";

TEST(NearDuplicateDetectorTest, ThresholdAboveOneOrNotANumberIsInvalidArgument) {
  EXPECT_THAT(NearDuplicateDetector::Create({1.01}),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(NearDuplicateDetector::Create({std::numeric_limits<double>::quiet_NaN()}),
              StatusIs(absl::StatusCode::kInvalidArgument));
  ASSERT_THAT(NearDuplicateDetector::Create({0}), IsOk());
  EXPECT_FALSE(NearDuplicateDetector::Create({0})->enabled());
  EXPECT_FALSE(NearDuplicateDetector::Create({-1})->enabled());
  EXPECT_TRUE(NearDuplicateDetector::Create({1})->enabled());
}

TEST(NearDuplicateDetectorTest, SketchOfTheWrongSizeDoesNotDecode) {
  EXPECT_THAT(DecodeSketch("short"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(DecodeSketch(std::string(kSketchBytes + 4, 'x')),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(FingerprintTextTest, SketchRoundTripsThroughItsStoredForm) {
  const TextFingerprint fingerprint = FingerprintText(kSentence);
  ASSERT_THAT(fingerprint.minhash, SizeIs(kMinHashCount));
  const std::string stored = EncodeSketch(fingerprint.minhash);
  EXPECT_THAT(stored, SizeIs(kSketchBytes));
  EXPECT_THAT(DecodeSketch(stored), IsOkAndHolds(fingerprint.minhash));
}

TEST(FingerprintTextTest, BodyHashIgnoresPunctuationSpacingCaseNfdAndToneStyle) {
  const std::string base = FingerprintText("Hội nghị Trung ương 4 khóa XII, về hòa giải.").body_hash;
  EXPECT_EQ(FingerprintText("hội nghị  trung ương 4 khoá XII – về hoà giải").body_hash, base);
  // NFD: base letters followed by combining marks.
  EXPECT_EQ(FingerprintText("Ho\xcc\xa3\xcc\x82i nghi\xcc\xa3 Trung u\xcc\x9bo\xcc\x9bng 4 "
                            "kho\xcc\x81" "a XII ve\xcc\x82\xcc\x80 ho\xcc\x80" "a gia\xcc\x89i")
                .body_hash,
            base);
  EXPECT_NE(FingerprintText("Hội nghị Trung ương 4 khóa XIII, về hòa giải.").body_hash, base);
  // Diacritics are part of a word: "bàn" (table) is not "bán" (sell).
  EXPECT_NE(FingerprintText("bàn giao").body_hash, FingerprintText("bán giao").body_hash);
}

TEST(FingerprintTextTest, ShortTextHasABodyHashButNoSketch) {
  const TextFingerprint fingerprint = FingerprintText("Văn bản số 1 của Tỉnh ủy");
  EXPECT_EQ(fingerprint.syllables, 7u);
  EXPECT_THAT(fingerprint.body_hash, SizeIs(32));
  EXPECT_THAT(fingerprint.minhash, IsEmpty());
  EXPECT_THAT(fingerprint.bands, IsEmpty());
  EXPECT_THAT(FingerprintText("").body_hash, SizeIs(32));
}

TEST(FingerprintTextTest, IsStableAcrossReleases) {
  // Sketches and band values are stored in Redis and compared with those of
  // later documents: a change here silently breaks near-duplicate detection
  // of everything already ingested (bump kSketchVersion instead).
  const TextFingerprint fingerprint = FingerprintText(kSentence);
  ASSERT_THAT(fingerprint.bands, SizeIs(kBandCount));
  EXPECT_EQ(fingerprint.body_hash, "ecb6d918e4bac98c46386195d6ed2754");
  EXPECT_EQ(fingerprint.minhash[0], 63384389u);
  EXPECT_EQ(fingerprint.minhash[63], 85055837u);
}

TEST(FingerprintTextTest, FoldedShinglesMakeDiacriticVariantsSimilarNotEqual) {
  const TextFingerprint a = FingerprintText(kSentence);
  const TextFingerprint b = FingerprintText(
      "Sang 14/6, Huyen uy Long My to chuc hoi nghi so ket 5 nam thuc hien Chi thi.");
  EXPECT_NE(a.body_hash, b.body_hash);
  EXPECT_EQ(EstimateSimilarity(a.minhash, b.minhash), 1.0);
  EXPECT_EQ(a.bands, b.bands);
}

TEST(FingerprintTextTest, ArbitraryBytesGiveAWellFormedFingerprint) {
  // Invalid UTF-8, NUL, lone combining marks and control bytes: never a
  // crash, and always a full-size sketch once there are enough syllables.
  std::mt19937 rng(11);
  for (int round = 0; round < 200; ++round) {
    std::string bytes(rng() % 400, '\0');
    for (char& c : bytes) c = static_cast<char>(rng() % 4 == 0 ? rng() % 256 : 'a' + rng() % 3);
    for (size_t i = 0; i + 1 < bytes.size(); i += 7) bytes[i] = ' ';
    const TextFingerprint fingerprint = FingerprintText(bytes);
    EXPECT_THAT(fingerprint.body_hash, SizeIs(32));
    if (fingerprint.syllables >= kMinSketchSyllables) {
      EXPECT_THAT(fingerprint.minhash, SizeIs(kMinHashCount));
      EXPECT_THAT(fingerprint.bands, SizeIs(kBandCount));
    } else {
      EXPECT_THAT(fingerprint.minhash, IsEmpty());
    }
  }
}

TEST(EstimateSimilarityTest, EmptyOrMismatchedSketchesAreZero) {
  EXPECT_EQ(EstimateSimilarity({}, {}), 0);
  EXPECT_EQ(EstimateSimilarity({1, 2}, {1, 2, 3}), 0);
  EXPECT_EQ(EstimateSimilarity({1, 2, 3, 4}, {1, 2, 3, 5}), 0.75);
}

TEST(NearDuplicateDetectorTest, ChoosesTheMostSimilarCandidateOtherThanItself) {
  auto detector = NearDuplicateDetector::Create({0.5});
  ASSERT_THAT(detector, IsOk());
  TextFingerprint fingerprint;
  fingerprint.minhash.assign(kMinHashCount, 7);
  std::vector<uint32_t> half = fingerprint.minhash, most = fingerprint.minhash;
  for (int i = 0; i < kMinHashCount / 2; ++i) half[i] = 1;
  for (int i = 0; i < kMinHashCount / 8; ++i) most[i] = 1;
  const std::vector<NearDuplicateCandidate> candidates = {
      {"self", EncodeSketch(fingerprint.minhash)},  // its own earlier version
      {"broken", "not a sketch"},
      {"half", EncodeSketch(half)},
      {"most", EncodeSketch(most)},
  };
  auto match = detector->Choose("self", fingerprint, candidates);
  ASSERT_TRUE(match.has_value());
  EXPECT_EQ(match->doc_id, "most");
  EXPECT_EQ(match->similarity, 0.875);

  auto strict = NearDuplicateDetector::Create({0.9});
  EXPECT_FALSE(strict->Choose("self", fingerprint, candidates).has_value());
  auto off = NearDuplicateDetector::Create({0});
  EXPECT_FALSE(off->Choose("other", fingerprint, candidates).has_value());
  TextFingerprint unsketched;
  EXPECT_FALSE(detector->Choose("other", unsketched, candidates).has_value());
}

// The duplicate set (tests/data/duplicates): each file read as ingest reads
// it, then compared with the original.
class DuplicateSetTest : public ::testing::Test {
 protected:
  struct Expectation {
    std::string file;
    std::string expected;  // accepted, near, duplicate
    std::string of;
  };

  static std::vector<Expectation> Expectations() {
    std::vector<Expectation> out;
    const std::string tsv = ReadFile(absl::StrCat(VNA_DUPLICATES_DIR, "/expected.tsv"));
    for (absl::string_view line : absl::StrSplit(tsv, '\n', absl::SkipEmpty())) {
      std::vector<std::string> fields = absl::StrSplit(line, '\t');
      if (fields[0] == "file") continue;
      fields.resize(3);
      out.push_back({fields[0], fields[1], fields[2]});
    }
    return out;
  }

  static TextFingerprint Fingerprint(const std::string& file) {
    IncomingDocument doc;
    doc.text = ReadFile(absl::StrCat(VNA_DUPLICATES_DIR, "/", file));
    doc.content_type = absl::EndsWith(file, ".html") ? "text/html" : "text/plain";
    absl::StatusOr<AcceptedDocument> accepted = Ingestor({}).Accept(doc);
    EXPECT_THAT(accepted, IsOk()) << file;
    return accepted.ok() ? FingerprintText(accepted->text) : TextFingerprint{};
  }
};

TEST_F(DuplicateSetTest, LinksRepublishedVariantsAndNothingElseAtTheDefaultThreshold) {
  const std::vector<Expectation> expectations = Expectations();
  ASSERT_THAT(expectations, SizeIs(9));
  const TextFingerprint original = Fingerprint("original.txt");
  const double threshold = NearDuplicateOptions{}.threshold;
  for (const Expectation& e : expectations) {
    if (e.file == "original.txt") continue;
    const TextFingerprint fingerprint = Fingerprint(e.file);
    const double similarity = EstimateSimilarity(original.minhash, fingerprint.minhash);
    int shared_bands = 0;
    for (size_t j = 0; j < fingerprint.bands.size() && j < original.bands.size(); ++j) {
      shared_bands += fingerprint.bands[j] == original.bands[j];
    }
    std::cout << e.file << ": similarity " << similarity << ", shared bands " << shared_bands
              << "\n";
    if (e.expected == "duplicate") {
      EXPECT_EQ(fingerprint.body_hash, original.body_hash) << e.file;
    } else {
      EXPECT_NE(fingerprint.body_hash, original.body_hash) << e.file;
    }
    if (e.expected == "near") {
      EXPECT_GE(similarity, threshold) << e.file;
      // The index must propose it: at least one band in common.
      EXPECT_GE(shared_bands, 1) << e.file;
    } else if (e.expected == "accepted") {
      EXPECT_LT(similarity, threshold) << e.file;
    }
  }
}

}  // namespace
}  // namespace ingest
}  // namespace vnarchive
