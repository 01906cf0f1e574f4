#include "common/text/nfc.h"

#include <string>

#include "common/base/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace vnarchive {
namespace text {
namespace {

TEST(ToNfcCheckedTest, RejectsInvalidUtf8NamingTheOffset) {
  const absl::StatusOr<std::string> result = ToNfcChecked("Vie\xCC\x82\xff");
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(std::string(result.status().message()), ::testing::HasSubstr("byte 5 (0xff)"));
}

struct NfcCase {
  const char* name;
  std::string input;
  std::string expected;
};

TEST(ToNfcTest, ComposesTable) {
  const NfcCase kCases[] = {
      {"empty", "", ""},
      {"ASCII", "Nghi dinh 157/2007/ND-CP", "Nghi dinh 157/2007/ND-CP"},
      {"already NFC", "Đảng ủy TP. Hà Nội", "Đảng ủy TP. Hà Nội"},
      {"NFD hook above", "Đa\u0309ng", "Đảng"},
      {"NFD two marks", "Vie\u0323\u0302t", "Việt"},
      {"marks in non-canonical order", "Vie\u0302\u0323t", "Việt"},
      {"Windows-1258 style base + tone", "Tiê\u0301ng", "Tiếng"},
      {"horn + tone", "Ngu\u031Bo\u031B\u0300i", "Người"},
      {"capitals", "U\u031B\u0309", "Ử"},
      {"zero-width kept", "a\u200Bb", "a\u200Bb"},
  };
  for (const NfcCase& c : kCases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(ToNfc(c.input), c.expected);
    const absl::StatusOr<std::string> checked = ToNfcChecked(c.input);
    ASSERT_THAT(checked, IsOk());
    EXPECT_EQ(*checked, c.expected);
    EXPECT_TRUE(IsNfc(c.expected));
  }
}

TEST(IsNfcTest, RecognisesNfdAndInvalid) {
  EXPECT_TRUE(IsNfc(""));
  EXPECT_TRUE(IsNfc("Việt Nam"));
  EXPECT_FALSE(IsNfc("Vie\u0323\u0302t"));
  EXPECT_FALSE(IsNfc("a\u0301"));  // composes to á
  EXPECT_FALSE(IsNfc("ab\x80"));
}

TEST(ToNfcTest, IsIdempotent) {
  const std::string once = ToNfc("Ngu\u031Bo\u031B\u0300i Vie\u0302\u0323t");
  EXPECT_EQ(ToNfc(once), once);
}

}  // namespace
}  // namespace text
}  // namespace vnarchive
