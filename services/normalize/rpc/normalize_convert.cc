#include "services/normalize/rpc/normalize_convert.h"

#include <utility>

namespace vnarchive {
namespace normalize {
namespace {

void SetSpan(const Span& span, v1::Span* out) {
  out->set_begin(static_cast<uint32_t>(span.begin));
  out->set_end(static_cast<uint32_t>(span.end));
}

}  // namespace

absl::Status NormalizeDocument(const Normalizer& normalizer, v1::Document& document) {
  absl::StatusOr<NormalizedText> result = normalizer.Normalize(document.text());
  if (!result.ok()) return result.status();
  // The title is searched and shown beside the text: same spelling rules.
  if (!document.title().empty()) {
    absl::StatusOr<NormalizedText> title = normalizer.Normalize(document.title());
    if (!title.ok()) return title.status();
    document.set_title(std::move(title->text));
  }
  document.set_text(std::move(result->text));
  document.clear_paragraphs();
  for (const Span& paragraph : result->paragraphs) SetSpan(paragraph, document.add_paragraphs());
  // Caption spans point into the text ingest published, which normalisation
  // rewrites (tones, spaces, repeated paragraphs); until they are mapped onto
  // the new text they are dropped rather than left pointing at wrong bytes.
  document.clear_captions();
  return absl::OkStatus();
}

void ToResponse(const NormalizedText& result, bool include_tokens,
                v1::NormalizeResponse* response) {
  response->set_text(result.text);
  for (const Span& span : result.paragraphs) SetSpan(span, response->add_paragraphs());
  for (const Span& span : result.sentences) SetSpan(span, response->add_sentences());
  if (include_tokens) {
    for (const NormalizedToken& token : result.tokens) {
      v1::Token& out = *response->add_tokens();
      SetSpan(Span{token.begin, token.end}, out.mutable_span());
      out.set_lower(std::string(result.Lower(token)));
      out.set_folded(std::string(result.Folded(token)));
    }
  }
  v1::NormalizeCounts& counts = *response->mutable_counts();
  counts.set_nfc_changes(static_cast<uint32_t>(result.counts.nfc_code_points_composed));
  counts.set_spaces_normalized(static_cast<uint32_t>(result.counts.spaces_normalized));
  counts.set_zero_width_removed(static_cast<uint32_t>(result.counts.zero_width_removed));
  counts.set_paragraphs_deduplicated(
      static_cast<uint32_t>(result.counts.paragraphs_deduplicated));
  counts.set_line_ends_converted(static_cast<uint32_t>(result.counts.crlf_converted));
  counts.set_typography_normalized(static_cast<uint32_t>(result.counts.typography_normalized));
  counts.set_tones_moved(static_cast<uint32_t>(result.counts.tones_moved));
  counts.set_replacements(static_cast<uint32_t>(result.decoded.replacements));
  response->set_encoding(std::string(EncodingName(result.decoded.encoding)));
  response->set_encoding_confidence(result.decoded.confidence);
  for (const AbbreviationMatch& match : result.abbreviations) {
    v1::AbbreviationUse& use = *response->add_abbreviations();
    SetSpan(Span{match.begin, match.end}, use.mutable_span());
    use.set_short_form(std::string(match.short_form));
    use.set_expansion(std::string(match.expansion));
  }
  counts.set_spaces_collapsed(
      static_cast<uint32_t>(result.counts.space_runs_collapsed + result.counts.lines_trimmed));
}

}  // namespace normalize
}  // namespace vnarchive
