// vnarchive-normalize: NormalizeService over gRPC, and the worker that
// normalises <prefix>ingested into <prefix>normalized. Wiring only.
#include <string>

#include "absl/flags/flag.h"
#include "common/base/log.h"
#include "common/service/service_flags.h"
#include "common/service/service_runner.h"
#include "services/normalize/core/normalizer.h"
#include "services/normalize/rpc/normalize_service.h"

ABSL_FLAG(std::string, tone_style, "traditional",
          "Where tone marks go: traditional (hóa, thủy) or modern (hoá, thuỷ). Search must "
          "use the same style.");

int main(int argc, char** argv) {
  using namespace vnarchive;
  InitService(argc, argv, "normalize",
              "vnarchive-normalize: normalises Vietnamese text (RPC and stream worker).");
  const StreamNames streams = StreamNamesFromPrefix(absl::GetFlag(FLAGS_key_prefix));
  absl::StatusOr<ServiceRedis> redis = ConnectRedisFromFlags();
  if (!redis.ok()) {
    LogError("cannot set up redis", {{"error", redis.status().ToString()}});
    return 1;
  }

  absl::StatusOr<normalize::ToneStyle> style =
      normalize::ParseToneStyle(absl::GetFlag(FLAGS_tone_style));
  if (!style.ok()) {
    LogError("bad --tone_style", {{"error", style.status().ToString()}});
    return 1;
  }
  normalize::NormalizerOptions rpc_normalizer_options;
  rpc_normalizer_options.tone_style = *style;

  // The stream carries text and paragraphs, not tokens: later stages
  // tokenise what they need themselves.
  normalize::NormalizerOptions worker_normalizer_options = rpc_normalizer_options;
  worker_normalizer_options.tokenize = false;
  worker_normalizer_options.find_abbreviations = false;
  const normalize::Normalizer worker_normalizer(worker_normalizer_options);

  auto worker = MakeDocumentStageWorker(
      *redis, "normalize", streams.ingested, streams.dead,
      {queue::kStageNormalized, streams.normalized},
      [&](v1::Document& document) {
        return normalize::NormalizeDocument(worker_normalizer, document);
      });
  if (!worker.ok()) {
    LogError("cannot create worker", {{"error", worker.status().ToString()}});
    return 1;
  }

  normalize::NormalizeServiceImpl service(rpc_normalizer_options);
  ServeOptions serve;
  serve.worker = worker->get();
  serve.stage = "normalize";
  serve.input_stream = streams.ingested;
  serve.group = "normalize";
  return RunService({&service}, *redis, serve);
}
