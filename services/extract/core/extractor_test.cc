#include "services/extract/core/extractor.h"

#include "services/extract/core/entity_rules.h"

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

using ::testing::Contains;
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
       {"DOC_REF 08-QĐi/TW@12-22=08-QĐi/TW", "DATE 25/10/2017@29-39=2017-10-25",
        "ORG Bộ Chính trị@46-63=Bộ Chính trị"}},
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

// --- Token rules: names, organisations, places, roles -------------------------

// "TYPE canonical" for every entity of `type` (all types if empty), in text
// order, and "person | title" for every role.
std::vector<std::string> Values(absl::string_view input, absl::string_view type = "",
                                const Extractor& extractor = Extractor()) {
  std::vector<std::string> out;
  const absl::StatusOr<ExtractResult> r = extractor.Extract(input);
  EXPECT_THAT(r, IsOk());
  if (!r.ok()) return out;
  for (const Entity& e : r->entities) {
    EXPECT_EQ(input.substr(e.begin, e.end - e.begin), e.surface);
    EXPECT_FALSE(e.rule.empty()) << e.surface;
    if (type.empty() || type == EntityTypeName(e.type)) {
      out.push_back(absl::StrCat(EntityTypeName(e.type), " ", e.canonical));
    }
  }
  if (type.empty() || type == "PERSON_ROLE") {
    for (const Relation& rel : r->relations) out.push_back(absl::StrCat(rel.person, " | ", rel.title));
  }
  return out;
}

TEST(ExtractorRulesTest, PersonAfterTitleWithRoleAndOrganisation) {
  const std::string input = "Phó Bí thư Thành ủy Đào Đức Toàn phát biểu.";
  EXPECT_THAT(Values(input), ElementsAre("ORG Thành ủy", "PERSON Đào Đức Toàn",
                                         "Đào Đức Toàn | Phó Bí thư Thành ủy"));
  const ExtractResult r = *Extractor().Extract(input);
  ASSERT_EQ(r.relations.size(), 1u);
  EXPECT_EQ(r.relations[0].organisation, "Thành ủy");
  EXPECT_EQ(r.relations[0].rule, "role.before_name");
  EXPECT_EQ(input.substr(r.relations[0].title_begin,
                         r.relations[0].title_end - r.relations[0].title_begin),
            "Phó Bí thư Thành ủy");
}

TEST(ExtractorRulesTest, TitleChainAfterTheNameGivesOneRolePerTitle) {
  EXPECT_THAT(
      Values("Đồng chí Nghiêm Xuân Thành - Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy Hậu Giang dự.",
             "PERSON_ROLE"),
      ElementsAre("Nghiêm Xuân Thành | Ủy viên Trung ương Đảng",
                  "Nghiêm Xuân Thành | Bí thư Tỉnh ủy Hậu Giang"));
  EXPECT_THAT(Values("Đồng chí Trần Văn Sơn, Bí thư Tỉnh ủy kiêm Chủ tịch HĐND tỉnh phát biểu.",
                     "PERSON_ROLE"),
              ElementsAre("Trần Văn Sơn | Bí thư Tỉnh ủy", "Trần Văn Sơn | Chủ tịch HĐND tỉnh"));
  // A parenthesis between the name and the title.
  EXPECT_THAT(Values("Đồng chí Ngô Hoàng Ngân (bên phải), Bí thư Thành uỷ Móng Cái kiểm tra.",
                     "PERSON_ROLE"),
              ElementsAre("Ngô Hoàng Ngân | Bí thư Thành uỷ Móng Cái"));
  // The last title of a list belongs to the name that follows it.
  EXPECT_THAT(Values("Dự có đồng chí Lê Văn An, Phó Bí thư Tỉnh ủy Trần Thị Bình.", "PERSON_ROLE"),
              ElementsAre("Trần Thị Bình | Phó Bí thư Tỉnh ủy"));
}

TEST(ExtractorRulesTest, HonorificsAndDegreesAreNeitherNameNorRole) {
  EXPECT_THAT(Values("Ông Phan Việt Cường và bà Hồ Thị Kim Cúc dự; PGS.TS Nguyễn Văn An phát biểu."),
              ElementsAre("PERSON Phan Việt Cường", "PERSON Hồ Thị Kim Cúc",
                          "PERSON Nguyễn Văn An"));
  // A title in the previous sentence is not attached.
  EXPECT_THAT(Values("Chỉ thị của Thủ tướng Chính phủ.\n\nÔng Lê Văn Bình cho biết.", "PERSON_ROLE"),
              IsEmpty());
}

TEST(ExtractorRulesTest, HoChiMinhIsThePersonUnlessTheCity) {
  EXPECT_THAT(Values("làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh", "PERSON"),
              ElementsAre("PERSON Hồ Chí Minh"));
  EXPECT_THAT(Values("tại TP. Hồ Chí Minh và TP.HCM"),
              ElementsAre("LOC Thành phố Hồ Chí Minh", "LOC Thành phố Hồ Chí Minh"));
}

TEST(ExtractorRulesTest, TwoSyllableNamesNeedEvidence) {
  // A family name and one capitalised word could be anything ("Từ Hà Nội").
  EXPECT_THAT(Values("Từ Hà Nội, đoàn đi Huế.", "PERSON"), IsEmpty());
  EXPECT_THAT(Values("Đồng chí Tô Lâm phát biểu.", "PERSON"), ElementsAre("PERSON Tô Lâm"));
  // Evidence elsewhere in the text counts.
  EXPECT_THAT(Values("Tổng Bí thư Tô Lâm dự. Tô Lâm nhấn mạnh.", "PERSON"),
              ElementsAre("PERSON Tô Lâm", "PERSON Tô Lâm"));
}

TEST(ExtractorRulesTest, GivenNamesThatAreAlsoOtherWords) {
  EXPECT_THAT(Values("Đồng chí Nguyễn Văn Phong, Đặng Xuân Phong và Lê Trường Lưu dự.", "PERSON"),
              ElementsAre("PERSON Nguyễn Văn Phong", "PERSON Đặng Xuân Phong",
                          "PERSON Lê Trường Lưu"));
}

TEST(ExtractorRulesTest, BylinesAndPhotoCredits) {
  EXPECT_THAT(Values("Tiêu đề\n\nNội dung bài viết.\n\nHuy Kiên", "PERSON"),
              ElementsAre("PERSON Huy Kiên"));
  EXPECT_THAT(Values("Tiêu đề\n\nNội dung.\n\nMinh Khoa - Anh Thư", "PERSON"),
              ElementsAre("PERSON Minh Khoa", "PERSON Anh Thư"));
  EXPECT_THAT(Values("Tiêu đề\n\nNội dung.\n\nNguyễn Cường - Đảng ủy Khối", "PERSON"),
              ElementsAre("PERSON Nguyễn Cường"));
  EXPECT_THAT(Values("Kiểm tra đê xã Hải Tiến. Ảnh: Vi Thu (CTV)", "PERSON"),
              ElementsAre("PERSON Vi Thu"));
  // Short lines that are not names: captions, headings, page furniture.
  EXPECT_THAT(Values("Tiêu đề\n\nToàn cảnh hội nghị\n\nAndroid APK\n\nT.S", "PERSON"), IsEmpty());
}

TEST(ExtractorRulesTest, OrganisationsInTheirLongestForm) {
  EXPECT_THAT(Values("Ban Thường vụ Tỉnh ủy Hậu Giang và UBND tỉnh, MTTQ, Bộ Chính trị.", "ORG"),
              ElementsAre("ORG Ban Thường vụ Tỉnh ủy Hậu Giang", "ORG UBND tỉnh", "ORG MTTQ",
                          "ORG Bộ Chính trị"));
  EXPECT_THAT(Values("Đảng ủy Khối các cơ quan tỉnh tổ chức hội nghị.", "ORG"),
              ElementsAre("ORG Đảng ủy Khối các cơ quan tỉnh"));
  EXPECT_THAT(Values("Giám đốc Sở Nội vụ tỉnh Vĩnh Long và Ủy ban MTTQ Việt Nam tỉnh Bình Định", "ORG"),
              ElementsAre("ORG Sở Nội vụ tỉnh Vĩnh Long", "ORG Ủy ban MTTQ Việt Nam tỉnh Bình Định"));
  // A body named inside a title.
  EXPECT_THAT(Values("Ủy viên Bộ Chính trị, Trưởng Ban Tổ chức Trung ương Lê Văn An", "ORG"),
              ElementsAre("ORG Bộ Chính trị", "ORG Ban Tổ chức Trung ương"));
}

TEST(ExtractorRulesTest, GenericHeadsAndSeparatedWordsAreNoOrganisation) {
  EXPECT_THAT(Values("Hội nghị của Đảng bộ các tỉnh; ban hành văn bản; Sở đã họp.", "ORG"),
              IsEmpty());
  // Punctuation the spelling does not have breaks a match.
  EXPECT_THAT(Values("chỉ đạo của Trung ương, Đảng bộ tỉnh đã đề ra", "ORG"),
              ElementsAre("ORG Đảng bộ tỉnh"));
  // Codes inside document numbers are not organisations ("CP", "TW").
  EXPECT_THAT(Values("Nghị định 157/2007/NĐ-CP", "ORG"), IsEmpty());
}

TEST(ExtractorRulesTest, PlacesWithoutTheirAdministrativeWord) {
  EXPECT_THAT(Values("tỉnh Hậu Giang, TP Móng Cái, xã Hải Tiến, đặc khu Phú Quốc", "LOC"),
              ElementsAre("LOC Hậu Giang", "LOC Móng Cái", "LOC Hải Tiến", "LOC Phú Quốc"));
  // Inside organisation names, and regions and countries.
  EXPECT_THAT(Values("Tỉnh ủy Quảng Ninh, Mặt trận Tổ quốc Việt Nam, Cụm Đồng bằng Bắc Bộ", "LOC"),
              ElementsAre("LOC Quảng Ninh", "LOC Việt Nam", "LOC Đồng bằng Bắc Bộ"));
  // "thành phố Cụm ..." is no city; "hòa bình" is no province.
  EXPECT_THAT(Values("các tỉnh, thành phố Cụm thi đua vì hòa bình", "LOC"), IsEmpty());
}

TEST(ExtractorRulesTest, PlacesCarryTheirLevel) {
  const ExtractResult r = *Extractor().Extract("huyện Phụng Hiệp, xã Tân Hiệp");
  ASSERT_EQ(r.entities.size(), 2u);
  EXPECT_THAT(r.entities[0].attributes,
              ElementsAre(Pair("level", "huyện"), Pair("province", "Hậu Giang")));
  EXPECT_EQ(r.entities[0].source.substr(0, 14), "districts.tsv:");
  EXPECT_THAT(r.entities[1].attributes, ElementsAre(Pair("level", "xã")));
  EXPECT_EQ(r.entities[1].rule, "loc.admin_word");
}

// --- DATE: partial dates -------------------------------------------------------------

TEST(ExtractorRulesTest, PartialDatesTakeTheDatelineYear) {
  EXPECT_THAT(Values("Tiêu đề (15:25 20/07/2019)\n\nSáng 18/7, hội nghị; chiều 19-7 bế mạc.", "DATE"),
              ElementsAre("DATE 2019-07-20", "DATE 2019-07-18", "DATE 2019-07-19"));
  // A date next to a time of day is the dateline, not the page's "today".
  EXPECT_THAT(Values("Hôm nay, ngày 18 tháng 1 năm 2019\n28.2.2018 - 7:25\n\nNgày 20/2, họp.",
                     "DATE"),
              ElementsAre("DATE 2019-01-18", "DATE 2018-02-28", "DATE 2018-02-20"));
  // Lists that share a month or a year.
  EXPECT_THAT(Values("08:28, Thứ Tư, 22/05/2019 (GMT+7)\n\nTrong hai ngày 25 và 26/9; từ ngày 12-14/10.",
                     "DATE"),
              ElementsAre("DATE 2019-05-22", "DATE 2019-09-25", "DATE 2019-09-26",
                          "DATE 2019-10-12", "DATE 2019-10-14"));
  EXPECT_THAT(Values("Trong 2 ngày 12 và 13/7/2022", "DATE"),
              ElementsAre("DATE 2022-07-12", "DATE 2022-07-13"));
}

TEST(ExtractorRulesTest, PartialDatesNeedACueAndAYear) {
  EXPECT_THAT(Values("(20/07/2019) tỷ lệ 3/4 số xã, tháng 7/2019", "DATE"),
              ElementsAre("DATE 2019-07-20"));
  EXPECT_THAT(Values("Sáng 20/7, hội nghị", "DATE"), IsEmpty());  // no year anywhere
  ExtractorOptions options;
  options.reference_year = 2024;
  const ExtractResult r = *Extractor(options).Extract("Sáng 20/7, hội nghị");
  ASSERT_EQ(r.entities.size(), 1u);
  EXPECT_EQ(r.entities[0].canonical, "2024-07-20");
  EXPECT_EQ(r.entities[0].rule, "date.partial");
  EXPECT_THAT(r.entities[0].attributes, Contains(Pair("year_from", "option")));
}

// --- DOC_REF: canonical forms --------------------------------------------------------

TEST(ExtractorRulesTest, NumberedReferencesLinkToTheirCode) {
  EXPECT_THAT(Values("Quy định 08 về nêu gương ... Quy định số 08-QĐi/TW", "DOC_REF"),
              ElementsAre("DOC_REF 08-QĐi/TW", "DOC_REF 08-QĐi/TW"));
  EXPECT_THAT(Values("Chỉ thị 05 và Chỉ thị số 05 của Bộ Chính trị; Kế hoạch 5 năm", "DOC_REF"),
              ElementsAre("DOC_REF Chỉ thị 05", "DOC_REF Chỉ thị 05"));
  // Party regulations also carry the code QĐ.
  EXPECT_THAT(Values("Quy định số 80-QĐ/TW ... Quy định 80", "DOC_REF"),
              ElementsAre("DOC_REF 80-QĐ/TW", "DOC_REF 80-QĐ/TW"));
}

TEST(ExtractorRulesTest, CodesWithSpacesAndPlenums) {
  EXPECT_THAT(Values("Chỉ thị số 05- CT/TW của Bộ Chính trị", "DOC_REF"),
              ElementsAre("DOC_REF 05-CT/TW"));
  EXPECT_THAT(Values("Nghị quyết T.Ư 4 (khoá XII); Nghị quyết Trung ương 6 khóa XII; "
                     "Nghị quyết Hội nghị lần thứ tư Ban Chấp hành Trung ương Đảng khóa XII; "
                     "Nghị quyết TƯ 4 khóa XIII",
                     "DOC_REF"),
              ElementsAre("DOC_REF Nghị quyết Trung ương 4 khóa XII",
                          "DOC_REF Nghị quyết Trung ương 6 khóa XII",
                          "DOC_REF Nghị quyết Trung ương 4 khóa XII",
                          "DOC_REF Nghị quyết Trung ương 4 khóa XIII"));
  const ExtractResult r = *Extractor().Extract("Hướng dẫn số 03-HD/TU ngày 3-4-2013");
  ASSERT_FALSE(r.entities.empty());
  EXPECT_THAT(r.entities[0].attributes, Contains(Pair("date", "2013-04-03")));
}

TEST(ExtractorRulesTest, HonoursTheNewTypeOptions) {
  ExtractorOptions options;
  options.persons = false;
  options.roles = false;
  EXPECT_THAT(Values("Phó Bí thư Thành ủy Đào Đức Toàn", "", Extractor(options)),
              ElementsAre("ORG Thành ủy"));
}

TEST(ExtractorRulesTest, RecognisesVietnameseSyllableShapes) {
  for (const char* w : {"phong", "nghieng", "gi", "qua", "khuyu", "a", "uyen", "thanh"}) {
    EXPECT_TRUE(internal::IsVietnameseSyllableShape(w)) << w;
  }
  for (const char* w : {"android", "facebook", "apk", "bcd", "strong", ""}) {
    EXPECT_FALSE(internal::IsVietnameseSyllableShape(w)) << w;
  }
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

TEST(ExtractorLimitsTest, EmptyTextHasNoEntities) {
  absl::StatusOr<ExtractResult> r = Extractor().Extract("");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->entities.empty());
  EXPECT_FALSE(r->truncated);
}

TEST(ExtractorLimitsTest, RefusesTextAboveTheLimit) {
  ExtractorOptions options;
  options.max_input_bytes = 10;
  EXPECT_EQ(Extractor(options).Extract("Chỉ thị số 05-CT/TW").status().code(),
            absl::StatusCode::kResourceExhausted);
}

TEST(ExtractorLimitsTest, CapsTheEntitiesOfOneText) {
  std::string text;
  for (int i = 1; i <= 50; ++i) text += "Ngày " + std::to_string(i % 28 + 1) + "/3/2019, ";
  ExtractorOptions options;
  options.max_entities = 7;
  absl::StatusOr<ExtractResult> r = Extractor(options).Extract(text);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->entities.size(), 7u);
  EXPECT_TRUE(r->truncated);
  EXPECT_EQ(r->entities[0].canonical, "2019-03-02");  // the first ones are kept
}

}  // namespace
}  // namespace extract
}  // namespace vnarchive
