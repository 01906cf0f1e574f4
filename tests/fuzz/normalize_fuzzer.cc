// libFuzzer target over the text entry points of the normalisation library:
// arbitrary bytes -> decode (detection, strict or lenient) -> normalise, and
// the same bytes straight into Normalize. Checks the library's promises, not
// only that it does not crash: output is valid UTF-8, normalisation is
// idempotent, every span (paragraphs, sentences, tokens, abbreviations)
// lies inside the text, and the fused tone + token pass agrees with the two
// definitions it stands for (tone.h's CanonicalizeTones, segment.h's
// tokenizer), and decode + normalise in one call gives what the two steps
// give.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include <string>
#include <vector>

#include "common/text/segment.h"
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

  std::string canonical = text;
  Require(vnarchive::normalize::CanonicalizeTones(normalizer.options().tone_style, &canonical) ==
          0);
  std::string forms;
  std::vector<vnarchive::text::internal::TokenWithForms> tokens;
  vnarchive::text::internal::TokenizeWithForms(text, &forms, &tokens);
  Require(tokens.size() == result.tokens.size());
  const absl::string_view all_forms(forms);
  for (size_t i = 0; i < tokens.size(); ++i) {
    const auto& expected = tokens[i];
    const auto& actual = result.tokens[i];
    Require(expected.begin == actual.begin && expected.end == actual.end);
    Require(result.Lower(actual) ==
            all_forms.substr(expected.lower_begin, expected.lower_end - expected.lower_begin));
    Require(result.Folded(actual) ==
            all_forms.substr(expected.folded_begin, expected.folded_end - expected.folded_begin));
  }
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
  // Strict decoding may refuse, but what it accepts is as sound, and the
  // same as decoding and normalising one after the other (NormalizeBytes
  // skips Decode for plain UTF-8).
  decoded = normalizer->NormalizeBytes(input, {});
  if (decoded.ok()) CheckResult(*normalizer, *decoded);
  absl::StatusOr<vnarchive::normalize::DecodeResult> step = vnarchive::normalize::Decode(input);
  absl::StatusOr<vnarchive::normalize::NormalizedText> stepwise =
      step.ok() ? normalizer->Normalize(step->utf8) : step.status();
  Require(decoded.ok() == stepwise.ok());
  if (decoded.ok()) {
    Require(decoded->text == stepwise->text);
    Require(decoded->decoded.encoding == step->encoding);
    Require(decoded->decoded.confidence == step->confidence);
  } else {
    Require(decoded.status() == stepwise.status());
  }
  return 0;
}
