#include "services/search/core/filter.h"

#include <string>
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
using ::testing::Optional;

// 00:00 in Vietnam (UTC+7) on these days, in seconds since the epoch.
constexpr int64_t k2019_01_01 = 1546275600;
constexpr int64_t k2019_07_01 = 1561914000;
constexpr int64_t k2019_07_20 = 1563555600;
constexpr int64_t k2019_07_21 = 1563642000;
constexpr int64_t k2019_08_01 = 1564592400;
constexpr int64_t k2020_01_01 = 1577811600;
constexpr int64_t k2020_02_29 = 1582909200;
constexpr int64_t k2020_03_01 = 1582995600;

std::vector<std::string> KeysOf(const std::vector<FilterKey>& keys) {
  std::vector<std::string> out;
  for (const FilterKey& k : keys) out.push_back(k.key);
  return out;
}

// True if `filter` selects a document stored under `stored` (a key of the
// same field), as the index's SQL decides it.
bool Selects(const Filter& filter, const std::vector<std::string>& stored) {
  for (const std::string& key : filter.keys) {
    for (const std::string& s : stored) {
      if (s == key) return true;
      if (filter.prefix && s.size() > key.size() && s.compare(0, key.size(), key) == 0 &&
          s[key.size()] == ' ') {
        return true;
      }
    }
  }
  return false;
}

TEST(FilterFieldTest, NamesAreAsciiCaseInsensitive) {
  EXPECT_THAT(FilterFieldFromName("person"), Optional(FilterField::kPerson));
  EXPECT_THAT(FilterFieldFromName("ORG"), Optional(FilterField::kOrg));
  EXPECT_THAT(FilterFieldFromName("Loc"), Optional(FilterField::kLoc));
  EXPECT_THAT(FilterFieldFromName("ref"), Optional(FilterField::kRef));
  EXPECT_THAT(FilterFieldFromName("source"), Optional(FilterField::kSource));
  EXPECT_THAT(FilterFieldFromName("date"), Optional(FilterField::kDate));
  EXPECT_EQ(FilterFieldFromName("title"), std::nullopt);
  EXPECT_EQ(FilterFieldFromName(""), std::nullopt);
  EXPECT_EQ(FilterFieldName(FilterField::kRef), "ref");
  EXPECT_EQ(EntityTypeOfField(FilterField::kRef), "DOC_REF");
  EXPECT_EQ(EntityTypeOfField(FilterField::kSource), "");
}

TEST(ParseFilterTest, EmptyOrPunctuationOnlyValueIsInvalidArgument) {
  for (FilterField field : {FilterField::kPerson, FilterField::kOrg, FilterField::kLoc,
                            FilterField::kRef, FilterField::kSource, FilterField::kDate}) {
    EXPECT_THAT(ParseFilter(field, ""), StatusIs(absl::StatusCode::kInvalidArgument));
    EXPECT_THAT(ParseFilter(field, " -/ "), StatusIs(absl::StatusCode::kInvalidArgument));
  }
  absl::StatusOr<Filter> f = ParseFilter(FilterField::kPerson, "\"…\"");
  EXPECT_THAT(f, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(std::string(f.status().message()), HasSubstr("no letters or digits"));
}

TEST(MatchKeyTest, FoldsCaseDiacriticsToneStyleAndPunctuation) {
  EXPECT_EQ(MatchKey("Nguyễn Phú Trọng"), "nguyen phu trong");
  EXPECT_EQ(MatchKey("NGUYỄN  phú-trọng!"), "nguyen phu trong");
  EXPECT_EQ(MatchKey("Hậu Giang"), MatchKey("Hau Giang"));
  EXPECT_EQ(MatchKey("khoá XII"), MatchKey("khóa XII"));
  // NFD: e + combining circumflex + combining tilde.
  EXPECT_EQ(MatchKey("Nguye\xCC\x82\xCC\x83n"), "nguyen");
  EXPECT_EQ(MatchKey("Đảng ủy"), "dang uy");
  EXPECT_EQ(MatchKey("..."), "");
}

TEST(ParseFilterTest, EntityFiltersMatchTheWholeFoldedValue) {
  absl::StatusOr<Filter> f = ParseFilter(FilterField::kPerson, "Nguyễn Phú Trọng", true);
  ASSERT_THAT(f, IsOk());
  EXPECT_THAT(f->keys, ElementsAre("nguyen phu trong"));
  EXPECT_FALSE(f->prefix);
  EXPECT_TRUE(f->exclude);
  EXPECT_FALSE(Selects(*f, {"nguyen phu trong hai"}));
  EXPECT_TRUE(Selects(*f, KeysOf(FilterKeysForEntity("PERSON", "Nguyễn Phú Trọng", {}))));
  absl::StatusOr<Filter> loc = ParseFilter(FilterField::kLoc, "hau giang");
  ASSERT_THAT(loc, IsOk());
  EXPECT_TRUE(Selects(*loc, KeysOf(FilterKeysForEntity("LOC", "Hậu Giang", {}))));
}

TEST(ParseFilterTest, SourceMatchesItsFirstWords) {
  absl::StatusOr<Filter> f = ParseFilter(FilterField::kSource, "BaoChinhPhu");
  ASSERT_THAT(f, IsOk());
  EXPECT_TRUE(f->prefix);
  EXPECT_TRUE(Selects(*f, {SourceKey("baochinhphu.vn")}));
  EXPECT_FALSE(Selects(*f, {SourceKey("baochinhphu2.vn")}));
  absl::StatusOr<Filter> whole = ParseFilter(FilterField::kSource, "baochinhphu.vn");
  ASSERT_THAT(whole, IsOk());
  EXPECT_TRUE(Selects(*whole, {SourceKey("baochinhphu.vn")}));
  EXPECT_EQ(SourceKey(""), "");
}

TEST(FilterKeysForEntityTest, DocRefGetsItsCodeAndItsKindAndNumber) {
  // As the extractor stores a code (rule doc_ref.code).
  EXPECT_THAT(KeysOf(FilterKeysForEntity(
                  "DOC_REF", "08-QĐi/TW",
                  {{"kind", "quy định"}, {"number", "08"}, {"issuer", "TW"}})),
              ElementsAre("8 qdi tw", "quy dinh 8"));
  EXPECT_THAT(KeysOf(FilterKeysForEntity(
                  "DOC_REF", "157/2007/NĐ-CP",
                  {{"kind", "nghị định"}, {"number", "157"}, {"year", "2007"}})),
              ElementsAre("157 2007 nd cp", "nghi dinh 157"));
  // A bare "Quy định 08" the extractor could not link: canonical == kind + number.
  EXPECT_THAT(KeysOf(FilterKeysForEntity("DOC_REF", "Quy định 08",
                                         {{"kind", "quy định"}, {"number", "08"}})),
              ElementsAre("quy dinh 8"));
  EXPECT_THAT(KeysOf(FilterKeysForEntity(
                  "DOC_REF", "Nghị quyết Trung ương 4 khóa XII",
                  {{"kind", "nghị quyết"}, {"plenum", "4"}, {"term", "XII"}})),
              ElementsAre("nghi quyet trung uong 4 khoa xii"));
  EXPECT_THAT(FilterKeysForEntity("DATE", "2019-07-20", {}), IsEmpty());
  EXPECT_THAT(FilterKeysForEntity("ROLE", "x", {}), IsEmpty());
  const std::vector<FilterKey> org = FilterKeysForEntity("ORG", "Đảng ủy Khối", {});
  ASSERT_EQ(org.size(), 1u);
  EXPECT_EQ(org[0].field, FilterField::kOrg);
  EXPECT_EQ(org[0].key, "dang uy khoi");
}

struct RefCase {
  const char* typed;
  bool finds_code;      // the document citing 08-QĐi/TW (kind quy định, number 08)
  bool finds_directive; // the document citing 05-CT/TW (kind chỉ thị, number 05)
};

TEST(ParseFilterTest, EveryWrittenFormOfAReferenceFindsIt) {
  const std::vector<std::string> regulation = KeysOf(FilterKeysForEntity(
      "DOC_REF", "08-QĐi/TW", {{"kind", "quy định"}, {"number", "08"}, {"issuer", "TW"}}));
  const std::vector<std::string> directive = KeysOf(FilterKeysForEntity(
      "DOC_REF", "05-CT/TW", {{"kind", "chỉ thị"}, {"number", "05"}, {"issuer", "TW"}}));
  const RefCase cases[] = {
      {"08-QĐi/TW", true, false},
      {"08-qdi/tw", true, false},
      {"8-QĐi/TW", true, false},
      {"08/QĐi-TW", true, false},
      {"08-QĐi", true, false},
      {"Quy định 08", true, false},
      {"quy dinh 8", true, false},
      {"Quy định số 08", true, false},
      {"Quy định số 08-QĐi/TW", true, false},
      {"QUY ĐỊNH 08-QDI/TW", true, false},
      {"Chỉ thị 05", false, true},
      {"chi thi so 05", false, true},
      {"Chỉ thị 05-CT/TW", false, true},
      {"05-CT/TW", false, true},
      {"Quy định 05", false, false},
      {"Chỉ thị 08", false, false},
      {"08-CT/TW", false, false},
      {"Quy định 080", false, false},
  };
  for (const RefCase& c : cases) {
    absl::StatusOr<Filter> f = ParseFilter(FilterField::kRef, c.typed);
    ASSERT_THAT(f, IsOk()) << c.typed;
    EXPECT_EQ(Selects(*f, regulation), c.finds_code) << c.typed;
    EXPECT_EQ(Selects(*f, directive), c.finds_directive) << c.typed;
  }
}

TEST(ParseFilterTest, PlenumResolutionIsFoundWithOrWithoutItsTerm) {
  const std::vector<std::string> plenum = KeysOf(
      FilterKeysForEntity("DOC_REF", "Nghị quyết Trung ương 4 khóa XII",
                          {{"kind", "nghị quyết"}, {"plenum", "4"}, {"term", "XII"}}));
  for (const char* typed : {"Nghị quyết Trung ương 4 khóa XII", "Nghị quyết Trung ương 4 khoá XII",
                            "nghi quyet trung uong 4", "Nghị quyết TW 4", "Nghị quyết T.Ư 4"}) {
    absl::StatusOr<Filter> f = ParseFilter(FilterField::kRef, typed);
    ASSERT_THAT(f, IsOk()) << typed;
    EXPECT_TRUE(Selects(*f, plenum)) << typed;
  }
  absl::StatusOr<Filter> other = ParseFilter(FilterField::kRef, "Nghị quyết Trung ương 5");
  ASSERT_THAT(other, IsOk());
  EXPECT_FALSE(Selects(*other, plenum));
  // A whole word only: "4" does not start "40".
  absl::StatusOr<Filter> forty = ParseFilter(FilterField::kRef, "Nghị quyết Trung ương 40");
  ASSERT_THAT(forty, IsOk());
  EXPECT_FALSE(Selects(*forty, plenum));
}

TEST(ParseFilterTest, KindAndNumberAloneDoNotBecomeTheBareNumber) {
  // "Quy định 08" must not also look up "8", which every reference numbered
  // 8 starts with; with a code after the number the code alone is looked up.
  absl::StatusOr<Filter> bare = ParseFilter(FilterField::kRef, "Quy định 08");
  ASSERT_THAT(bare, IsOk());
  EXPECT_THAT(bare->keys, ElementsAre("quy dinh 8"));
  absl::StatusOr<Filter> coded = ParseFilter(FilterField::kRef, "Chỉ thị số 05-CT/TW");
  ASSERT_THAT(coded, IsOk());
  EXPECT_THAT(coded->keys, ElementsAre("chi thi 5 ct tw", "5 ct tw"));
}

TEST(ParseDateRangeTest, BadFormatsAreInvalidArgumentSayingWhy) {
  for (const char* value : {"2019/07", "19", "20190", "2019-", "2019-07-20-1", "abc", "2019-7a",
                            "20/07", "1/2/3/2019", "2019.07", "2019-07-20T10:00", "..."}) {
    absl::StatusOr<DateRange> r = ParseDateRange(value);
    EXPECT_THAT(r, StatusIs(absl::StatusCode::kInvalidArgument)) << value;
    EXPECT_THAT(std::string(r.status().message()), HasSubstr("not a date")) << value;
  }
  absl::StatusOr<DateRange> month = ParseDateRange("2019-13-01");
  EXPECT_THAT(month, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(std::string(month.status().message()), HasSubstr("no month 13"));
  EXPECT_THAT(ParseDateRange("2019-00"), StatusIs(absl::StatusCode::kInvalidArgument));
  absl::StatusOr<DateRange> day = ParseDateRange("2019-02-29");
  EXPECT_THAT(day, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(std::string(day.status().message()), HasSubstr("day 29 does not exist in 2019-02"));
  EXPECT_THAT(ParseDateRange("31/04/2019"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseDateRange("2019-07-00"), StatusIs(absl::StatusCode::kInvalidArgument));
  absl::StatusOr<DateRange> reversed = ParseDateRange("2019-12-31..2019-01-01");
  EXPECT_THAT(reversed, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(std::string(reversed.status().message()), HasSubstr("ends before it starts"));
  EXPECT_THAT(ParseDateRange("2019-08..2019-07"), StatusIs(absl::StatusCode::kInvalidArgument));
  absl::StatusOr<DateRange> no_ends = ParseDateRange("..");
  EXPECT_THAT(no_ends, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(std::string(no_ends.status().message()), HasSubstr("without ends"));
  EXPECT_THAT(ParseDateRange("2019..2020-13"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseDateRange(""), StatusIs(absl::StatusCode::kInvalidArgument));
}

void ExpectRange(absl::string_view value, std::optional<int64_t> from,
                 std::optional<int64_t> to) {
  absl::StatusOr<DateRange> r = ParseDateRange(value);
  ASSERT_THAT(r, IsOk()) << value;
  EXPECT_EQ(r->from_unix, from) << value;
  EXPECT_EQ(r->to_unix, to) << value;
}

TEST(ParseDateRangeTest, EveryFormCoversWholeDaysInVietnamTime) {
  ExpectRange("2019", k2019_01_01, k2020_01_01);
  ExpectRange("2019-07", k2019_07_01, k2019_08_01);
  ExpectRange("07/2019", k2019_07_01, k2019_08_01);
  ExpectRange("7/2019", k2019_07_01, k2019_08_01);
  ExpectRange("2019-07-20", k2019_07_20, k2019_07_21);
  ExpectRange("2019-7-20", k2019_07_20, k2019_07_21);
  ExpectRange("20/07/2019", k2019_07_20, k2019_07_21);
  ExpectRange("2020-02-29", k2020_02_29, k2020_03_01);  // a leap day
  ExpectRange("2019-01-01..2019-12-31", k2019_01_01, k2020_01_01);
  ExpectRange("2019..2019", k2019_01_01, k2020_01_01);
  ExpectRange("2019-07-20..2019-07-20", k2019_07_20, k2019_07_21);
  ExpectRange("..2019-06-30", std::nullopt, k2019_07_01);
  ExpectRange("2019-07..", k2019_07_01, std::nullopt);
  ExpectRange("01/07/2019..31/07/2019", k2019_07_01, k2019_08_01);
}

TEST(ParseFilterTest, DateFilterCarriesTheRange) {
  absl::StatusOr<Filter> f = ParseFilter(FilterField::kDate, "2019", true);
  ASSERT_THAT(f, IsOk());
  EXPECT_EQ(f->field, FilterField::kDate);
  EXPECT_TRUE(f->exclude);
  EXPECT_EQ(f->from_unix, k2019_01_01);
  EXPECT_EQ(f->to_unix, k2020_01_01);
  EXPECT_THAT(f->keys, IsEmpty());
}

}  // namespace
}  // namespace search
}  // namespace vnarchive
