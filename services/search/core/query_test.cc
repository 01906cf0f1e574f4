#include "services/search/core/query.h"

#include <string>

#include "common/base/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace vnarchive {
namespace search {
namespace {

using ::testing::HasSubstr;

TEST(ParseQueryTest, EmptyQueryIsInvalidArgument) {
  EXPECT_THAT(ParseQuery(""), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseQuery("  \t\n"), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(ParseQueryTest, QueryWithoutTokensIsInvalidArgument) {
  EXPECT_THAT(ParseQuery("*"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseQuery("( ) \"\" - --"),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(ParseQueryTest, OnlyExclusionsIsInvalidArgument) {
  absl::StatusOr<ParsedQuery> q = ParseQuery("-tham -\"tham nhũng\"");
  EXPECT_THAT(q, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(std::string(q.status().message()), HasSubstr("exclusion"));
}

TEST(ParseQueryTest, TooLongIsInvalidArgument) {
  QueryOptions options;
  options.max_query_bytes = 8;
  EXPECT_THAT(ParseQuery("123456789", options),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseQuery("12345678", options), IsOk());
  EXPECT_THAT(ParseQuery(std::string(1025, 'a')),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(ParseQueryTest, InvalidUtf8IsInvalidArgument) {
  EXPECT_THAT(ParseQuery("dang \xff uy"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseQuery("\xc3"), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(ParseQueryTest, FieldFiltersAreUnimplemented) {
  for (const char* query : {"source:baochinhphu", "person:Nguyễn", "ORG:x",
                            "đảng loc:", "-ref:05-CT/TW"}) {
    EXPECT_THAT(ParseQuery(query), StatusIs(absl::StatusCode::kUnimplemented))
        << query;
  }
}

TEST(ParseQueryTest, TermsWithoutDiacriticsAreAndedLiterals) {
  absl::StatusOr<ParsedQuery> q = ParseQuery("dang  UY");
  ASSERT_THAT(q, IsOk());
  EXPECT_EQ(q->match, "(\"dang\" AND \"uy\")");
  EXPECT_EQ(q->exact_match, q->match);
  EXPECT_FALSE(q->has_exact_variant);
}

TEST(ParseQueryTest, TermWithDiacriticsAlsoMatchesItsFoldedForm) {
  absl::StatusOr<ParsedQuery> q = ParseQuery("Đảng uy");
  ASSERT_THAT(q, IsOk());
  EXPECT_EQ(q->match, "((\"đảng\" OR \"dang\") AND \"uy\")");
  EXPECT_EQ(q->exact_match, "(\"đảng\" AND \"uy\")");
  EXPECT_TRUE(q->has_exact_variant);
}

TEST(ParseQueryTest, PhrasesAndExclusions) {
  absl::StatusOr<ParsedQuery> q =
      ParseQuery("\"ban chấp hành\" -\"tham nhũng\" -xa");
  ASSERT_THAT(q, IsOk());
  // "Ban Chấp hành" is also written "BCH" in official text.
  EXPECT_EQ(q->match,
            "((\"ban\" + \"chấp\" + \"hành\" OR \"ban\" + \"chap\" + \"hanh\" OR \"bch\")) "
            "NOT (\"tham\" + \"nhũng\" OR \"xa\")");
  EXPECT_EQ(q->exact_match,
            "(\"ban\" + \"chấp\" + \"hành\") NOT (\"tham\" + \"nhũng\" OR \"xa\")");
}

TEST(ParseQueryTest, HeaderExampleHolds) {
  absl::StatusOr<ParsedQuery> q = ParseQuery("Đảng -\"tham nhũng\"");
  ASSERT_THAT(q, IsOk());
  EXPECT_EQ(q->match, "((\"đảng\" OR \"dang\")) NOT (\"tham\" + \"nhũng\")");
  EXPECT_EQ(q->exact_match, "(\"đảng\") NOT (\"tham\" + \"nhũng\")");
}

TEST(ParseQueryTest, UnbalancedQuoteClosesAtTheEnd) {
  absl::StatusOr<ParsedQuery> q = ParseQuery("uy ban \"nhan dan");
  ASSERT_THAT(q, IsOk());
  EXPECT_EQ(q->match, "(\"uy\" AND \"ban\" AND \"nhan\" + \"dan\")");
}

TEST(ParseQueryTest, PunctuatedWordIsAPhraseOfItsTokens) {
  absl::StatusOr<ParsedQuery> q = ParseQuery("05-CT/TW");
  ASSERT_THAT(q, IsOk());
  EXPECT_EQ(q->match, "(\"05\" + \"ct\" + \"tw\")");
}

TEST(ParseQueryTest, Fts5SyntaxIsPlainText) {
  absl::StatusOr<ParsedQuery> q = ParseQuery("title:x OR \"");
  ASSERT_THAT(q, IsOk());
  EXPECT_EQ(q->match, "(\"title\" + \"x\" AND \"or\")");
  q = ParseQuery("NEAR(a b) c* ^d {e f}: AND NOT");
  ASSERT_THAT(q, IsOk());
  EXPECT_EQ(q->match,
            "(\"near\" + \"a\" AND \"b\" AND \"c\" AND \"d\" AND \"e\" AND \"f\" "
            "AND \"and\" AND \"not\")");
}

TEST(QuoteFts5Test, DoublesEmbeddedQuotes) {
  EXPECT_EQ(QuoteFts5("a\"b"), "\"a\"\"b\"");
  EXPECT_EQ(QuoteFts5(""), "\"\"");
}

TEST(ParseQueryTest, OrJoinsTheTermsAroundIt) {
  absl::StatusOr<ParsedQuery> q = ParseQuery("đại hội OR \"hội nghị\" xa");
  ASSERT_THAT(q, IsOk());
  EXPECT_EQ(q->match,
            "((\"đại\" OR \"dai\") AND (\"hội\" OR \"hoi\" OR \"hội\" + \"nghị\" OR "
            "\"hoi\" + \"nghi\") AND \"xa\")");
  EXPECT_EQ(q->exact_match, "(\"đại\" AND (\"hội\" OR \"hội\" + \"nghị\") AND \"xa\")");
}

TEST(ParseQueryTest, OrWithoutTwoSidesIsAWord) {
  for (const char* query : {"OR", "OR x", "x OR", "x or y", "x OR -y", "x OR OR y"}) {
    absl::StatusOr<ParsedQuery> q = ParseQuery(query);
    ASSERT_THAT(q, IsOk()) << query;
    EXPECT_NE(q->match.find("\"or\""), std::string::npos) << query << ": " << q->match;
  }
}

TEST(ParseQueryTest, AbbreviationsMatchTheirExpansionAndBack) {
  absl::StatusOr<ParsedQuery> short_form = ParseQuery("UBND");
  ASSERT_THAT(short_form, IsOk());
  EXPECT_EQ(short_form->match, "((\"ubnd\" OR \"uy\" + \"ban\" + \"nhan\" + \"dan\"))");
  absl::StatusOr<ParsedQuery> lower = ParseQuery("ubnd");
  ASSERT_THAT(lower, IsOk());
  EXPECT_EQ(lower->match, short_form->match);
  absl::StatusOr<ParsedQuery> expansion = ParseQuery("\"uy ban nhan dan\"");
  ASSERT_THAT(expansion, IsOk());
  EXPECT_EQ(expansion->match, "((\"uy\" + \"ban\" + \"nhan\" + \"dan\" OR \"ubnd\"))");
}

TEST(ParseQueryTest, ShortAbbreviationsExpandOnlyAsWritten) {
  // "tu" is far more often a syllable (tư, từ, tự) than "TU" (Tỉnh ủy).
  absl::StatusOr<ParsedQuery> syllable = ParseQuery("tu");
  ASSERT_THAT(syllable, IsOk());
  EXPECT_EQ(syllable->match, "(\"tu\")");
  // Letters, not bytes: "đu" (to swing) is two letters, three bytes.
  absl::StatusOr<ParsedQuery> swing = ParseQuery("đu");
  ASSERT_THAT(swing, IsOk());
  EXPECT_EQ(swing->match, "((\"đu\" OR \"du\"))");
  absl::StatusOr<ParsedQuery> written = ParseQuery("TU");
  ASSERT_THAT(written, IsOk());
  EXPECT_EQ(written->match, "((\"tu\" OR \"tinh\" + \"uy\"))");
}

}  // namespace
}  // namespace search
}  // namespace vnarchive
