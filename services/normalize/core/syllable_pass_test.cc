// The fused pass must give exactly what its two definitions give one after
// the other: CanonicalizeTones (tone.h), then the search tokenizer's
// text::internal::TokenizeWithForms (segment.h).
#include "services/normalize/core/syllable_pass.h"

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "common/text/segment.h"
#include "gtest/gtest.h"
#include "tests/testing/generated_text.h"

namespace vnarchive {
namespace normalize {
namespace {

struct Reference {
  std::string text;
  size_t moved = 0;
  std::vector<std::string> tokens, lower, folded;
};

Reference ReferenceOf(absl::string_view input, ToneStyle style) {
  Reference r;
  r.text = std::string(input);
  r.moved = CanonicalizeTones(style, &r.text);
  std::string forms;
  std::vector<text::internal::TokenWithForms> tokens;
  text::internal::TokenizeWithForms(r.text, &forms, &tokens);
  for (const auto& t : tokens) {
    r.tokens.push_back(r.text.substr(t.begin, t.end - t.begin));
    r.lower.push_back(forms.substr(t.lower_begin, t.lower_end - t.lower_begin));
    r.folded.push_back(forms.substr(t.folded_begin, t.folded_end - t.folded_begin));
  }
  return r;
}

// Runs the pass over `input` appended after `prefix` (so offsets that do not
// start at 0 are exercised too) and checks it against ReferenceOf.
void ExpectSameAsReference(absl::string_view input, ToneStyle style,
                           absl::string_view prefix = "") {
  const Reference expected = ReferenceOf(input, style);
  std::string text = std::string(prefix) + std::string(input);
  std::string forms = "existing forms";
  std::vector<NormalizedToken> tokens(1);  // one token already there
  const size_t forms_before = forms.size();
  SyllablePassOptions options;
  options.tone_style = style;
  const size_t moved = RunSyllablePass(options, prefix.size(), {&text, &forms, &tokens});
  ASSERT_EQ(text.substr(prefix.size()), expected.text) << "input: " << input;
  EXPECT_EQ(moved, expected.moved) << "input: " << input;
  EXPECT_EQ(forms.substr(0, forms_before), "existing forms");
  ASSERT_EQ(tokens.size(), expected.tokens.size() + 1) << "input: " << input;
  for (size_t i = 0; i < expected.tokens.size(); ++i) {
    const NormalizedToken& t = tokens[i + 1];
    ASSERT_GE(t.begin, prefix.size());
    EXPECT_EQ(text.substr(t.begin, t.end - t.begin), expected.tokens[i]) << "token " << i;
    EXPECT_EQ(forms.substr(t.lower_begin, t.lower_end - t.lower_begin), expected.lower[i])
        << "token " << i << " of " << input;
    EXPECT_EQ(forms.substr(t.folded_begin, t.folded_end - t.folded_begin), expected.folded[i])
        << "token " << i << " of " << input;
  }
}

TEST(SyllablePassTest, ExampleFromHeader) {
  std::string text = "Hoà bình";
  std::string forms;
  std::vector<NormalizedToken> tokens;
  EXPECT_EQ(RunSyllablePass({}, 0, {&text, &forms, &tokens}), 1u);
  EXPECT_EQ(text, "Hòa bình");
  ASSERT_EQ(tokens.size(), 2u);
  EXPECT_EQ(forms.substr(tokens[0].lower_begin, tokens[0].lower_end - tokens[0].lower_begin),
            "hòa");
  EXPECT_EQ(forms.substr(tokens[1].folded_begin, tokens[1].folded_end - tokens[1].folded_begin),
            "binh");
}

TEST(SyllablePassTest, EveryToneTableCaseInBothStyles) {
  std::ifstream in(std::string(VNA_TEST_DATA_DIR) + "/tone_cases.tsv");
  ASSERT_TRUE(in) << "tone_cases.tsv not found";
  std::string line;
  std::getline(in, line);  // header
  int cases = 0;
  while (std::getline(in, line)) {
    const std::vector<std::string> fields = absl::StrSplit(line, '\t');
    ASSERT_GE(fields.size(), 1u);
    for (ToneStyle style : {ToneStyle::kTraditional, ToneStyle::kModern}) {
      ExpectSameAsReference(fields[0], style);
      // In a sentence, after a prefix, and next to ASCII words of every length.
      ExpectSameAsReference("Ông " + fields[0] + ", cho trong năm 2019.", style, "xx\n\n");
    }
    ++cases;
  }
  EXPECT_GE(cases, 300);
}

TEST(SyllablePassTest, MixedProseWithWrongTones) {
  for (ToneStyle style : {ToneStyle::kTraditional, ToneStyle::kModern}) {
    ExpectSameAsReference(testutil::GenerateVietnameseProse(64 << 10, /*variants=*/true), style);
  }
}

TEST(SyllablePassTest, ToneMovesThatChangeTheLength) {
  // "nghịêm" -> "nghiệm" is a byte shorter; the pass rewrites the paragraph
  // the general way and the tokens still point at the right bytes.
  ExpectSameAsReference("Nghịêm túc, ngừơi dân và NGHỊÊM khắc; hoà bình", ToneStyle::kTraditional,
                        "prefix ");
}

TEST(SyllablePassTest, WordsOutsideTheTableAndEdgeLengths) {
  for (const char* input :
       {"", " ", "a", "Đ", "ệ", "abcdefgh", "abcdefghi", "ABCDEFG.", "x1y2z3w4v5",
        "Müller, Ελλάδα, Москва, 北京市 và 😀 emoji", "COVID-19 “quote” • ‰ 10€",
        "u\xCC\x81"  /* u + combining acute: a mark outside the table */,
        "ThS.BS Nguyễn Văn A, TP.HCM; CB,CC,VC"}) {
    for (ToneStyle style : {ToneStyle::kTraditional, ToneStyle::kModern}) {
      ExpectSameAsReference(input, style, "p ");
    }
  }
}

// Syllables met before come from the pass's cache of recent tokens: a
// second pass over the same text, in the other style, or with tones off and
// on again, must still give exactly the reference (the cache keys on the
// options, and never holds a token whose tone moved).
TEST(SyllablePassTest, SyllablesSeenBeforeGiveTheSameResult) {
  const std::string prose = testutil::GenerateVietnameseProse(16 << 10, /*variants=*/true);
  const std::string styles = "hoà hòa Hoà HOÀ thuỷ thủy khoẻ khỏe uỷ ủy quý qúy giữ gịư";
  for (int round = 0; round < 2; ++round) {
    for (ToneStyle style : {ToneStyle::kTraditional, ToneStyle::kModern}) {
      ExpectSameAsReference(prose, style);
      ExpectSameAsReference(styles, style, "p ");
      ExpectSameAsReference(styles + " " + styles, style);
    }
  }
  // Tokens only (tones stay where typed), then the default again.
  std::string text = styles;
  std::string forms;
  std::vector<NormalizedToken> tokens;
  SyllablePassOptions tokens_only;
  tokens_only.canonicalize_tones = false;
  EXPECT_EQ(RunSyllablePass(tokens_only, 0, {&text, &forms, &tokens}), 0u);
  EXPECT_EQ(text, styles);
  ExpectSameAsReference(styles, ToneStyle::kTraditional);
  // Spans that look like a token up to the next ASCII separator but hold a
  // non-ASCII one ("a»b"), before and after the token alone was seen.
  for (const char* input : {"a b a»b a b", "đảng«ủy đảng ủy đảng«ủy", "x\xC2\xA0y x y"}) {
    ExpectSameAsReference(input, ToneStyle::kTraditional);
    ExpectSameAsReference(input, ToneStyle::kTraditional);
  }
}

TEST(SyllablePassTest, TonesOnlyAndTokensOnly) {
  const std::string input = "Hoà bình và khoẻ mạnh";
  std::string text = input;
  std::string forms;
  std::vector<NormalizedToken> tokens;
  SyllablePassOptions tones_only;
  tones_only.tokenize = false;
  EXPECT_EQ(RunSyllablePass(tones_only, 0, {&text, &forms, &tokens}), 2u);
  EXPECT_EQ(text, "Hòa bình và khỏe mạnh");
  EXPECT_TRUE(tokens.empty());
  EXPECT_TRUE(forms.empty());

  text = input;
  SyllablePassOptions tokens_only;
  tokens_only.canonicalize_tones = false;
  EXPECT_EQ(RunSyllablePass(tokens_only, 0, {&text, &forms, &tokens}), 0u);
  EXPECT_EQ(text, input);
  EXPECT_EQ(tokens.size(), 5u);
}

TEST(SyllablePassTest, AbbreviationCandidatesAreTokenStarts) {
  std::string text = "UBND tỉnh và Thành ủy, TP.HCM";
  std::string forms;
  std::vector<NormalizedToken> tokens;
  std::vector<uint32_t> candidates;
  SyllablePassOptions options;
  options.abbreviation_prefixes = &AbbreviationPrefixes::Get();
  RunSyllablePass(options, 0, {&text, &forms, &tokens, &candidates});
  std::vector<std::string> starts;
  for (uint32_t i : candidates) starts.push_back(text.substr(tokens[i].begin, 2));
  // "Th" may begin "ThS"; "TP" begins "TP.HCM"; "HC" begins nothing.
  EXPECT_EQ(starts, (std::vector<std::string>{"UB", "Th", "TP"}));
}

}  // namespace
}  // namespace normalize
}  // namespace vnarchive
