// vnarchive-search: indexes <prefix>extracted into one SQLite FTS5 database
// (the shard) and answers SearchService queries. Wiring only.
#include <cstdint>
#include <string>

#include "absl/flags/flag.h"
#include "common/base/log.h"
#include "common/service/document_stage.h"
#include "common/service/service_flags.h"
#include "common/service/service_metrics.h"
#include "common/service/service_runner.h"
#include "services/search/core/index.h"
#include "services/search/rpc/search_service.h"

ABSL_FLAG(std::string, db, "vnarchive.db", "Path of the shard's SQLite database file.");
ABSL_FLAG(std::string, tone_style, "traditional",
          "The normalize service's --tone_style: queries are put in the same style.");
ABSL_FLAG(int64_t, facet_sample, 10000,
          "Facets of a query matching more documents than this are estimated from a "
          "sample of its matches (SearchRequest.exact_facets counts all); 0: always exact.");

int main(int argc, char** argv) {
  using namespace vnarchive;
  // This stage's default --batch_size: commits cost per batch, not per
  // document, so a backlog is drained in larger batches than the text stages
  // use (docs/benchmarks.md, "Freshness"). A batch is what is waiting, never
  // waited for. The command line still decides.
  absl::SetFlag(&FLAGS_batch_size, 256);
  InitService(argc, argv, "search", "vnarchive-search: indexes documents and answers queries.");
  const StreamNames streams = StreamNamesFromPrefix(absl::GetFlag(FLAGS_key_prefix));
  absl::StatusOr<ServiceRedis> redis = ConnectRedisFromFlags();
  if (!redis.ok()) {
    LogError("cannot set up redis", {{"error", redis.status().ToString()}});
    return 1;
  }
  search::IndexOptions index_options;
  index_options.path = absl::GetFlag(FLAGS_db);
  absl::StatusOr<normalize::ToneStyle> style =
      normalize::ParseToneStyle(absl::GetFlag(FLAGS_tone_style));
  if (!style.ok()) {
    LogError("bad --tone_style", {{"error", style.status().ToString()}});
    return 1;
  }
  index_options.tone_style = *style;
  index_options.facet_sample = absl::GetFlag(FLAGS_facet_sample);
  auto index = search::SearchIndex::Open(index_options);
  if (!index.ok()) {
    LogError("cannot open the index", {{"db", index_options.path},
                                       {"error", index.status().ToString()}});
    return 1;
  }

  queue::StageWorkerOptions worker_options =
      WorkerOptionsFromFlags("search", streams.extracted, streams.dead);
  worker_options.on_dead_letter = MarkFailedOnDeadLetter(redis->status.get());
  auto worker = queue::StageWorker::Create(
      redis->worker_queue.get(), worker_options,
      WithDocumentLog(queue::kStageIndexed,
                      search::MakeIndexHandler(index->get(), redis->status.get())));
  if (!worker.ok()) {
    LogError("cannot create worker", {{"error", worker.status().ToString()}});
    return 1;
  }

  search::SearchServiceImpl service(index->get(), [&] { return (*worker)->Snapshot(); });
  ServeOptions serve;
  serve.worker = worker->get();
  serve.stage = "search";
  serve.input_stream = streams.extracted;
  serve.group = "search";
  serve.add_metrics = [&](metrics::Registry& registry) {
    AddIndexMetrics(registry, [&]() -> absl::StatusOr<IndexSizes> {
      absl::StatusOr<search::IndexStats> stats = (*index)->Stats();
      if (!stats.ok()) return stats.status();
      return IndexSizes{stats->documents, stats->entities, stats->db_bytes};
    });
  };
  return RunService({&service}, *redis, serve);
}
