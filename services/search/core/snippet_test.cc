#include "services/search/core/snippet.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace vnarchive {
namespace search {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

SnippetOptions Options(int tokens) { return SnippetOptions{tokens, "[", "]", "…"}; }

TEST(MakeSnippetTest, MarksFoldedAndExactMatchesOfAShortText) {
  EXPECT_EQ(MakeSnippet("Hội nghị Ban Chấp hành Đảng bộ tỉnh", {{"dang"}}, Options(16)),
            "Hội nghị Ban Chấp hành [Đảng] bộ tỉnh");
  // A term with diacritics matches the lower-case form only: "đảng" is not "Đang".
  EXPECT_EQ(MakeSnippet("Đang họp Đảng ủy", {{"đảng"}}, Options(16)), "Đang họp [Đảng] ủy");
}

TEST(MakeSnippetTest, APhraseMatchesOnlyWhereItsTermsAreAdjacent) {
  const std::vector<std::vector<std::string>> phrase = {{"kinh", "te"}};
  EXPECT_EQ(MakeSnippet("Kinh doanh và tế bào; phát triển kinh tế", phrase, Options(16)),
            "Kinh doanh và tế bào; phát triển [kinh tế]");
  // Separate words are separate marks, even side by side.
  EXPECT_EQ(MakeSnippet("phát triển kinh tế", {{"kinh"}, {"te"}}, Options(16)),
            "phát triển [kinh] [tế]");
}

TEST(MakeSnippetTest, OverlappingInstancesShareOneMark) {
  // The exact and folded phrases of one word (as a query with diacritics
  // has them), and an abbreviation's expansion over its words.
  EXPECT_EQ(MakeSnippet("Ủy ban nhân dân tỉnh", {{"ủy"}, {"uy"}, {"uy", "ban", "nhan", "dan"}},
                        Options(16)),
            "[Ủy ban nhân dân] tỉnh");
}

TEST(MakeSnippetTest, PicksTheWindowWithTheMostDistinctPhrases) {
  std::string text = "Tham nhũng là vấn đề.";
  for (int i = 0; i < 30; ++i) text += " Câu chuyện dài không liên quan.";
  text += " Phòng chống tham nhũng và lãng phí là nhiệm vụ.";
  for (int i = 0; i < 30; ++i) text += " Đoạn kết thúc.";
  const std::string snippet =
      MakeSnippet(text, {{"tham", "nhung"}, {"lang", "phi"}}, Options(12));
  EXPECT_THAT(snippet, HasSubstr("[tham nhũng] và [lãng phí]"));
  // Cut on both sides; the fragment starts at the sentence of its matches.
  EXPECT_THAT(snippet, StartsWith("…Phòng chống"));
  EXPECT_THAT(snippet, ::testing::EndsWith("…"));
}

TEST(MakeSnippetTest, CentresMatchesWhenNoSentenceStartsNearby) {
  std::string text;
  for (int i = 0; i < 20; ++i) text += "một hai ba ";
  text += "đích ";
  for (int i = 0; i < 20; ++i) text += "bốn năm sáu ";
  const std::string snippet = MakeSnippet(text, {{"dich"}}, Options(5));
  EXPECT_EQ(snippet, "…hai ba [đích] bốn năm…");
}

TEST(MakeSnippetTest, ATextWithoutMatchesGivesItsOpening) {
  EXPECT_EQ(MakeSnippet("một hai ba bốn năm", {{"khong"}}, Options(3)), "một hai ba…");
  EXPECT_EQ(MakeSnippet("một hai", {}, Options(3)), "một hai");
  EXPECT_EQ(MakeSnippet("một hai", {{}}, Options(3)), "một hai");
}

TEST(MakeSnippetTest, TextWithoutTokensGivesNothing) {
  EXPECT_EQ(MakeSnippet("", {{"a"}}, Options(16)), "");
  EXPECT_EQ(MakeSnippet(" ... ; ", {{"a"}}, Options(16)), "");
}

TEST(MakeSnippetTest, KeepsTheTextBetweenTokensAndCutsOnlyAtTokens) {
  EXPECT_EQ(MakeSnippet("Số 08-QĐi/TW,\nngày 1/2.", {{"qdi"}}, Options(16)),
            "Số 08-[QĐi]/TW,\nngày 1/2.");
  EXPECT_EQ(MakeSnippet("(Số 08-QĐi/TW, ngày 1/2.)", {{"qdi"}}, Options(3)),
            "(Số 08-[QĐi]…");
  EXPECT_EQ(MakeSnippet("(Số 08-QĐi/TW, ngày 1/2.)", {{"ngay"}}, Options(3)), "…TW, [ngày] 1…");
}

TEST(MakeSnippetTest, NearTheEndTheWindowStillHoldsFullLength) {
  std::string text;
  for (int i = 0; i < 10; ++i) text += "từ ";
  text += "cuối";
  EXPECT_EQ(MakeSnippet(text, {{"cuoi"}}, Options(4)), "…từ từ từ [cuối]");
}

TEST(MakeSnippetTest, InvalidUtf8IsAnySeparator) {
  const std::string text = std::string("đầu \xff\xfe giữa ") + "cuối";
  EXPECT_EQ(MakeSnippet(text, {{"giua"}}, Options(16)), "đầu \xff\xfe [giữa] cuối");
}

}  // namespace
}  // namespace search
}  // namespace vnarchive
