#include "common/text/segment.h"

#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/text/utf8.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "unicode/translit.h"
#include "unicode/uchar.h"
#include "unicode/unistr.h"

namespace vnarchive {
namespace text {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// "text@begin-end" for each token: compact and exact in failure messages.
std::vector<std::string> Spans(absl::string_view input) {
  std::vector<std::string> out;
  for (const Token& t : TokenizeSyllables(input)) {
    out.push_back(absl::StrCat(t.text, "@", t.begin, "-", t.end));
  }
  return out;
}

struct TokenCase {
  const char* name;
  std::string input;
  std::vector<std::string> spans;
};

TEST(TokenizeSyllablesTest, TreatsInvalidUtf8AsSeparator) {
  EXPECT_THAT(Spans("ab\xff" "cd"), ElementsAre("ab@0-2", "cd@3-5"));
  EXPECT_THAT(Spans("Hà\xe1\x80" "Nội"), ElementsAre("Hà@0-3", "Nội@5-10"));
  EXPECT_THAT(Spans("\xC0\x80\xED\xA0\x80"), IsEmpty());  // overlong, surrogate
}

TEST(TokenizeSyllablesTest, SplitsOnTable) {
  const TokenCase kCases[] = {
      {"empty", "", {}},
      {"punctuation only", " ,.;!? ", {}},
      {"NFC syllables", "Đảng ủy TP. Hà Nội",
       {"Đảng@0-7", "ủy@8-12", "TP@13-15", "Hà@17-20", "Nội@21-26"}},
      {"NFD keeps marks inside the token", "Đa\u0309ng u\u0309y",
       {"Đa\u0309ng@0-7", "u\u0309y@8-12"}},
      {"capitals with horn", "NGƯỜI DÂN Ơn", {"NGƯỜI@0-8", "DÂN@9-13", "Ơn@14-17"}},
      {"party code", "05-CT/TW", {"05@0-2", "CT@3-5", "TW@6-8"}},
      {"code and date", "Quy định 08-QĐi/TW ngày 25/10/2017",
       {"Quy@0-3", "định@4-11", "08@12-14", "QĐi@15-19", "TW@20-22", "ngày@23-28",
        "25@29-31", "10@32-34", "2017@35-39"}},
      {"zero-width space separates", "Hà\u200BNội", {"Hà@0-3", "Nội@6-11"}},
      {"BOM and ZWJ separate", "a\uFEFFb\u200Dc", {"a@0-1", "b@4-5", "c@8-9"}},
      {"odd spaces separate", "Hà\u00A0Nội\u202Fmới", {"Hà@0-3", "Nội@5-10", "mới@13-18"}},
      {"numbers split at punctuation", "33.680 tỷ đồng, năm 2019",
       {"33@0-2", "680@3-6", "tỷ@7-11", "đồng@12-19", "năm@21-25", "2019@26-30"}},
      {"curly quotes and brackets", "“Đổi mới” (1986)!",
       {"Đổi@3-9", "mới@10-15", "1986@20-24"}},
      {"underscore separates", "x_y", {"x@0-1", "y@2-3"}},
  };
  for (const TokenCase& c : kCases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(Spans(c.input), c.spans);
  }
}

TEST(TokenizeSyllablesTest, FillsLowerAndFoldedForms) {
  const std::vector<Token> tokens = TokenizeSyllables("ĐẢNG Ủy NGƯỜI Vie\u0323\u0302t");
  ASSERT_EQ(tokens.size(), 4u);
  EXPECT_EQ(tokens[0].lower, "đảng");
  EXPECT_EQ(tokens[0].folded, "dang");
  EXPECT_EQ(tokens[1].lower, "ủy");
  EXPECT_EQ(tokens[1].folded, "uy");
  EXPECT_EQ(tokens[2].lower, "người");
  EXPECT_EQ(tokens[2].folded, "nguoi");
  EXPECT_EQ(tokens[3].lower, "vie\u0323\u0302t");
  EXPECT_EQ(tokens[3].folded, "viet");
}

TEST(ForEachTokenSpanTest, MatchesTokenizeSyllables) {
  const std::string input = "Chỉ thị số 05-CT/TW, ngày 15/5/2016 của Bộ Chính trị\xff.";
  std::vector<std::pair<size_t, size_t>> spans;
  ForEachTokenSpan(input, [&spans](size_t b, size_t e) { spans.emplace_back(b, e); });
  const std::vector<Token> tokens = TokenizeSyllables(input);
  ASSERT_EQ(spans.size(), tokens.size());
  for (size_t i = 0; i < spans.size(); ++i) {
    EXPECT_EQ(spans[i].first, tokens[i].begin);
    EXPECT_EQ(spans[i].second, tokens[i].end);
    EXPECT_EQ(input.substr(spans[i].first, spans[i].second - spans[i].first), tokens[i].text);
  }
}

struct MapCase {
  std::string input;
  std::string expected;
};

TEST(FoldTest, WritesReplacementForInvalidBytes) {
  EXPECT_EQ(Fold("A\xff" "B"), "a\uFFFDb");
  EXPECT_EQ(ToLower("A\xe1\x80" "B"), "a\uFFFD\uFFFDb");
}

TEST(FoldTest, FoldsTable) {
  const MapCase kCases[] = {
      {"", ""},
      {"Đảng Ủy", "dang uy"},
      {"đ Đ", "d d"},
      {"Tiếng Việt", "tieng viet"},
      {"NGƯỜI ƠN ưu", "nguoi on uu"},
      {"Nghị định 157/2007/NĐ-CP", "nghi dinh 157/2007/nd-cp"},
      {"Đa\u0309ng Vie\u0323\u0302t", "dang viet"},  // NFD input folds like NFC
      {"hoá hóa THUỶ thủy", "hoa hoa thuy thuy"},       // both tone styles
      {"Ä ö ß Ø", "a o ß ø"},                           // other Latin: base letter
      {"ΑΘΗΝΑ", "αθηνα"},                               // non-Latin: lower-cased only
      {"a\u200Bb 2019!", "a\u200Bb 2019!"},             // non-letters unchanged
  };
  for (const MapCase& c : kCases) {
    EXPECT_EQ(Fold(c.input), c.expected) << c.input;
  }
}

// The table is a fast path for ICU's "NFD; remove marks; lower": compare them
// on every code point the table covers (plus đ/Đ, which ICU leaves alone).
TEST(FoldTest, AgreesWithIcuTransliteratorOverTableRanges) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::Transliterator> reference(icu::Transliterator::createInstance(
      "NFD; [:Nonspacing Mark:] Remove; NFC; Lower", UTRANS_FORWARD, status));
  ASSERT_TRUE(U_SUCCESS(status)) << u_errorName(status);
  int checked = 0;
  const std::pair<char32_t, char32_t> kRanges[] = {{0xC0, 0x250}, {0x1E00, 0x1F00}};
  for (const auto& range : kRanges) {
    for (char32_t cp = range.first; cp < range.second; ++cp) {
      if (!u_isalpha(static_cast<UChar32>(cp))) continue;
      std::string input;
      AppendUtf8(cp, &input);
      icu::UnicodeString u = icu::UnicodeString::fromUTF8(input);
      reference->transliterate(u);
      std::string expected;
      u.toUTF8String(expected);
      if (cp == 0x110 || cp == 0x111) expected = "d";
      // ICU's Lower uses full case mapping; the table uses the simple one.
      if (u.length() > 1) continue;
      EXPECT_EQ(Fold(input), expected) << "U+" << std::hex << static_cast<uint32_t>(cp);
      ++checked;
    }
  }
  EXPECT_GT(checked, 400);
}

TEST(FoldTest, IsSafeOnFirstUseFromManyThreads) {
  std::vector<std::thread> threads;
  std::vector<std::string> results(8);
  for (size_t i = 0; i < results.size(); ++i) {
    threads.emplace_back([&results, i] { results[i] = Fold("Đảng ỦY"); });
  }
  for (std::thread& t : threads) t.join();
  for (const std::string& r : results) EXPECT_EQ(r, "dang uy");
}

TEST(ToLowerTest, LowerCasesTable) {
  const MapCase kCases[] = {
      {"", ""},
      {"ĐẢNG ỦY", "đảng ủy"},
      {"NGƯỜI Ơ", "người ơ"},
      {"ABC-123/TW", "abc-123/tw"},
      {"A\u0301", "a\u0301"},  // NFD stays NFD
      {"ΑΘΗΝΑ", "αθηνα"},
  };
  for (const MapCase& c : kCases) {
    EXPECT_EQ(ToLower(c.input), c.expected) << c.input;
  }
}

TEST(HasDiacriticsTest, DetectsVietnameseMarksAndDStroke) {
  EXPECT_FALSE(HasDiacritics(""));
  EXPECT_FALSE(HasDiacritics("Dang uy TP Ha Noi 2019"));
  EXPECT_FALSE(HasDiacritics("ΑΘΗΝΑ"));
  EXPECT_TRUE(HasDiacritics("Đ"));
  EXPECT_TRUE(HasDiacritics("dang đ"));
  EXPECT_TRUE(HasDiacritics("Việt"));
  EXPECT_TRUE(HasDiacritics("Vie\u0323\u0302t"));
  EXPECT_TRUE(HasDiacritics("ƯƠ"));
}

// The inline ranges of IsNonAsciiTokenCodePointFast must say what ICU says.
TEST(ForEachTokenSpanTest, FastTokenRangesAgreeWithIcu) {
  for (char32_t cp = 0x80; cp < 0x2000; ++cp) {
    ASSERT_EQ(internal::IsNonAsciiTokenCodePointFast(cp), internal::IsNonAsciiTokenCodePoint(cp))
        << "U+" << std::hex << static_cast<uint32_t>(cp);
  }
}

// The table-driven lower-case and fold give what the code-point definitions
// (u_tolower, the NFD fold table) give, over every BMP code point.
TEST(FoldTest, AppendLowerAndFoldAgreeWithPerCodePointIcu) {
  for (char32_t cp = 0x80; cp < 0x10000; ++cp) {
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;
    std::string in;
    AppendUtf8(cp, &in);
    std::string expected_lower;
    AppendUtf8(static_cast<char32_t>(u_tolower(static_cast<UChar32>(cp))), &expected_lower);
    std::string lower = "x";
    AppendLower(in, &lower);
    ASSERT_EQ(lower, "x" + expected_lower) << "U+" << std::hex << static_cast<uint32_t>(cp);
    std::string folded;
    AppendFold(in, &folded);
    if (cp >= 0x0300 && cp < 0x0370) {
      ASSERT_EQ(folded, "") << "U+" << std::hex << static_cast<uint32_t>(cp);
    } else if (!((cp >= 0x00C0 && cp < 0x0250) || (cp >= 0x1E00 && cp < 0x1F00))) {
      ASSERT_EQ(folded, expected_lower) << "U+" << std::hex << static_cast<uint32_t>(cp);
    }
  }
}

// The one-pass tokeniser gives the tokens of ForEachTokenSpan with the forms
// of ToLower and Fold, back to back, including for long tokens (buffers grow)
// and around invalid bytes.
TEST(TokenizeWithFormsTest, AgreesWithForEachTokenSpanAndForms) {
  const std::string long_token(300, 'A');
  std::string long_vietnamese;
  for (int i = 0; i < 100; ++i) long_vietnamese += "\xE1\xBA\xA0";  // Ạ
  const std::vector<std::string> inputs = {
      "",
      "Đảng ủy TP. Hà Nội",
      "ab\xff" "cd \xE1\xBA e\xCC\x81 \xC8\xBA\xC8\xBE",
      long_token + " x " + long_vietnamese,
      "\xCE\xA9\xCE\x91 \xD0\x96 \xE2\x84\xAA 12ab \xF0\x90\x90\x80",
  };
  for (const std::string& input : inputs) {
    std::string forms = "prefix";
    std::vector<internal::TokenWithForms> tokens;
    internal::TokenizeWithForms(input, &forms, &tokens);
    std::string expected_forms = "prefix";
    std::vector<internal::TokenWithForms> expected;
    ForEachTokenSpan(input, [&](size_t begin, size_t end) {
      const absl::string_view piece = absl::string_view(input).substr(begin, end - begin);
      internal::TokenWithForms t;
      t.begin = static_cast<uint32_t>(begin);
      t.end = static_cast<uint32_t>(end);
      t.lower_begin = static_cast<uint32_t>(expected_forms.size());
      AppendLower(piece, &expected_forms);
      t.lower_end = static_cast<uint32_t>(expected_forms.size());
      t.folded_begin = t.lower_end;
      AppendFold(piece, &expected_forms);
      t.folded_end = static_cast<uint32_t>(expected_forms.size());
      expected.push_back(t);
    });
    EXPECT_EQ(forms, expected_forms) << input;
    ASSERT_EQ(tokens.size(), expected.size()) << input;
    for (size_t i = 0; i < tokens.size(); ++i) {
      EXPECT_EQ(tokens[i].begin, expected[i].begin);
      EXPECT_EQ(tokens[i].end, expected[i].end);
      EXPECT_EQ(tokens[i].lower_begin, expected[i].lower_begin);
      EXPECT_EQ(tokens[i].lower_end, expected[i].lower_end);
      EXPECT_EQ(tokens[i].folded_begin, expected[i].folded_begin);
      EXPECT_EQ(tokens[i].folded_end, expected[i].folded_end);
    }
  }
}

}  // namespace
}  // namespace text
}  // namespace vnarchive
