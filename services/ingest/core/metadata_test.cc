#include "services/ingest/core/metadata.h"

#include <cctype>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace vnarchive {
namespace ingest {
namespace {

absl::Time Utc(int y, int mo, int d, int h, int mi, int s = 0) {
  return absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, s), absl::UTCTimeZone());
}

// A body paragraph of more than 60 words, so that it can never pass for a
// title, ending with a full stop.
std::string LongParagraph() {
  std::string p;
  for (int i = 0; i < 8; ++i) {
    absl::StrAppend(&p, "Các chi bộ trong xã đã tổ chức sinh hoạt chuyên đề đều đặn, ");
  }
  absl::StrAppend(&p, "góp phần nâng cao chất lượng công tác.");
  return p;
}

// A short document in the usual layout: title, dateline, body, byline.
std::string Article(const std::string& title, const std::string& dateline,
                    const std::string& ending) {
  return absl::StrCat(title, "\n\n", dateline, "\n\n", LongParagraph(), "\n\n", ending, "\n");
}

TEST(MetadataTest, EmptyAndBlankInputHaveNoFields) {
  for (const char* text : {"", "\n\n", " \r\n\t \xC2\xA0\n", ".\n.\n,"}) {
    DocumentMetadata meta = ExtractMetadata(text);
    EXPECT_FALSE(meta.title.has_value()) << text;
    EXPECT_FALSE(meta.dateline.has_value()) << text;
    EXPECT_FALSE(meta.published_at.has_value()) << text;
    EXPECT_FALSE(meta.author.has_value()) << text;
    EXPECT_FALSE(meta.source_url.has_value()) << text;
    EXPECT_FALSE(meta.outlet_code.has_value()) << text;
  }
}

TEST(MetadataTest, PlainBodyTextHasNoFields) {
  std::string text = absl::StrCat(LongParagraph(), "\n\n", LongParagraph(), "\n");
  DocumentMetadata meta = ExtractMetadata(text);
  EXPECT_FALSE(meta.title.has_value());
  EXPECT_FALSE(meta.dateline.has_value());
  EXPECT_FALSE(meta.published_at.has_value());
  EXPECT_FALSE(meta.author.has_value());
  EXPECT_FALSE(meta.source_url.has_value());
  EXPECT_FALSE(meta.outlet_code.has_value());
}

TEST(MetadataTest, InvalidUtf8DoesNotCrash) {
  DocumentMetadata meta = ExtractMetadata("Ti\xff\xfeu \xc3 \n(15:25 20/07/2019)\n\xe1\xba");
  ASSERT_TRUE(meta.published_at.has_value());
  EXPECT_EQ(*meta.published_at, Utc(2019, 7, 20, 8, 25));
}

struct DatelineCase {
  const char* line;
  absl::Time expected;
};

TEST(MetadataTest, ParsesEachDatelineFormatInVietnamTime) {
  const std::vector<DatelineCase> cases = {
      {"(15:25 20/07/2019)", Utc(2019, 7, 20, 8, 25)},
      {"08:28, Thứ Tư, 22/05/2019 (GMT+7)", Utc(2019, 5, 22, 1, 28)},
      {"28.2.2018 - 7:25", Utc(2018, 2, 28, 0, 25)},
      {"Thứ Bảy, 15/07/2017, 06:02 [GMT+7]", Utc(2017, 7, 14, 23, 2)},
      {"20/07/2019 15:25", Utc(2019, 7, 20, 8, 25)},
      {"20/07/2019", Utc(2019, 7, 19, 17, 0)},
      {"20-07-2019 15h25", Utc(2019, 7, 20, 8, 25)},
      {"Cập nhật: 09:05 03/01/2020", Utc(2020, 1, 3, 2, 5)},
      {"Cập nhật lúc 09:05:30, 03/01/2020", Utc(2020, 1, 3, 2, 5, 30)},
      {"CHỦ NHẬT, 16/06/2019 - 10:15", Utc(2019, 6, 16, 3, 15)},
      {"Thứ 2, 17/06/2019 lúc 10:15", Utc(2019, 6, 17, 3, 15)},
      {"ngày 5 tháng 3 năm 2019", Utc(2019, 3, 4, 17, 0)},
      {"Hà Nội, ngày 5 tháng 3 năm 2019", Utc(2019, 3, 4, 17, 0)},
      {"2019-07-20T15:25:00+07:00", Utc(2019, 7, 20, 8, 25)},
      {"2019-07-20 08:25 Z", Utc(2019, 7, 20, 8, 25)},
      {"20/07/2019 10:25 GMT+9", Utc(2019, 7, 20, 1, 25)},
      {"29/02/2020", Utc(2020, 2, 28, 17, 0)},
  };
  for (const DatelineCase& c : cases) {
    SCOPED_TRACE(c.line);
    DocumentMetadata meta =
        ExtractMetadata(Article("Chi bộ khu phố tổng kết năm", c.line, "Minh Anh"));
    ASSERT_TRUE(meta.dateline.has_value());
    EXPECT_EQ(meta.dateline->value, c.line);
    EXPECT_EQ(meta.dateline->origin, "dateline line 3");
    ASSERT_TRUE(meta.published_at.has_value());
    EXPECT_EQ(*meta.published_at, c.expected)
        << absl::FormatTime(*meta.published_at, absl::UTCTimeZone());
    ASSERT_TRUE(meta.title.has_value());
    EXPECT_EQ(meta.title->value, "Chi bộ khu phố tổng kết năm");
  }
}

TEST(MetadataTest, RejectsImpossibleDatesAndTimes) {
  for (const char* line :
       {"31/02/2019", "29/02/2019", "12/13/2019", "00/07/2019", "25:00 20/07/2019",
        "15:61 20/07/2019", "20/07/19", "20/07/1800", "20/07/2019 15:25 GMT+20",
        "20/07/2019 và 21/07/2019", "Thứ Tám, 20/07/2019"}) {
    SCOPED_TRACE(line);
    DocumentMetadata meta =
        ExtractMetadata(Article("Chi bộ khu phố tổng kết năm", line, "Minh Anh"));
    EXPECT_FALSE(meta.dateline.has_value());
    EXPECT_FALSE(meta.published_at.has_value());
  }
}

TEST(MetadataTest, IgnoresSiteHeaderTodayAndChromeBeforeTitle) {
  const std::string text =
      "Hôm nay, ngày 9 tháng 3 năm 2021\n"
      "Cỡ chữ: A+ A-\n"
      "ĐẢNG BỘ PHƯỜNG | TIN HOẠT ĐỘNG\n"
      "\n"
      "Chi bộ khu phố 3 tổ chức sinh hoạt chuyên đề quý I.\n"
      "\n"
      "2.3.2021 - 8:05\n"
      "\n" +
      LongParagraph() + "\n";
  DocumentMetadata meta = ExtractMetadata(text);
  ASSERT_TRUE(meta.title.has_value());
  EXPECT_EQ(meta.title->value, "Chi bộ khu phố 3 tổ chức sinh hoạt chuyên đề quý I.");
  EXPECT_EQ(meta.title->origin, "line 5");
  ASSERT_TRUE(meta.dateline.has_value());
  EXPECT_EQ(meta.dateline->value, "2.3.2021 - 8:05");
  EXPECT_EQ(meta.dateline->origin, "dateline line 7");
  ASSERT_TRUE(meta.published_at.has_value());
  EXPECT_EQ(*meta.published_at, Utc(2021, 3, 2, 1, 5));
}

TEST(MetadataTest, SiteHeaderTodayAloneIsNotADateline) {
  const std::string text =
      "Hôm nay, ngày 9 tháng 3 năm 2021\n"
      "HÔM NAY, NGÀY 9 THÁNG 3 NĂM 2021\n"
      "Hôm nay: Thứ Ba, 09/03/2021\n"
      "Trang chủ | Thời sự | Xây dựng Đảng | Liên hệ\n"
      "Chi bộ khu phố 3 sinh hoạt chuyên đề\n\n" +
      LongParagraph() + "\n";
  DocumentMetadata meta = ExtractMetadata(text);
  EXPECT_FALSE(meta.dateline.has_value());
  EXPECT_FALSE(meta.published_at.has_value());
  ASSERT_TRUE(meta.title.has_value());
  EXPECT_EQ(meta.title->value, "Chi bộ khu phố 3 sinh hoạt chuyên đề");
}

TEST(MetadataTest, PrefersADatelineAfterTheTitleToADateAboveIt) {
  const std::string text =
      "Thứ Sáu, 12/03/2021\n"
      "Chi bộ khu phố 3 sinh hoạt chuyên đề\n"
      "(07:40 10/03/2021)\n\n" +
      LongParagraph() + "\n";
  DocumentMetadata meta = ExtractMetadata(text);
  ASSERT_TRUE(meta.dateline.has_value());
  EXPECT_EQ(meta.dateline->value, "(07:40 10/03/2021)");
  EXPECT_EQ(*meta.published_at, Utc(2021, 3, 10, 0, 40));

  // With nothing after the title, the date above it is all there is.
  meta = ExtractMetadata("Thứ Sáu, 12/03/2021\nChi bộ khu phố 3 sinh hoạt chuyên đề\n\n" +
                         LongParagraph());
  ASSERT_TRUE(meta.dateline.has_value());
  EXPECT_EQ(meta.dateline->origin, "dateline line 1");
  EXPECT_EQ(*meta.published_at, Utc(2021, 3, 11, 17, 0));
}

TEST(MetadataTest, SplitsDatelineSuffixOffTheTitle) {
  DocumentMetadata meta = ExtractMetadata(
      "Hội nghị giao ban cụm thi đua: Bàn cách nâng cao chất lượng sinh hoạt chi bộ "
      "(09:10 03/04/2021)\n\n\nXYZ - " +
      LongParagraph() + "\n\nTrần Minh\n");
  ASSERT_TRUE(meta.title.has_value());
  EXPECT_EQ(meta.title->value,
            "Hội nghị giao ban cụm thi đua: Bàn cách nâng cao chất lượng sinh hoạt chi bộ");
  EXPECT_EQ(meta.title->origin, "first line");
  ASSERT_TRUE(meta.dateline.has_value());
  EXPECT_EQ(meta.dateline->value, "(09:10 03/04/2021)");
  EXPECT_EQ(meta.dateline->origin, "title suffix, line 1");
  ASSERT_TRUE(meta.published_at.has_value());
  EXPECT_EQ(*meta.published_at, Utc(2021, 4, 3, 2, 10));
  ASSERT_TRUE(meta.outlet_code.has_value());
  EXPECT_EQ(meta.outlet_code->value, "XYZ");
  EXPECT_EQ(meta.outlet_code->origin, "outlet prefix line 4");
}

TEST(MetadataTest, KeepsANonDateParentheticalInTheTitle) {
  DocumentMetadata meta =
      ExtractMetadata("Quán triệt Nghị quyết Trung ương 4 (khóa XII)\n\n" + LongParagraph());
  ASSERT_TRUE(meta.title.has_value());
  EXPECT_EQ(meta.title->value, "Quán triệt Nghị quyết Trung ương 4 (khóa XII)");
  EXPECT_FALSE(meta.dateline.has_value());
}

TEST(MetadataTest, SkipsPunctuationLinesBeforeTitleAndDateline) {
  DocumentMetadata meta = ExtractMetadata(
      ".\n\nĐoàn thanh niên xã ra quân mùa hè tình nguyện\n\n.\n"
      "16:45, Thứ Năm, 01/07/2021 (GMT+7)\n\n(BXY) - " +
      LongParagraph() + "\n\nĐỗ Thị Hạnh\n(Huyện đoàn Yên Phong)\n\n,\n");
  ASSERT_TRUE(meta.title.has_value());
  EXPECT_EQ(meta.title->value, "Đoàn thanh niên xã ra quân mùa hè tình nguyện");
  EXPECT_EQ(meta.title->origin, "line 3");
  ASSERT_TRUE(meta.dateline.has_value());
  EXPECT_EQ(meta.dateline->origin, "dateline line 6");
  EXPECT_EQ(*meta.published_at, Utc(2021, 7, 1, 9, 45));
  ASSERT_TRUE(meta.outlet_code.has_value());
  EXPECT_EQ(meta.outlet_code->value, "BXY");
  ASSERT_TRUE(meta.author.has_value());
  EXPECT_EQ(meta.author->value, "Đỗ Thị Hạnh (Huyện đoàn Yên Phong)");
  EXPECT_EQ(meta.author->origin, "lines 10-11");
}

struct BylineCase {
  const char* ending;    // the lines after the body
  const char* expected;  // nullptr: no author
  const char* origin;
};

TEST(MetadataTest, FindsBylinesAndRejectsNonBylines) {
  const std::vector<BylineCase> cases = {
      {"Minh Anh", "Minh Anh", "last line"},
      {"Trần Văn Bình - Ban Tuyên giáo Huyện ủy", "Trần Văn Bình - Ban Tuyên giáo Huyện ủy",
       "last line"},
      {"Lò Thị Hoa (Báo Sơn La)", "Lò Thị Hoa (Báo Sơn La)", "last line"},
      {"Nguyễn Văn A", "Nguyễn Văn A", "last line"},
      {"P.T.H", "P.T.H", "last line"},
      {"Minh Anh\n\nBài viết liên quan\nCÁC TIN KHÁC\nIn tin bàiGửi tin bài\n\xC2\xA0\n"
       "Android APK\nHọ tên:(*)",
       "Minh Anh", "line 7, above trailing non-body lines"},
      {"K.L\n\nNguồn Tạp chí Mẫu: https://tapchimau.vn/bai-123", "K.L",
       "line 7, above trailing non-body lines"},
      // Not bylines.
      {"Mọi người đều hài lòng với kết quả.", nullptr, nullptr},
      {"Minh Anh.", nullptr, nullptr},
      {"Toàn cảnh buổi lễ", nullptr, nullptr},
      {"Ảnh: Minh Anh", nullptr, nullptr},
      {"Android APK", nullptr, nullptr},
      {"CÁC TIN KHÁC", nullptr, nullptr},
      {"Hội Nghị Tổng Kết Công Tác Năm Hai Nghìn", nullptr, nullptr},
      // The body's last sentence stops the scan: no name above it counts.
      {"Minh Anh\n\nMọi người đều hài lòng với kết quả.\n\nXem thêm", nullptr, nullptr},
  };
  for (const BylineCase& c : cases) {
    SCOPED_TRACE(c.ending);
    DocumentMetadata meta =
        ExtractMetadata(Article("Chi bộ khu phố tổng kết năm", "20/07/2019", c.ending));
    if (c.expected == nullptr) {
      EXPECT_FALSE(meta.author.has_value()) << meta.author->value;
      continue;
    }
    ASSERT_TRUE(meta.author.has_value());
    EXPECT_EQ(meta.author->value, c.expected);
    EXPECT_EQ(meta.author->origin, c.origin);
  }
}

TEST(MetadataTest, TakesTheUrlFromANguonLine) {
  DocumentMetadata meta = ExtractMetadata(
      Article("Chi bộ khu phố tổng kết năm", "20/07/2019",
              "Minh Anh\n\nNguồn Tạp chí Mẫu: https://tapchimau.vn/can-bo/bai-viet-123."));
  ASSERT_TRUE(meta.source_url.has_value());
  EXPECT_EQ(meta.source_url->value, "https://tapchimau.vn/can-bo/bai-viet-123");
  EXPECT_EQ(meta.source_url->origin, "Nguồn line 9");
  ASSERT_TRUE(meta.author.has_value());
  EXPECT_EQ(meta.author->value, "Minh Anh");

  meta = ExtractMetadata(
      Article("Chi bộ khu phố tổng kết năm", "20/07/2019", "(Nguồn: http://vidu.vn/a?b=1)"));
  ASSERT_TRUE(meta.source_url.has_value());
  EXPECT_EQ(meta.source_url->value, "http://vidu.vn/a?b=1");

  for (const char* ending :
       {"Nguồn: Báo Mẫu", "Xem https://tapchimau.vn/bai-123", "Nguồn: https://"}) {
    SCOPED_TRACE(ending);
    meta = ExtractMetadata(Article("Chi bộ khu phố tổng kết năm", "20/07/2019", ending));
    EXPECT_FALSE(meta.source_url.has_value());
  }
}

TEST(MetadataTest, FindsOutletCodesInBothForms) {
  struct Case {
    const char* body_start;
    const char* expected;  // nullptr: none
  };
  const std::vector<Case> cases = {
      {"HNP - Sáng 3/4, ", "HNP"},
      {"(QBĐT) - Chiều 3/4, ", "QBĐT"},
      {"TTXVN \xE2\x80\x93 Ngày 3/4, ", "TTXVN"},
      {"(ĐN)- Tối 3/4, ", "ĐN"},
      {"COVID-19 vẫn diễn biến phức tạp, ", nullptr},
      {"A - Sáng 3/4, ", nullptr},
      {"ABCDEFG - Sáng 3/4, ", nullptr},
      {"Hnp - Sáng 3/4, ", nullptr},
      {"(QBĐT - Chiều 3/4, ", nullptr},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.body_start);
    DocumentMetadata meta = ExtractMetadata(
        absl::StrCat("Chi bộ khu phố tổng kết năm\n\n", c.body_start, LongParagraph()));
    if (c.expected == nullptr) {
      EXPECT_FALSE(meta.outlet_code.has_value()) << meta.outlet_code->value;
      continue;
    }
    ASSERT_TRUE(meta.outlet_code.has_value());
    EXPECT_EQ(meta.outlet_code->value, c.expected);
    EXPECT_EQ(meta.outlet_code->origin, "outlet prefix line 3");
  }
}

TEST(MetadataTest, CrlfAndNbspGiveTheSameResult) {
  const std::string lf =
      "Hôm nay, ngày 9 tháng 3 năm 2021\n"
      "Ban Dân vận Huyện ủy sơ kết quý I\n\n"
      "Thứ Ba, 02/03/2021, 14:30 [GMT+7]\n\n"
      "HDV - " +
      LongParagraph() +
      "\n\nVũ Thị Lan - Ban Dân vận\n\n"
      "Nguồn Cổng Mẫu: http://congmau.vn/tin/1\n";
  std::string crlf = absl::StrReplaceAll(lf, {{"\n", "\r\n"}});
  crlf = absl::StrReplaceAll(
      crlf, {{"Vũ Thị Lan", "\xC2\xA0Vũ Thị Lan"}, {"[GMT+7]", "[GMT+7]\xC2\xA0\xC2\xA0"}});
  for (const std::string& text : {lf, crlf}) {
    DocumentMetadata meta = ExtractMetadata(text);
    ASSERT_TRUE(meta.title.has_value());
    EXPECT_EQ(meta.title->value, "Ban Dân vận Huyện ủy sơ kết quý I");
    EXPECT_EQ(meta.title->origin, "line 2");
    ASSERT_TRUE(meta.dateline.has_value());
    EXPECT_EQ(meta.dateline->value, "Thứ Ba, 02/03/2021, 14:30 [GMT+7]");
    EXPECT_EQ(meta.dateline->origin, "dateline line 4");
    ASSERT_TRUE(meta.published_at.has_value());
    EXPECT_EQ(*meta.published_at, Utc(2021, 3, 2, 7, 30));
    ASSERT_TRUE(meta.outlet_code.has_value());
    EXPECT_EQ(meta.outlet_code->value, "HDV");
    ASSERT_TRUE(meta.author.has_value());
    EXPECT_EQ(meta.author->value, "Vũ Thị Lan - Ban Dân vận");
    EXPECT_EQ(meta.author->origin, "line 8, above trailing non-body lines");
    ASSERT_TRUE(meta.source_url.has_value());
    EXPECT_EQ(meta.source_url->value, "http://congmau.vn/tin/1");
    EXPECT_EQ(meta.source_url->origin, "Nguồn line 10");
  }
}

TEST(MetadataTest, ReadsNfdText) {
  // "Nguyễn Cường" with the tones as combining marks.
  DocumentMetadata meta =
      ExtractMetadata(Article("Chi bộ khu phố tổng kết năm", "(15:25 20/07/2019)",
                              "Nguye\xCC\x82\xCC\x83n Cu\xCC\x9Bo\xCC\x9B\xCC\x80ng"));
  ASSERT_TRUE(meta.author.has_value());
  EXPECT_EQ(*meta.published_at, Utc(2019, 7, 20, 8, 25));
}

// Runs over the scraped seed articles when they are present (they are not
// part of the repository): each must yield a title, and a publication time
// whenever its first lines carry a year at all.
TEST(MetadataTest, SeedArticlesYieldTitleAndTime) {
  const std::filesystem::path dir = std::string(VNA_CORPUS_DIR) + "/seeds";
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    std::cout << "[ INFO     ] no seed directory " << dir << "; nothing to check\n";
    SUCCEED();
    return;
  }
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().extension() != ".txt") continue;
    ++files;
    SCOPED_TRACE(entry.path().string());
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string text = buffer.str();
    DocumentMetadata meta = ExtractMetadata(text);
    EXPECT_TRUE(meta.title.has_value());

    // Does a year appear in the first 12 lines at all (outside "Hôm nay")?
    bool year_in_head = false;
    std::istringstream lines(text);
    std::string line;
    for (int n = 0; n < 12 && std::getline(lines, line); ++n) {
      if (line.rfind("Hôm nay", 0) == 0 || line.size() > 400) continue;
      for (size_t i = 0; i + 4 <= line.size(); ++i) {
        if (line.compare(i, 2, "20") == 0 &&
            std::isdigit(static_cast<unsigned char>(line[i + 2])) &&
            std::isdigit(static_cast<unsigned char>(line[i + 3]))) {
          year_in_head = true;
        }
      }
    }
    if (year_in_head) {
      EXPECT_TRUE(meta.published_at.has_value());
    }
    std::cout << "[ INFO     ] " << entry.path().filename().string()
              << ": title=" << (meta.title ? meta.title->origin : "-")
              << " dateline=" << (meta.dateline ? meta.dateline->origin : "-") << " published_at="
              << (meta.published_at ? absl::FormatTime(*meta.published_at) : "-")
              << " author=" << (meta.author ? meta.author->origin : "-")
              << " source_url=" << (meta.source_url ? meta.source_url->origin : "-")
              << " outlet=" << (meta.outlet_code ? meta.outlet_code->value : "-") << "\n";
  }
  std::cout << "[ INFO     ] checked " << files << " seed files\n";
}

}  // namespace
}  // namespace ingest
}  // namespace vnarchive
