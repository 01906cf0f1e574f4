// The FTS5 auxiliary functions behind relevance ranking:
//
//   vna_rank_tier(docs_fts, plan)  ->  2 if the row matches the query as typed
//                                      (RankPlan::exact) + 1 if it has the
//                                      runs of words adjacent (RankPlan::runs)
//   vna_bm25(docs_fts, inputs)     ->  the row's BM25 score (higher is better):
//                                      FTS5's bm25() formula, from document
//                                      counts the caller supplies
//
// `plan` is a RankPlan bound with sqlite3_bind_pointer() under the type
// kRankPlanPointerType (BindRankPlan). One function over the row's phrase
// instances, in the same pass as the score, replaces a MATCH per tier: each
// extra MATCH made FTS5 evaluate the query again over every candidate.
//
// Why vna_bm25: FTS5's bm25() starts by counting, for every phrase of the
// query, the documents of the whole table holding it (a scan of each
// phrase's postings with a callback per document) before it scores the
// first row; for broad words that was a quarter of a query's time. vna_bm25
// takes those counts from RankInputs::phrase_documents (the search index
// keeps them per word, see index.h) and computes the same formula (k1 1.2,
// b 0.75, IDF floored at 1e-6, column weights). A phrase without a count
// is counted the way bm25() counts it.
//
//   VNA_RETURN_IF_ERROR(RegisterRankFunctions(db));
//   // SELECT rowid, vna_bm25(docs_fts, ?3), vna_rank_tier(docs_fts, ?2)
//   //   FROM docs_fts WHERE docs_fts MATCH ?1
//   VNA_RETURN_IF_ERROR(BindRankPlan(stmt, 2, &parsed.rank_plan));
//   RankInputs inputs{counts, 4.0, 1.0};
//   VNA_RETURN_IF_ERROR(BindRankInputs(stmt, 3, &inputs));
#ifndef VNARCHIVE_SERVICES_SEARCH_CORE_RANK_FUNCTION_H_
#define VNARCHIVE_SERVICES_SEARCH_CORE_RANK_FUNCTION_H_

#include <cstdint>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "services/search/core/query.h"
#include "services/search/core/sqlite_util.h"

namespace vnarchive {
namespace search {

inline constexpr char kRankTierFunctionName[] = "vna_rank_tier";
inline constexpr char kBm25FunctionName[] = "vna_bm25";

// What vna_bm25 needs besides the row. The caller fills the first three;
// the function fills the rest on its first row (one statement's use).
struct RankInputs {
  RankInputs(std::vector<int64_t> documents, double title, double text)
      : phrase_documents(std::move(documents)), title_weight(title), text_weight(text) {}

  // Per phrase of the MATCH expression (FTS5's numbering): the number of
  // documents of the table holding it, or -1 when unknown (then counted).
  std::vector<int64_t> phrase_documents;
  double title_weight = 1.0;  // bm25 column weights (title, text)
  double text_weight = 1.0;
  // Optional (borrowed, may be null): tokens per row, by rowid, kept across
  // statements by the caller; 1 + the count, 0 where not known yet. vna_bm25
  // reads a row's length there and writes what it had to look up: FTS5
  // reads a length with an SQL lookup per row, a fifth of a ranking pass.
  // The caller resets an entry when its rowid gets another document.
  std::vector<uint32_t>* row_tokens = nullptr;
  // Filled by vna_bm25.
  bool prepared = false;
  std::vector<double> idf;    // per phrase
  double average_tokens = 0;  // per document, both columns
};

// FTS5 bm25()'s inverse document frequency of a phrase held by `documents`
// of `rows` documents: log((rows - documents + 0.5) / (documents + 0.5)),
// at least 1e-6 (a phrase in more than half the documents still counts a
// little).
double InverseDocumentFrequency(int64_t rows, int64_t documents);

// Registers vna_rank_tier and vna_bm25 on `db` (borrowed, open). OK, or
// FailedPrecondition if SQLite has no FTS5, or the converted SQLite error.
absl::Status RegisterRankFunctions(sqlite3* db);

// Binds `plan` (borrowed: it must outlive the statement's use) as parameter
// `index` of `stmt`, for vna_rank_tier.
absl::Status BindRankPlan(internal::Statement& stmt, int index, const RankPlan* plan);

// Binds `inputs` (borrowed, written by vna_bm25: it must outlive the
// statement's use and serve one statement) as parameter `index` of `stmt`.
absl::Status BindRankInputs(internal::Statement& stmt, int index, RankInputs* inputs);

}  // namespace search
}  // namespace vnarchive

#endif  // VNARCHIVE_SERVICES_SEARCH_CORE_RANK_FUNCTION_H_
