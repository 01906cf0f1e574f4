// What ingest's pure logic costs per document: Ingestor::Accept (decode,
// boilerplate, metadata) and FingerprintText (the duplicate index's view),
// over article-sized pieces of a corpus (--corpus FILE, else generated text).
//
//   vna_ingest_benchmark --corpus politics.txt --benchmark_repetitions=3
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "services/ingest/core/ingestor.h"
#include "services/ingest/core/near_duplicate.h"
#include "tests/testing/benchmark_corpus.h"
#include "tests/testing/generated_text.h"

namespace vnarchive {
namespace ingest {
namespace {

const std::vector<std::string>* documents = nullptr;

void SetBytes(benchmark::State& state) {
  size_t bytes = 0;
  for (const std::string& d : *documents) bytes += d.size();
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * documents->size()));
}

void BM_Accept(benchmark::State& state) {
  const Ingestor ingestor({});
  for (auto _ : state) {
    for (const std::string& text : *documents) {
      IncomingDocument doc;
      doc.text = text;
      benchmark::DoNotOptimize(ingestor.Accept(doc));
    }
  }
  SetBytes(state);
}
BENCHMARK(BM_Accept)->Unit(benchmark::kMillisecond);

void BM_FingerprintText(benchmark::State& state) {
  for (auto _ : state) {
    for (const std::string& text : *documents) benchmark::DoNotOptimize(FingerprintText(text));
  }
  SetBytes(state);
}
BENCHMARK(BM_FingerprintText)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace ingest
}  // namespace vnarchive

int main(int argc, char** argv) {
  const char* corpus = vnarchive::testutil::TakeCorpusFlag(&argc, argv);
  const std::string text = vnarchive::testutil::ReadCorpus(
      corpus, [] { return vnarchive::testutil::GenerateVietnameseProse(4 << 20); });
  std::vector<std::string> pieces = vnarchive::testutil::SplitIntoDocuments(text, 3000);
  if (pieces.size() > 2000) pieces.resize(2000);  // ~6 MB: enough for stable figures
  vnarchive::ingest::documents = &pieces;
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  return 0;
}
