#include "services/normalize/core/decode.h"

#include <iconv.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/base/status_matchers.h"
#include "common/text/nfc.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace vnarchive {
namespace normalize {
namespace {

using ::testing::Field;
using ::testing::HasSubstr;

constexpr Encoding kLegacy[] = {Encoding::kWindows1258, Encoding::kTcvn3, Encoding::kVni,
                                Encoding::kViscii};
constexpr Encoding kAll[] = {Encoding::kUtf8,   Encoding::kUtf16Le,     Encoding::kUtf16Be,
                             Encoding::kWindows1258, Encoding::kTcvn3, Encoding::kVni,
                             Encoding::kViscii, Encoding::kUtf8Mojibake};

// A sentence with no upper-case toned letter, so that TCVN3 can hold it.
constexpr char kSentence[] =
    "Đảng ủy tỉnh đã ban hành nghị quyết về phát triển kinh tế - xã hội, "
    "nâng cao đời sống người dân vùng sâu, vùng xa trong năm 2024.";

std::string Message(const absl::Status& s) { return std::string(s.message()); }

DecodeResult MustDecode(absl::string_view bytes, const DecodeOptions& options = {}) {
  absl::StatusOr<DecodeResult> r = Decode(bytes, options);
  EXPECT_THAT(r, IsOk());
  return r.ok() ? *std::move(r) : DecodeResult{};
}

DecodeOptions Forced(Encoding e, bool lenient = false) {
  DecodeOptions o;
  o.forced = e;
  o.lenient = lenient;
  return o;
}

std::string MustEncode(absl::string_view utf8, Encoding e) {
  absl::StatusOr<std::string> r = Encode(utf8, e);
  EXPECT_THAT(r, IsOk()) << EncodingName(e);
  return r.ok() ? *std::move(r) : std::string();
}

// The 12 vowels in 6 tone states (none, grave, hook, tilde, acute, dot) and
// đ, lower then upper case: the 134 non-ASCII letters plus a e i o u y.
struct LetterSet {
  std::vector<std::string> lower, upper;
};

LetterSet VietnameseLetters() {
  static const char* const kRows[][2] = {
      {"a à ả ã á ạ", "A À Ả Ã Á Ạ"}, {"ă ằ ẳ ẵ ắ ặ", "Ă Ằ Ẳ Ẵ Ắ Ặ"},
      {"â ầ ẩ ẫ ấ ậ", "Â Ầ Ẩ Ẫ Ấ Ậ"}, {"e è ẻ ẽ é ẹ", "E È Ẻ Ẽ É Ẹ"},
      {"ê ề ể ễ ế ệ", "Ê Ề Ể Ễ Ế Ệ"}, {"i ì ỉ ĩ í ị", "I Ì Ỉ Ĩ Í Ị"},
      {"o ò ỏ õ ó ọ", "O Ò Ỏ Õ Ó Ọ"}, {"ô ồ ổ ỗ ố ộ", "Ô Ồ Ổ Ỗ Ố Ộ"},
      {"ơ ờ ở ỡ ớ ợ", "Ơ Ờ Ở Ỡ Ớ Ợ"}, {"u ù ủ ũ ú ụ", "U Ù Ủ Ũ Ú Ụ"},
      {"ư ừ ử ữ ứ ự", "Ư Ừ Ử Ữ Ứ Ự"}, {"y ỳ ỷ ỹ ý ỵ", "Y Ỳ Ỷ Ỹ Ý Ỵ"},
      {"đ", "Đ"},
  };
  LetterSet set;
  for (const auto& row : kRows) {
    for (int c = 0; c < 2; ++c) {
      std::istringstream in(row[c]);
      std::string letter;
      while (in >> letter) (c == 0 ? set.lower : set.upper).push_back(letter);
    }
  }
  return set;
}

// True for an upper-case letter with a tone mark: TCVN3 has none.
bool IsUpperToned(const std::string& letter, size_t index_in_row) {
  return !letter.empty() && index_in_row % 6 != 0 && letter != "Đ";
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string DataPath(absl::string_view name) {
  return absl::StrCat(VNA_ENCODINGS_DATA_DIR, "/", name);
}

struct ArticleFile {
  const char* name;
  Encoding encoding;
};
constexpr ArticleFile kArticleFiles[] = {
    {"article.cp1258.txt", Encoding::kWindows1258},
    {"article.tcvn3.txt", Encoding::kTcvn3},
    {"article.vni.txt", Encoding::kVni},
    {"article.viscii.txt", Encoding::kViscii},
    {"article.utf16le.txt", Encoding::kUtf16Le},
    {"article.mojibake.txt", Encoding::kUtf8Mojibake},
};

// --- Error paths -----------------------------------------------------------

TEST(DecodeTest, RejectsInvalidUtf8NamingTheOffset) {
  const absl::StatusOr<DecodeResult> r = Decode("Hà Nội\xC0\x80 và Huế, Đà Nẵng, Cần Thơ");
  EXPECT_THAT(r, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Message(r.status()), HasSubstr("invalid UTF-8 at byte 9 (0xc0)"));
  // With a BOM the offset still counts from the first byte of the input.
  const absl::StatusOr<DecodeResult> bom = Decode("\xEF\xBB\xBF" "ab\xFF");
  EXPECT_THAT(bom, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Message(bom.status()), HasSubstr("byte 5 (0xff)"));
}

TEST(DecodeTest, RejectsUtf16OfOddLength) {
  EXPECT_THAT(Decode(absl::string_view("\xFF\xFE" "a\0b", 5)),
              StatusIs(absl::StatusCode::kInvalidArgument));
  const absl::StatusOr<DecodeResult> be =
      Decode(absl::string_view("\0a\0", 3), Forced(Encoding::kUtf16Be));
  EXPECT_THAT(be, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Message(be.status()), HasSubstr("byte 2"));
  EXPECT_THAT(Message(be.status()), HasSubstr("odd length"));
}

TEST(DecodeTest, RejectsUnpairedSurrogate) {
  const absl::StatusOr<DecodeResult> r =
      Decode(absl::string_view("\xFF\xFE" "a\0\x00\xD8" "b\0", 8));
  EXPECT_THAT(r, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Message(r.status()), HasSubstr("byte 4 (0xd800): unpaired surrogate"));
}

TEST(DecodeTest, RejectsUnmappedLegacyByteNamingTheOffset) {
  // 0xB0 is a gap in TCVN3; 0x81 is undefined in Windows-1258.
  const absl::StatusOr<DecodeResult> r = Decode("\xA7\xB6ng \xB0", Forced(Encoding::kTcvn3));
  EXPECT_THAT(r, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Message(r.status()), HasSubstr("invalid tcvn3 at byte 5 (0xb0): no mapping"));
  EXPECT_THAT(Decode("ab\x81", Forced(Encoding::kWindows1258)),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(DecodeTest, RejectsInputAboveMaxBytes) {
  DecodeOptions options;
  options.max_input_bytes = 4;
  EXPECT_THAT(Decode("abcde", options), StatusIs(absl::StatusCode::kResourceExhausted));
  EXPECT_THAT(Decode("abcd", options), IsOk());
}

TEST(DecodeTest, ForcedMojibakeRejectsTextThatIsNotMojibake) {
  const absl::StatusOr<DecodeResult> r = Decode("Hà Nội", Forced(Encoding::kUtf8Mojibake));
  EXPECT_THAT(r, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Message(r.status()), HasSubstr("byte 5 (U+1ED9)"));
}

TEST(EncodingNameTest, UnknownNameListsTheKnownOnes) {
  const absl::StatusOr<Encoding> r = ParseEncodingName("koi8-r");
  EXPECT_THAT(r, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Message(r.status()), HasSubstr("koi8-r"));
  EXPECT_THAT(Message(r.status()), HasSubstr("utf-8, utf-16le, utf-16be, windows-1258, tcvn3, "
                                             "vni, viscii, utf-8-mojibake"));
}

TEST(EncodeTest, Tcvn3RejectsUpperCaseTonedLetters) {
  const absl::StatusOr<std::string> r = Encode("Đảng ỦY", Encoding::kTcvn3);
  EXPECT_THAT(r, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Message(r.status()), HasSubstr("U+1EE6"));
  EXPECT_THAT(Message(r.status()), HasSubstr("at byte 8"));
  EXPECT_THAT(Encode("a\xFF", Encoding::kVni), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Encode("漢", Encoding::kViscii), StatusIs(absl::StatusCode::kInvalidArgument));
}

// --- Names -----------------------------------------------------------------

TEST(EncodingNameTest, CanonicalNamesRoundTripAndAliasesParse) {
  for (Encoding e : kAll) {
    EXPECT_THAT(ParseEncodingName(EncodingName(e)), IsOkAndHolds(e)) << EncodingName(e);
  }
  const std::pair<const char*, Encoding> kAliases[] = {
      {"UTF8", Encoding::kUtf8},           {"cp1258", Encoding::kWindows1258},
      {"Windows-1258", Encoding::kWindows1258}, {"ABC", Encoding::kTcvn3},
      {"tcvn", Encoding::kTcvn3},          {"VNI-Windows", Encoding::kVni},
      {"VISCII", Encoding::kViscii},       {"utf16le", Encoding::kUtf16Le},
      {"UTF-16BE", Encoding::kUtf16Be},    {"mojibake", Encoding::kUtf8Mojibake},
  };
  for (const auto& [alias, e] : kAliases) {
    EXPECT_THAT(ParseEncodingName(alias), IsOkAndHolds(e)) << alias;
  }
}

// --- The examples of the issue ---------------------------------------------

TEST(DecodeTest, IssueExamples) {
  struct Case {
    const char* name;
    std::string bytes;
    Encoding encoding;
  };
  const Case kCases[] = {
      {"tcvn3 §¶ng", "\xA7\xB6ng", Encoding::kTcvn3},
      {"vni Ñaûng", "\xD1" "a\xFB" "ng", Encoding::kVni},
      {"mojibake Äáº£ng", "Ä\u0090áº£ng", Encoding::kUtf8Mojibake},
      {"windows-1258 base + tone", "\xD0" "a\xD2" "ng", Encoding::kWindows1258},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(MustDecode(c.bytes, Forced(c.encoding)).utf8, "Đảng");
  }
  // Detection needs no hint for the mojibake form.
  const DecodeResult r = MustDecode("Ä\u0090áº£ng");
  EXPECT_EQ(r.utf8, "Đảng");
  EXPECT_EQ(r.encoding, Encoding::kUtf8Mojibake);
}

// --- Letter tables: every Vietnamese letter through every encoding ----------

TEST(DecodeTest, EveryLetterRoundTripsThroughEveryEncoding) {
  const LetterSet letters = VietnameseLetters();
  ASSERT_EQ(letters.lower.size(), 73u);  // 12 x 6 + đ; 67 of them non-ASCII
  ASSERT_EQ(letters.upper.size(), 73u);
  for (Encoding e : kAll) {
    SCOPED_TRACE(EncodingName(e));
    for (int upper = 0; upper < 2; ++upper) {
      const std::vector<std::string>& set = upper ? letters.upper : letters.lower;
      for (size_t i = 0; i < set.size(); ++i) {
        const std::string& letter = set[i];
        SCOPED_TRACE(letter);
        const absl::StatusOr<std::string> bytes = Encode(letter, e);
        if (e == Encoding::kTcvn3 && upper && IsUpperToned(letter, i)) {
          EXPECT_THAT(bytes, StatusIs(absl::StatusCode::kInvalidArgument));
          continue;
        }
        ASSERT_THAT(bytes, IsOk());
        EXPECT_THAT(Decode(*bytes, Forced(e)), IsOkAndHolds(Field(&DecodeResult::utf8, letter)));
      }
    }
  }
}

TEST(DecodeTest, KnownByteSequencesPerEncoding) {
  // Written from the encodings' code charts, independent of Encode.
  struct Case {
    Encoding encoding;
    std::string bytes;
    const char* utf8;
  };
  const Case kCases[] = {
      {Encoding::kTcvn3, "Tr\xAD\xEAng \xAE\xB9i h\xE4" "c", "Trường đại học"},
      {Encoding::kTcvn3, "\xA1\xA2\xA3\xA4\xA5\xA6\xA7", "ĂÂÊÔƠƯĐ"},
      {Encoding::kVni, "Vie\xE4t Nam", "Việt Nam"},
      {Encoding::kVni, "Co\xE4ng ho\xF8" "a xa\xF5 ho\xE4i chu\xFB ngh\xF3" "a",
       "Cộng hòa xã hội chủ nghĩa"},
      {Encoding::kVni, "T\xF6\xEF do - Ha\xEFnh phu\xF9" "c", "Tự do - Hạnh phúc"},
      {Encoding::kVni, "ch\xE6 th\xF2, na\xEAm, ba\xE9t, ma\xEBt, sa\xFCn, kha\xFAng",
       "chỉ thị, năm, bắt, mặt, sẵn, khẳng"},
      {Encoding::kVni, "VIE\xC4T NAM, \xD1O\xC0NG, NH\xD6\xD5NG", "VIỆT NAM, ĐỒNG, NHỮNG"},
      {Encoding::kVni, "\x93" "k\xEE" "\x94", "“kỵ”"},
      {Encoding::kWindows1258, "Ti\xEA\xECng Vi\xEA\xF2t", "Tiếng Việt"},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.utf8);
    EXPECT_THAT(Decode(c.bytes, Forced(c.encoding)),
                IsOkAndHolds(Field(&DecodeResult::utf8, std::string(c.utf8))));
  }
}

// The TCVN3 chart written in decode.cc agrees with glibc's TCVN5712-1 (VN1)
// wherever VN3 defines a byte at A0..FF (VN1 adds capitals in VN3's gaps).
TEST(DecodeTest, Tcvn3AgreesWithGlibcVn1) {
  iconv_t cd = iconv_open("UTF-8", "TCVN5712-1");
  ASSERT_NE(cd, reinterpret_cast<iconv_t>(-1));
  int checked = 0;
  for (int b = 0xA0; b < 0x100; ++b) {
    const std::string byte(1, static_cast<char>(b));
    const absl::StatusOr<DecodeResult> ours = Decode(byte, Forced(Encoding::kTcvn3));
    if (!ours.ok()) continue;
    char in[1] = {static_cast<char>(b)};
    char out[16];
    char* inp = in;
    char* outp = out;
    size_t inleft = 1, outleft = sizeof(out);
    iconv(cd, nullptr, nullptr, nullptr, nullptr);
    ASSERT_NE(iconv(cd, &inp, &inleft, &outp, &outleft), static_cast<size_t>(-1)) << b;
    iconv(cd, nullptr, nullptr, &outp, &outleft);
    EXPECT_EQ(ours->utf8, text::ToNfc(std::string(out, outp - out))) << "byte " << b;
    ++checked;
  }
  iconv_close(cd);
  EXPECT_EQ(checked, 75);  // NBSP + 14 shaped letters + 60 toned vowels
}

// VNI and TCVN3 read 80..9F as Windows-1252 punctuation: same as glibc's CP1252.
TEST(DecodeTest, Cp1252PunctuationAgreesWithGlibc) {
  iconv_t cd = iconv_open("UTF-8", "CP1252");
  ASSERT_NE(cd, reinterpret_cast<iconv_t>(-1));
  for (int b = 0x80; b < 0xA0; ++b) {
    char in[1] = {static_cast<char>(b)};
    char out[16];
    char* inp = in;
    char* outp = out;
    size_t inleft = 1, outleft = sizeof(out);
    const bool defined = iconv(cd, &inp, &inleft, &outp, &outleft) != static_cast<size_t>(-1);
    for (Encoding e : {Encoding::kVni, Encoding::kTcvn3}) {
      const absl::StatusOr<DecodeResult> ours = Decode(std::string(1, in[0]), Forced(e));
      EXPECT_EQ(ours.ok(), defined) << "byte " << b;
      if (ours.ok() && defined) {
        EXPECT_EQ(ours->utf8, std::string(out, outp - out)) << b;
      }
    }
  }
  iconv_close(cd);
}

TEST(DecodeTest, SentenceRoundTripsForcedAndDetected) {
  for (Encoding e : kAll) {
    SCOPED_TRACE(EncodingName(e));
    const std::string bytes = MustEncode(kSentence, e);
    EXPECT_THAT(Decode(bytes, Forced(e)), IsOkAndHolds(Field(&DecodeResult::utf8, kSentence)));
    const DecodeResult detected = MustDecode(bytes);
    EXPECT_EQ(detected.utf8, kSentence);
    EXPECT_EQ(EncodingName(detected.encoding), EncodingName(e));
    EXPECT_GT(detected.confidence, 0.5);
    EXPECT_LE(detected.confidence, 1.0);
  }
}

TEST(DecodeTest, AllLowerCaseLettersDetectedInEveryLegacyEncoding) {
  // Letters alone, one per word: what a word list or an index page looks like.
  const LetterSet letters = VietnameseLetters();
  std::string text = "Danh sách chữ cái:";
  for (const std::string& l : letters.lower) text += " " + l;
  for (Encoding e : kLegacy) {
    SCOPED_TRACE(EncodingName(e));
    const DecodeResult r = MustDecode(MustEncode(text, e));
    EXPECT_EQ(r.utf8, text);
    EXPECT_EQ(EncodingName(r.encoding), EncodingName(e));
  }
}

// --- BOMs, ASCII, lenient mode ----------------------------------------------

TEST(DecodeTest, ByteOrderMarks) {
  struct Case {
    const char* name;
    std::string bytes;
    Encoding encoding;
  };
  const Case kCases[] = {
      {"utf-8", "\xEF\xBB\xBF" "Hà Nội", Encoding::kUtf8},
      {"utf-16le", std::string("\xFF\xFE" "H\0\xE0\0 \0N\0\xD9\x1E" "i\0", 14),
       Encoding::kUtf16Le},
      {"utf-16be", std::string("\xFE\xFF\0H\0\xE0\0 \0N\x1E\xD9\0i", 14), Encoding::kUtf16Be},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.name);
    const DecodeResult r = MustDecode(c.bytes);
    EXPECT_EQ(r.utf8, "Hà Nội");
    EXPECT_EQ(r.encoding, c.encoding);
    EXPECT_TRUE(r.had_bom);
    EXPECT_EQ(r.confidence, 1.0);
    // Forcing the same encoding removes the BOM too.
    const DecodeResult forced = MustDecode(c.bytes, Forced(c.encoding));
    EXPECT_EQ(forced.utf8, "Hà Nội");
    EXPECT_TRUE(forced.had_bom);
  }
  // A supplementary character through a surrogate pair.
  EXPECT_EQ(MustDecode(MustEncode("𠀀 chữ Nôm", Encoding::kUtf16Be)).utf8, "𠀀 chữ Nôm");
  // Without a BOM, UTF-8 is not flagged.
  EXPECT_FALSE(MustDecode("Hà Nội").had_bom);
}

TEST(DecodeTest, PureAsciiIsCertainUtf8) {
  const DecodeResult r = MustDecode("Chi thi 05-CT/TW ngay 20/7/2019\n");
  EXPECT_EQ(r.encoding, Encoding::kUtf8);
  EXPECT_EQ(r.confidence, 1.0);
  EXPECT_EQ(r.utf8, "Chi thi 05-CT/TW ngay 20/7/2019\n");
  EXPECT_EQ(MustDecode("").encoding, Encoding::kUtf8);
}

TEST(DecodeTest, LenientModeCountsReplacements) {
  struct Case {
    const char* name;
    std::string bytes;
    std::optional<Encoding> forced;
    std::string utf8;
    size_t replacements;
  };
  const Case kCases[] = {
      {"utf-8 bad bytes", "Việt Nam \xFF\xFE ngày hội đoàn kết toàn dân tộc ở khu dân cư",
       std::nullopt, "Việt Nam \uFFFD\uFFFD ngày hội đoàn kết toàn dân tộc ở khu dân cư", 2},
      {"a real U+FFFD is not counted", "a\uFFFD\xFF", Encoding::kUtf8, "a\uFFFD\uFFFD", 1},
      {"tcvn3 gap", "\xA7\xB6ng\xB0", Encoding::kTcvn3, "Đảng\uFFFD", 1},
      {"windows-1258 undefined", "a\x81" "b", Encoding::kWindows1258, "a\uFFFDb", 1},
      {"utf-16 odd length", std::string("\xFF\xFE" "a\0b", 5), std::nullopt, "a\uFFFD", 1},
      {"utf-16 lone surrogate", std::string("a\0\x00\xDC", 4), Encoding::kUtf16Le, "a\uFFFD",
       1},
      {"no problem, no count", "Đảng", std::nullopt, "Đảng", 0},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.name);
    DecodeOptions options;
    options.forced = c.forced;
    options.lenient = true;
    const DecodeResult r = MustDecode(c.bytes, options);
    EXPECT_EQ(r.utf8, c.utf8);
    EXPECT_EQ(r.replacements, c.replacements);
    // Strict mode refuses whatever lenient mode had to replace.
    options.lenient = false;
    EXPECT_EQ(Decode(c.bytes, options).ok(), c.replacements == 0);
  }
}

TEST(DecodeTest, OutputIsNfc) {
  // NFD UTF-8 and Windows-1258's base + combining tone both come out composed.
  EXPECT_EQ(MustDecode("Tie\xCC\x82\xCC\x81ng").utf8, "Tiếng");
  EXPECT_EQ(MustDecode("Vi\xEA\xF2t", Forced(Encoding::kWindows1258)).utf8, "Việt");
}

// --- Mojibake -----------------------------------------------------------------

TEST(DecodeTest, RepairsMojibakeParagraph) {
  const std::string paragraph =
      "Ủy ban nhân dân thành phố Hồ Chí Minh vừa ban hành Quyết định số 1234/QĐ-UBND "
      "về việc phê duyệt “Đề án chuyển đổi số” giai đoạn 2021–2025. Ông Nguyễn Văn Ấn, "
      "Phó Giám đốc Sở, cho biết: Ở đây ai cũng ủng hộ.";
  const std::string mojibake = MustEncode(paragraph, Encoding::kUtf8Mojibake);
  ASSERT_NE(mojibake, paragraph);
  EXPECT_THAT(mojibake, HasSubstr("Ã"));
  const DecodeResult r = MustDecode(mojibake);
  EXPECT_EQ(r.utf8, paragraph);
  EXPECT_EQ(r.encoding, Encoding::kUtf8Mojibake);
  EXPECT_GT(r.confidence, 0.9);
  // Saved by Notepad: with a UTF-8 BOM.
  const DecodeResult bom = MustDecode("\xEF\xBB\xBF" + mojibake);
  EXPECT_EQ(bom.utf8, paragraph);
  EXPECT_EQ(bom.encoding, Encoding::kUtf8Mojibake);
  EXPECT_TRUE(bom.had_bom);
}

TEST(DecodeTest, KeepsCorrectUtf8ThatLooksLikeMojibake) {
  const char* const kTexts[] = {
      "São Paulo e Brasília",
      "SÃO PAULO",
      "Ã€ bientôt, Ãƒ",  // cp1252-representable, but not valid UTF-8 underneath
      "Hà Nội – “Thủ đô” © 2024",
      "naïve café résumé",
  };
  for (const char* t : kTexts) {
    SCOPED_TRACE(t);
    const DecodeResult r = MustDecode(t);
    EXPECT_EQ(r.utf8, t);
    EXPECT_EQ(r.encoding, Encoding::kUtf8);
  }
}

// --- The article and its encoded copies (tests/data/encodings) -----------------

// The encoded copies were written once with Encode(); this keeps them honest.
TEST(DecodeTest, ArticleFilesAreByteExactEncodings) {
  const std::string article = ReadFile(DataPath("article.utf8.txt"));
  ASSERT_GT(article.size(), 1000u);
  ASSERT_TRUE(text::IsNfc(article));
  for (const ArticleFile& f : kArticleFiles) {
    SCOPED_TRACE(f.name);
    const std::string bytes = ReadFile(DataPath(f.name));
    EXPECT_EQ(bytes, MustEncode(article, f.encoding));
  }
}

TEST(DecodeTest, DetectsTheArticleInEveryEncoding) {
  const std::string article = ReadFile(DataPath("article.utf8.txt"));
  ASSERT_FALSE(article.empty());
  const DecodeResult plain = MustDecode(article);
  EXPECT_EQ(plain.encoding, Encoding::kUtf8);
  EXPECT_GT(plain.confidence, 0.99);
  for (const ArticleFile& f : kArticleFiles) {
    SCOPED_TRACE(f.name);
    const DecodeResult r = MustDecode(ReadFile(DataPath(f.name)));
    EXPECT_EQ(r.utf8, article);
    EXPECT_EQ(EncodingName(r.encoding), EncodingName(f.encoding));
    EXPECT_GT(r.confidence, 0.8);  // TCVN3 has the smallest margin: ~0.9
    EXPECT_EQ(r.replacements, 0u);
  }
}

}  // namespace
}  // namespace normalize
}  // namespace vnarchive
