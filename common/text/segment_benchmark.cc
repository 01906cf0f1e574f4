// Throughput of the text kernels on generated Vietnamese prose (NFC): Fold
// and TokenizeSyllables run on every document at index time.
#include <string>

#include "benchmark/benchmark.h"
#include "common/text/nfc.h"
#include "common/text/segment.h"
#include "common/text/utf8.h"
#include "tests/testing/generated_text.h"

namespace vnarchive {
namespace text {
namespace {

const std::string& Corpus() {
  static const std::string* const corpus =
      new std::string(testutil::GenerateVietnameseProse(1 << 20));
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
