#include "services/search/core/rank_function.h"

#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "common/base/status_macros.h"

namespace vnarchive {
namespace search {
namespace {

constexpr char kRankPlanPointerType[] = "vnarchive_rank_plan";
constexpr char kRankInputsPointerType[] = "vnarchive_rank_inputs";

// FTS5 bm25()'s constants.
constexpr double kK1 = 1.2;
constexpr double kB = 0.75;

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

int CountRow(const Fts5ExtensionApi* /*api*/, Fts5Context* /*fts*/, void* user_data) {
  ++*static_cast<int64_t*>(user_data);
  return SQLITE_OK;
}

// Document counts, IDFs and the average length, once per statement.
int Prepare(const Fts5ExtensionApi* api, Fts5Context* fts, RankInputs* inputs) {
  sqlite3_int64 rows = 0;
  sqlite3_int64 tokens = 0;
  int rc = api->xRowCount(fts, &rows);
  if (rc == SQLITE_OK) rc = api->xColumnTotalSize(fts, -1, &tokens);
  if (rc != SQLITE_OK) return rc;
  inputs->average_tokens = rows > 0 ? static_cast<double>(tokens) / static_cast<double>(rows) : 0;
  const int phrases = api->xPhraseCount(fts);
  inputs->idf.assign(static_cast<size_t>(phrases), 0.0);
  for (int i = 0; i < phrases; ++i) {
    int64_t documents = static_cast<size_t>(i) < inputs->phrase_documents.size()
                            ? inputs->phrase_documents[static_cast<size_t>(i)]
                            : -1;
    if (documents < 0) {
      documents = 0;
      rc = api->xQueryPhrase(fts, i, &documents, &CountRow);
      if (rc != SQLITE_OK) return rc;
    }
    inputs->idf[static_cast<size_t>(i)] = InverseDocumentFrequency(rows, documents);
  }
  inputs->prepared = true;
  return SQLITE_OK;
}

void Bm25(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_context* ctx, int argc,
          sqlite3_value** argv) {
  auto* inputs = argc == 1 ? static_cast<RankInputs*>(
                                 sqlite3_value_pointer(argv[0], kRankInputsPointerType))
                           : nullptr;
  if (inputs == nullptr) {
    sqlite3_result_error(ctx, "vna_bm25(table, inputs): inputs must be bound RankInputs", -1);
    return;
  }
  if (!inputs->prepared) {
    if (const int rc = Prepare(api, fts, inputs); rc != SQLITE_OK) {
      sqlite3_result_error_code(ctx, rc);
      return;
    }
  }
  int row_tokens = 0;
  std::vector<uint32_t>* kept = inputs->row_tokens;
  const sqlite3_int64 rowid = kept != nullptr ? api->xRowid(fts) : -1;
  const bool keepable = rowid >= 0 && static_cast<uint64_t>(rowid) < kept->size();
  if (keepable && (*kept)[static_cast<size_t>(rowid)] != 0) {
    row_tokens = static_cast<int>((*kept)[static_cast<size_t>(rowid)] - 1);
  } else {
    if (const int rc = api->xColumnSize(fts, -1, &row_tokens); rc != SQLITE_OK) {
      sqlite3_result_error_code(ctx, rc);
      return;
    }
    if (keepable) (*kept)[static_cast<size_t>(rowid)] = static_cast<uint32_t>(row_tokens) + 1;
  }
  const double length_norm =
      inputs->average_tokens > 0 ? 1 - kB + kB * row_tokens / inputs->average_tokens : 1;
  double score = 0;
  const int phrases = std::min(api->xPhraseCount(fts), static_cast<int>(inputs->idf.size()));
  for (int i = 0; i < phrases; ++i) {
    // The phrase's frequency in the row, each instance weighed by its column.
    double frequency = 0;
    Fts5PhraseIter iter;
    int column = -1;
    int offset = -1;
    if (api->xPhraseFirst(fts, i, &iter, &column, &offset) != SQLITE_OK) continue;
    for (; column >= 0; api->xPhraseNext(fts, &iter, &column, &offset)) {
      frequency += column == 0 ? inputs->title_weight : inputs->text_weight;
    }
    if (frequency == 0) continue;
    score += inputs->idf[static_cast<size_t>(i)] * (frequency * (kK1 + 1)) /
             (frequency + kK1 * length_norm);
  }
  sqlite3_result_double(ctx, score);
}

}  // namespace

double InverseDocumentFrequency(int64_t rows, int64_t documents) {
  const double idf = std::log((static_cast<double>(rows) - static_cast<double>(documents) + 0.5) /
                              (static_cast<double>(documents) + 0.5));
  return idf > 0 ? idf : 1e-6;
}

absl::Status RegisterRankFunctions(sqlite3* db) {
  if (db == nullptr) return absl::FailedPreconditionError("RegisterRankFunctions: db is null");
  absl::StatusOr<fts5_api*> api = internal::GetFts5Api(db);
  if (!api.ok()) return api.status();
  int rc = (*api)->xCreateFunction(*api, kRankTierFunctionName, nullptr, &RankTier, nullptr);
  VNA_RETURN_IF_ERROR(internal::SqliteStatus(db, rc, "register FTS5 function vna_rank_tier"));
  rc = (*api)->xCreateFunction(*api, kBm25FunctionName, nullptr, &Bm25, nullptr);
  return internal::SqliteStatus(db, rc, "register FTS5 function vna_bm25");
}

absl::Status BindRankPlan(internal::Statement& stmt, int index, const RankPlan* plan) {
  const int rc = sqlite3_bind_pointer(stmt.get(), index, const_cast<RankPlan*>(plan),
                                      kRankPlanPointerType, nullptr);
  return internal::SqliteStatus(sqlite3_db_handle(stmt.get()), rc, "bind rank plan");
}

absl::Status BindRankInputs(internal::Statement& stmt, int index, RankInputs* inputs) {
  const int rc =
      sqlite3_bind_pointer(stmt.get(), index, inputs, kRankInputsPointerType, nullptr);
  return internal::SqliteStatus(sqlite3_db_handle(stmt.get()), rc, "bind rank inputs");
}

}  // namespace search
}  // namespace vnarchive
