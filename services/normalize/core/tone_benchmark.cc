// Throughput of CanonicalizeTones on generated Vietnamese prose (NFC, ~1 MiB):
// it runs on every document, and nearly all syllables need no change, so the
// scan is what matters.
//
//   BM_CanonicalText: text already in the target style: scan only.
//   BM_MixedStyles/0|1: both spellings and some mistyped tones (about one
//     word in twenty-five changes), traditional (0) or modern (1) target; the
//     input is restored each iteration (a memcpy, included in the time).
#include <string>

#include "benchmark/benchmark.h"
#include "services/normalize/core/tone.h"
#include "tests/testing/generated_text.h"

namespace vnarchive {
namespace normalize {
namespace {

void BM_CanonicalText(benchmark::State& state) {
  std::string text = testutil::GenerateVietnameseProse(1 << 20, /*variants=*/false);
  CanonicalizeTones(ToneStyle::kTraditional, &text);
  size_t changed = 0;
  for (auto _ : state) {
    changed += CanonicalizeTones(ToneStyle::kTraditional, &text);
    benchmark::DoNotOptimize(text.data());
  }
  if (changed != 0) state.SkipWithError("canonical text changed");
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_CanonicalText);

void BM_MixedStyles(benchmark::State& state) {
  const ToneStyle style = state.range(0) == 0 ? ToneStyle::kTraditional : ToneStyle::kModern;
  const std::string input = testutil::GenerateVietnameseProse(1 << 20, /*variants=*/true);
  std::string text;
  text.reserve(input.size() + 4096);
  size_t changed = 0;
  for (auto _ : state) {
    text.assign(input);
    changed = CanonicalizeTones(style, &text);
    benchmark::DoNotOptimize(text.data());
  }
  state.counters["changed"] = static_cast<double>(changed);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * input.size()));
}
BENCHMARK(BM_MixedStyles)->Arg(0)->Arg(1);

void BM_CanonicalizeSyllable(benchmark::State& state) {
  const char* const words[] = {"hoà", "thuỷ", "lựơng", "người", "Facebook", "quốc"};
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(CanonicalizeSyllable(words[i++ % 6], ToneStyle::kTraditional));
  }
}
BENCHMARK(BM_CanonicalizeSyllable);

}  // namespace
}  // namespace normalize
}  // namespace vnarchive

BENCHMARK_MAIN();
