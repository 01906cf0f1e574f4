#include "services/normalize/core/normalizer.h"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/escaping.h"
#include "common/base/status_matchers.h"
#include "common/text/nfc.h"
#include "common/text/utf8.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "unicode/uchar.h"

namespace vnarchive {
namespace normalize {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

NormalizedText MustNormalize(const Normalizer& n, absl::string_view in) {
  absl::StatusOr<NormalizedText> r = n.Normalize(in);
  EXPECT_THAT(r, IsOk());
  return r.ok() ? *std::move(r) : NormalizedText{};
}

std::vector<std::string> Pieces(const NormalizedText& n, const std::vector<Span>& spans) {
  std::vector<std::string> out;
  for (const Span& s : spans) out.push_back(n.text.substr(s.begin, s.end - s.begin));
  return out;
}

std::vector<std::string> Sentences(absl::string_view in) {
  const NormalizedText n = MustNormalize(Normalizer(), in);
  return Pieces(n, n.sentences);
}

// --- Error paths -----------------------------------------------------------

TEST(NormalizerTest, RejectsInvalidUtf8NamingTheOffset) {
  const absl::StatusOr<NormalizedText> r = Normalizer().Normalize("Hà Nội\xC0\x80");
  EXPECT_THAT(r, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("byte 9 (0xc0)"));
  EXPECT_THAT(Normalizer().Normalize("a\xED\xA0\x80"),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

// The clean pass decides 16-byte blocks at once; an ill-formed sequence must
// be found wherever it falls in a block, including across its end (the
// fuzzer found "\xE1" before a two-byte letter at offset 14 slipping past).
TEST(NormalizerTest, RejectsIllFormedSequencesAtEveryBlockOffset) {
  const std::string before = "Đảng ủy Khối các cơ quan tỉnh Hậu Giang ";
  for (const std::string& bad : {std::string("\xE1\xC4\x90"), std::string("\xE1\xBA"),
                                std::string("\xC3" "a"), std::string("\x80"),
                                std::string("\xE1\xBB\xE1\xBB\x87"), std::string("\xC4")}) {
    for (size_t offset = 0; offset < 40; ++offset) {
      const std::string input = std::string(offset, 'a') + bad + before + before;
      const absl::StatusOr<NormalizedText> r = Normalizer().Normalize(input);
      EXPECT_THAT(r, StatusIs(absl::StatusCode::kInvalidArgument))
          << "offset " << offset << " bytes " << absl::CEscape(bad);
      const std::string tail = before + std::string(offset, 'a') + bad;
      EXPECT_THAT(Normalizer().Normalize(tail), StatusIs(absl::StatusCode::kInvalidArgument))
          << "at the end, offset " << offset;
    }
  }
}

// The clean pass skips U+00C0..U+02FF and U+1E00..U+1EFF in 16-byte blocks
// without asking ICU or its character classes: every one of them must be kept
// as it is and be NFC-stable (combining class 0, unchanged by NFC next to
// other letters), or the fast path would let a change through.
TEST(NormalizerTest, FastPathCharactersAreKeptAndStable) {
  std::vector<char32_t> fast;
  for (char32_t cp = 0x00C0; cp < 0x0300; ++cp) fast.push_back(cp);
  for (char32_t cp = 0x1E00; cp < 0x1F00; ++cp) fast.push_back(cp);
  NormalizerOptions keep_tones;
  keep_tones.canonicalize_tones = false;  // letters stay where they are
  const Normalizer normalizer(keep_tones);
  for (char32_t cp : fast) {
    std::string letter;
    text::AppendUtf8(cp, &letter);
    const std::string input = "aaaaaaaaaaaaaaaa" + letter + "a" + letter + "bbbbbbbbbbbbbbbb";
    EXPECT_EQ(u_getCombiningClass(static_cast<UChar32>(cp)), 0) << std::hex << cp;
    EXPECT_EQ(text::ToNfc(input), input) << std::hex << cp;
    const absl::StatusOr<NormalizedText> r = normalizer.Normalize(input);
    ASSERT_TRUE(r.ok()) << std::hex << cp;
    EXPECT_EQ(r->text, input) << std::hex << cp;
  }
}

TEST(NormalizerTest, RejectsInputAboveMaxBytes) {
  NormalizerOptions options;
  options.max_input_bytes = 4;
  EXPECT_THAT(Normalizer(options).Normalize("abcde"),
              StatusIs(absl::StatusCode::kResourceExhausted));
  EXPECT_THAT(Normalizer(options).Normalize("abcd"), IsOk());
}

// --- Character and line cleanup ---------------------------------------------

struct CleanCase {
  const char* name;
  std::string input;
  std::string expected;
};

TEST(NormalizerTest, CleansTextTable) {
  const CleanCase kCases[] = {
      {"empty", "", ""},
      {"only spaces and breaks", " \r\n\t\u00A0\n\u200B", ""},
      {"CRLF and CR", "a\r\nb\rc", "a\n\nb\n\nc"},
      {"odd spaces", "Hà\u00A0Nội\u2003và\u3000TP\tHCM\u202Fnay\u205Fđó\u2009x",
       "Hà Nội và TP HCM nay đó x"},
      {"zero-width inside words", "Đả\u200Bng ủ\uFEFFy\u200C \u2060x\u00AD", "Đảng ủy x"},
      {"leading BOM", "\uFEFFBắt đầu", "Bắt đầu"},
      {"zero-width between base and mark", "Vie\u200B\u0323\u0302t", "Việt"},
      {"NFD input", "Đa\u0309ng u\u0309y", "Đảng ủy"},
      {"Windows-1258 style", "Tiê\u0301ng Vie\u0323\u0302t", "Tiếng Việt"},
      {"collapse and trim", "  a   b  \n\tc ", "a b\n\nc"},
      {"blank lines", "a\n\n\n   \nb", "a\n\nb"},
      {"controls", "a\x01" "b\x7F" "c", "a b c"},
      {"digits and codes kept", "Chỉ thị 05-CT/TW ngày 20/7/2019", "Chỉ thị 05-CT/TW ngày 20/7/2019"},
  };
  for (const CleanCase& c : kCases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(MustNormalize(Normalizer(), c.input).text, c.expected);
  }
}

TEST(NormalizerTest, MakesQuotesDashesAndEllipsesUniform) {
  const NormalizedText n = MustNormalize(
      Normalizer(), "Chủ đề “Nêu gương” – ‘người đứng đầu’ — năm 2015−2020…");
  EXPECT_EQ(n.text, "Chủ đề \"Nêu gương\" - 'người đứng đầu' - năm 2015-2020...");
  EXPECT_EQ(n.counts.typography_normalized, 8u);
  EXPECT_EQ(MustNormalize(Normalizer(), n.text).text, n.text);
}

TEST(NormalizerTest, PlacesTonesByTheConfiguredStyle) {
  const NormalizedText traditional =
      MustNormalize(Normalizer(), "Hoà bình, khoẻ mạnh, thuỷ lợi, lựơng");
  EXPECT_EQ(traditional.text, "Hòa bình, khỏe mạnh, thủy lợi, lượng");
  EXPECT_EQ(traditional.counts.tones_moved, 4u);
  NormalizerOptions modern;
  modern.tone_style = ToneStyle::kModern;
  EXPECT_EQ(MustNormalize(Normalizer(modern), traditional.text).text,
            "Hoà bình, khoẻ mạnh, thuỷ lợi, lượng");
}

TEST(NormalizerTest, CountsEveryChange) {
  const NormalizedText n = MustNormalize(
      Normalizer(), "  Đa\u0309ng\u00A0\u00A0ủy\u200B  \r\nB\r\nĐa\u0309ng\u00A0\u00A0ủy\u200B\n");
  EXPECT_EQ(n.text, "Đảng ủy\n\nB");
  EXPECT_TRUE(n.counts.nfc_changed);
  EXPECT_EQ(n.counts.nfc_code_points_composed, 2u);
  EXPECT_EQ(n.counts.crlf_converted, 2u);
  EXPECT_EQ(n.counts.spaces_normalized, 4u);
  EXPECT_EQ(n.counts.zero_width_removed, 2u);
  EXPECT_EQ(n.counts.space_runs_collapsed, 2u);
  EXPECT_EQ(n.counts.lines_trimmed, 1u);
  EXPECT_EQ(n.counts.paragraphs_deduplicated, 1u);
}

TEST(NormalizerTest, ReportsNoChangesOnCleanText) {
  const NormalizedText n = MustNormalize(Normalizer(), "Đảng ủy.\n\nHà Nội.");
  EXPECT_EQ(n.text, "Đảng ủy.\n\nHà Nội.");
  EXPECT_FALSE(n.counts.nfc_changed);
  EXPECT_EQ(n.counts.spaces_normalized + n.counts.zero_width_removed + n.counts.lines_trimmed +
                n.counts.crlf_converted + n.counts.paragraphs_deduplicated,
            0u);
}

// --- Paragraphs ---------------------------------------------------------------

TEST(NormalizerTest, KeepsRepeatedParagraphOnce) {
  const NormalizedText n =
      MustNormalize(Normalizer(), "Toàn cảnh hội nghị\nNội dung.\n  Toàn cảnh  hội nghị \nKết.");
  EXPECT_EQ(n.text, "Toàn cảnh hội nghị\n\nNội dung.\n\nKết.");
  EXPECT_EQ(n.counts.paragraphs_deduplicated, 1u);
  EXPECT_THAT(Pieces(n, n.paragraphs), ElementsAre("Toàn cảnh hội nghị", "Nội dung.", "Kết."));
}

TEST(NormalizerTest, KeepsRepeatsWhenDedupeIsOff) {
  NormalizerOptions options;
  options.dedupe_paragraphs = false;
  const NormalizedText n = MustNormalize(Normalizer(options), "A\nB\nA");
  EXPECT_EQ(n.text, "A\n\nB\n\nA");
  EXPECT_EQ(n.counts.paragraphs_deduplicated, 0u);
}

TEST(NormalizerTest, ParagraphSpansIndexText) {
  const NormalizedText n = MustNormalize(Normalizer(), "Một.\r\n\r\nHai ba.\nBốn");
  ASSERT_EQ(n.paragraphs.size(), 3u);
  EXPECT_EQ(n.paragraphs[0], (Span{0, 6}));
  EXPECT_EQ(n.paragraphs[1], (Span{8, 15}));
  EXPECT_EQ(n.paragraphs[2], (Span{17, 22}));
}

// --- Sentences ----------------------------------------------------------------

struct SentenceCase {
  const char* name;
  std::string input;
  std::vector<std::string> sentences;
};

TEST(NormalizerTest, SplitsSentencesTable) {
  const SentenceCase kCases[] = {
      {"two sentences", "Hôm nay trời đẹp. Ngày mai mưa.",
       {"Hôm nay trời đẹp.", "Ngày mai mưa."}},
      {"TP. is an abbreviation", "Ông đến TP. Hồ Chí Minh. Sau đó về.",
       {"Ông đến TP. Hồ Chí Minh.", "Sau đó về."}},
      {"dotted titles", "PGS.TS. Nguyễn Văn An phát biểu. Th.S. Lê Bình và ThS. Trần Chi dự.",
       {"PGS.TS. Nguyễn Văn An phát biểu.", "Th.S. Lê Bình và ThS. Trần Chi dự."}},
      {"titles GS BS KS", "GS. Hoàng, BS. Lan, KS. Minh và TS. Đức đến. Xong.",
       {"GS. Hoàng, BS. Lan, KS. Minh và TS. Đức đến.", "Xong."}},
      {"T.Ư", "Ban Bí thư T.Ư. Đảng chỉ đạo.", {"Ban Bí thư T.Ư. Đảng chỉ đạo."}},
      {"initials and Q. P.", "Ông ở Q. 1 và P. Bến Nghé.", {"Ông ở Q. 1 và P. Bến Nghé."}},
      {"Mr and St", "Mr. Smith sống ở St. Louis.", {"Mr. Smith sống ở St. Louis."}},
      {"abbreviation in parentheses", "Bà Hoa (TS. Kinh tế) nói.", {"Bà Hoa (TS. Kinh tế) nói."}},
      {"date before period", "Sáng 20/7. Sau đó họp.", {"Sáng 20/7.", "Sau đó họp."}},
      {"numbers do not split", "Đạt 33.680 tỷ đồng, tăng 2.5 lần. Lãi 1.200.",
       {"Đạt 33.680 tỷ đồng, tăng 2.5 lần.", "Lãi 1.200."}},
      {"digit starts a sentence", "Năm 2019. 2020 sẽ khác.", {"Năm 2019.", "2020 sẽ khác."}},
      {"lower case does not start", "Kết thúc. và tiếp tục", {"Kết thúc. và tiếp tục"}},
      {"question and exclamation", "Thật sao? Vâng! Được rồi.",
       {"Thật sao?", "Vâng!", "Được rồi."}},
      {"ellipsis", "Chờ đã… Được rồi... Đi thôi.", {"Chờ đã...", "Được rồi...", "Đi thôi."}},
      {"closing quote stays", "Ông hỏi: “Ai?” Bà đáp.", {"Ông hỏi: \"Ai?\"", "Bà đáp."}},
      {"opening quote starts", "Chỉ thị 05-CT/TW. “Phải làm ngay” là yêu cầu.",
       {"Chỉ thị 05-CT/TW.", "\"Phải làm ngay\" là yêu cầu."}},
      {"dash starts", "Nhiệm vụ gồm. - Một là tuyên truyền.",
       {"Nhiệm vụ gồm.", "- Một là tuyên truyền."}},
      {"no terminator", "Toàn cảnh hội nghị", {"Toàn cảnh hội nghị"}},
      {"per paragraph", "Câu một\nCâu hai. Câu ba", {"Câu một", "Câu hai.", "Câu ba"}},
  };
  for (const SentenceCase& c : kCases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(Sentences(c.input), c.sentences);
  }
}

TEST(NormalizerTest, HonoursExtraAbbreviations) {
  NormalizerOptions options;
  options.extra_abbreviations = {"Hđ"};
  const NormalizedText n = MustNormalize(Normalizer(options), "Xem Hđ. Số 5 đã ký.");
  EXPECT_THAT(Pieces(n, n.sentences), ElementsAre("Xem Hđ. Số 5 đã ký."));
}

// --- Tokens ---------------------------------------------------------------------

TEST(NormalizerTest, TokensIndexNormalizedText) {
  const NormalizedText n = MustNormalize(Normalizer(), "  Đa\u0309ng\u00A0ủy 05-CT/TW");
  ASSERT_EQ(n.text, "Đảng ủy 05-CT/TW");
  ASSERT_EQ(n.tokens.size(), 5u);
  EXPECT_EQ(n.Text(n.tokens[0]), "Đảng");
  EXPECT_EQ(n.Lower(n.tokens[0]), "đảng");
  EXPECT_EQ(n.Folded(n.tokens[0]), "dang");
  EXPECT_EQ(n.tokens[2].begin, 13u);
  EXPECT_EQ(n.tokens[2].end, 15u);
  for (const NormalizedToken& t : n.tokens) {
    EXPECT_EQ(n.Lower(t), text::ToLower(n.Text(t)));
    EXPECT_EQ(n.Folded(t), text::Fold(n.Text(t)));
  }
}

TEST(NormalizerTest, SkipsTokensWhenDisabled) {
  NormalizerOptions options;
  options.tokenize = false;
  EXPECT_TRUE(MustNormalize(Normalizer(options), "Đảng ủy").tokens.empty());
}

// --- Properties -------------------------------------------------------------------

void ExpectIdempotent(const Normalizer& normalizer, absl::string_view input) {
  const NormalizedText once = MustNormalize(normalizer, input);
  const NormalizedText twice = MustNormalize(normalizer, once.text);
  EXPECT_EQ(twice.text, once.text);
  EXPECT_EQ(twice.paragraphs, once.paragraphs);
  EXPECT_EQ(twice.sentences, once.sentences);
  EXPECT_EQ(twice.tokens.size(), once.tokens.size());
  EXPECT_FALSE(twice.counts.nfc_changed);
  EXPECT_EQ(twice.counts.paragraphs_deduplicated, 0u);
}

TEST(NormalizerTest, IsIdempotent) {
  const std::string kInputs[] = {
      "",
      "Đảng ủy khối các cơ quan (15:25 20/07/2019)\r\n\r\n\r\nHNP - Sáng 20/7, tại Hà Nội, "
      "hội nghị giao ban lần thứ X với chủ đề “Những giải pháp”. Đồng chí Đào Đức Toàn dự. \r\n"
      "Toàn cảnh hội nghị\r\n\r\nToàn cảnh hội nghị\r\n",
      "\uFEFF  Vie\u0323\u0302t\u00A0\u00A0Nam\u200B \t\n\n\u3000Ngu\u031Bo\u031B\u0300i "
      "dân.\u2000TP. Hà Nội\u2001…\u00A0",
      "a\u200B\u0301 b \u0301\n \u0301x",
      "PGS.TS. A. B. C.\nD! E? F… G",
  };
  const Normalizer normalizer;
  for (const std::string& input : kInputs) {
    SCOPED_TRACE(input);
    ExpectIdempotent(normalizer, input);
  }
}

// The project's seed articles, when the shared corpus is present on this
// machine (their text is not copied into the repository).
TEST(NormalizerTest, IsIdempotentOnSeedCorpusWhenPresent) {
  const std::filesystem::path dir = std::string(VNA_CORPUS_DIR) + "/seeds";
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    std::cout << "[ INFO     ] no seed directory " << dir << "; nothing to check\n";
    return;  // the corpus is optional; the other tests cover the rules
  }
  const Normalizer normalizer;
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().extension() != ".txt") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream body;
    body << in.rdbuf();
    SCOPED_TRACE(entry.path().string());
    ExpectIdempotent(normalizer, body.str());
    ++files;
  }
  EXPECT_GT(files, 0);
}

// NormalizeBytes takes plain UTF-8 straight to Normalize; whatever the
// input, it must answer exactly as Decode followed by Normalize.
TEST(NormalizerTest, NormalizeBytesEqualsDecodeThenNormalize) {
  const Normalizer normalizer;
  const std::string article = "Đảng ủy Khối tổ chức hội nghị. Ông Nguyễn Văn Hoà phát biểu.";
  absl::StatusOr<std::string> vni = Encode(article, Encoding::kVni);
  absl::StatusOr<std::string> mojibake = Encode(article, Encoding::kUtf8Mojibake);
  ASSERT_THAT(vni, IsOk());
  ASSERT_THAT(mojibake, IsOk());
  for (const std::string& input : std::vector<std::string>{
           article, "plain ASCII text", "", "\xEF\xBB\xBF" + article, *mojibake,
           "café crème, naïve", *vni, "Đảng \xFF ủy", "\xC3"}) {
    SCOPED_TRACE(absl::CHexEscape(input));
    absl::StatusOr<NormalizedText> direct = normalizer.NormalizeBytes(input, {});
    absl::StatusOr<DecodeResult> decoded = Decode(input);
    if (!decoded.ok()) {
      EXPECT_EQ(direct.status(), decoded.status());
      continue;
    }
    absl::StatusOr<NormalizedText> stepwise = normalizer.Normalize(decoded->utf8);
    ASSERT_THAT(direct, IsOk());
    ASSERT_THAT(stepwise, IsOk());
    EXPECT_EQ(direct->text, stepwise->text);
    EXPECT_EQ(direct->decoded.encoding, decoded->encoding);
    EXPECT_EQ(direct->decoded.confidence, decoded->confidence);
    EXPECT_EQ(direct->decoded.had_bom, decoded->had_bom);
  }
  absl::StatusOr<NormalizedText> repaired = normalizer.NormalizeBytes(*mojibake, {});
  ASSERT_THAT(repaired, IsOk());
  EXPECT_EQ(repaired->decoded.encoding, Encoding::kUtf8Mojibake);
  EXPECT_EQ(repaired->text, MustNormalize(normalizer, article).text);
  absl::StatusOr<NormalizedText> bad = normalizer.NormalizeBytes("Đảng \xFF ủy", {});
  EXPECT_THAT(bad.status().message(), HasSubstr("byte"));
}

TEST(NormalizerTest, ServesManyThreadsFromOneInstance) {
  const Normalizer normalizer;
  const std::string input = "Đa\u0309ng ủy TP. Hà Nội.\nHai. Ba.\nĐa\u0309ng ủy TP. Hà Nội.";
  const std::string expected = MustNormalize(normalizer, input).text;
  std::vector<std::thread> threads;
  std::vector<std::string> results(4);
  for (size_t i = 0; i < results.size(); ++i) {
    threads.emplace_back([&, i] {
      for (int k = 0; k < 200; ++k) results[i] = normalizer.Normalize(input)->text;
    });
  }
  for (std::thread& t : threads) t.join();
  for (const std::string& r : results) EXPECT_EQ(r, expected);
}

}  // namespace
}  // namespace normalize
}  // namespace vnarchive
