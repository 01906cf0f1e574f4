// Throughput of the text kernels on generated Vietnamese prose (NFC): Fold
// and TokenizeSyllables run on every document at index time.
#include <random>
#include <string>

#include "benchmark/benchmark.h"
#include "common/text/nfc.h"
#include "common/text/segment.h"
#include "common/text/utf8.h"

namespace vnarchive {
namespace text {
namespace {

// About `bytes` of syllables drawn from a fixed list, with the punctuation,
// numbers and codes of official text; deterministic.
std::string GenerateVietnamese(size_t bytes) {
  static const char* const kWords[] = {
      "Đảng", "ủy", "tỉnh", "Hậu", "Giang", "đã", "tổ", "chức", "hội", "nghị",
      "quán", "triệt", "Nghị", "quyết", "Trung", "ương", "khóa", "XII", "về",
      "công", "tác", "xây", "dựng", "chỉnh", "đốn", "Ban", "Thường", "vụ",
      "đồng", "chí", "Bí", "thư", "người", "dân", "phát", "triển", "kinh", "tế",
      "xã", "hội", "năm", "2019", "theo", "Quy", "định", "08-QĐi/TW", "của",
      "Bộ", "Chính", "trị", "ngày", "20/7/2019", "TP.", "Hà", "Nội", "việc",
      "thực", "hiện", "nhiệm", "vụ", "được", "giao", "những", "kết", "quả"};
  std::mt19937 rng(7);
  std::string out;
  out.reserve(bytes + 64);
  size_t in_sentence = 0;
  while (out.size() < bytes) {
    out += kWords[rng() % (sizeof(kWords) / sizeof(kWords[0]))];
    if (++in_sentence > 12 + rng() % 10) {
      out += rng() % 5 == 0 ? ".\n\n" : ". ";
      in_sentence = 0;
    } else {
      out += rng() % 9 == 0 ? ", " : " ";
    }
  }
  return out;
}

const std::string& Corpus() {
  static const std::string* const corpus = new std::string(GenerateVietnamese(1 << 20));
  return *corpus;
}

void BM_Fold(benchmark::State& state) {
  const std::string& text = Corpus();
  for (auto _ : state) benchmark::DoNotOptimize(Fold(text));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_Fold);

void BM_ToLower(benchmark::State& state) {
  const std::string& text = Corpus();
  for (auto _ : state) benchmark::DoNotOptimize(ToLower(text));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_ToLower);

void BM_TokenizeSyllables(benchmark::State& state) {
  const std::string& text = Corpus();
  for (auto _ : state) benchmark::DoNotOptimize(TokenizeSyllables(text));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_TokenizeSyllables);

void BM_ForEachTokenSpan(benchmark::State& state) {
  const std::string& text = Corpus();
  for (auto _ : state) {
    size_t n = 0;
    ForEachTokenSpan(text, [&n](size_t, size_t) { ++n; });
    benchmark::DoNotOptimize(n);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_ForEachTokenSpan);

void BM_ValidateUtf8(benchmark::State& state) {
  const std::string& text = Corpus();
  for (auto _ : state) benchmark::DoNotOptimize(ValidateUtf8(text));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_ValidateUtf8);

void BM_ToNfcAlreadyNfc(benchmark::State& state) {
  const std::string& text = Corpus();
  for (auto _ : state) benchmark::DoNotOptimize(ToNfc(text));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_ToNfcAlreadyNfc);

}  // namespace
}  // namespace text
}  // namespace vnarchive

BENCHMARK_MAIN();
