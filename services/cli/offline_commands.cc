// `vnarchive normalize|extract`: the text stages run in-process on a file,
// with no server and no Redis.
#include <iostream>
#include <string>

#include "absl/strings/str_cat.h"
#include "services/cli/client_util.h"
#include "services/cli/commands.h"
#include "services/extract/core/extractor.h"
#include "services/extract/rpc/extract_convert.h"
#include "vnarchive/v1/extract.pb.h"
#include "services/normalize/core/normalizer.h"
#include "services/normalize/rpc/normalize_convert.h"

namespace vnarchive {
namespace cli {
namespace {

int ReportError(absl::string_view what, const absl::Status& status) {
  std::cerr << "vnarchive: " << what << ": " << status.message() << "\n";
  return 1;
}

}  // namespace

int RunNormalize(const NormalizeCommand& command) {
  absl::StatusOr<std::string> input = ReadFileOrStdin(command.path);
  if (!input.ok()) return ReportError(command.path, input.status());
  normalize::NormalizerOptions options;
  if (!command.style.empty()) {
    absl::StatusOr<normalize::ToneStyle> style = normalize::ParseToneStyle(command.style);
    if (!style.ok()) return ReportError("--style", style.status());
    options.tone_style = *style;
  }
  normalize::DecodeOptions decode;
  decode.lenient = command.lenient;
  if (!command.from.empty()) {
    absl::StatusOr<normalize::Encoding> encoding = normalize::ParseEncodingName(command.from);
    if (!encoding.ok()) return ReportError("--from", encoding.status());
    decode.forced = *encoding;
  }
  const normalize::Normalizer normalizer(options);
  absl::StatusOr<normalize::NormalizedText> result = normalizer.NormalizeBytes(*input, decode);
  if (!result.ok()) return ReportError(command.path, result.status());
  if (command.json) {
    v1::NormalizeResponse response;
    normalize::ToResponse(*result, /*include_tokens=*/true, &response);
    std::cout << ToJson(response) << "\n";
  } else {
    std::cout << result->text << "\n";
  }
  return 0;
}

int RunExtract(const ExtractCommand& command) {
  absl::StatusOr<std::string> input = ReadFileOrStdin(command.path);
  if (!input.ok()) return ReportError(command.path, input.status());
  normalize::NormalizerOptions normalizer_options;
  normalizer_options.tokenize = false;
  const normalize::Normalizer normalizer(normalizer_options);
  absl::StatusOr<normalize::NormalizedText> normalized = normalizer.NormalizeBytes(*input, {});
  if (!normalized.ok()) return ReportError(command.path, normalized.status());
  const extract::Extractor extractor;
  absl::StatusOr<extract::ExtractResult> result = extractor.Extract(normalized->text);
  if (!result.ok()) return ReportError(command.path, result.status());
  v1::ExtractResponse response;
  extract::AppendEntities(result->entities, response.mutable_entities());
  if (command.json) {
    std::cout << ToJson(response) << "\n";
    return 0;
  }
  for (const v1::Entity& entity : response.entities()) {
    std::cout << v1::EntityType_Name(entity.type()) << "\t" << entity.canonical() << "\t"
              << entity.surface() << "\t" << entity.span().begin() << "-" << entity.span().end()
              << "\n";
  }
  return 0;
}

}  // namespace cli
}  // namespace vnarchive
