#include "services/search/core/entity_codec.h"

#include <string>
#include <utility>
#include <vector>

#include "common/base/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace vnarchive {
namespace search {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;

std::vector<StoredEntity> SampleEntities() {
  return {
      {"PERSON", "Đào Đức Toàn", 0, 16, "Đào Đức Toàn", {}},
      {"DOC_REF", "Quy định 08", 40, 65, "08-QĐi/TW", {{"kind", "quy định"}, {"number", "08"}}},
      {"PERSON", "ông Toàn", 90, 100, "Đào Đức Toàn", {}},
      {"LOC", "Hậu Giang", 120, 131, "Hậu Giang", {}},
      {"DATE", "Sáng 20/7", 200, 211, "", {{"precision", "day"}}},
  };
}

std::vector<std::pair<std::string, std::string>> FacetPairs(const std::string& blob) {
  std::vector<std::pair<std::string, std::string>> pairs;
  EXPECT_THAT(ForEachFacetValue(blob,
                                [&](absl::string_view type, absl::string_view canonical) {
                                  pairs.emplace_back(std::string(type), std::string(canonical));
                                }),
              IsOk());
  return pairs;
}

TEST(EntityCodecTest, EntitiesRoundTripInOrderWithSpansAndAttributes) {
  const std::vector<StoredEntity> entities = SampleEntities();
  absl::StatusOr<std::vector<StoredEntity>> decoded = DecodeEntities(EncodeEntities(entities));
  ASSERT_THAT(decoded, IsOk());
  ASSERT_EQ(decoded->size(), entities.size());
  for (size_t i = 0; i < entities.size(); ++i) {
    EXPECT_EQ((*decoded)[i].type, entities[i].type) << i;
    EXPECT_EQ((*decoded)[i].surface, entities[i].surface) << i;
    EXPECT_EQ((*decoded)[i].canonical, entities[i].canonical) << i;
    EXPECT_EQ((*decoded)[i].begin, entities[i].begin) << i;
    EXPECT_EQ((*decoded)[i].end, entities[i].end) << i;
    EXPECT_EQ((*decoded)[i].attributes, entities[i].attributes) << i;
  }
}

TEST(EntityCodecTest, NoEntitiesRoundTrip) {
  absl::StatusOr<std::vector<StoredEntity>> decoded = DecodeEntities(EncodeEntities({}));
  ASSERT_THAT(decoded, IsOk());
  EXPECT_THAT(*decoded, IsEmpty());
  EXPECT_THAT(FacetPairs(EncodeFacetValues({})), IsEmpty());
}

TEST(EntityCodecTest, LargeOffsetsAndLongStringsRoundTrip) {
  StoredEntity e{"ORG", std::string(300, 'x'), int64_t{5} << 32, (int64_t{5} << 32) + 70000,
                 std::string(1000, 'y'), {{"k", std::string(200, 'v')}}};
  absl::StatusOr<std::vector<StoredEntity>> decoded = DecodeEntities(EncodeEntities({e}));
  ASSERT_THAT(decoded, IsOk());
  ASSERT_EQ(decoded->size(), 1u);
  EXPECT_EQ((*decoded)[0].begin, e.begin);
  EXPECT_EQ((*decoded)[0].end, e.end);
  EXPECT_EQ((*decoded)[0].surface, e.surface);
  EXPECT_EQ((*decoded)[0].canonical, e.canonical);
  EXPECT_EQ((*decoded)[0].attributes, e.attributes);
}

TEST(EntityCodecTest, FacetValuesAreDistinctNonEmptyAndGroupedByType) {
  EXPECT_THAT(FacetPairs(EncodeFacetValues(SampleEntities())),
              ElementsAre(Pair("PERSON", "Đào Đức Toàn"), Pair("DOC_REF", "08-QĐi/TW"),
                          Pair("LOC", "Hậu Giang")));
  // A type that comes back later joins its group.
  std::vector<StoredEntity> entities = SampleEntities();
  entities.push_back({"PERSON", "Lê Văn A", 300, 308, "Lê Văn A", {}});
  EXPECT_THAT(FacetPairs(EncodeFacetValues(entities)),
              ElementsAre(Pair("PERSON", "Đào Đức Toàn"), Pair("PERSON", "Lê Văn A"),
                          Pair("DOC_REF", "08-QĐi/TW"), Pair("LOC", "Hậu Giang")));
}

TEST(EntityCodecTest, DamagedBlobsAreDataLossNotACrash) {
  const std::string entities = EncodeEntities(SampleEntities());
  const std::string facets = EncodeFacetValues(SampleEntities());
  auto ignore = [](absl::string_view, absl::string_view) {};
  // Every truncation, and a trailing byte.
  for (size_t n = 0; n < entities.size(); ++n) {
    EXPECT_THAT(DecodeEntities(entities.substr(0, n)),
                StatusIs(absl::StatusCode::kDataLoss)) << n;
  }
  for (size_t n = 0; n < facets.size(); ++n) {
    EXPECT_THAT(ForEachFacetValue(facets.substr(0, n), ignore),
                StatusIs(absl::StatusCode::kDataLoss)) << n;
  }
  EXPECT_THAT(DecodeEntities(entities + "x"), StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(ForEachFacetValue(facets + "x", ignore), StatusIs(absl::StatusCode::kDataLoss));
  // Another version, and a count far beyond the blob.
  EXPECT_THAT(DecodeEntities("\x07\x00"), StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(DecodeEntities(std::string("\x01\xff\xff\xff\xff\x0f", 6)),
              StatusIs(absl::StatusCode::kDataLoss));
  // A varint longer than 64 bits.
  EXPECT_THAT(DecodeEntities(std::string("\x01") + std::string(11, '\xff')),
              StatusIs(absl::StatusCode::kDataLoss));
}

}  // namespace
}  // namespace search
}  // namespace vnarchive
