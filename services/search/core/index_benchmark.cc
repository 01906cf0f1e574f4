// Benchmarks for the search index: indexing throughput (MB/s of text through
// Upsert, Vietnamese tokenizer included) and query latency for a broad term
// (in nearly every document: ranking visits every match) and a narrow one,
// with and without filters (a person in ~50 documents, a place in ~1,000, a
// year) and facets (counted over every match).
//
//   build-search/services/search/core/vna_search_benchmark --benchmark_min_time=1
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "services/search/core/index.h"

namespace vnarchive {
namespace search {
namespace {

// Common syllables of official Vietnamese text; the first ones are drawn most
// often (roughly Zipf), so "của" is broad and the rare marker is narrow.
const char* const kSyllables[] = {
    "của", "và", "các", "đảng", "ủy", "nhân", "dân", "tỉnh", "huyện", "xã",
    "công", "tác", "cán", "bộ", "đồng", "chí", "bí", "thư", "hội", "nghị",
    "ban", "chấp", "hành", "trung", "ương", "chỉ", "thị", "quyết", "định", "triển",
    "khai", "thực", "hiện", "phát", "triển", "kinh", "tế", "xây", "dựng", "chính",
    "quyền", "địa", "phương", "năm", "tháng", "kiểm", "tra", "giám", "sát", "tổ",
    "chức", "đoàn", "thể", "mặt", "trận", "tổ", "quốc", "việt", "nam", "hà",
    "nội", "hậu", "giang", "thành", "phố", "nhiệm", "vụ", "giải", "pháp", "lãnh",
    "đạo", "học", "tập", "làm", "theo", "tư", "tưởng", "đạo", "đức", "phong",
    "cách", "hồ", "chí", "minh", "tham", "nhũng", "lãng", "phí", "tiêu", "cực"};
constexpr char kRareWord[] = "quýt";  // in about 1 document of 500

std::vector<StoredDocument> MakeDocuments(int count, int syllables_per_doc) {
  std::mt19937 rng(42);
  const int vocabulary = static_cast<int>(sizeof(kSyllables) / sizeof(kSyllables[0]));
  std::vector<double> weights;
  for (int i = 0; i < vocabulary; ++i) weights.push_back(1.0 / (i + 1));
  std::discrete_distribution<int> pick(weights.begin(), weights.end());
  std::vector<StoredDocument> docs;
  docs.reserve(count);
  for (int d = 0; d < count; ++d) {
    StoredDocument doc;
    doc.doc_id = "doc-" + std::to_string(d);
    doc.name = doc.doc_id + ".txt";
    doc.source = "bench";
    for (int i = 0; i < 8; ++i) {
      if (i > 0) doc.title += ' ';
      doc.title += kSyllables[pick(rng)];
    }
    std::string& text = doc.text;
    text.reserve(static_cast<size_t>(syllables_per_doc) * 6);
    for (int i = 0; i < syllables_per_doc; ++i) {
      if (i > 0) text += (i % 17 == 0) ? ". " : " ";
      text += kSyllables[pick(rng)];
    }
    if (d % 500 == 0) text += std::string(" ") + kRareWord;
    // Spans are empty: the filters and facets read only type and canonical.
    doc.entities.push_back({"PERSON", "", 0, 0, "Người " + std::to_string(d % 200), {}});
    doc.entities.push_back({"LOC", "", 0, 0, "Nơi " + std::to_string(d % 10), {}});
    doc.published_at_unix = 1420070400 + static_cast<int64_t>(d) * 15000;  // 2015..2019
    docs.push_back(std::move(doc));
  }
  return docs;
}

std::unique_ptr<SearchIndex> OpenOrDie() {
  IndexOptions options;
  options.path = ":memory:";
  auto index = SearchIndex::Open(options);
  if (!index.ok()) std::abort();
  return std::move(index).value();
}

void BM_Upsert(benchmark::State& state) {
  const int count = static_cast<int>(state.range(0));
  const std::vector<StoredDocument> docs = MakeDocuments(count, 400);
  int64_t bytes = 0;
  for (const StoredDocument& doc : docs) bytes += doc.text.size() + doc.title.size();
  constexpr size_t kBatch = 256;
  for (auto _ : state) {
    state.PauseTiming();
    std::unique_ptr<SearchIndex> index = OpenOrDie();
    state.ResumeTiming();
    for (size_t i = 0; i < docs.size(); i += kBatch) {
      std::vector<StoredDocument> batch(
          docs.begin() + static_cast<std::ptrdiff_t>(i),
          docs.begin() + static_cast<std::ptrdiff_t>(std::min(docs.size(), i + kBatch)));
      if (!index->Upsert(batch).ok()) std::abort();
    }
    state.PauseTiming();
    index.reset();
    state.ResumeTiming();
  }
  state.SetBytesProcessed(state.iterations() * bytes);
  state.SetItemsProcessed(state.iterations() * count);
}
BENCHMARK(BM_Upsert)->Arg(2000)->Unit(benchmark::kMillisecond);

// One shared index of 10,000 documents (~2.5 KB each) for the query benchmarks.
SearchIndex* QueryIndex() {
  static SearchIndex* index = [] {
    std::unique_ptr<SearchIndex> owned = OpenOrDie();
    if (!owned->Upsert(MakeDocuments(10000, 400)).ok()) std::abort();
    return owned.release();
  }();
  return index;
}

void RunQuery(benchmark::State& state, const std::string& text,
              std::vector<std::string> facets = {}) {
  SearchIndex* index = QueryIndex();
  SearchQuery query;
  query.query = text;
  query.facets = std::move(facets);
  int64_t total = 0;
  for (auto _ : state) {
    auto result = index->Search(query);
    if (!result.ok()) std::abort();
    total = result->total;
    benchmark::DoNotOptimize(result);
  }
  state.counters["matches"] = static_cast<double>(total);
}

void BM_QueryBroadFolded(benchmark::State& state) { RunQuery(state, "cua"); }
void BM_QueryBroadExact(benchmark::State& state) { RunQuery(state, "của"); }
void BM_QueryNarrow(benchmark::State& state) { RunQuery(state, "quyt"); }
void BM_QueryPhrase(benchmark::State& state) { RunQuery(state, "\"đảng ủy\""); }
BENCHMARK(BM_QueryBroadFolded)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_QueryBroadExact)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_QueryNarrow)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_QueryPhrase)->Unit(benchmark::kMillisecond);

void BM_QueryBroadPerson(benchmark::State& state) {
  RunQuery(state, "cua person:\"Người 7\"");
}
void BM_QueryBroadPlace(benchmark::State& state) { RunQuery(state, "cua loc:\"Nơi 3\""); }
void BM_FilterPerson(benchmark::State& state) { RunQuery(state, "person:\"Người 7\""); }
void BM_FilterYear(benchmark::State& state) { RunQuery(state, "date:2017"); }
void BM_QueryNarrowFacets(benchmark::State& state) {
  RunQuery(state, "quyt", {"person", "loc", "year"});
}
void BM_QueryBroadFacets(benchmark::State& state) {
  RunQuery(state, "cua", {"person", "loc", "year"});
}
BENCHMARK(BM_QueryBroadPerson)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_QueryBroadPlace)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FilterPerson)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_FilterYear)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_QueryNarrowFacets)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_QueryBroadFacets)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace search
}  // namespace vnarchive

BENCHMARK_MAIN();
