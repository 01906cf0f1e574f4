#include "services/extract/core/extractor.h"

#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/base/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace vnarchive {
namespace extract {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;

// "TYPE surface@begin-end=canonical": exact spans in one readable string.
std::vector<std::string> Describe(absl::string_view input, const Extractor& extractor = Extractor()) {
  std::vector<std::string> out;
  const absl::StatusOr<ExtractResult> r = extractor.Extract(input);
  EXPECT_THAT(r, IsOk());
  if (!r.ok()) return out;
  for (const Entity& e : r->entities) {
    EXPECT_EQ(input.substr(e.begin, e.end - e.begin), e.surface);
    out.push_back(absl::StrCat(EntityTypeName(e.type), " ", e.surface, "@", e.begin, "-", e.end,
                               "=", e.canonical));
  }
  return out;
}

Entity Single(absl::string_view input) {
  const absl::StatusOr<ExtractResult> r = Extractor().Extract(input);
  EXPECT_THAT(r, IsOk());
  if (!r.ok() || r->entities.size() != 1) {
    ADD_FAILURE() << "expected one entity in " << input;
    return Entity{};
  }
  return r->entities[0];
}

// --- Error paths -----------------------------------------------------------

TEST(ExtractorTest, RejectsInvalidUtf8NamingTheOffset) {
  const absl::StatusOr<ExtractResult> r = Extractor().Extract("05-CT/TW \xFF");
  EXPECT_THAT(r, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("byte 9 (0xff)"));
  EXPECT_THAT(Extractor().Extract("\xED\xA0\x80"), StatusIs(absl::StatusCode::kInvalidArgument));
}

// --- Positive table ------------------------------------------------------------

struct ExtractCase {
  const char* name;
  std::string input;
  std::vector<std::string> entities;
};

TEST(ExtractorTest, FindsEntitiesTable) {
  const ExtractCase kCases[] = {
      {"party directive", "Chỉ thị số 05-CT/TW", {"DOC_REF 05-CT/TW@17-25=05-CT/TW"}},
      {"bare party code", "05-CT/TW", {"DOC_REF 05-CT/TW@0-8=05-CT/TW"}},
      {"code then date", "Quy định 08-QĐi/TW ngày 25/10/2017 của Bộ Chính trị.",
       {"DOC_REF 08-QĐi/TW@12-22=08-QĐi/TW", "DATE 25/10/2017@29-39=2017-10-25"}},
      {"state codes",
       "Nghị định 157/2007/NĐ-CP, Thông tư số 12/2019/TT-BNV và Quyết định số 123/QĐ-UBND",
       {"DOC_REF 157/2007/NĐ-CP@15-30=157/2007/NĐ-CP", "DOC_REF 12/2019/TT-BNV@48-62=12/2019/TT-BNV",
        "DOC_REF 123/QĐ-UBND@88-100=123/QĐ-UBND"}},
      {"party codes in a list", "(18-NQ/TW; 25-KH/TU và 1972-QĐ/TU)",
       {"DOC_REF 18-NQ/TW@1-9=18-NQ/TW", "DOC_REF 25-KH/TU@11-19=25-KH/TU",
        "DOC_REF 1972-QĐ/TU@24-35=1972-QĐ/TU"}},
      {"mixed-case issuer, sentence end", "Quyết định 01/2020/QĐ-TTg.",
       {"DOC_REF 01/2020/QĐ-TTg@16-31=01/2020/QĐ-TTg"}},
      {"unknown code after kind word", "Công văn số 456/UBND-VX",
       {"DOC_REF 456/UBND-VX@16-27=456/UBND-VX"}},
      {"law number", "Luật số 23/2018/QH14", {"DOC_REF 23/2018/QH14@12-24=23/2018/QH14"}},
      {"Vietnamese long date", "ngày 12 tháng 3 năm 2019",
       {"DATE 12 tháng 3 năm 2019@6-27=2019-03-12"}},
      {"dateline", "(15:25 20/07/2019)", {"DATE 20/07/2019@7-17=2019-07-20"}},
      {"capitalised long date and ISO", "Ngày 1 Tháng 1 Năm 2020, hạn 2019-07-20.",
       {"DATE 1 Tháng 1 Năm 2020@6-26=2020-01-01", "DATE 2019-07-20@34-44=2019-07-20"}},
      {"d/m/yyyy", "5/6/2020", {"DATE 5/6/2020@0-8=2020-06-05"}},
      {"dashes", "20-07-2019", {"DATE 20-07-2019@0-10=2019-07-20"}},
      {"dots", "20.07.2019.", {"DATE 20.07.2019@0-10=2019-07-20"}},
      {"leap day", "29/02/2020", {"DATE 29/02/2020@0-10=2020-02-29"}},
      {"mistyped year kept as written", "Nghị định 157/20007/NĐ-CP",
       {"DOC_REF 157/20007/NĐ-CP@15-31=157/20007/NĐ-CP"}},
  };
  for (const ExtractCase& c : kCases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(Describe(c.input), c.entities);
  }
}

// --- Negative table --------------------------------------------------------------

TEST(ExtractorTest, IgnoresLookalikesTable) {
  const ExtractCase kCases[] = {
      {"no issuer", "05-CT và 12-NQ", {}},
      {"no number", "CT/TW và NĐ-CP", {}},
      {"unknown kind without kind word", "05-XY/TW, 456/UBND-VX", {}},
      {"number glued to a word", "a05-CT/TW", {}},
      {"code continues", "05-CT/TW/abc", {}},
      {"COVID", "COVID-19 năm 2020", {}},
      {"February 31st", "31/02/2019", {}},
      {"13th month", "12/13/2019", {}},
      {"day zero", "0/1/2019", {}},
      {"not a leap year", "29/02/2019", {}},
      {"long date, bad month", "12 tháng 13 năm 2019", {}},
      {"month and year only", "tháng 3 năm 2019", {}},
      {"partial date", "Sáng 20/7, hội nghị", {}},
      {"two-digit year", "20/7/19", {}},
      {"five-digit year", "1/2/20199", {}},
      {"mixed separators", "20/07-2019", {}},
      {"version number", "bản 1.10.2019.4 và v1.2.2019", {}},
      {"year out of range", "1/1/1000", {}},
      {"ISO with bad month", "2019-13-01", {}},
      {"fraction-like", "tỷ lệ 12/2019 và 3/4", {}},
      {"year ranges", "nhiệm kỳ 2015-2020, 2021-2026", {}},
      {"date followed by a code tail", "10/12/2019/QĐ-UBND", {}},
  };
  for (const ExtractCase& c : kCases) {
    SCOPED_TRACE(c.name);
    EXPECT_THAT(Describe(c.input), IsEmpty());
  }
}

TEST(ExtractorTest, NeverFindsDatesInsideDocumentCodes) {
  EXPECT_THAT(Describe("157/2007/NĐ-CP 12/2019/TT-BNV 10/12/2019/QĐ-UBND"),
              ElementsAre("DOC_REF 157/2007/NĐ-CP@0-15=157/2007/NĐ-CP",
                          "DOC_REF 12/2019/TT-BNV@16-30=12/2019/TT-BNV"));
}

// --- Attributes ----------------------------------------------------------------------

TEST(ExtractorTest, ParsesPartyCodeAttributes) {
  const Entity e = Single("Quy định 08-QĐi/TW");
  EXPECT_EQ(e.type, EntityType::kDocRef);
  EXPECT_THAT(e.attributes, ElementsAre(Pair("kind", "quy định"), Pair("number", "08"),
                                        Pair("issuer", "TW")));
}

TEST(ExtractorTest, ParsesStateCodeAttributes) {
  EXPECT_THAT(Single("157/2007/NĐ-CP").attributes,
              ElementsAre(Pair("kind", "nghị định"), Pair("number", "157"), Pair("year", "2007"),
                          Pair("issuer", "CP")));
  EXPECT_THAT(Single("123/QĐ-UBND").attributes,
              ElementsAre(Pair("kind", "quyết định"), Pair("number", "123"),
                          Pair("issuer", "UBND")));
  EXPECT_THAT(Single("Công văn số 456/UBND-VX").attributes,
              ElementsAre(Pair("kind", "công văn"), Pair("number", "456"),
                          Pair("issuer", "UBND-VX")));
  EXPECT_THAT(Single("157/20007/NĐ-CP").attributes,
              ElementsAre(Pair("kind", "nghị định"), Pair("number", "157"), Pair("issuer", "CP")));
  EXPECT_THAT(Single("Luật 23/2018/QH14").attributes,
              ElementsAre(Pair("kind", "luật"), Pair("number", "23"), Pair("year", "2018"),
                          Pair("issuer", "QH14")));
}

struct KindCase {
  const char* code;
  const char* kind;
};

TEST(ExtractorTest, MapsEveryKindCode) {
  const KindCase kCases[] = {
      {"1-CT/TW", "chỉ thị"},  {"1-NQ/TW", "nghị quyết"}, {"1-QĐ/TW", "quyết định"},
      {"1-QĐi/TW", "quy định"}, {"1-KH/TW", "kế hoạch"},  {"1/NĐ-CP", "nghị định"},
      {"1/TT-BTC", "thông tư"}, {"1-KL/TW", "kết luận"},  {"1-HD/BTGTW", "hướng dẫn"},
      {"1-TB/TW", "thông báo"}, {"1-CV/TU", "công văn"},  {"1-BC/TU", "báo cáo"},
  };
  for (const KindCase& c : kCases) {
    const Entity e = Single(c.code);
    ASSERT_FALSE(e.attributes.empty()) << c.code;
    EXPECT_THAT(e.attributes.front(), Pair("kind", c.kind)) << c.code;
  }
}

TEST(ExtractorTest, ParsesDateAttributes) {
  EXPECT_THAT(Single("ngày 05 tháng 03 năm 2019").attributes,
              ElementsAre(Pair("year", "2019"), Pair("month", "3"), Pair("day", "5")));
}

TEST(ExtractorTest, HonoursTypeOptions) {
  ExtractorOptions options;
  options.dates = false;
  EXPECT_THAT(Describe("05-CT/TW ngày 20/7/2019", Extractor(options)),
              ElementsAre("DOC_REF 05-CT/TW@0-8=05-CT/TW"));
  options.dates = true;
  options.doc_refs = false;
  EXPECT_THAT(Describe("05-CT/TW ngày 20/7/2019", Extractor(options)),
              ElementsAre("DATE 20/7/2019@15-24=2019-07-20"));
}

TEST(ExtractorTest, ServesManyThreadsFromOneInstance) {
  const Extractor extractor;
  const std::string input = "Chỉ thị 05-CT/TW ngày 20/7/2019 và Nghị định 157/2007/NĐ-CP.";
  std::vector<std::thread> threads;
  std::vector<size_t> counts(4);
  for (size_t i = 0; i < counts.size(); ++i) {
    threads.emplace_back([&, i] {
      for (int k = 0; k < 200; ++k) counts[i] = extractor.Extract(input)->entities.size();
    });
  }
  for (std::thread& t : threads) t.join();
  for (size_t c : counts) EXPECT_EQ(c, 3u);
}

}  // namespace
}  // namespace extract
}  // namespace vnarchive
