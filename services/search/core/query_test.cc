#include "services/search/core/query.h"

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
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::Pair;
using ::testing::SizeIs;

// Expects `query` to be InvalidArgument "query at byte <pos>: ..." whose
// message also contains `what`.
void ExpectMalformedAt(const std::string& query, size_t pos, const std::string& what) {
  absl::StatusOr<ParsedQuery> q = ParseQuery(query);
  ASSERT_THAT(q, StatusIs(absl::StatusCode::kInvalidArgument)) << query;
  const std::string message(q.status().message());
  EXPECT_THAT(message, HasSubstr("query at byte " + std::to_string(pos) + ": ")) << query;
  EXPECT_THAT(message, HasSubstr(what)) << query;
}

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

// --- Malformed queries: every error names the byte where it is ------------

TEST(ParseQueryTest, DanglingOrIsInvalidArgumentAtItsPosition) {
  ExpectMalformedAt("OR", 0, "no term, phrase or filter before it");
  ExpectMalformedAt("OR x", 0, "before it");
  ExpectMalformedAt("x OR", 2, "no term, phrase or filter after it");
  ExpectMalformedAt("x OR  ", 2, "after it");
  ExpectMalformedAt("x OR OR y", 2, "after it");
  ExpectMalformedAt("x OR ()", 2, "after it");  // punctuation is nothing to search
  ExpectMalformedAt("() OR x", 3, "before it");
  ExpectMalformedAt("x OR \"", 2, "after it");
}

TEST(ParseQueryTest, OrNextToAnExclusionOrBetweenKindsIsInvalidArgument) {
  ExpectMalformedAt("x OR -y", 2, "cannot join an exclusion");
  ExpectMalformedAt("-x OR y", 3, "cannot join an exclusion");
  ExpectMalformedAt("đảng OR -person:x", 8, "cannot join an exclusion");
  ExpectMalformedAt("x OR person:y", 2, "not a term and a filter");
  ExpectMalformedAt("loc:y OR \"a b\"", 6, "not a term and a filter");
}

TEST(ParseQueryTest, FilterWithoutValueIsInvalidArgument) {
  ExpectMalformedAt("person:", 0, "person: has no value");
  ExpectMalformedAt("person: Nguyễn", 0, "without a space after ':'");
  // "đảng" is 7 bytes: the filter starts at byte 8.
  ExpectMalformedAt("đảng person:\"\"", 8, "has no value");
  ExpectMalformedAt("x -ref:", 2, "ref: has no value");
  ExpectMalformedAt("x source:\"", 2, "has no value");  // unbalanced, nothing after
  ExpectMalformedAt("x org:\"…/\"", 2, "no letters or digits");
}

TEST(ParseQueryTest, MalformedDatesAreInvalidArgumentAtTheFilter) {
  ExpectMalformedAt("date:2019-13-01", 0, "no month 13");
  ExpectMalformedAt("x date:2019-02-30", 2, "day 30 does not exist in 2019-02");
  ExpectMalformedAt("đảng date:2019-12-31..2019-01-01", 8, "ends before it starts");
  ExpectMalformedAt("date:19", 0, "'19' is not a date");
  ExpectMalformedAt("date:yesterday", 0, "is not a date");
  ExpectMalformedAt("x Date:..", 2, "without ends");
  ExpectMalformedAt("date:2019/07/20", 0, "is not a date");
}

TEST(ParseQueryTest, LongFilterIsShortenedInTheMessage) {
  const std::string value(200, '9');
  absl::StatusOr<ParsedQuery> q = ParseQuery("date:" + value);
  ASSERT_THAT(q, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_LT(q.status().message().size(), 400u);
}

TEST(ParseQueryTest, TooManyFiltersIsInvalidArgument) {
  QueryOptions options;
  options.max_filters = 2;
  EXPECT_THAT(ParseQuery("loc:a loc:b", options), IsOk());
  absl::StatusOr<ParsedQuery> q = ParseQuery("loc:a loc:b loc:c", options);
  ASSERT_THAT(q, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(std::string(q.status().message()), HasSubstr("query at byte 12: more than 2"));
}

// --- Filters ----------------------------------------------------------------

TEST(ParseQueryTest, FiltersOnlyHaveNoTextExpression) {
  absl::StatusOr<ParsedQuery> q = ParseQuery("person:\"Đào Đức Toàn\"");
  ASSERT_THAT(q, IsOk());
  EXPECT_EQ(q->match, "");
  EXPECT_EQ(q->excluded, "");
  ASSERT_THAT(q->filters, SizeIs(1));
  ASSERT_THAT(q->filters[0], SizeIs(1));
  EXPECT_EQ(q->filters[0][0].field, FilterField::kPerson);
  EXPECT_THAT(q->filters[0][0].keys, ElementsAre("dao duc toan"));
  EXPECT_FALSE(q->filters[0][0].exclude);
}

TEST(ParseQueryTest, EveryFieldIsAFilterInAnyCaseWithAWordOrAQuotedValue) {
  absl::StatusOr<ParsedQuery> q = ParseQuery(
      "Person:Lê-Văn-A ORG:\"Tỉnh ủy Hậu Giang\" loc:\"Hau Giang\" ref:08-QĐi/TW "
      "source:baochinhphu.vn date:2019-07");
  ASSERT_THAT(q, IsOk());
  ASSERT_THAT(q->filters, SizeIs(6));
  EXPECT_THAT(q->filters[0][0].keys, ElementsAre("le van a"));
  EXPECT_EQ(q->filters[1][0].field, FilterField::kOrg);
  EXPECT_THAT(q->filters[1][0].keys, ElementsAre("tinh uy hau giang"));
  EXPECT_THAT(q->filters[2][0].keys, ElementsAre("hau giang"));
  EXPECT_THAT(q->filters[3][0].keys, ElementsAre("8 qdi tw"));
  EXPECT_THAT(q->filters[4][0].keys, ElementsAre("baochinhphu vn"));
  EXPECT_EQ(q->filters[5][0].field, FilterField::kDate);
  EXPECT_EQ(q->filters[5][0].from_unix, 1561914000);  // 2019-07-01 00:00 UTC+7
  EXPECT_EQ(q->match, "");
}

TEST(ParseQueryTest, FiltersCombineWithTextPhrasesOrAndExclusions) {
  absl::StatusOr<ParsedQuery> q =
      ParseQuery("\"nêu gương\" OR hoc -person:x loc:a OR loc:\"b c\" -date:2019 -dang");
  ASSERT_THAT(q, IsOk());
  EXPECT_EQ(q->match,
            "((\"nêu\" + \"gương\" OR \"neu\" + \"guong\" OR \"hoc\")) NOT (\"dang\")");
  ASSERT_THAT(q->filters, SizeIs(3));
  EXPECT_TRUE(q->filters[0][0].exclude);
  EXPECT_EQ(q->filters[0][0].field, FilterField::kPerson);
  ASSERT_THAT(q->filters[1], SizeIs(2));  // loc:a OR loc:"b c"
  EXPECT_THAT(q->filters[1][1].keys, ElementsAre("b c"));
  EXPECT_TRUE(q->filters[2][0].exclude);
  EXPECT_EQ(q->filters[2][0].field, FilterField::kDate);
}

TEST(ParseQueryTest, CountMatchHasTheFoldedFormsOnlyAndPhraseTermsFollowFts5Numbering) {
  absl::StatusOr<ParsedQuery> q =
      ParseQuery("\"nêu gương\" OR hoc -person:x loc:a OR loc:\"b c\" -date:2019 -dang");
  ASSERT_THAT(q, IsOk());
  EXPECT_EQ(q->count_match, "((\"neu\" + \"guong\" OR \"hoc\")) NOT (\"dang\")");
  // Phrases 0-2 of `match`, then the excluded one (no terms: it only excludes).
  EXPECT_THAT(q->rank_plan.phrase_terms,
              ElementsAre(ElementsAre("nêu", "gương"), ElementsAre("neu", "guong"),
                          ElementsAre("hoc"), IsEmpty()));

  // Abbreviations stay: UBND and its expansion are different words.
  q = ParseQuery("UBND tỉnh");
  ASSERT_THAT(q, IsOk());
  EXPECT_THAT(q->count_match, HasSubstr("\"uy\" + \"ban\" + \"nhan\" + \"dan\""));
  EXPECT_THAT(q->count_match, HasSubstr("\"tinh\""));
  EXPECT_THAT(q->count_match, Not(HasSubstr("tỉnh")));
  EXPECT_THAT(q->rank_plan.phrase_terms,
              ElementsAre(ElementsAre("ubnd"), ElementsAre("uy", "ban", "nhan", "dan"),
                          ElementsAre("tỉnh"), ElementsAre("tinh")));
  // Without diacritics both are the same expression.
  q = ParseQuery("dang uy");
  ASSERT_THAT(q, IsOk());
  EXPECT_EQ(q->count_match, q->match);
}

TEST(ParseQueryTest, ExclusionsBesideAFilterBecomeTheExcludedExpression) {
  absl::StatusOr<ParsedQuery> q = ParseQuery("date:2019 -dang -\"tham nhũng\"");
  ASSERT_THAT(q, IsOk());
  EXPECT_EQ(q->match, "");
  EXPECT_EQ(q->excluded, "\"dang\" OR \"tham\" + \"nhũng\"");
}

TEST(ParseQueryTest, OnlyExcludingFiltersIsInvalidArgument) {
  for (const char* query : {"-person:x", "-person:x -dang", "-date:2019 -loc:y"}) {
    absl::StatusOr<ParsedQuery> q = ParseQuery(query);
    EXPECT_THAT(q, StatusIs(absl::StatusCode::kInvalidArgument)) << query;
    EXPECT_THAT(std::string(q.status().message()), HasSubstr("only exclusions")) << query;
  }
}

TEST(ParseQueryTest, UnbalancedQuoteInAFilterRunsToTheEnd) {
  absl::StatusOr<ParsedQuery> q = ParseQuery("đảng person:\"Nguyễn Phú Trọng");
  ASSERT_THAT(q, IsOk());
  ASSERT_THAT(q->filters, SizeIs(1));
  EXPECT_THAT(q->filters[0][0].keys, ElementsAre("nguyen phu trong"));
}

TEST(ParseQueryTest, OtherNamesBeforeAColonAreText) {
  absl::StatusOr<ParsedQuery> q = ParseQuery("title:x http://a.vn :loc");
  ASSERT_THAT(q, IsOk());
  EXPECT_THAT(q->filters, IsEmpty());
  EXPECT_EQ(q->match, "(\"title\" + \"x\" AND \"http\" + \"a\" + \"vn\" AND \"loc\")");
}

TEST(ParseQueryTest, FilterValuesNeverReachTheFtsExpression) {
  // The value ends at its closing quote; what follows is a phrase of words.
  absl::StatusOr<ParsedQuery> q = ParseQuery("dang person:\"x\"\" OR NEAR(a b)\"");
  ASSERT_THAT(q, IsOk());
  EXPECT_EQ(q->match, "(\"dang\" AND \"or\" + \"near\" + \"a\" + \"b\")");
  ASSERT_THAT(q->filters, SizeIs(1));
  EXPECT_THAT(q->filters[0][0].keys, ElementsAre("x"));
  q = ParseQuery("dang person:x\"NEAR source:^*");
  ASSERT_THAT(q, IsOk());
  EXPECT_EQ(q->match, "(\"dang\" AND \"near\" + \"source\")");
  EXPECT_THAT(q->filters, SizeIs(1));
  EXPECT_THAT(ParseQuery("source:^*"), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(ParseQueryTest, WordsArePutInTheIndexToneStyle) {
  absl::StatusOr<ParsedQuery> q = ParseQuery("thuỷ");
  ASSERT_THAT(q, IsOk());
  EXPECT_EQ(q->match, "((\"thủy\" OR \"thuy\"))");
  QueryOptions modern;
  modern.tone_style = normalize::ToneStyle::kModern;
  q = ParseQuery("thủy", modern);
  ASSERT_THAT(q, IsOk());
  EXPECT_EQ(q->match, "((\"thuỷ\" OR \"thuy\"))");
}

TEST(ParseQueryTest, TermsWithoutDiacriticsAreAndedLiterals) {
  absl::StatusOr<ParsedQuery> q = ParseQuery("dang  UY");
  ASSERT_THAT(q, IsOk());
  EXPECT_EQ(q->match, "(\"dang\" AND \"uy\")");
  EXPECT_FALSE(q->has_exact_variant);
  EXPECT_THAT(q->rank_plan.exact, IsEmpty());  // every match is as typed
}

// A run as (phrase numbers, tokens) per word, for matching.
std::vector<std::pair<std::vector<int>, int>> RunWords(const std::vector<RankPlan::Word>& run) {
  std::vector<std::pair<std::vector<int>, int>> out;
  for (const RankPlan::Word& word : run) out.emplace_back(word.phrases, word.tokens);
  return out;
}

TEST(ParseQueryTest, WordsTypedTogetherFormRunsForRanking) {
  absl::StatusOr<ParsedQuery> q = ParseQuery("Ban thường vụ");
  ASSERT_THAT(q, IsOk());
  // Phrases: "ban" 0, "thường" 1, "thuong" 2, "vụ" 3, "vu" 4.
  ASSERT_THAT(q->rank_plan.runs, SizeIs(1));
  EXPECT_THAT(RunWords(q->rank_plan.runs[0]),
              ElementsAre(Pair(ElementsAre(0), 1), Pair(ElementsAre(1, 2), 1),
                          Pair(ElementsAre(3, 4), 1)));
  // A filter, an exclusion or a quoted phrase ends a run; a run of one word
  // is no run; OR takes both its sides out.
  q = ParseQuery("tinh uy person:x hoi nghi -y ban \"thuong vu\" a b OR c d e");
  ASSERT_THAT(q, IsOk());
  // Phrases: tinh 0, uy 1, hoi 2, nghi 3, ban 4, "thuong vu" 5, a 6, b 7,
  // c 8, d 9, e 10.
  ASSERT_THAT(q->rank_plan.runs, SizeIs(3));
  EXPECT_THAT(RunWords(q->rank_plan.runs[0]), ElementsAre(Pair(ElementsAre(0), 1), Pair(ElementsAre(1), 1)));
  EXPECT_THAT(RunWords(q->rank_plan.runs[1]), ElementsAre(Pair(ElementsAre(2), 1), Pair(ElementsAre(3), 1)));
  EXPECT_THAT(RunWords(q->rank_plan.runs[2]), ElementsAre(Pair(ElementsAre(9), 1), Pair(ElementsAre(10), 1)));
  // A punctuated word is one word of several tokens.
  q = ParseQuery("chi thi 05-CT/TW");
  ASSERT_THAT(q, IsOk());
  ASSERT_THAT(q->rank_plan.runs, SizeIs(1));
  EXPECT_THAT(RunWords(q->rank_plan.runs[0]),
              ElementsAre(Pair(ElementsAre(0), 1), Pair(ElementsAre(1), 1), Pair(ElementsAre(2), 3)));
  for (const char* single : {"đảng", "\"ban thường vụ\"", "a OR b", "a -b", "person:x a"}) {
    q = ParseQuery(single);
    ASSERT_THAT(q, IsOk()) << single;
    EXPECT_THAT(q->rank_plan.runs, IsEmpty()) << single;
  }
}

TEST(ParseQueryTest, TermWithDiacriticsAlsoMatchesItsFoldedForm) {
  absl::StatusOr<ParsedQuery> q = ParseQuery("Đảng uy");
  ASSERT_THAT(q, IsOk());
  EXPECT_EQ(q->match, "((\"đảng\" OR \"dang\") AND \"uy\")");
  EXPECT_TRUE(q->has_exact_variant);
  // As typed: phrase 0 ("đảng") and phrase 2 ("uy").
  EXPECT_THAT(q->rank_plan.exact, ElementsAre(ElementsAre(0), ElementsAre(2)));
}

TEST(ParseQueryTest, PhrasesAndExclusions) {
  absl::StatusOr<ParsedQuery> q =
      ParseQuery("\"ban chấp hành\" -\"tham nhũng\" -xa");
  ASSERT_THAT(q, IsOk());
  // "Ban Chấp hành" is also written "BCH" in official text.
  EXPECT_EQ(q->match,
            "((\"ban\" + \"chấp\" + \"hành\" OR \"ban\" + \"chap\" + \"hanh\" OR \"bch\")) "
            "NOT (\"tham\" + \"nhũng\" OR \"xa\")");
  EXPECT_THAT(q->rank_plan.exact, ElementsAre(ElementsAre(0)));
  EXPECT_THAT(q->rank_plan.runs, IsEmpty());  // a quoted phrase is no run
}

TEST(ParseQueryTest, HeaderExampleHolds) {
  absl::StatusOr<ParsedQuery> q = ParseQuery("Đảng -\"tham nhũng\"");
  ASSERT_THAT(q, IsOk());
  EXPECT_EQ(q->match, "((\"đảng\" OR \"dang\")) NOT (\"tham\" + \"nhũng\")");
  EXPECT_THAT(q->rank_plan.exact, ElementsAre(ElementsAre(0)));
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
  absl::StatusOr<ParsedQuery> q = ParseQuery("title:x or \"");
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
  // As typed: "đại" (0); "hội" (2) or "hội nghị" (4); "xa" (6).
  EXPECT_THAT(q->rank_plan.exact,
              ElementsAre(ElementsAre(0), ElementsAre(2, 4), ElementsAre(6)));
}

TEST(ParseQueryTest, LowerCaseOrIsAWord) {
  for (const char* query : {"x or y", "x \"OR\" y", "x -OR"}) {
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

TEST(ParseQueryTest, ShortFormsOfTheSameExpansionFindEachOther) {
  // "TW" in a query finds "T.Ư" in the text (and the full form).
  absl::StatusOr<ParsedQuery> tw = ParseQuery("TW");
  ASSERT_THAT(tw, IsOk());
  EXPECT_EQ(tw->match, "((\"tw\" OR \"trung\" + \"uong\" OR \"t\" + \"u\"))");
  absl::StatusOr<ParsedQuery> dotted = ParseQuery("T.Ư");
  ASSERT_THAT(dotted, IsOk());
  EXPECT_THAT(dotted->match, HasSubstr("OR \"tw\""));
}

TEST(ParseQueryTest, ShortFormsThatReadAsSyllablesAreNotSearchedForOthers) {
  // "TƯ" is also the syllable "tư": a phrase query for "trung ương" must not
  // match every "tư", "từ", "tự" of the archive.
  absl::StatusOr<ParsedQuery> phrase = ParseQuery("\"trung ương\"");
  ASSERT_THAT(phrase, IsOk());
  EXPECT_EQ(phrase->match,
            "((\"trung\" + \"ương\" OR \"trung\" + \"uong\" OR \"t\" + \"u\" OR \"tw\"))");
  EXPECT_THAT(phrase->match, Not(HasSubstr("\"tu\"")));
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
