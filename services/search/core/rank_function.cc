#include "services/search/core/rank_function.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstdint>
#include <vector>

namespace vnarchive {
namespace search {
namespace {

constexpr char kRankPlanPointerType[] = "vnarchive_rank_plan";

// True if phrase `phrase` of the query has an instance in the current row.
// A number beyond the query's phrases (a plan that does not fit `match`)
// has none: the row loses a tier, the query does not fail.
bool HasInstance(const Fts5ExtensionApi* api, Fts5Context* fts, int phrase) {
  if (phrase < 0 || phrase >= api->xPhraseCount(fts)) return false;
  Fts5PhraseIter iter;
  int column = -1;
  int offset = -1;
  if (api->xPhraseFirst(fts, phrase, &iter, &column, &offset) != SQLITE_OK) return false;
  return column >= 0;
}

bool MatchesAsTyped(const Fts5ExtensionApi* api, Fts5Context* fts, const RankPlan& plan) {
  for (const std::vector<int>& group : plan.exact) {
    bool any = false;
    for (int phrase : group) {
      if (HasInstance(api, fts, phrase)) {
        any = true;
        break;
      }
    }
    if (!any) return false;
  }
  return true;
}

// Where a word of a run occurs in the current row: (column << 32) | token
// offset, sorted, from every phrase of the word (its typed and folded forms
// share positions).
void WordPositions(const Fts5ExtensionApi* api, Fts5Context* fts, const RankPlan::Word& word,
                   std::vector<int64_t>* positions) {
  positions->clear();
  const int phrases = api->xPhraseCount(fts);
  for (int phrase : word.phrases) {
    if (phrase < 0 || phrase >= phrases) continue;
    Fts5PhraseIter iter;
    int column = -1;
    int offset = -1;
    if (api->xPhraseFirst(fts, phrase, &iter, &column, &offset) != SQLITE_OK) continue;
    for (; column >= 0; api->xPhraseNext(fts, &iter, &column, &offset)) {
      positions->push_back((static_cast<int64_t>(column) << 32) | static_cast<uint32_t>(offset));
    }
  }
  std::sort(positions->begin(), positions->end());
}

bool HasRunAdjacent(const Fts5ExtensionApi* api, Fts5Context* fts,
                    const std::vector<RankPlan::Word>& run) {
  // Reused across rows: ranking calls this for every candidate.
  thread_local std::vector<std::vector<int64_t>> positions;
  if (positions.size() < run.size()) positions.resize(run.size());
  for (size_t w = 0; w < run.size(); ++w) {
    WordPositions(api, fts, run[w], &positions[w]);
    if (positions[w].empty()) return false;
  }
  for (int64_t start : positions[0]) {
    int64_t expected = start + run[0].tokens;
    size_t w = 1;
    for (; w < run.size(); ++w) {
      if (!std::binary_search(positions[w].begin(), positions[w].end(), expected)) break;
      expected += run[w].tokens;
    }
    if (w == run.size()) return true;
  }
  return false;
}

void RankTier(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_context* ctx, int argc,
              sqlite3_value** argv) {
  const auto* plan = argc == 1 ? static_cast<const RankPlan*>(
                                     sqlite3_value_pointer(argv[0], kRankPlanPointerType))
                               : nullptr;
  if (plan == nullptr) {
    sqlite3_result_error(ctx, "vna_rank_tier(table, plan): plan must be a bound RankPlan", -1);
    return;
  }
  int tier = 0;
  if (!plan->exact.empty() && MatchesAsTyped(api, fts, *plan)) tier |= 2;
  if (!plan->runs.empty()) {
    bool all = true;
    for (const std::vector<RankPlan::Word>& run : plan->runs) {
      if (!HasRunAdjacent(api, fts, run)) {
        all = false;
        break;
      }
    }
    if (all) tier |= 1;
  }
  sqlite3_result_int(ctx, tier);
}

}  // namespace

absl::Status RegisterRankFunction(sqlite3* db) {
  if (db == nullptr) return absl::FailedPreconditionError("RegisterRankFunction: db is null");
  absl::StatusOr<fts5_api*> api = internal::GetFts5Api(db);
  if (!api.ok()) return api.status();
  const int rc = (*api)->xCreateFunction(*api, kRankTierFunctionName, nullptr, &RankTier, nullptr);
  return internal::SqliteStatus(db, rc, "register FTS5 function vna_rank_tier");
}

absl::Status BindRankPlan(internal::Statement& stmt, int index, const RankPlan* plan) {
  const int rc = sqlite3_bind_pointer(stmt.get(), index, const_cast<RankPlan*>(plan),
                                      kRankPlanPointerType, nullptr);
  return internal::SqliteStatus(sqlite3_db_handle(stmt.get()), rc, "bind rank plan");
}

}  // namespace search
}  // namespace vnarchive
