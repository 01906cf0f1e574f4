// Throughput of the gazetteer matcher on generated Vietnamese prose with a
// realistic density of places, titles, organisations and names: the matcher
// alone over pre-tokenised text, tokenising included, and every overlapping
// match. Bytes are those of the text.
#include <random>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "common/text/segment.h"
#include "services/extract/core/gazetteer.h"

namespace vnarchive {
namespace extract {
namespace {

std::string GenerateText(size_t bytes) {
  // Mostly ordinary words (which miss at the first hash lookup), with
  // gazetteer phrases, near misses ("hòa bình", "cán bộ") and bare spellings.
  static const char* const kWords[] = {
      "Đồng", "chí", "Lê", "Thị", "Thu", "Hằng", "Phó", "Bí", "thư", "Thường", "trực",
      "Tỉnh", "ủy", "Hậu", "Giang", "đã", "tổ", "chức", "hội", "nghị", "quán", "triệt",
      "Nghị", "quyết", "Trung", "ương", "4", "khóa", "XII", "về", "công", "tác", "xây",
      "dựng", "Ban", "Thường", "vụ", "năm", "2019", "theo", "Quy", "định", "08-QĐi/TW",
      "của", "Bộ", "Chính", "trị", "TP.", "Hồ", "Chí", "Minh", "Hà", "Nội", "UBND",
      "tỉnh", "Sóc", "Trăng", "cán", "bộ", "đảng", "viên", "hòa", "bình", "Ha", "Noi",
      "Chủ", "tịch", "Ủy", "ban", "nhân", "dân", "huyện", "Phụng", "Hiệp", "Nguyễn",
      "Văn", "An", "phát", "triển", "kinh", "tế", "xã", "hội", "Sở", "Y", "tế"};
  std::mt19937 rng(7);
  std::string out;
  while (out.size() < bytes) {
    out += kWords[rng() % (sizeof(kWords) / sizeof(kWords[0]))];
    out += rng() % 15 == 0 ? ". " : " ";
  }
  return out;
}

const std::string& Text() {
  static const std::string* const text = new std::string(GenerateText(1 << 20));
  return *text;
}

void BM_FindAllPretokenised(benchmark::State& state) {
  const std::shared_ptr<const Gazetteer> gaz = Gazetteer::Default();
  const std::vector<text::Token> tokens = text::TokenizeSyllables(Text());
  size_t matches = 0;
  for (auto _ : state) {
    const std::vector<GazetteerMatch> m = gaz->FindAll(Text(), tokens);
    matches = m.size();
    benchmark::DoNotOptimize(m.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * Text().size()));
  state.counters["tokens"] = static_cast<double>(tokens.size());
  state.counters["matches"] = static_cast<double>(matches);
}
BENCHMARK(BM_FindAllPretokenised);

void BM_TokenizeAndFindAll(benchmark::State& state) {
  const std::shared_ptr<const Gazetteer> gaz = Gazetteer::Default();
  for (auto _ : state) {
    const std::vector<text::Token> tokens = text::TokenizeSyllables(Text());
    benchmark::DoNotOptimize(gaz->FindAll(Text(), tokens));
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * Text().size()));
}
BENCHMARK(BM_TokenizeAndFindAll);

void BM_FindAllOverlapping(benchmark::State& state) {
  const std::shared_ptr<const Gazetteer> gaz = Gazetteer::Default();
  const std::vector<text::Token> tokens = text::TokenizeSyllables(Text());
  for (auto _ : state) benchmark::DoNotOptimize(gaz->FindAllOverlapping(Text(), tokens));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * Text().size()));
}
BENCHMARK(BM_FindAllOverlapping);

// Building the gazetteer from the embedded files (once per process in use).
void BM_Create(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(Gazetteer::Create(Gazetteer::BuiltinSources()));
}
BENCHMARK(BM_Create)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace extract
}  // namespace vnarchive

BENCHMARK_MAIN();
