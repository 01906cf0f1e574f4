#include "services/search/core/suggest.h"

#include <string>
#include <vector>

#include "common/base/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace vnarchive {
namespace search {
namespace {

std::string Suggest(const std::string& query, const std::vector<std::string>& marked) {
  absl::StatusOr<ParsedQuery> parsed = ParseQuery(query);
  EXPECT_THAT(parsed, IsOk()) << query;
  if (!parsed.ok()) return "<error>";
  return SuggestDiacritics(query, parsed->plain_terms, marked);
}

TEST(SuggestDiacriticsTest, DominantFormsReplaceTheTermsInPlace) {
  EXPECT_EQ(Suggest("neu guong", {"nêu", "gương", "nêu", "gương", "Nêu"}), "nêu gương");
  // Everything else in the query stays as typed.
  EXPECT_EQ(Suggest("Đảng  neu -x guong person:\"Lê Văn A\"", {"nêu", "nêu", "gương", "gương"}),
            "Đảng  nêu -x gương person:\"Lê Văn A\"");
}

TEST(SuggestDiacriticsTest, PhrasesAndPunctuatedWordsKeepBeingPhrases) {
  EXPECT_EQ(Suggest("\"neu guong\"", {"nêu gương", "nêu gương"}), "\"nêu gương\"");
  EXPECT_EQ(Suggest("ho-chi-minh", {"Hồ Chí Minh", "Hồ Chí Minh", "hồ chí minh"}),
            "\"Hồ Chí Minh\"");
}

TEST(SuggestDiacriticsTest, KeepsTheCaseTheDocumentsUse) {
  EXPECT_EQ(Suggest("\"ha noi\" dang", {"Hà Nội", "Hà Nội", "đảng", "Đảng", "đảng"}),
            "\"Hà Nội\" đảng");
}

TEST(SuggestDiacriticsTest, NothingWhenNoFormIsClearlyDominant) {
  EXPECT_EQ(Suggest("neu", {"nêu", "nếu", "nêu", "nếu"}), "");
  EXPECT_EQ(Suggest("neu", {"nêu", "nêu", "nếu"}), "");  // 2/3 is below 3/4
  EXPECT_EQ(Suggest("neu", {"nêu", "nêu", "nêu", "nếu"}), "nêu");  // 3/4 is enough
  EXPECT_EQ(Suggest("neu", {"nêu"}), "");  // seen once: not enough evidence
  // One term is clear but the other is not: the phrase meant is unknown.
  EXPECT_EQ(Suggest("neu guong", {"nêu", "nếu", "gương", "gương"}), "");
}

TEST(SuggestDiacriticsTest, NothingWhenTheArchiveWritesItWithoutDiacritics) {
  EXPECT_EQ(Suggest("internet", {"Internet", "internet"}), "");
  EXPECT_EQ(Suggest("ban", {"ban", "ban", "ban"}), "");
  EXPECT_EQ(Suggest("neu", {}), "");
}

TEST(SuggestDiacriticsTest, UnseenTermsKeepTheirSpellingAndForeignSpansAreIgnored) {
  EXPECT_EQ(Suggest("neu xyz", {"nêu", "nêu"}), "nêu xyz");
  // "ubnd" matched "Ủy ban nhân dân" through the abbreviation table: that is
  // no spelling of "ubnd".
  EXPECT_EQ(Suggest("ubnd neu", {"Ủy ban nhân dân", "Ủy ban nhân dân", "nêu", "nêu"}),
            "ubnd nêu");
}

TEST(SuggestDiacriticsTest, TermsTypedWithDiacriticsAreNotPlain) {
  absl::StatusOr<ParsedQuery> parsed = ParseQuery("nêu guong -neu \"ha noi\" OR hue");
  ASSERT_THAT(parsed, IsOk());
  ASSERT_EQ(parsed->plain_terms.size(), 3u);  // guong, "ha noi", hue; not the exclusion
  EXPECT_EQ(parsed->plain_terms[0].begin, 5u);
  EXPECT_EQ(parsed->plain_terms[0].end, 10u);
  EXPECT_FALSE(parsed->plain_terms[0].quoted);
  EXPECT_EQ(parsed->plain_terms[1].begin, 17u);
  EXPECT_TRUE(parsed->plain_terms[1].quoted);
  EXPECT_EQ(Suggest("nêu guong", {"gương", "gương"}), "nêu gương");
}

}  // namespace
}  // namespace search
}  // namespace vnarchive
