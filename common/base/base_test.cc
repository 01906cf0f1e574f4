#include <string>

#include "common/base/env_flags.h"
#include "common/base/hash.h"
#include "common/base/log.h"
#include "gtest/gtest.h"

namespace vnarchive {
namespace {

TEST(JsonEscapeTest, EscapesQuotesControlsAndInvalidUtf8) {
  EXPECT_EQ(JsonEscape("a\"b\\c\n"), "a\\\"b\\\\c\\n");
  EXPECT_EQ(JsonEscape(std::string("\x01", 1)), "\\u0001");
  EXPECT_EQ(JsonEscape("Đảng"), "Đảng");
  EXPECT_EQ(JsonEscape("\xff" "a"), "\\u00ffa");
  EXPECT_EQ(JsonEscape("\xe1\xba"), "\\u00e1\\u00ba");  // truncated sequence
}

TEST(LogLevelTest, ParsesKnownNamesOnly) {
  LogLevel level = LogLevel::kInfo;
  EXPECT_TRUE(ParseLogLevel("warning", &level));
  EXPECT_EQ(level, LogLevel::kWarning);
  EXPECT_FALSE(ParseLogLevel("loud", &level));
  EXPECT_EQ(level, LogLevel::kWarning);
}

TEST(EnvFlagsTest, MapsFlagNameToUpperCaseVariable) {
  EXPECT_EQ(EnvNameForFlag("redis_addr"), "VNA_REDIS_ADDR");
}

TEST(HashTest, IsStableHexAndDistinguishesInputs) {
  const std::string h = ContentHash("Đảng ủy");
  EXPECT_EQ(h.size(), 32u);
  EXPECT_EQ(h, ContentHash("Đảng ủy"));
  EXPECT_NE(h, ContentHash("Đảng uỷ"));
  EXPECT_EQ(h.find_first_not_of("0123456789abcdef"), std::string::npos);
}

}  // namespace
}  // namespace vnarchive
