// Throughput of CanonicalizeTones on generated Vietnamese prose (NFC, ~1 MiB):
// it runs on every document, and nearly all syllables need no change, so the
// scan is what matters.
//
//   BM_CanonicalText: text already in the target style: scan only.
//   BM_MixedStyles/0|1: both spellings and some mistyped tones (about one
//     word in twenty-five changes), traditional (0) or modern (1) target; the
//     input is restored each iteration (a memcpy, included in the time).
#include <random>
#include <string>

#include "benchmark/benchmark.h"
#include "services/normalize/core/tone.h"

namespace vnarchive {
namespace normalize {
namespace {

// About `bytes` of syllables from a fixed list with the punctuation, numbers
// and codes of official text. `variants` adds the other style's spelling and
// mistyped tones; deterministic.
std::string GenerateVietnamese(size_t bytes, bool variants) {
  static const char* const kWords[] = {
      "Đảng", "ủy", "tỉnh", "Hậu", "Giang", "đã", "tổ", "chức", "hội", "nghị",
      "quán", "triệt", "Nghị", "quyết", "Trung", "ương", "khóa", "XII", "về",
      "công", "tác", "xây", "dựng", "chỉnh", "đốn", "Ban", "Thường", "vụ",
      "đồng", "chí", "Bí", "thư", "người", "dân", "phát", "triển", "kinh", "tế",
      "xã", "hội", "năm", "2019", "theo", "Quy", "định", "08-QĐi/TW", "của",
      "Bộ", "Chính", "trị", "ngày", "20/7/2019", "TP.", "Hà", "Nội", "việc",
      "thực", "hiện", "nhiệm", "vụ", "được", "giao", "những", "kết", "quả",
      "hòa", "bình", "khỏe", "mạnh", "thủy", "lợi", "hoàng", "thuyết", "phục",
      "Facebook", "COVID-19", "Huawei", "UBND", "mười", "tuổi", "bảo", "đảm"};
  static const char* const kVariants[] = {"hoà", "khoẻ", "thuỷ", "uỷ", "lựơng",
                                          "baỏ", "nghịêm", "ngừơi", "hòang", "qúa"};
  std::mt19937 rng(7);
  std::string out;
  out.reserve(bytes + 64);
  size_t in_sentence = 0;
  while (out.size() < bytes) {
    if (variants && rng() % 25 == 0) {
      out += kVariants[rng() % (sizeof(kVariants) / sizeof(kVariants[0]))];
    } else {
      out += kWords[rng() % (sizeof(kWords) / sizeof(kWords[0]))];
    }
    if (++in_sentence > 12 + rng() % 10) {
      out += rng() % 5 == 0 ? ".\n\n" : ". ";
      in_sentence = 0;
    } else {
      out += rng() % 9 == 0 ? ", " : " ";
    }
  }
  return out;
}

void BM_CanonicalText(benchmark::State& state) {
  std::string text = GenerateVietnamese(1 << 20, /*variants=*/false);
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
  const std::string input = GenerateVietnamese(1 << 20, /*variants=*/true);
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
