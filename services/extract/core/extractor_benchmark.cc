// Throughput of DOC_REF + DATE extraction on generated Vietnamese prose with
// a realistic density of codes and dates.
#include <random>
#include <string>

#include "benchmark/benchmark.h"
#include "services/extract/core/extractor.h"

namespace vnarchive {
namespace extract {
namespace {

std::string GenerateText(size_t bytes) {
  static const char* const kWords[] = {
      "Đảng", "ủy", "tỉnh", "Hậu", "Giang", "đã", "tổ", "chức", "hội", "nghị", "quán",
      "triệt", "Nghị", "quyết", "Trung", "ương", "khóa", "XII", "về", "công", "tác",
      "xây", "dựng", "Ban", "Thường", "vụ", "đồng", "chí", "năm", "2019", "theo", "Quy",
      "định", "08-QĐi/TW", "của", "Bộ", "Chính", "trị", "ngày", "20/7/2019", "TP.", "Hà",
      "Nội", "số", "157/2007/NĐ-CP", "12", "tháng", "3", "33.680", "tỷ", "đồng", "15:25"};
  std::mt19937 rng(11);
  std::string out;
  while (out.size() < bytes) {
    out += kWords[rng() % (sizeof(kWords) / sizeof(kWords[0]))];
    out += rng() % 15 == 0 ? ". " : " ";
  }
  return out;
}

void BM_Extract(benchmark::State& state) {
  static const std::string* const text = new std::string(GenerateText(1 << 20));
  const Extractor extractor;
  for (auto _ : state) benchmark::DoNotOptimize(extractor.Extract(*text));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text->size()));
}
BENCHMARK(BM_Extract);

}  // namespace
}  // namespace extract
}  // namespace vnarchive

BENCHMARK_MAIN();
