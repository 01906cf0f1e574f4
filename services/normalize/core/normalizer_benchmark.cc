// Full normalisation throughput -- bytes in, as a service receives them:
// encoding detection and decoding, then Normalize -- and the same work done
// the straightforward
// ICU way (Normalizer2 NFC, a Transliterator for the diacritic fold, the
// sentence BreakIterator) over the same text, so the two can be compared as
// a ratio measured in one run.
//
//   build/services/normalize/core/vna_normalize_benchmark [--corpus FILE] [benchmark flags]
//
// FILE is plain UTF-8 text (e.g. the politics articles of the VNTC corpus,
// one after another; see docs/benchmarks.md). Without it the benchmark says
// so and uses text generated from a built-in paragraph.
#include <benchmark/benchmark.h>

#include <memory>
#include <string>
#include <vector>

#include "services/normalize/core/normalizer.h"
#include "tests/testing/benchmark_corpus.h"
#include "unicode/brkiter.h"
#include "unicode/locid.h"
#include "unicode/normalizer2.h"
#include "unicode/translit.h"
#include "unicode/unistr.h"

namespace {

std::string* g_text = nullptr;
std::vector<std::string>* g_documents = nullptr;

void LoadText(const char* path) {
  g_text = new std::string(vnarchive::testutil::ReadCorpus(path, [] {
    const std::string paragraph =
        "HNP - Sáng 20/7, tại TP. Hà Nội, Đảng ủy Khối các cơ quan tổ chức Hội nghị giao ban "
        "lần thứ X với chủ đề “Nêu gương của cán bộ, đảng viên”. Đồng chí Đào Đức Toàn, Phó "
        "Bí thư Thành uỷ tham dự. Tổng số đảng viên là 33.680 người; PGS.TS. Nguyễn Văn A "
        "trình bày tham luận về Quy định số 08-QĐi/TW.\r\n\r\n";
    std::string text;
    while (text.size() < (8u << 20)) text += paragraph;
    return text;
  }));
  g_documents = new std::vector<std::string>(vnarchive::testutil::SplitIntoDocuments(*g_text));
}

void BM_Normalize(benchmark::State& state) {
  const vnarchive::normalize::Normalizer normalizer;
  const vnarchive::normalize::DecodeOptions detect;
  size_t tokens = 0;
  for (auto _ : state) {
    for (const std::string& document : *g_documents) {
      auto result = normalizer.NormalizeBytes(document, detect);
      if (!result.ok()) state.SkipWithError("normalize failed");
      tokens += result->tokens.size();
      benchmark::DoNotOptimize(result);
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * g_text->size()));
  state.counters["tokens"] = static_cast<double>(tokens) / state.iterations();
}
BENCHMARK(BM_Normalize)->Unit(benchmark::kMillisecond)->MinTime(2.0);

// What each optional stage costs: Normalize with tokens (bit 0) and tone
// placement (bit 1) switched on or off, abbreviations off. Arg 0 is the
// clean-up, NFC check, paragraphs and sentences alone.
void BM_NormalizeStages(benchmark::State& state) {
  vnarchive::normalize::NormalizerOptions options;
  options.tokenize = (state.range(0) & 1) != 0;
  options.canonicalize_tones = (state.range(0) & 2) != 0;
  options.find_abbreviations = false;
  const vnarchive::normalize::Normalizer normalizer(options);
  for (auto _ : state) {
    for (const std::string& document : *g_documents) {
      auto result = normalizer.Normalize(document);
      if (!result.ok()) state.SkipWithError("normalize failed");
      benchmark::DoNotOptimize(result);
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * g_text->size()));
}
BENCHMARK(BM_NormalizeStages)->Arg(0)->Arg(1)->Arg(2)->Arg(3)->Unit(benchmark::kMillisecond);

// The reference: NFC, then lower-case + fold with a Transliterator, then
// sentences with ICU's BreakIterator, per document.
void BM_IcuReference(benchmark::State& state) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  std::unique_ptr<icu::Transliterator> fold(icu::Transliterator::createInstance(
      "NFD; [:Nonspacing Mark:] Remove; Lower; NFC", UTRANS_FORWARD, status));
  std::unique_ptr<icu::BreakIterator> sentences(
      icu::BreakIterator::createSentenceInstance(icu::Locale("vi"), status));
  if (U_FAILURE(status)) {
    state.SkipWithError("ICU set-up failed");
    return;
  }
  size_t sentence_count = 0;
  for (auto _ : state) {
    for (const std::string& document : *g_documents) {
      icu::UnicodeString text = icu::UnicodeString::fromUTF8(document);
      UErrorCode error = U_ZERO_ERROR;
      icu::UnicodeString normalized = nfc->normalize(text, error);
      icu::UnicodeString folded = normalized;
      fold->transliterate(folded);
      sentences->setText(normalized);
      for (int32_t p = sentences->first(); p != icu::BreakIterator::DONE; p = sentences->next()) {
        ++sentence_count;
      }
      benchmark::DoNotOptimize(folded);
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * g_text->size()));
  state.counters["sentences"] = static_cast<double>(sentence_count) / state.iterations();
}
BENCHMARK(BM_IcuReference)->Unit(benchmark::kMillisecond)->MinTime(2.0);

}  // namespace

int main(int argc, char** argv) {
  LoadText(vnarchive::testutil::TakeCorpusFlag(&argc, argv));
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
