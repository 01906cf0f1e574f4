#include "services/normalize/core/abbreviations.h"

#include <set>
#include <string>
#include <vector>

#include "common/text/utf8.h"
#include "gtest/gtest.h"

namespace vnarchive {
namespace normalize {
namespace {

std::vector<std::string> ShortForms(absl::string_view text) {
  std::vector<std::string> out;
  for (const AbbreviationMatch& m : FindAbbreviations(text)) {
    EXPECT_EQ(text.substr(m.begin, m.end - m.begin), m.short_form);
    out.emplace_back(m.short_form);
  }
  return out;
}

TEST(AbbreviationsTest, TableHasAtLeastFortyUniqueValidEntries) {
  std::set<absl::string_view> seen;
  for (const Abbreviation& entry : BuiltinAbbreviations()) {
    EXPECT_TRUE(seen.insert(entry.short_form).second) << entry.short_form;
    EXPECT_TRUE(text::ValidateUtf8(entry.short_form).ok());
    EXPECT_TRUE(text::ValidateUtf8(entry.expansion).ok());
    EXPECT_FALSE(entry.expansion.empty()) << entry.short_form;
    // The scanner compares the second byte before anything else.
    EXPECT_GE(entry.short_form.size(), 2u) << entry.short_form;
  }
  EXPECT_GE(seen.size(), 40u);
}

TEST(AbbreviationsTest, FindsWholeWordsOnly) {
  using V = std::vector<std::string>;
  EXPECT_EQ(ShortForms("Chủ tịch UBND tỉnh và HĐND huyện"), (V{"UBND", "HĐND"}));
  EXPECT_EQ(ShortForms("UBNDX và XUBND và UBND2"), V{});
  EXPECT_EQ(ShortForms("ubnd, Tw, tp"), V{});
  EXPECT_EQ(ShortForms("Ban Chấp hành T.Ư Đảng; ĐUK các cơ quan"), (V{"T.Ư", "ĐUK"}));
  EXPECT_EQ(ShortForms("đội ngũ CB,CC,VC của tỉnh"), (V{"CB,CC,VC"}));
}

TEST(AbbreviationsTest, PrefersTheLongestMatch) {
  using V = std::vector<std::string>;
  EXPECT_EQ(ShortForms("tại TP.HCM và TP. Hà Nội"), (V{"TP.HCM", "TP"}));
  EXPECT_EQ(ShortForms("ĐUK và ĐU xã"), (V{"ĐUK", "ĐU"}));
  EXPECT_EQ(ShortForms("Sở NN&PTNT, Sở GD&ĐT"), (V{"NN&PTNT", "GD&ĐT"}));
}

TEST(AbbreviationsTest, ReportsExpansionAndByteSpan) {
  const auto matches = FindAbbreviations("Phó Chủ tịch UBND");
  ASSERT_EQ(matches.size(), 1u);
  EXPECT_EQ(matches[0].expansion, "Ủy ban nhân dân");
  EXPECT_EQ(matches[0].begin, std::string("Phó Chủ tịch ").size());
  EXPECT_EQ(matches[0].end, std::string("Phó Chủ tịch UBND").size());
}

TEST(AbbreviationsTest, CodesInDocumentReferencesAreFound) {
  // "CP" in "NĐ-CP" is the issuer, the Government: reporting it is right.
  using V = std::vector<std::string>;
  EXPECT_EQ(ShortForms("Nghị định 157/2007/NĐ-CP"), (V{"CP"}));
}

}  // namespace
}  // namespace normalize
}  // namespace vnarchive
