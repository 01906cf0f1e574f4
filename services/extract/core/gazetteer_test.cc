#include "services/extract/core/gazetteer.h"

#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/base/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/extract/core/gazetteer_data.h"

namespace vnarchive {
namespace extract {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

const Gazetteer& Gaz() {
  static const std::shared_ptr<const Gazetteer> g = Gazetteer::Default();
  return *g;
}

// "surface=category:name" per match, "~" before the category when inexact
// and "!" when the case disagrees: whole results in one readable line.
std::vector<std::string> Describe(absl::string_view input, bool overlapping = false,
                                  const GazetteerMatchOptions& options = {},
                                  const Gazetteer& gaz = Gaz()) {
  const std::vector<text::Token> tokens = text::TokenizeSyllables(input);
  const std::vector<GazetteerMatch> matches = overlapping
                                                  ? gaz.FindAllOverlapping(input, tokens, options)
                                                  : gaz.FindAll(input, tokens, options);
  std::vector<std::string> out;
  for (const GazetteerMatch& m : matches) {
    EXPECT_EQ(m.byte_begin, tokens[m.begin].begin);
    EXPECT_EQ(m.byte_end, tokens[m.end - 1].end);
    out.push_back(absl::StrCat(input.substr(m.byte_begin, m.byte_end - m.byte_begin), "=",
                               m.exact ? "" : "~", m.case_matches ? "" : "!",
                               GazetteerCategoryName(m.entry->category), ":", m.entry->name));
  }
  return out;
}

// A minimal valid set of files, for the error-path tests to break one at a time.
struct SmallSources {
  std::string provinces =
      "# test\nname\tlevel\tlists\tmerged_into\tvariants\n"
      "Hậu Giang\ttỉnh\t63\tCần Thơ\t-\n"
      "Cần Thơ\tthành phố trực thuộc trung ương\t63,34\t-\t-\n";
  std::string districts = "name\tlevel\tprovince\tvariants\nVị Thanh\tthành phố\tHậu Giang\t-\n";
  std::string family_names = "name\tvariants\trelated\nHoàng\t-\tHuỳnh\nHuỳnh\t-\tHoàng\n";
  std::string titles = "title\tkind\tfollows\tvariants\nBí thư\tparty\torg\t-\n";
  std::string org_heads = "head\tkind\tfollows\tvariants\nTỉnh ủy\tparty\tplace\tTU\n";
  std::string doc_types =
      "kind\tcode\tname\tsystem\tvariants\ntype\tNQ\tNghị quyết\tboth\t-\n"
      "issuer\tTW\tBan Chấp hành Trung ương\tparty\tT.Ư\n";
  std::string places = "name\tlevel\tvariants\nTây Nguyên\tvùng\t-\n";

  absl::StatusOr<std::shared_ptr<const Gazetteer>> Create() const {
    return Gazetteer::Create(
        GazetteerSources{provinces, districts, family_names, titles, org_heads, doc_types, places});
  }
};

size_t CountIf(GazetteerCategory category) {
  size_t n = 0;
  for (const GazetteerEntry& e : Gaz().entries()) n += e.category == category;
  return n;
}

std::set<std::string> Names(GazetteerCategory category) {
  std::set<std::string> out;
  for (const GazetteerEntry& e : Gaz().entries()) {
    if (e.category == category) out.insert(e.name);
  }
  return out;
}

// --- Error paths ---------------------------------------------------------------

TEST(GazetteerTest, SmallSourcesAreValid) {
  const auto g = SmallSources().Create();
  ASSERT_THAT(g, IsOk());
  EXPECT_THAT((*g)->entries(), SizeIs(10));
}

TEST(GazetteerTest, RejectsInvalidUtf8NamingTheFile) {
  SmallSources s;
  s.titles += "Ch\xFF\tparty\torg\t-\n";
  const auto g = s.Create();
  EXPECT_THAT(g, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(std::string(g.status().message()), HasSubstr("titles.tsv: invalid UTF-8"));
}

TEST(GazetteerTest, RejectsTextNotInNfc) {
  SmallSources s;
  s.titles += "Pho\xCC\x81 Bi\xCC\x81 thư\tparty\torg\t-\n";  // NFD "Phó Bí thư"
  const auto g = s.Create();
  EXPECT_THAT(g, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(std::string(g.status().message()), HasSubstr("titles.tsv: not in Unicode NFC"));
}

TEST(GazetteerTest, RejectsAWrongHeader) {
  SmallSources s;
  s.org_heads = "head\tfollows\tkind\tvariants\n";
  const auto g = s.Create();
  EXPECT_THAT(g, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(std::string(g.status().message()), HasSubstr("org_heads.tsv:1: expected the header"));
  s.org_heads = "# only a comment\n";
  EXPECT_THAT(std::string(s.Create().status().message()), HasSubstr("org_heads.tsv: no header"));
}

TEST(GazetteerTest, RejectsAWrongColumnCountNamingTheLine) {
  SmallSources s;
  s.districts += "# comment\nNgã Bảy\tthành phố\n";
  const auto g = s.Create();
  EXPECT_THAT(g, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(std::string(g.status().message()),
              HasSubstr("districts.tsv:4: expected 4 columns, got 2"));
}

TEST(GazetteerTest, RejectsEmptyFieldsAndListItems) {
  SmallSources s;
  s.titles += "Chủ tịch\t\torg\t-\n";
  EXPECT_THAT(std::string(s.Create().status().message()),
              HasSubstr("titles.tsv:3: column kind is empty"));
  s = SmallSources();
  s.titles += "Chủ tịch\tstate\torg\tCT||Chủ tịch nước\n";
  EXPECT_THAT(std::string(s.Create().status().message()), HasSubstr("empty or padded item"));
}

TEST(GazetteerTest, RejectsUnknownValues) {
  SmallSources s;
  s.provinces += "Huế\tthành phố\t63,34\t-\t-\n";
  EXPECT_THAT(std::string(s.Create().status().message()),
              HasSubstr("provinces.tsv:5: unknown level \"thành phố\""));
  s = SmallSources();
  s.provinces += "Huế\ttỉnh\t64\t-\t-\n";
  EXPECT_THAT(std::string(s.Create().status().message()), HasSubstr("unknown lists \"64\""));
  s = SmallSources();
  s.districts += "Ngã Bảy\tphường\tHậu Giang\t-\n";
  EXPECT_THAT(std::string(s.Create().status().message()), HasSubstr("unknown level \"phường\""));
  s = SmallSources();
  s.titles += "Chủ tịch\tstate\tplace\t-\n";  // "place" is for org heads only
  EXPECT_THAT(std::string(s.Create().status().message()),
              HasSubstr("titles.tsv:3: unknown follows value \"place\""));
  s = SmallSources();
  s.doc_types += "type\tCT\tChỉ thị\tboth-ish\t-\n";
  EXPECT_THAT(std::string(s.Create().status().message()), HasSubstr("unknown system"));
  s = SmallSources();
  s.doc_types += "decree\tNĐ\tNghị định\tstate\t-\n";
  EXPECT_THAT(std::string(s.Create().status().message()), HasSubstr("unknown kind \"decree\""));
  s = SmallSources();
  s.doc_types += "issuer\t-\tChính phủ\tstate\t-\n";
  EXPECT_THAT(std::string(s.Create().status().message()), HasSubstr("an issuer needs a code"));
}

TEST(GazetteerTest, RejectsBrokenReferences) {
  SmallSources s;
  s.provinces += "Sóc Trăng\ttỉnh\t63\tBạc Liêu\t-\n";
  EXPECT_THAT(std::string(s.Create().status().message()),
              HasSubstr("provinces.tsv:5: merged_into \"Bạc Liêu\" is not a province of the 34"));
  s = SmallSources();
  s.provinces += "Sóc Trăng\ttỉnh\t63\t-\t-\n";
  EXPECT_THAT(std::string(s.Create().status().message()),
              HasSubstr("merged_into is required exactly"));
  s = SmallSources();
  s.districts += "Sa Đéc\tthành phố\tĐồng Tháp\t-\n";
  EXPECT_THAT(std::string(s.Create().status().message()),
              HasSubstr("province \"Đồng Tháp\" is not in the 63 list"));
  s = SmallSources();
  s.family_names += "Vũ\t-\tVõ\n";
  EXPECT_THAT(std::string(s.Create().status().message()),
              HasSubstr("family_names.tsv:4: related name \"Võ\" is not a row"));
}

TEST(GazetteerTest, RejectsDuplicatesAndAliasesWithoutLetters) {
  SmallSources s;
  s.provinces += "Cần Thơ\ttỉnh\t63,34\t-\t-\n";
  EXPECT_THAT(std::string(s.Create().status().message()), HasSubstr("duplicate province"));
  s = SmallSources();
  s.districts += "Vị Thanh\tthành phố\tHậu Giang\t-\n";
  EXPECT_THAT(std::string(s.Create().status().message()), HasSubstr("duplicate district"));
  s = SmallSources();
  s.doc_types += "type\tNQ\tNghị quyết\tstate\t-\n";
  EXPECT_THAT(std::string(s.Create().status().message()),
              HasSubstr("doc_types.tsv:4: duplicate row"));
  s = SmallSources();
  s.places += "Tây Nguyên\tvùng\t-\n";
  EXPECT_THAT(std::string(s.Create().status().message()), HasSubstr("duplicate place"));
  s = SmallSources();
  s.places += "Nam Bộ\tmiền\t-\n";
  EXPECT_THAT(std::string(s.Create().status().message()),
              HasSubstr("places.tsv:3: unknown level \"miền\""));
  s = SmallSources();
  s.places.clear();  // optional: no regions or countries
  EXPECT_THAT(s.Create(), IsOk());
  s = SmallSources();
  s.org_heads += "Huyện ủy\tparty\tplace\t--\n";
  EXPECT_THAT(std::string(s.Create().status().message()),
              HasSubstr("org_heads.tsv:3: \"--\" has no letters or digits"));
}

// --- The built-in data -----------------------------------------------------------

TEST(GazetteerDataTest, EveryFileIsEmbeddedWithAHeaderComment) {
  std::vector<std::string> names;
  for (const internal::EmbeddedFile& f : internal::EmbeddedGazetteerFiles()) {
    names.emplace_back(f.name);
    EXPECT_EQ(f.contents.substr(0, 2), "# ") << f.name;
  }
  EXPECT_THAT(names, ElementsAre("provinces.tsv", "districts.tsv", "family_names.tsv", "titles.tsv",
                                 "org_heads.tsv", "doc_types.tsv", "places.tsv"));
}

TEST(GazetteerDataTest, BuiltinFilesParse) {
  EXPECT_THAT(Gazetteer::Create(Gazetteer::BuiltinSources()), IsOk());
  EXPECT_EQ(Gazetteer::Default().get(), Gazetteer::Default().get());
}

TEST(GazetteerDataTest, Has63ProvincesBefore2025And34After) {
  size_t old_list = 0;
  size_t new_list = 0;
  size_t cities_new = 0;
  std::set<std::string> merged_into_can_tho;
  for (const GazetteerEntry& e : Gaz().entries()) {
    if (e.category != GazetteerCategory::kProvince) continue;
    old_list += e.in_63_list;
    new_list += e.in_34_list;
    cities_new += e.in_34_list && e.level == "thành phố trực thuộc trung ương";
    if (e.parent == "Cần Thơ") merged_into_can_tho.insert(e.name);
  }
  EXPECT_EQ(old_list, 63u);
  EXPECT_EQ(new_list, 34u);
  EXPECT_EQ(cities_new, 6u);  // Hà Nội, Huế, Hải Phòng, Đà Nẵng, TP.HCM, Cần Thơ
  EXPECT_THAT(merged_into_can_tho, ElementsAre("Hậu Giang", "Sóc Trăng"));
}

TEST(GazetteerDataTest, OtherFilesHaveTheirMinimumSize) {
  EXPECT_GE(CountIf(GazetteerCategory::kDistrict), 150u);
  EXPECT_GE(CountIf(GazetteerCategory::kFamilyName), 100u);
  EXPECT_GE(CountIf(GazetteerCategory::kTitle), 60u);
  EXPECT_GE(CountIf(GazetteerCategory::kOrgHead), 60u);
  EXPECT_GE(CountIf(GazetteerCategory::kDocType), 20u);
  EXPECT_GE(CountIf(GazetteerCategory::kIssuer), 20u);
  std::set<std::string> levels;
  for (const GazetteerEntry& e : Gaz().entries()) {
    if (e.category == GazetteerCategory::kDistrict) levels.insert(e.level);
  }
  EXPECT_THAT(levels, ElementsAre("huyện", "quận", "thành phố", "thị xã"));
}

TEST(GazetteerDataTest, HasTheNamesTheGuidelineRelies) {
  const std::set<std::string> family = Names(GazetteerCategory::kFamilyName);
  for (const char* n : {"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ",
                        "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đào"}) {
    EXPECT_THAT(family, Contains(n));
  }
  const std::set<std::string> titles = Names(GazetteerCategory::kTitle);
  for (const char* n :
       {"Bí thư", "Phó Bí thư", "Chủ tịch", "Phó Chủ tịch", "Tổng Bí thư", "Thủ tướng", "Bộ trưởng",
        "Giám đốc", "Trưởng ban", "Ủy viên Ban Thường vụ", "Đại biểu Quốc hội"}) {
    EXPECT_THAT(titles, Contains(n));
  }
  const std::set<std::string> orgs = Names(GazetteerCategory::kOrgHead);
  for (const char* n : {"Tỉnh ủy", "Thành ủy", "Huyện ủy", "Đảng ủy", "Ban Thường vụ",
                        "Ban Chấp hành", "Ủy ban nhân dân", "Hội đồng nhân dân", "Mặt trận Tổ quốc",
                        "Sở", "Bộ", "Ban Tuyên giáo", "Đoàn Thanh niên", "Hội Liên hiệp Phụ nữ",
                        "Công an", "Tòa án", "Viện kiểm sát", "Bộ Chính trị", "Đảng ủy Khối"}) {
    EXPECT_THAT(orgs, Contains(n));
  }
  std::set<std::string> codes;
  for (const GazetteerEntry& e : Gaz().entries()) {
    if (!e.code.empty()) codes.insert(e.code);
  }
  for (const char* c :
       {"NQ", "QĐ", "QĐi", "CT",  "KL", "HD", "TB", "CTr", "KH",  "BC", "NĐ",     "TT",
        "L",  "TW", "BCT", "BBT", "ĐU", "TU", "HU", "CP",  "TTg", "QH", "UBTVQH", "CTN"}) {
    EXPECT_THAT(codes, Contains(c));
  }
}

TEST(GazetteerDataTest, DistrictsAndMergedProvincesPointAtRealRows) {
  for (const GazetteerEntry& e : Gaz().entries()) {
    if (e.category == GazetteerCategory::kDistrict) {
      const std::vector<const GazetteerEntry*> p = Gaz().Lookup(e.parent);
      EXPECT_THAT(
          p, Contains(::testing::Field(&GazetteerEntry::category, GazetteerCategory::kProvince)))
          << e.source;
    }
  }
}

// Guards the case and diacritics rules against data they would make
// unmatchable (a spelling that cannot find its own row).
TEST(GazetteerDataTest, EverySpellingFindsItsOwnEntry) {
  for (const GazetteerEntry& e : Gaz().entries()) {
    for (const std::string& alias : e.aliases) {
      const std::vector<const GazetteerEntry*> found = Gaz().Lookup(alias);
      EXPECT_THAT(found, Contains(&e)) << e.source << " \"" << alias << "\"";
    }
  }
}

// --- Matching ----------------------------------------------------------------

TEST(GazetteerMatchTest, FindsTitleOrganisationAndPlace) {
  EXPECT_THAT(Describe("Bí thư Tỉnh ủy Hậu Giang"),
              ElementsAre("Bí thư=title:Bí thư", "Tỉnh ủy=org_head:Tỉnh ủy",
                          "Hậu Giang=province:Hậu Giang"));
  EXPECT_THAT(Describe("Chủ tịch UBND tỉnh Hậu Giang"),
              ElementsAre("Chủ tịch=title:Chủ tịch", "UBND=org_head:Ủy ban nhân dân",
                          "UBND=issuer:Ủy ban nhân dân", "Hậu Giang=province:Hậu Giang"));
}

TEST(GazetteerMatchTest, LongestMatchWins) {
  EXPECT_THAT(Describe("Ban Chấp hành Trung ương Đảng"),
              ElementsAre("Ban Chấp hành Trung ương Đảng=org_head:Ban Chấp hành Trung ương"));
  EXPECT_THAT(
      Describe("Ủy viên Ban Thường vụ Tỉnh ủy"),
      ElementsAre("Ủy viên Ban Thường vụ=title:Ủy viên Ban Thường vụ", "Tỉnh ủy=org_head:Tỉnh ủy"));
  EXPECT_THAT(Describe("Sở Giáo dục và Đào tạo"),
              ElementsAre("Sở Giáo dục và Đào tạo=org_head:Sở Giáo dục và Đào tạo"));
}

// The city is the longest match; the bare name is the person's, and the
// gazetteer reports only its family name for the extractor to build on.
TEST(GazetteerMatchTest, HoChiMinhCityNeedsItsAdministrativeWord) {
  for (const char* city : {"Thành phố Hồ Chí Minh", "thành phố Hồ Chí Minh", "TP Hồ Chí Minh",
                           "TP. Hồ Chí Minh", "TP.HCM", "Tp.HCM", "TPHCM"}) {
    EXPECT_THAT(Describe(city), ElementsAre(absl::StrCat(city, "=province:Thành phố Hồ Chí Minh")));
  }
  EXPECT_THAT(Describe("Chủ tịch Hồ Chí Minh"),
              ElementsAre("Chủ tịch=title:Chủ tịch", "Hồ=family_name:Hồ"));
  EXPECT_THAT(Describe("tư tưởng Hồ Chí Minh"), ElementsAre("Hồ=family_name:Hồ"));
  EXPECT_THAT(
      Describe("Thành phố Hồ Chí Minh", /*overlapping=*/true),
      ElementsAre("Thành phố Hồ Chí Minh=province:Thành phố Hồ Chí Minh", "Hồ=family_name:Hồ"));
}

TEST(GazetteerMatchTest, FoldedAndCapitalisedInputMatch) {
  EXPECT_THAT(Describe("Hà Nội"), ElementsAre("Hà Nội=province:Hà Nội"));
  EXPECT_THAT(Describe("HÀ NỘI"), ElementsAre("HÀ NỘI=province:Hà Nội"));
  EXPECT_THAT(Describe("Ha Noi"), ElementsAre("Ha Noi=~province:Hà Nội"));
  EXPECT_THAT(Describe("HA NOI"), ElementsAre("HA NOI=~province:Hà Nội"));
  EXPECT_THAT(Describe("Thua Thien Hue"), ElementsAre("Thua Thien Hue=~province:Huế"));
  // Partly accented text: the bare syllable passes, the accented one agrees.
  EXPECT_THAT(Describe("Hà Noi"), ElementsAre("Hà Noi=~province:Hà Nội"));
}

TEST(GazetteerMatchTest, TonePlacementDoesNotMatter) {
  EXPECT_THAT(Describe("Khánh Hoà"), ElementsAre("Khánh Hoà=province:Khánh Hòa"));
  EXPECT_THAT(Describe("Uỷ ban nhân dân"), ElementsAre("Uỷ ban nhân dân=org_head:Ủy ban nhân dân"));
}

TEST(GazetteerMatchTest, OtherDiacriticsAreAnotherWord) {
  // Phù Yên (Sơn La) is not Phú Yên.
  EXPECT_THAT(Describe("Phù Yên"), IsEmpty());
  EXPECT_THAT(Describe("Phù Yên", false, {DiacriticsMode::kIgnore, true}),
              ElementsAre("Phù Yên=~province:Phú Yên"));
  EXPECT_THAT(Describe("Ha Noi", false, {DiacriticsMode::kExact, true}), IsEmpty());
}

TEST(GazetteerMatchTest, PrefersExactSpellings) {
  // Đồng and Đổng fold alike: the accented text picks its own, bare text both.
  EXPECT_THAT(Describe("Đồng", false, {DiacriticsMode::kIgnore, true}),
              ElementsAre("Đồng=family_name:Đồng"));
  EXPECT_THAT(Describe("Dong"), ElementsAre("Dong=~family_name:Đồng", "Dong=~family_name:Đổng"));
  // Variants with their own diacritics: each spelling is exact.
  EXPECT_THAT(Describe("Đăk Lăk"), ElementsAre("Đăk Lăk=province:Đắk Lắk"));
}

TEST(GazetteerMatchTest, CaseFollowsTheData) {
  EXPECT_THAT(Describe("vì hòa bình"), IsEmpty());  // peace, not the province
  EXPECT_THAT(Describe("tỉnh Hòa Bình"),
              ElementsAre("Hòa Bình=province:Hòa Bình", "Hòa Bình=district:Hòa Bình"));
  EXPECT_THAT(Describe("cán bộ"), IsEmpty());
  EXPECT_THAT(Describe("Bộ Y tế"), ElementsAre("Bộ Y tế=org_head:Bộ Y tế"));
  EXPECT_THAT(Describe("số 05-CT/TW"),
              ElementsAre("CT=doc_type:Chỉ thị", "TW=issuer:Ban Chấp hành Trung ương"));
  EXPECT_THAT(Describe("Tw"), IsEmpty());
  EXPECT_THAT(Describe("bí thư chi bộ"), ElementsAre("bí thư chi bộ=title:Bí thư chi bộ"));
  EXPECT_THAT(Describe("vì hòa bình", false, {DiacriticsMode::kExactOrBare, false}),
              ElementsAre("hòa bình=!province:Hòa Bình", "hòa bình=!district:Hòa Bình"));
}

TEST(GazetteerMatchTest, AlternativesShareASpan) {
  EXPECT_THAT(Describe("Thái Bình"),
              ElementsAre("Thái Bình=province:Thái Bình", "Thái Bình=district:Thái Bình"));
  EXPECT_THAT(Describe("TT-BCT"),
              ElementsAre("TT=doc_type:Thông tư", "BCT=org_head:Bộ Chính trị",
                          "BCT=issuer:Bộ Chính trị", "BCT=issuer:Bộ Công Thương"));
}

TEST(GazetteerMatchTest, MatchesStopAtSentencePunctuation) {
  EXPECT_THAT(Describe("Bà Rịa - Vũng Tàu"),
              ElementsAre("Bà Rịa - Vũng Tàu=province:Bà Rịa - Vũng Tàu"));
  EXPECT_THAT(
      Describe("Bộ Văn hóa, Thể thao và Du lịch"),
      ElementsAre("Bộ Văn hóa, Thể thao và Du lịch=org_head:Bộ Văn hóa, Thể thao và Du lịch"));
  EXPECT_THAT(Describe("Bà Rịa; Vũng Tàu"),
              ElementsAre("Bà Rịa=district:Bà Rịa", "Vũng Tàu=district:Vũng Tàu"));
  EXPECT_THAT(Describe("Hà\nNội"), ElementsAre("Hà=family_name:Hà"));
  // Without text, tokens count as adjacent.
  const std::vector<text::Token> tokens = text::TokenizeSyllables("Hà\nNội");
  EXPECT_THAT(Gaz().FindAll("", tokens), SizeIs(1));
}

TEST(GazetteerMatchTest, OverlappingReportsEveryMatchLongestFirst) {
  EXPECT_THAT(Describe("Ủy viên Ban Thường vụ Tỉnh ủy", /*overlapping=*/true),
              ElementsAre("Ủy viên Ban Thường vụ=title:Ủy viên Ban Thường vụ",
                          "Ủy viên=title:Ủy viên", "Ban Thường vụ=org_head:Ban Thường vụ",
                          "Ban=org_head:Ban", "Tỉnh ủy=org_head:Tỉnh ủy"));
}

TEST(GazetteerMatchTest, ReportsTokenAndByteSpans) {
  const std::string s = "Sáng 20/7, Tỉnh ủy Hậu Giang";
  const std::vector<text::Token> tokens = text::TokenizeSyllables(s);
  const std::vector<GazetteerMatch> m = Gaz().FindAll(s, tokens);
  ASSERT_THAT(m, SizeIs(2));
  EXPECT_EQ(m[1].begin, 5u);
  EXPECT_EQ(m[1].end, 7u);
  EXPECT_EQ(s.substr(m[1].byte_begin, m[1].byte_end - m[1].byte_begin), "Hậu Giang");
  EXPECT_EQ(m[1].alias, "Hậu Giang");
  EXPECT_TRUE(m[1].exact);
  EXPECT_EQ(m[1].entry->parent, "Cần Thơ");
  EXPECT_FALSE(m[1].entry->in_34_list);
}

TEST(GazetteerMatchTest, LookupFindsWholePhrases) {
  std::vector<std::string> names;
  for (const GazetteerEntry* e : Gaz().Lookup("BCT")) names.push_back(e->kind + ":" + e->name);
  EXPECT_THAT(names,
              ElementsAre("party:Bộ Chính trị", "party:Bộ Chính trị", "state:Bộ Công Thương"));
  ASSERT_THAT(Gaz().Lookup("Thừa Thiên Huế"), SizeIs(1));
  EXPECT_EQ(Gaz().Lookup("Thừa Thiên Huế")[0]->name, "Huế");
  ASSERT_THAT(Gaz().Lookup("quận 1"), SizeIs(1));
  EXPECT_EQ(Gaz().Lookup("quận 1")[0]->parent, "Thành phố Hồ Chí Minh");
  EXPECT_EQ(Gaz().Lookup("NĐ")[0]->name, "Nghị định");
  EXPECT_THAT(Gaz().Lookup("Thừa Thiên"), IsEmpty());  // a prefix is not a phrase
  EXPECT_THAT(Gaz().Lookup(""), IsEmpty());
}

// Arbitrary bytes (invalid UTF-8, stray punctuation, gazetteer syllables in
// any case) never break the span invariants.
TEST(GazetteerMatchTest, KeepsSpanInvariantsOnArbitraryInput) {
  static const char* const kPieces[] = {
      "Hà", "Nội", "HÀ",   "ha", "TP", ".",    "HCM", " ",      " - ", "\n", "\xFF", "\xE1\xBB",
      "Bí", "thư", "Tỉnh", "ủy", "Ủy", "viên", "Ban", "Thường", "vụ",  ",",  "&",    "'"};
  std::mt19937 rng(3);
  for (int round = 0; round < 2000; ++round) {
    std::string s;
    const int n = static_cast<int>(rng() % 20);
    for (int i = 0; i < n; ++i) {
      s += kPieces[rng() % (sizeof(kPieces) / sizeof(kPieces[0]))];
      if (rng() % 2) s += ' ';
    }
    const std::vector<text::Token> tokens = text::TokenizeSyllables(s);
    for (bool overlapping : {false, true}) {
      const std::vector<GazetteerMatch> m =
          overlapping ? Gaz().FindAllOverlapping(s, tokens) : Gaz().FindAll(s, tokens);
      for (size_t i = 0; i < m.size(); ++i) {
        ASSERT_LT(m[i].begin, m[i].end) << s;
        ASSERT_LE(m[i].end, tokens.size()) << s;
        ASSERT_LE(m[i].byte_end, s.size()) << s;
        if (i == 0) continue;
        ASSERT_LE(m[i - 1].begin, m[i].begin) << s;
        const bool same_span = m[i - 1].begin == m[i].begin && m[i - 1].end == m[i].end;
        if (!overlapping && !same_span) {
          ASSERT_LE(m[i - 1].end, m[i].begin) << s;
        }
      }
    }
    (void)Gaz().Lookup(s);
  }
}

TEST(GazetteerMatchTest, IsThreadSafe) {
  const std::string s = "Phó Bí thư Thường trực Thành ủy Đà Nẵng, Bộ trưởng Bộ Y tế";
  const std::vector<std::string> expected = Describe(s);
  ASSERT_THAT(expected, SizeIs(5));
  std::vector<std::thread> threads;
  std::vector<std::vector<std::string>> results(4);
  for (size_t t = 0; t < results.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) results[t] = Describe(s);
    });
  }
  for (std::thread& t : threads) t.join();
  for (const auto& r : results) EXPECT_EQ(r, expected);
}

}  // namespace
}  // namespace extract
}  // namespace vnarchive
