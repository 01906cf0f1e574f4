// The --corpus FILE option shared by the text benchmarks: the text they run
// over (a real corpus file when given, otherwise a fallback they generate,
// saying so), cut into documents of realistic size. Header-only.
//
//   int main(int argc, char** argv) {
//     const char* corpus = vnarchive::testutil::TakeCorpusFlag(&argc, argv);
//     std::string text = vnarchive::testutil::ReadCorpus(corpus, [] { return Generate(); });
//     std::vector<std::string> docs = vnarchive::testutil::SplitIntoDocuments(text);
//     benchmark::Initialize(&argc, argv); ...
//   }
#ifndef VNARCHIVE_TESTS_TESTING_BENCHMARK_CORPUS_H_
#define VNARCHIVE_TESTS_TESTING_BENCHMARK_CORPUS_H_

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace vnarchive {
namespace testutil {

// Removes "--corpus FILE" from argv (so Google Benchmark does not see it)
// and returns FILE, or nullptr when absent.
inline const char* TakeCorpusFlag(int* argc, char** argv) {
  const char* corpus = nullptr;
  int kept = 0;
  for (int i = 0; i < *argc; ++i) {
    if (std::strcmp(argv[i], "--corpus") == 0 && i + 1 < *argc) {
      corpus = argv[++i];
    } else {
      argv[kept++] = argv[i];
    }
  }
  *argc = kept;
  return corpus;
}

// The contents of `path`, or, when it is null or empty, what `fallback`
// returns; says on stderr which it used.
template <typename Fallback>
std::string ReadCorpus(const char* path, Fallback fallback) {
  std::string text;
  if (path != nullptr) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    text = content.str();
    std::fprintf(stderr, "corpus: %s (%zu bytes)\n", path, text.size());
  }
  if (text.empty()) {
    std::fprintf(stderr, "corpus: none given (--corpus FILE); using generated text\n");
    text = fallback();
  }
  return text;
}

// Cuts `text` at line ends into pieces of about `bytes` (a news article's
// size), so per-document costs are measured as the services pay them.
inline std::vector<std::string> SplitIntoDocuments(const std::string& text,
                                                   size_t bytes = 4096) {
  std::vector<std::string> documents;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', std::min(text.size(), start + bytes));
    end = end == std::string::npos ? text.size() : end + 1;
    documents.push_back(text.substr(start, end - start));
    start = end;
  }
  return documents;
}

}  // namespace testutil
}  // namespace vnarchive

#endif  // VNARCHIVE_TESTS_TESTING_BENCHMARK_CORPUS_H_
