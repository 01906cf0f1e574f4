// Sentence boundaries on tests/data/sentence_cases.tsv: one paragraph per
// line, then the sentences it must be split into.
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "services/normalize/core/normalizer.h"

namespace vnarchive {
namespace normalize {
namespace {

struct Case {
  int line = 0;
  std::string input;
  std::vector<std::string> sentences;
};

std::vector<Case> LoadCases() {
  std::ifstream in(std::string(VNA_TEST_DATA_DIR) + "/sentence_cases.tsv");
  EXPECT_TRUE(in.good()) << "cannot open sentence_cases.tsv under " << VNA_TEST_DATA_DIR;
  std::vector<Case> cases;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> columns = absl::StrSplit(line, '\t');
    Case c;
    c.line = number;
    c.input = columns[0];
    c.sentences.assign(columns.begin() + 1, columns.end());
    cases.push_back(std::move(c));
  }
  return cases;
}

TEST(SentenceTableTest, SplitsEveryCaseAsWritten) {
  const std::vector<Case> cases = LoadCases();
  ASSERT_GE(cases.size(), 50u);
  const Normalizer normalizer;
  for (const Case& c : cases) {
    absl::StatusOr<NormalizedText> result = normalizer.Normalize(c.input);
    ASSERT_TRUE(result.ok()) << "line " << c.line << ": " << result.status();
    std::vector<std::string> got;
    for (const Span& s : result->sentences) got.push_back(result->text.substr(s.begin, s.end - s.begin));
    EXPECT_EQ(got, c.sentences) << "sentence_cases.tsv line " << c.line;
  }
}

}  // namespace
}  // namespace normalize
}  // namespace vnarchive
