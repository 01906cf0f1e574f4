// Throughput of entity extraction on generated Vietnamese prose
// (tests/testing/generated_text.h: party and local-government news with
// codes, dates, places, titles and organisations): everything, and the byte
// scanner alone (DOC_REF + DATE) for comparison. Bytes are those of the text.
#include <string>

#include "benchmark/benchmark.h"
#include "services/extract/core/extractor.h"
#include "tests/testing/generated_text.h"

namespace vnarchive {
namespace extract {
namespace {

const std::string& Text() {
  static const std::string* const text =
      new std::string(testutil::GenerateVietnameseProse(1 << 20, /*variants=*/true));
  return *text;
}

void Run(benchmark::State& state, const Extractor& extractor) {
  size_t entities = 0;
  for (auto _ : state) {
    const absl::StatusOr<ExtractResult> r = extractor.Extract(Text());
    entities = r->entities.size();
    benchmark::DoNotOptimize(r);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * Text().size()));
  state.counters["entities"] = static_cast<double>(entities);
}

void BM_ExtractAll(benchmark::State& state) { Run(state, Extractor()); }
BENCHMARK(BM_ExtractAll)->Unit(benchmark::kMillisecond);

void BM_ExtractCodesAndDates(benchmark::State& state) {
  ExtractorOptions options;
  options.persons = options.orgs = options.locs = options.roles = false;
  Run(state, Extractor(options));
}
BENCHMARK(BM_ExtractCodesAndDates)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace extract
}  // namespace vnarchive

BENCHMARK_MAIN();
