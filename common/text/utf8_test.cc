#include "common/text/utf8.h"

#include <random>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/string_view.h"
#include "common/base/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "unicode/utf8.h"

namespace vnarchive {
namespace text {
namespace {


struct BadUtf8Case {
  const char* name;
  std::string input;
  const char* message;
};

TEST(ValidateUtf8Test, RejectsIllFormedSequencesNamingTheByteOffset) {
  const BadUtf8Case kCases[] = {
      {"lone continuation", "ab\x80", "invalid UTF-8 at byte 2 (0x80): unexpected continuation byte"},
      {"0xff", "Hà\xff", "invalid UTF-8 at byte 3 (0xff): invalid lead byte"},
      {"overlong 2-byte", "ab\xC0\x80", "invalid UTF-8 at byte 2 (0xc0): overlong encoding"},
      {"overlong 2-byte C1", "\xC1\xBF", "invalid UTF-8 at byte 0 (0xc1): overlong encoding"},
      {"overlong 3-byte", "x\xE0\x80\xAF", "invalid UTF-8 at byte 1 (0xe0): overlong encoding"},
      {"overlong 4-byte", "\xF0\x80\x80\xAF", "invalid UTF-8 at byte 0 (0xf0): overlong encoding"},
      {"surrogate D800", "a\xED\xA0\x80", "invalid UTF-8 at byte 1 (0xed): encoded surrogate"},
      {"surrogate DFFF", "\xED\xBF\xBF", "invalid UTF-8 at byte 0 (0xed): encoded surrogate"},
      {"truncated at end", "Vi\xE1\xBB", "invalid UTF-8 at byte 2 (0xe1): truncated sequence"},
      {"truncated by ASCII", "\xE1\xBB" "a", "invalid UTF-8 at byte 0 (0xe1): truncated sequence"},
      {"truncated 4-byte", "\xF0\x9F\x98", "invalid UTF-8 at byte 0 (0xf0): truncated sequence"},
      {"lead byte alone", "\xC4", "invalid UTF-8 at byte 0 (0xc4): truncated sequence"},
      {"above U+10FFFF (F4 90)", "\xF4\x90\x80\x80", "invalid UTF-8 at byte 0 (0xf4): code point above U+10FFFF"},
      {"above U+10FFFF (F5)", "\xF5\x80\x80\x80", "invalid UTF-8 at byte 0 (0xf5): code point above U+10FFFF"},
      {"5-byte lead", "\xF8\x88\x80\x80\x80", "invalid UTF-8 at byte 0 (0xf8): invalid lead byte"},
      {"after long ASCII run", "0123456789abcdef\xFE", "invalid UTF-8 at byte 16 (0xfe): invalid lead byte"},
      {"Latin-1 byte", "caf\xE9!", "invalid UTF-8 at byte 3 (0xe9): truncated sequence"},
  };
  for (const BadUtf8Case& c : kCases) {
    SCOPED_TRACE(c.name);
    const absl::Status status = ValidateUtf8(c.input);
    EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
    EXPECT_EQ(status.message(), c.message);
  }
}

TEST(ValidateUtf8Test, AcceptsWellFormedText) {
  const std::string kCases[] = {
      "",
      "plain ASCII text that is longer than eight bytes",
      "Đảng ủy TP. Hà Nội",
      "Vie\xCC\xA3\xCC\x82t",                // NFD with combining marks
      "\xF0\x9F\x98\x80",                    // U+1F600
      "\xF4\x8F\xBF\xBF",                    // U+10FFFF
      "\xED\x9F\xBF",                        // U+D7FF, just below surrogates
      "\xEE\x80\x80",                        // U+E000, just above surrogates
      std::string("nul\0inside", 10),
  };
  for (const std::string& c : kCases) {
    EXPECT_THAT(ValidateUtf8(c), IsOk()) << c;
  }
}

// ICU's U8_NEXT implements the same Unicode Table 3-7: the reference for the
// hand-written decoder on random, high-byte-heavy input.
TEST(ValidateUtf8Test, AgreesWithIcuOnRandomBytes) {
  std::mt19937 rng(42);
  const unsigned char kInteresting[] = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0,
                                        0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xED,
                                        0xEF, 0xF0, 0xF4, 0xF5, 0xFF};
  for (int iter = 0; iter < 20000; ++iter) {
    std::string s(1 + rng() % 6, '\0');
    for (char& ch : s) {
      ch = static_cast<char>(rng() % 2 ? kInteresting[rng() % sizeof(kInteresting)]
                                       : static_cast<unsigned char>(rng()));
    }
    bool icu_ok = true;
    const auto* p = reinterpret_cast<const uint8_t*>(s.data());
    int32_t i = 0;
    const int32_t n = static_cast<int32_t>(s.size());
    while (i < n) {
      UChar32 c;
      U8_NEXT(p, i, n, c);
      if (c < 0) icu_ok = false;
    }
    ASSERT_EQ(ValidateUtf8(s).ok(), icu_ok) << absl::CEscape(s);
    // DecodeUtf8 must agree too: U+FFFD exactly where ICU saw an error
    // (the input holds no literal U+FFFD: EF BF BD is possible, so skip it).
    if (s.find("\xEF\xBF\xBD") != std::string::npos) continue;
    size_t pos = 0;
    bool decode_ok = true;
    while (pos < s.size()) {
      const size_t before = pos;
      if (DecodeUtf8(s, &pos) == 0xFFFD) {
        decode_ok = false;
        ASSERT_EQ(pos, before + 1);
      }
    }
    ASSERT_EQ(decode_ok, icu_ok) << absl::CEscape(s);
  }
}

TEST(DecodeUtf8Test, AdvancesPastEachCodePoint) {
  const std::string s = "aĐả\xF0\x9F\x98\x80";
  size_t pos = 0;
  EXPECT_EQ(DecodeUtf8(s, &pos), U'a');
  EXPECT_EQ(pos, 1u);
  EXPECT_EQ(DecodeUtf8(s, &pos), U'\u0110');
  EXPECT_EQ(pos, 3u);
  EXPECT_EQ(DecodeUtf8(s, &pos), U'\u1EA3');
  EXPECT_EQ(pos, 6u);
  EXPECT_EQ(DecodeUtf8(s, &pos), U'\U0001F600');
  EXPECT_EQ(pos, 10u);
}

TEST(DecodeUtf8Test, ReturnsReplacementAndAdvancesOneByteOnInvalid) {
  const std::string s = "\xE1\xBB" "a";
  size_t pos = 0;
  EXPECT_EQ(DecodeUtf8(s, &pos), U'\uFFFD');
  EXPECT_EQ(pos, 1u);
  EXPECT_EQ(DecodeUtf8(s, &pos), U'\uFFFD');
  EXPECT_EQ(pos, 2u);
  EXPECT_EQ(DecodeUtf8(s, &pos), U'a');
  EXPECT_EQ(pos, 3u);
}

TEST(AppendUtf8Test, RoundTripsEveryScalarValue) {
  for (char32_t cp = 0; cp <= 0x10FFFF; ++cp) {
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;
    std::string s;
    AppendUtf8(cp, &s);
    size_t pos = 0;
    ASSERT_EQ(DecodeUtf8(s, &pos), cp);
    ASSERT_EQ(pos, s.size());
  }
}

TEST(AppendUtf8Test, WritesReplacementForSurrogatesAndOutOfRange) {
  std::string s;
  AppendUtf8(0xD800, &s);
  AppendUtf8(0x110000, &s);
  EXPECT_EQ(s, "\xEF\xBF\xBD\xEF\xBF\xBD");
}

}  // namespace
}  // namespace text
}  // namespace vnarchive
