// libFuzzer target over the text entry points of the normalisation library:
// arbitrary bytes -> decode (detection, strict or lenient) -> normalise, and
// the same bytes straight into Normalize. Checks the library's promises, not
// only that it does not crash: output is valid UTF-8, normalisation is
// idempotent, and every span (paragraphs, sentences, tokens, abbreviations)
// lies inside the text.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "common/text/utf8.h"
#include "services/normalize/core/normalizer.h"

namespace {

void Require(bool condition) {
  if (!condition) std::abort();
}

void RequireInside(const std::string& text, size_t begin, size_t end) {
  Require(begin <= end && end <= text.size());
}

}  // namespace

void CheckResult(const vnarchive::normalize::Normalizer& normalizer,
                 const vnarchive::normalize::NormalizedText& result) {
  const std::string& text = result.text;
  Require(vnarchive::text::ValidateUtf8(text).ok());
  for (const auto& s : result.paragraphs) RequireInside(text, s.begin, s.end);
  for (const auto& s : result.sentences) RequireInside(text, s.begin, s.end);
  for (const auto& t : result.tokens) RequireInside(text, t.begin, t.end);
  for (const auto& a : result.abbreviations) RequireInside(text, a.begin, a.end);
  absl::StatusOr<vnarchive::normalize::NormalizedText> again = normalizer.Normalize(text);
  Require(again.ok() && again->text == text);
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using vnarchive::normalize::Normalizer;
  static const Normalizer* normalizer = new Normalizer();
  const absl::string_view input(reinterpret_cast<const char*>(data), size);

  absl::StatusOr<vnarchive::normalize::NormalizedText> result = normalizer->Normalize(input);
  if (result.ok()) {
    CheckResult(*normalizer, *result);
  } else {
    // Only invalid UTF-8 may be refused.
    Require(!vnarchive::text::ValidateUtf8(input).ok());
  }

  // Lenient decoding accepts every input (replacing what it cannot decode).
  vnarchive::normalize::DecodeOptions lenient;
  lenient.lenient = true;
  absl::StatusOr<vnarchive::normalize::NormalizedText> decoded =
      normalizer->NormalizeBytes(input, lenient);
  Require(decoded.ok());
  CheckResult(*normalizer, *decoded);
  // Strict decoding may refuse, but what it accepts is as sound.
  decoded = normalizer->NormalizeBytes(input, {});
  if (decoded.ok()) CheckResult(*normalizer, *decoded);
  return 0;
}
