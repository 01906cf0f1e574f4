// The FTS5 auxiliary function behind relevance ranking's first two tiers:
//
//   vna_rank_tier(docs_fts, plan)  ->  2 if the row matches the query as typed
//                                      (RankPlan::exact) + 1 if it has the
//                                      runs of words adjacent (RankPlan::runs)
//
// `plan` is a RankPlan bound with sqlite3_bind_pointer() under the type
// kRankPlanPointerType (BindRankPlan). One function over the row's phrase
// instances, in the same pass as bm25(), replaces a MATCH per tier: each
// extra MATCH made FTS5 evaluate the query again over every candidate.
//
//   VNA_RETURN_IF_ERROR(RegisterRankFunction(db));
//   // SELECT rowid, bm25(docs_fts), vna_rank_tier(docs_fts, ?2) FROM docs_fts
//   //   WHERE docs_fts MATCH ?1
//   VNA_RETURN_IF_ERROR(BindRankPlan(stmt, 2, &parsed.rank_plan));
#ifndef VNARCHIVE_SERVICES_SEARCH_CORE_RANK_FUNCTION_H_
#define VNARCHIVE_SERVICES_SEARCH_CORE_RANK_FUNCTION_H_

#include "absl/status/status.h"
#include "services/search/core/query.h"
#include "services/search/core/sqlite_util.h"

namespace vnarchive {
namespace search {

inline constexpr char kRankTierFunctionName[] = "vna_rank_tier";

// Registers vna_rank_tier on `db` (borrowed, open). OK, or FailedPrecondition
// if SQLite has no FTS5, or the converted SQLite error.
absl::Status RegisterRankFunction(sqlite3* db);

// Binds `plan` (borrowed: it must outlive the statement's use) as parameter
// `index` of `stmt`, for vna_rank_tier.
absl::Status BindRankPlan(internal::Statement& stmt, int index, const RankPlan* plan);

}  // namespace search
}  // namespace vnarchive

#endif  // VNARCHIVE_SERVICES_SEARCH_CORE_RANK_FUNCTION_H_
