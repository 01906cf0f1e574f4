// Throughput of entity extraction: everything, and the byte scanner alone
// (DOC_REF + DATE) for comparison. Bytes are those of the normalised text.
//
//   build/services/extract/core/vna_extract_benchmark [--corpus FILE] [benchmark flags]
//
// FILE is plain UTF-8 text (e.g. the politics articles of the VNTC corpus,
// one after another; see docs/benchmarks.md). It is cut into ~4 KB documents
// and normalised first, as the pipeline does. Without it the benchmark says
// so and uses generated prose (tests/testing/generated_text.h: party and
// local-government news with codes, dates, places, titles and organisations).
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "services/extract/core/extractor.h"
#include "services/normalize/core/normalizer.h"
#include "tests/testing/benchmark_corpus.h"
#include "tests/testing/generated_text.h"

namespace vnarchive {
namespace extract {
namespace {

std::vector<std::string>* g_documents = nullptr;
size_t g_bytes = 0;

void LoadDocuments(const char* path) {
  const std::string text = testutil::ReadCorpus(
      path, [] { return testutil::GenerateVietnameseProse(1 << 20, /*variants=*/true); });
  g_documents = new std::vector<std::string>;
  const normalize::Normalizer normalizer;
  for (const std::string& piece : testutil::SplitIntoDocuments(text)) {
    absl::StatusOr<normalize::NormalizedText> n = normalizer.Normalize(piece);
    if (!n.ok()) continue;
    g_bytes += n->text.size();
    g_documents->push_back(std::move(n->text));
  }
}

void Run(benchmark::State& state, const Extractor& extractor) {
  size_t entities = 0;
  for (auto _ : state) {
    entities = 0;
    for (const std::string& document : *g_documents) {
      const absl::StatusOr<ExtractResult> r = extractor.Extract(document);
      if (!r.ok()) state.SkipWithError("extract failed");
      entities += r->entities.size();
      benchmark::DoNotOptimize(r);
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * g_bytes));
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

int main(int argc, char** argv) {
  vnarchive::extract::LoadDocuments(vnarchive::testutil::TakeCorpusFlag(&argc, argv));
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
