#include "services/normalize/core/tone.h"

#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "common/base/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "unicode/normalizer2.h"
#include "unicode/unistr.h"

#ifndef VNA_TEST_DATA_DIR
#error "VNA_TEST_DATA_DIR must name tests/data (set in CMakeLists.txt)"
#endif

namespace vnarchive {
namespace normalize {
namespace {

using ::testing::HasSubstr;

constexpr ToneStyle kStyles[] = {ToneStyle::kTraditional, ToneStyle::kModern};

// --- ICU reference helpers: independent of tone.cc's tables -----------------

std::u32string Nfd(absl::string_view utf8) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  EXPECT_TRUE(U_SUCCESS(status));
  const icu::UnicodeString d = nfd->normalize(
      icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), utf8.size())), status);
  EXPECT_TRUE(U_SUCCESS(status));
  std::u32string out;
  for (int32_t i = 0; i < d.length(); i = d.moveIndex32(i, 1)) {
    out.push_back(static_cast<char32_t>(d.char32At(i)));
  }
  return out;
}

bool IsToneMark(char32_t cp) {
  return cp == 0x0300 || cp == 0x0301 || cp == 0x0303 || cp == 0x0309 || cp == 0x0323;
}

// The text's NFD with the five tone marks removed: what must not change.
std::u32string Letters(absl::string_view utf8) {
  std::u32string out;
  for (char32_t cp : Nfd(utf8)) {
    if (!IsToneMark(cp)) out.push_back(cp);
  }
  return out;
}

int ToneMarks(absl::string_view utf8) {
  int n = 0;
  for (char32_t cp : Nfd(utf8)) n += IsToneMark(cp);
  return n;
}

std::string Canonical(absl::string_view s, ToneStyle style) {
  return CanonicalizeSyllable(s, style);
}

// --- Error paths ---------------------------------------------------------

TEST(ToneStyleTest, RejectsUnknownStyleNames) {
  for (absl::string_view bad : {"", "Traditional", "MODERN", "new", "traditional "}) {
    const absl::StatusOr<ToneStyle> r = ParseToneStyle(bad);
    EXPECT_THAT(r, StatusIs(absl::StatusCode::kInvalidArgument)) << bad;
  }
  EXPECT_THAT(std::string(ParseToneStyle("old").status().message()), HasSubstr("\"old\""));
}

TEST(ToneStyleTest, NamesRoundTrip) {
  for (ToneStyle style : kStyles) {
    EXPECT_THAT(ParseToneStyle(ToneStyleName(style)), IsOkAndHolds(style));
  }
  EXPECT_EQ(ToneStyleName(ToneStyle::kTraditional), "traditional");
  EXPECT_EQ(ToneStyleName(ToneStyle::kModern), "modern");
}

TEST(ToneTest, KeepsInvalidUtf8AndEmptyTextAsSeparators) {
  std::string empty;
  EXPECT_EQ(CanonicalizeTones(ToneStyle::kTraditional, &empty), 0u);
  EXPECT_EQ(empty, "");
  // Bad bytes separate words, so the words around them are still fixed.
  std::string bad = "ho\xC3\xA0\xFF\xC3hoa\xCC\xE1\xBB";
  EXPECT_EQ(CanonicalizeTones(ToneStyle::kTraditional, &bad), 1u);
  EXPECT_EQ(bad, "h\xC3\xB2" "a\xFF\xC3hoa\xCC\xE1\xBB");
  EXPECT_EQ(CanonicalizeSyllable("\xFF" "thuỷ", ToneStyle::kTraditional), "\xFF" "thủy");
}

TEST(ToneTest, LeavesWordsWithTwoToneMarksAlone) {
  for (ToneStyle style : kStyles) {
    EXPECT_EQ(Canonical("hóà", style), "hóà");
    EXPECT_EQ(Canonical("ngừới", style), "ngừới");
  }
}

TEST(ToneTest, LeavesCombiningMarksAloneButSyllableHelperComposes) {
  // CanonicalizeTones expects NFC; a word with a combining mark is not one
  // it understands and is kept as is.
  std::string nfd = "hoa\u0300 thuy\u0309";
  EXPECT_EQ(CanonicalizeTones(ToneStyle::kTraditional, &nfd), 0u);
  EXPECT_EQ(nfd, "hoa\u0300 thuy\u0309");
  // CanonicalizeSyllable composes first.
  EXPECT_EQ(Canonical("hoa\u0300", ToneStyle::kTraditional), "hòa");
  EXPECT_EQ(Canonical("thuy\u0309", ToneStyle::kTraditional), "thủy");
  EXPECT_EQ(Canonical("ho\u0300a", ToneStyle::kModern), "hoà");
  EXPECT_EQ(Canonical("l\u01B0\u0323\u01A1ng", ToneStyle::kModern), "lượng");
  EXPECT_EQ(Canonical("ngh\u0069\u0323\u00EAm", ToneStyle::kTraditional), "nghiệm");
}

// --- The table -------------------------------------------------------------

struct ToneCase {
  int line = 0;
  std::string input;
  std::string traditional;
  std::string modern;
};

std::vector<ToneCase> LoadCases() {
  const std::string path = std::string(VNA_TEST_DATA_DIR) + "/tone_cases.tsv";
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  std::vector<ToneCase> cases;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (number == 1) {
      EXPECT_EQ(line, "input\ttraditional\tmodern") << path;
      continue;
    }
    if (line.empty()) continue;
    const std::vector<std::string> f = absl::StrSplit(line, '\t');
    EXPECT_EQ(f.size(), 3u) << path << ":" << number;
    if (f.size() != 3) continue;
    cases.push_back({number, f[0], f[1], f[2]});
  }
  return cases;
}

const std::vector<ToneCase>& Cases() {
  static const std::vector<ToneCase>* const cases = new std::vector<ToneCase>(LoadCases());
  return *cases;
}

TEST(ToneTableTest, HasEnoughDistinctCases) {
  std::set<std::string> inputs;
  for (const ToneCase& c : Cases()) {
    EXPECT_TRUE(inputs.insert(c.input).second) << "duplicate input at line " << c.line;
  }
  EXPECT_GE(Cases().size(), 300u);
}

TEST(ToneTableTest, ExpectedOutputsAreWellFormed) {
  // Guards the table itself: expectations differ from the input only in
  // where one tone sits.
  for (const ToneCase& c : Cases()) {
    SCOPED_TRACE(testing::Message() << "line " << c.line << ": " << c.input);
    EXPECT_EQ(Letters(c.traditional), Letters(c.input));
    EXPECT_EQ(Letters(c.modern), Letters(c.input));
    EXPECT_EQ(ToneMarks(c.traditional), ToneMarks(c.input));
    EXPECT_EQ(ToneMarks(c.modern), ToneMarks(c.input));
  }
}

TEST(ToneTableTest, PlacesTonesByStyle) {
  for (const ToneCase& c : Cases()) {
    SCOPED_TRACE(testing::Message() << "line " << c.line << ": " << c.input);
    EXPECT_EQ(Canonical(c.input, ToneStyle::kTraditional), c.traditional);
    EXPECT_EQ(Canonical(c.input, ToneStyle::kModern), c.modern);
  }
}

TEST(ToneTableTest, ReportsOneChangeExactlyWhenTheWordChanges) {
  for (const ToneCase& c : Cases()) {
    SCOPED_TRACE(testing::Message() << "line " << c.line << ": " << c.input);
    std::string t = c.input;
    EXPECT_EQ(CanonicalizeTones(ToneStyle::kTraditional, &t), c.input == c.traditional ? 0u : 1u);
    std::string m = c.input;
    EXPECT_EQ(CanonicalizeTones(ToneStyle::kModern, &m), c.input == c.modern ? 0u : 1u);
  }
}

TEST(ToneTableTest, IsIdempotentAndSwitchesStyles) {
  for (const ToneCase& c : Cases()) {
    SCOPED_TRACE(testing::Message() << "line " << c.line << ": " << c.input);
    for (ToneStyle style : kStyles) {
      const std::string once = Canonical(c.input, style);
      EXPECT_EQ(Canonical(once, style), once);
    }
    const std::string t = Canonical(c.input, ToneStyle::kTraditional);
    const std::string m = Canonical(c.input, ToneStyle::kModern);
    EXPECT_EQ(Canonical(t, ToneStyle::kModern), m);
    EXPECT_EQ(Canonical(m, ToneStyle::kTraditional), t);
  }
}

TEST(ToneTableTest, OnlyTheTonePositionChanges) {
  for (const ToneCase& c : Cases()) {
    SCOPED_TRACE(testing::Message() << "line " << c.line << ": " << c.input);
    for (ToneStyle style : kStyles) {
      const std::string out = Canonical(c.input, style);
      EXPECT_EQ(Letters(out), Letters(c.input));
      EXPECT_EQ(ToneMarks(out), ToneMarks(c.input));
    }
  }
}

TEST(ToneTableTest, CasesWorkInsideSentences) {
  // All cases joined into one text, so edits of both byte-length kinds are
  // interleaved and every later offset shifts.
  std::string text;
  std::string traditional;
  std::string modern;
  size_t changed_t = 0;
  size_t changed_m = 0;
  for (const ToneCase& c : Cases()) {
    text += c.input + ", ";
    traditional += c.traditional + ", ";
    modern += c.modern + ", ";
    changed_t += c.input != c.traditional;
    changed_m += c.input != c.modern;
  }
  std::string t = text;
  EXPECT_EQ(CanonicalizeTones(ToneStyle::kTraditional, &t), changed_t);
  EXPECT_EQ(t, traditional);
  std::string m = text;
  EXPECT_EQ(CanonicalizeTones(ToneStyle::kModern, &m), changed_m);
  EXPECT_EQ(m, modern);
}

TEST(ToneTest, HeaderExampleHolds) {
  std::string s = "Hoà bình, khoẻ mạnh, nghịêm túc; Facebook";
  EXPECT_EQ(CanonicalizeTones(ToneStyle::kTraditional, &s), 3u);
  EXPECT_EQ(s, "Hòa bình, khỏe mạnh, nghiệm túc; Facebook");
  EXPECT_EQ(CanonicalizeSyllable("thủy", ToneStyle::kModern), "thuỷ");
}

// --- Rules, named -----------------------------------------------------------

TEST(ToneTest, MovesToneMarkToSecondVowelInModernStyle) {
  EXPECT_EQ(Canonical("hóa", ToneStyle::kModern), "hoá");
  EXPECT_EQ(Canonical("khỏe", ToneStyle::kModern), "khoẻ");
  EXPECT_EQ(Canonical("thủy", ToneStyle::kModern), "thuỷ");
}

TEST(ToneTest, MovesToneMarkToFirstVowelInTraditionalStyle) {
  EXPECT_EQ(Canonical("hoá", ToneStyle::kTraditional), "hóa");
  EXPECT_EQ(Canonical("hoà", ToneStyle::kTraditional), "hòa");
  EXPECT_EQ(Canonical("khoẻ", ToneStyle::kTraditional), "khỏe");
  EXPECT_EQ(Canonical("thuỷ", ToneStyle::kTraditional), "thủy");
}

TEST(ToneTest, BothSpellingsGiveTheSameSearchTerm) {
  const std::pair<const char*, const char*> pairs[] = {
      {"hóa", "hoá"}, {"thủy", "thuỷ"}, {"khỏe", "khoẻ"}, {"lượng", "lựơng"},
      {"bảo", "baỏ"}, {"nghiệm", "nghịêm"}, {"Hòa", "Hoà"}, {"quá", "qúa"}};
  for (const auto& [a, b] : pairs) {
    for (ToneStyle style : kStyles) EXPECT_EQ(Canonical(a, style), Canonical(b, style)) << a;
  }
}

TEST(ToneTest, StyleOnlyMattersForOpenOaOeUy) {
  for (absl::string_view s : {"hoàng", "khoái", "khuỷu", "quý", "huỳnh", "thuế", "toán"}) {
    EXPECT_EQ(Canonical(s, ToneStyle::kTraditional), Canonical(s, ToneStyle::kModern)) << s;
    EXPECT_EQ(Canonical(s, ToneStyle::kModern), s);
  }
}

TEST(ToneTest, QuAndGiInitialsDoNotCarryTheTone) {
  EXPECT_EQ(Canonical("qủa", ToneStyle::kTraditional), "quả");
  EXPECT_EQ(Canonical("qúy", ToneStyle::kModern), "quý");
  EXPECT_EQ(Canonical("gìa", ToneStyle::kTraditional), "già");
  EXPECT_EQ(Canonical("gĩưa", ToneStyle::kTraditional), "giữa");
  // Without another vowel, the i of gi is the nucleus.
  EXPECT_EQ(Canonical("gìn", ToneStyle::kModern), "gìn");
  EXPECT_EQ(Canonical("gì", ToneStyle::kModern), "gì");
}

// --- Whole text --------------------------------------------------------------

TEST(ToneTest, CanonicalizesSentencesAndShiftsOffsets) {
  // "nghịêm" is one byte longer than "nghiệm" and "luỹ" one byte longer than
  // "lũy": later words must land at the right offsets.
  std::string s =
      "Nghịêm túc: luỹ tre làng, Hoà bình và khoẻ mạnh ở Thuỷ Nguyên; "
      "Facebook, COVID-19, Huawei, UBND TP. Hồ Chí Minh năm 2019 (x).";
  EXPECT_EQ(CanonicalizeTones(ToneStyle::kTraditional, &s), 5u);
  EXPECT_EQ(s,
            "Nghiệm túc: lũy tre làng, Hòa bình và khỏe mạnh ở Thủy Nguyên; "
            "Facebook, COVID-19, Huawei, UBND TP. Hồ Chí Minh năm 2019 (x).");
  EXPECT_EQ(CanonicalizeTones(ToneStyle::kModern, &s), 4u);
  EXPECT_EQ(s,
            "Nghiệm túc: luỹ tre làng, Hoà bình và khoẻ mạnh ở Thuỷ Nguyên; "
            "Facebook, COVID-19, Huawei, UBND TP. Hồ Chí Minh năm 2019 (x).");
}

TEST(ToneTest, WordBoundariesFollowTheTokenizer) {
  // Punctuation, curly quotes, dashes and NBSP end words; digits and foreign
  // letters are part of one (and make it non-Vietnamese).
  std::string s = "“hoà”—thuỷ\u00A0khoẻ…hoà2 hoàü \uFEFFĐẢNG-ỦY";
  EXPECT_EQ(CanonicalizeTones(ToneStyle::kTraditional, &s), 3u);
  EXPECT_EQ(s, "“hòa”—thủy\u00A0khỏe…hoà2 hoàü \uFEFFĐẢNG-ỦY");
}

TEST(ToneTest, LeavesForeignWordsByteForByte) {
  const std::string text =
      "Facebook Huawei COVID UBND HĐND TP 2019 x café Pelé Hermès José Raúl "
      "María déjà où Müller naïve iPhone H5N1 São Paulo";
  for (ToneStyle style : kStyles) {
    std::string s = text;
    EXPECT_EQ(CanonicalizeTones(style, &s), 0u);
    EXPECT_EQ(s, text);
  }
}

TEST(ToneTest, LongTextWithManyEditsMatchesWordByWord) {
  std::string text;
  std::string expected;
  for (int i = 0; i < 2000; ++i) {
    text += i % 3 == 0 ? "nghịêm " : i % 3 == 1 ? "hoá " : "luỹ, ";
    expected += i % 3 == 0 ? "nghiệm " : i % 3 == 1 ? "hóa " : "lũy, ";
  }
  EXPECT_EQ(CanonicalizeTones(ToneStyle::kTraditional, &text), 2000u);
  EXPECT_EQ(text, expected);
}

TEST(ToneTest, IsThreadSafe) {
  auto repeat = [](absl::string_view sentence) {
    std::string s;
    for (int k = 0; k < 200; ++k) s.append(sentence.data(), sentence.size());
    return s;
  };
  const std::string input = repeat("Hoà bình, khỏe mạnh, lựơng thuỷ. ");
  const std::string expected[] = {repeat("Hòa bình, khỏe mạnh, lượng thủy. "),
                                  repeat("Hoà bình, khoẻ mạnh, lượng thuỷ. ")};
  std::vector<std::string> results(8, input);
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([i, &results] {
      CanonicalizeTones(i % 2 ? ToneStyle::kModern : ToneStyle::kTraditional, &results[i]);
    });
  }
  for (std::thread& t : threads) t.join();
  for (int i = 0; i < 8; ++i) EXPECT_EQ(results[i], expected[i % 2]) << i;
}

// --- Every letter and tone, against ICU ---------------------------------------

// `plain` (NFC, no tone) with `tone` (a combining mark) after its code point
// number `at`, composed by ICU: an independent spelling of each toned letter.
std::string WithTone(absl::string_view plain, int at, char32_t tone, bool upper) {
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(plain.data(), plain.size()));
  if (upper) u.toUpper();
  u.insert(u.moveIndex32(0, at + 1), static_cast<UChar32>(tone));
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  const icu::UnicodeString c = nfc->normalize(u, status);
  EXPECT_TRUE(U_SUCCESS(status));
  std::string out;
  c.toUTF8String(out);
  return out;
}

TEST(ToneTest, EveryVowelAndToneAgreesWithIcu) {
  // Each template puts every vowel letter in the role of tone target and (if
  // it can ever lose the tone) tone source, so all 144 toned letters plus the
  // plain ones go through decoding and encoding. Indices are code points.
  struct Template {
    const char* plain;
    int traditional;
    int modern;
  };
  const Template templates[] = {
      {"hoa", 1, 2},    {"khoe", 2, 3},  {"thuy", 2, 3},  {"mai", 1, 1},  {"mia", 1, 1},
      {"hoăc", 2, 2},   {"tuân", 2, 2},  {"nghiêm", 4, 4}, {"tuôi", 2, 2}, {"lương", 2, 2},
      {"cưa", 1, 1},    {"hưu", 1, 1},   {"quy", 2, 2},   {"gia", 2, 2},  {"khuyu", 3, 3},
      {"yêu", 1, 1},    {"ơi", 0, 0},    {"đâu", 1, 1},   {"huê", 2, 2},  {"uyên", 2, 2}};
  const char32_t tones[] = {0x0301, 0x0300, 0x0309, 0x0303, 0x0323};
  int checked = 0;
  for (const Template& t : templates) {
    const icu::UnicodeString u = icu::UnicodeString::fromUTF8(t.plain);
    const int n = u.countChar32();
    for (bool upper : {false, true}) {
      for (char32_t tone : tones) {
        const std::string trad = WithTone(t.plain, t.traditional, tone, upper);
        const std::string modern = WithTone(t.plain, t.modern, tone, upper);
        for (int at = 0; at < n; ++at) {
          // Tones go on vowels only; a consonant is never a tone source.
          const UChar32 letter = u.char32At(u.moveIndex32(0, at));
          if (icu::UnicodeString(u"aăâeêioôơuưy").indexOf(letter) < 0) continue;
          const std::string input = WithTone(t.plain, at, tone, upper);
          ++checked;
          std::string s = input;
          CanonicalizeTones(ToneStyle::kTraditional, &s);
          EXPECT_EQ(s, trad) << input;
          s = input;
          CanonicalizeTones(ToneStyle::kModern, &s);
          EXPECT_EQ(s, modern) << input;
        }
      }
    }
  }
  EXPECT_EQ(checked, 440);  // 44 vowel positions x 5 tones x 2 cases
}

}  // namespace
}  // namespace normalize
}  // namespace vnarchive
