// `vnarchive normalize|extract`: the text stages run in-process on a file,
// with no server and no Redis.
#include <iostream>
#include <string>

#include "absl/strings/str_cat.h"
#include "services/cli/client_util.h"
#include "services/cli/commands.h"
#include "services/extract/core/extractor.h"
#include "common/base/log.h"
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

namespace {

// The JSON line of one file (commands.h describes the shape).
std::string ExtractJson(absl::string_view path, const extract::ExtractResult& result) {
  std::string json = absl::StrCat("{\"file\":\"", JsonEscape(path), "\",\"entities\":[");
  for (size_t i = 0; i < result.entities.size(); ++i) {
    const extract::Entity& e = result.entities[i];
    absl::StrAppend(&json, i == 0 ? "" : ",", "{\"type\":\"", extract::EntityTypeName(e.type),
                    "\",\"text\":\"", JsonEscape(e.surface), "\",\"value\":\"",
                    JsonEscape(e.canonical), "\",\"start\":", e.begin, ",\"end\":", e.end, "}");
  }
  json += "],\"relations\":[";
  for (size_t i = 0; i < result.relations.size(); ++i) {
    const extract::Relation& r = result.relations[i];
    absl::StrAppend(&json, i == 0 ? "" : ",", "{\"type\":\"ROLE\",\"person\":\"",
                    JsonEscape(r.person), "\",\"role\":\"", JsonEscape(r.title), "\",\"org\":\"",
                    JsonEscape(r.organisation), "\"}");
  }
  json += "]}";
  return json;
}

absl::StatusOr<extract::ExtractResult> ExtractFile(const normalize::Normalizer& normalizer,
                                                   const extract::Extractor& extractor,
                                                   const std::string& path) {
  absl::StatusOr<std::string> input = ReadFileOrStdin(path);
  if (!input.ok()) return input.status();
  absl::StatusOr<normalize::NormalizedText> normalized = normalizer.NormalizeBytes(*input, {});
  if (!normalized.ok()) return normalized.status();
  return extractor.Extract(normalized->text);
}

}  // namespace

int RunExtract(const ExtractCommand& command) {
  normalize::NormalizerOptions normalizer_options;
  normalizer_options.tokenize = false;
  const normalize::Normalizer normalizer(normalizer_options);
  const extract::Extractor extractor;
  const bool several = command.paths.size() > 1;
  int exit_code = 0;
  for (const std::string& path : command.paths) {
    absl::StatusOr<extract::ExtractResult> result = ExtractFile(normalizer, extractor, path);
    if (!result.ok()) {
      exit_code = ReportError(path, result.status());
      continue;
    }
    if (command.json) {
      std::cout << ExtractJson(path, *result) << "\n";
      continue;
    }
    const std::string prefix = several ? path + "\t" : "";
    for (const extract::Entity& e : result->entities) {
      std::cout << prefix << extract::EntityTypeName(e.type) << "\t" << e.canonical << "\t"
                << e.surface << "\t" << e.begin << "-" << e.end << "\n";
    }
    for (const extract::Relation& r : result->relations) {
      std::cout << prefix << "ROLE\t" << r.person << "\t" << r.title
                << (r.organisation.empty() ? "" : "\t" + r.organisation) << "\n";
    }
  }
  return exit_code;
}

}  // namespace cli
}  // namespace vnarchive
