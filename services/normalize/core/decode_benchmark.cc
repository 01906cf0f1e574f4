// Throughput of Decode: the UTF-8 fast path (validation, mojibake check, NFC
// quick check) and a legacy 8-bit encoding, forced and auto-detected.
#include <string>

#include "benchmark/benchmark.h"
#include "services/normalize/core/decode.h"

namespace vnarchive {
namespace normalize {
namespace {

// About 64 KiB of Vietnamese prose with no upper-case toned letter (TCVN3).
std::string Corpus() {
  const std::string paragraph =
      "Sáng nay, đoàn công tác của tỉnh đã làm việc với các cơ quan lưu trữ về việc "
      "số hóa những tài liệu cũ. Nhiều văn bản được soạn thảo từ những năm chín mươi "
      "vẫn còn lưu bằng phông chữ cũ, nên khi mở trên máy tính mới thường hiện ra "
      "những ký tự lạ, rất khó đọc và không thể tìm kiếm.\n\n";
  std::string text;
  while (text.size() < (64u << 10)) text += paragraph;
  return text;
}

void Run(benchmark::State& state, const std::string& bytes, const DecodeOptions& options) {
  for (auto _ : state) {
    absl::StatusOr<DecodeResult> r = Decode(bytes, options);
    if (!r.ok()) {
      state.SkipWithError(std::string(r.status().message()).c_str());
      break;
    }
    benchmark::DoNotOptimize(r->utf8.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * bytes.size());
}

void BM_DecodeUtf8(benchmark::State& state) { Run(state, Corpus(), {}); }
BENCHMARK(BM_DecodeUtf8);

void BM_DecodeTcvn3Forced(benchmark::State& state) {
  DecodeOptions options;
  options.forced = Encoding::kTcvn3;
  Run(state, *Encode(Corpus(), Encoding::kTcvn3), options);
}
BENCHMARK(BM_DecodeTcvn3Forced);

void BM_DecodeTcvn3Detected(benchmark::State& state) {
  Run(state, *Encode(Corpus(), Encoding::kTcvn3), {});
}
BENCHMARK(BM_DecodeTcvn3Detected);

void BM_DecodeVniDetected(benchmark::State& state) {
  Run(state, *Encode(Corpus(), Encoding::kVni), {});
}
BENCHMARK(BM_DecodeVniDetected);

}  // namespace
}  // namespace normalize
}  // namespace vnarchive

BENCHMARK_MAIN();
