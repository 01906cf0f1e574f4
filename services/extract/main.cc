// vnarchive-extract: ExtractService over gRPC, and the worker that
// annotates <prefix>normalized into <prefix>extracted. Wiring only.
#include "absl/flags/flag.h"
#include "common/base/log.h"
#include "common/service/service_flags.h"
#include "common/service/service_runner.h"
#include "services/extract/core/extractor.h"
#include "services/extract/rpc/extract_service.h"

int main(int argc, char** argv) {
  using namespace vnarchive;
  InitService(argc, argv, "extract", "vnarchive-extract: finds entities (RPC and stream worker).");
  const StreamNames streams = StreamNamesFromPrefix(absl::GetFlag(FLAGS_key_prefix));
  absl::StatusOr<ServiceRedis> redis = ConnectRedisFromFlags();
  if (!redis.ok()) {
    LogError("cannot set up redis", {{"error", redis.status().ToString()}});
    return 1;
  }

  const extract::Extractor extractor;
  auto worker = MakeDocumentStageWorker(
      *redis, "extract", streams.normalized, streams.dead,
      {queue::kStageExtracted, streams.extracted},
      [&](v1::Document& document) { return extract::ExtractDocument(extractor, document); });
  if (!worker.ok()) {
    LogError("cannot create worker", {{"error", worker.status().ToString()}});
    return 1;
  }

  extract::ExtractServiceImpl service(&extractor);
  ServeOptions serve;
  serve.worker = worker->get();
  serve.stage = "extract";
  serve.input_stream = streams.normalized;
  serve.group = "extract";
  return RunService({&service}, *redis, serve);
}
