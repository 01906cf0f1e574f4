#include "services/extract/eval/scorer.h"

#include <string>

#include "common/base/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/extract/eval/annotation.h"

namespace vnarchive {
namespace extract {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

DocAnnotation Doc(std::map<std::string, std::vector<std::string>> values,
                  std::vector<std::pair<std::string, std::string>> roles = {}) {
  DocAnnotation a;
  a.doc = "d.txt";
  a.values = std::move(values);
  a.roles = std::move(roles);
  return a;
}

// --- Gold file errors --------------------------------------------------------

TEST(GoldJsonlTest, RejectsMalformedLinesNamingThem) {
  EXPECT_THAT(ParseGoldJsonl("{\"doc\":\"a\"}\n{\"doc\":"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(std::string(ParseGoldJsonl("{\"doc\":\"a\"}\n[1]").status().message()),
              HasSubstr("line 2: not a JSON object"));
  EXPECT_THAT(std::string(ParseGoldJsonl("{\"PERSON\":[]}").status().message()),
              HasSubstr("missing \"doc\""));
  EXPECT_THAT(std::string(ParseGoldJsonl("{\"doc\":\"a\",\"PEOPLE\":[]}").status().message()),
              HasSubstr("unknown key \"PEOPLE\""));
  EXPECT_THAT(std::string(ParseGoldJsonl("{\"doc\":\"a\",\"LOC\":\"Huế\"}").status().message()),
              HasSubstr("LOC must be an array"));
  EXPECT_THAT(
      std::string(ParseGoldJsonl("{\"doc\":\"a\",\"PERSON_ROLE\":[[\"A\"]]}").status().message()),
      HasSubstr("string pairs"));
  EXPECT_THAT(std::string(ParseGoldJsonl("{\"doc\":\"a\"}\n{\"doc\":\"a\"}").status().message()),
              HasSubstr("line 2: document \"a\" twice"));
}

TEST(GoldJsonlTest, ReadsTheGuidelineExampleAndEscapes) {
  const auto gold = ParseGoldJsonl(
      "{\"doc\":\"name.txt\",\n"
      "\"PERSON\":[\"Lê Thị Thu Hằng\",\"\\u0110\\u00e0o \\u0110\\u1ee9c To\\u00e0n\"],"
      "\"LOC\":[],\"PERSON_ROLE\":[[\"Đào Đức Toàn\",\"Phó Bí thư Thành ủy\"]]}");
  // A line break inside an object is not part of the format: one per line.
  EXPECT_FALSE(gold.ok());
  const auto one = ParseGoldJsonl(
      "{\"doc\":\"name.txt\",\"PERSON\":[\"Lê Thị Thu Hằng\",\"\\u0110\\u00e0o \\u0110\\u1ee9c "
      "To\\u00e0n\"],\"LOC\":[],\"PERSON_ROLE\":[[\"Đào Đức Toàn\",\"Phó Bí thư Thành ủy\"]]}\n\n");
  ASSERT_THAT(one, IsOk());
  ASSERT_EQ(one->size(), 1u);
  EXPECT_THAT((*one)[0].values.at("PERSON"), ElementsAre("Lê Thị Thu Hằng", "Đào Đức Toàn"));
  EXPECT_THAT((*one)[0].roles, ElementsAre(Pair("Đào Đức Toàn", "Phó Bí thư Thành ủy")));
}

TEST(GoldJsonlTest, WritesWhatItReads) {
  DocAnnotation a = Doc({{"PERSON", {"B \"x\"", "A", "A"}}, {"DATE", {"2019-07-20"}}},
                        {{"A", "Bí thư"}});
  a.doc = "q.txt";
  const std::string line = ToJsonLine(a);
  EXPECT_EQ(line,
            "{\"doc\":\"q.txt\",\"PERSON\":[\"A\",\"B \\\"x\\\"\"],\"LOC\":[],\"ORG\":[],"
            "\"DOC_REF\":[],\"DATE\":[\"2019-07-20\"],\"PERSON_ROLE\":[[\"A\",\"Bí thư\"]]}");
  const auto back = ParseGoldJsonl(line);
  ASSERT_THAT(back, IsOk());
  EXPECT_THAT((*back)[0].values.at("PERSON"), ElementsAre("A", "B \"x\""));
}

// --- Scoring -----------------------------------------------------------------------

TEST(ScorerTest, ExactTypesCompareDistinctValues) {
  Scorer s;
  s.Add(Doc({{"LOC", {"Hà Nội", "Hậu Giang"}}}), Doc({{"LOC", {"Hà Nội", "Hà Nội", "Huế"}}}));
  const TypeScore loc = s.Score("LOC");
  EXPECT_EQ(loc.predicted, 2u);  // duplicates count once
  EXPECT_EQ(loc.gold, 2u);
  EXPECT_EQ(loc.correct, 1u);
  EXPECT_EQ(loc.found, 1u);
  EXPECT_DOUBLE_EQ(loc.precision(), 0.5);
  EXPECT_DOUBLE_EQ(loc.recall(), 0.5);
  EXPECT_DOUBLE_EQ(loc.f1(), 0.5);
}

TEST(ScorerTest, ToneStyleAndNormalisationFormDoNotMatterButCaseDoes) {
  Scorer s;
  // "khoá" (modern) vs "khóa"; NFD "Hòa" vs NFC.
  s.Add(Doc({{"DOC_REF", {"Nghị quyết Trung ương 4 khóa XII"}}, {"LOC", {"Khánh Hòa", "hà nội"}}}),
        Doc({{"DOC_REF", {"Nghị quyết Trung ương 4 khoá XII"}},
             {"LOC", {"Kha\xCC\x81nh Hoa\xCC\x80", "Hà Nội"}}}));
  EXPECT_DOUBLE_EQ(s.Score("DOC_REF").f1(), 1.0);
  EXPECT_EQ(s.Score("LOC").correct, 1u);  // "Hà Nội" is not "hà nội"
}

TEST(ScorerTest, OrgMatchesWhenOneContainsTheOther) {
  Scorer s;
  s.Add(Doc({{"ORG", {"Ban Thường vụ Tỉnh ủy Hậu Giang", "Bộ Chính trị", "MTTQ"}}}),
        Doc({{"ORG", {"Tỉnh ủy Hậu Giang", "Bộ Chính trị Việt Nam", "Quốc hội"}}}));
  const TypeScore org = s.Score("ORG");
  EXPECT_EQ(org.correct, 2u);  // contained, containing
  EXPECT_EQ(org.found, 2u);    // MTTQ missed
  EXPECT_EQ(org.predicted, 3u);
  EXPECT_EQ(org.gold, 3u);
}

TEST(ScorerTest, RolesArePairsWithEqualPersonsAndContainedRoles) {
  Scorer s;
  s.Add(Doc({}, {{"Đào Đức Toàn", "Phó Bí thư Thành ủy"},
                 {"Nghiêm Xuân Thành", "Bí thư Tỉnh ủy Hậu Giang"}}),
        Doc({}, {{"Đào Đức Toàn", "Phó Bí thư Thành ủy Hà Nội"},
                 {"Nghiêm Xuân Thành", "Ủy viên Trung ương Đảng"},
                 {"Nghiêm Xuân", "Bí thư Tỉnh ủy Hậu Giang"}}));
  const TypeScore r = s.Score("PERSON_ROLE");
  EXPECT_EQ(r.predicted, 3u);
  EXPECT_EQ(r.correct, 1u);
  EXPECT_EQ(r.found, 1u);
}

TEST(ScorerTest, MicroAveragesOverDocuments) {
  Scorer s;
  s.Add(Doc({{"PERSON", {"A B", "C D", "E F"}}}), Doc({{"PERSON", {"A B", "C D", "E F"}}}));
  s.Add(Doc({{"PERSON", {"G H"}}}), Doc({{"PERSON", {"X Y"}}}));
  const TypeScore p = s.Score("PERSON");
  EXPECT_DOUBLE_EQ(p.precision(), 0.75);  // 3/4, not the mean of 1 and 0
  EXPECT_DOUBLE_EQ(p.recall(), 0.75);
  EXPECT_EQ(s.documents(), 2u);
}

TEST(ScorerTest, EmptyTypesScoreOneAndOneSidedTypesZero) {
  Scorer s;
  s.Add(Doc({{"DATE", {"2019-07-20"}}}), Doc({{"LOC", {"Huế"}}}));
  EXPECT_DOUBLE_EQ(s.Score("PERSON").f1(), 1.0);
  EXPECT_DOUBLE_EQ(s.Score("DATE").f1(), 0.0);
  EXPECT_DOUBLE_EQ(s.Score("LOC").f1(), 0.0);
  ASSERT_EQ(s.Errors().size(), 2u);
  EXPECT_EQ(s.Errors()[0].type, "LOC");
  EXPECT_THAT(s.Errors()[0].false_positives, ElementsAre("Huế"));
  EXPECT_THAT(s.Table(), HasSubstr("PERSON_ROLE"));
}

TEST(ScorerTest, ConvertsExtractorResults) {
  ExtractResult r;
  Entity e;
  e.type = EntityType::kDocRef;
  e.canonical = "08-QĐi/TW";
  r.entities.push_back(e);
  Relation rel;
  rel.person = "Đào Đức Toàn";
  rel.title = "Phó Bí thư Thành ủy";
  r.relations.push_back(rel);
  const DocAnnotation a = FromExtractResult("x.txt", r);
  EXPECT_THAT(a.values.at("DOC_REF"), ElementsAre("08-QĐi/TW"));
  EXPECT_THAT(a.roles, ElementsAre(Pair("Đào Đức Toàn", "Phó Bí thư Thành ủy")));
}

}  // namespace
}  // namespace extract
}  // namespace vnarchive
