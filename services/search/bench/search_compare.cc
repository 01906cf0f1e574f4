// vna_search_compare: the search shard against a plain SQLite FTS5 table on
// the same documents and queries, in one run (docs/benchmarks.md, "Search at
// 84k and 1M documents vs plain FTS5").
//
//   vna_search_compare --corpus vntc.jsonl.gz                 # the articles as they are
//   vna_search_compare --corpus vntc.jsonl.gz --docs 1000000  # N documents made from them
//   vna_search_compare --corpus vntc.jsonl.gz --dir D --reuse # query the databases of a
//                                                             # previous --keep run again
//
// The corpus is JSON lines with string fields name, topic and text (gzip when
// the name ends in .gz, read through `zcat`). Every document goes through the
// in-process pipeline (DocumentPipeline: decode, normalise, extract) before
// any clock starts. Then, batch by batch, the same documents are written
//   (a) by SearchIndex::Upsert (documents, entities, filter keys, the FTS5
//       index with the Vietnamese tokenizer: exact and folded forms), and
//   (b) by plain INSERTs into `fts5(title, text, tokenize='unicode61
//       remove_diacritics 2')`,
// both in WAL mode with synchronous=NORMAL and one transaction per batch; the
// figure is MB/s of title + text on one core (wall time of the writes only).
//
// The query mix is drawn deterministically (--seed) from the processed
// articles: entity names as phrases, 1-4 words of real sentences with and
// without diacritics, quoted phrases, broad queries (words in >= 20% of the
// documents), filters (loc:, person:, org:, date:) and facets. Each class is
// run against the shard (SearchIndex::Search: total, ten hits with snippets
// and entities, facets) and, where a plain equivalent exists, against the
// plain table (count(*), then the ten best by bm25(title 4, text 1) with
// snippet()). Filters and facets have no plain equivalent. Latencies are
// wall-clock per query; each figure is the median over --runs runs.
//
// Documents built for --docs N beyond the corpus vary their article: about
// an eighth of the sentences dropped, an eighth replaced by sentences of
// other articles of the same topic, some neighbours swapped, and a new date.
// Articles without a publication date get one drawn from 2000-2024 (seeded
// by their index), so date filters and the year facet have something to do.
#include <sqlite3.h>
#include <time.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/base/status_macros.h"
#include "common/text/segment.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "services/pipeline/core/pipeline.h"
#include "services/search/core/index.h"
#include "services/search/core/sqlite_util.h"

ABSL_FLAG(std::string, corpus, "",
          "JSON-lines corpus (fields name, topic, text), gzip if it ends in .gz. Required.");
ABSL_FLAG(int64_t, docs, 0,
          "Documents to index: 0 = every article of the corpus once; more = that many, "
          "built from the articles and varied.");
ABSL_FLAG(int64_t, articles, 0, "Read at most this many articles (0 = all).");
ABSL_FLAG(std::string, dir, "",
          "Directory for the two database files; default: a fresh directory under the "
          "system's temporary directory.");
ABSL_FLAG(bool, keep, false, "Keep the database files (for --reuse).");
ABSL_FLAG(bool, reuse, false, "Query the databases already in --dir; index nothing.");
ABSL_FLAG(int, batch, 1000, "Documents per transaction, for both tables.");
ABSL_FLAG(int, queries, 1000, "Queries in the mix.");
ABSL_FLAG(int, runs, 3, "Runs of the query mix; figures are medians over runs.");
ABSL_FLAG(int, threads, 2, "Threads for the (untimed) pipeline.");
ABSL_FLAG(uint32_t, seed, 1, "Seed of the query mix and of the document variations.");
ABSL_FLAG(int, rank_candidates, -1,
          "IndexOptions::rank_candidates for the shard; -1: the default.");
ABSL_FLAG(int64_t, facet_sample, -1,
          "IndexOptions::facet_sample for the shard; -1: the default. Facet queries whose "
          "facets were estimated are run again with exact facets (untimed) to report the "
          "estimate's error.");
ABSL_FLAG(int64_t, word_count_sample, -1,
          "IndexOptions::word_count_sample for the shard; -1: the default.");
ABSL_FLAG(int64_t, mmap_bytes, -1, "IndexOptions::mmap_bytes for the shard; -1: the default.");
ABSL_FLAG(bool, no_entities, false,
          "Index the shard without entities (to see what they cost); queries with filters "
          "and facets then find little.");
ABSL_FLAG(bool, plain, true, "Also build and query the plain FTS5 table.");

namespace vnarchive {
namespace search {
namespace {

using internal::Exec;
using internal::Statement;

struct Article {
  std::string name;
  std::string topic;
  std::string text;
};

// Parses one line {"name": "...", "topic": "...", "text": "..."} with
// protobuf's JSON reader (the corpus has no other fields that matter).
bool ParseArticle(absl::string_view line, Article* article) {
  google::protobuf::Struct object;
  if (!google::protobuf::util::JsonStringToMessage(std::string(line), &object).ok()) return false;
  const auto& fields = object.fields();
  auto string_field = [&fields](const char* key) {
    auto it = fields.find(key);
    return it == fields.end() ? std::string() : it->second.string_value();
  };
  article->name = string_field("name");
  article->topic = string_field("topic");
  article->text = string_field("text");
  return !article->text.empty();
}

absl::StatusOr<std::vector<Article>> ReadCorpus(const std::string& path, int64_t limit) {
  if (!std::filesystem::exists(path)) {
    return absl::NotFoundError(absl::StrCat("corpus '", path, "' does not exist"));
  }
  const bool gz = absl::EndsWith(path, ".gz");
  FILE* in = gz ? popen(absl::StrCat("zcat '", path, "'").c_str(), "r") : fopen(path.c_str(), "r");
  if (in == nullptr) return absl::FailedPreconditionError(absl::StrCat("cannot read '", path, "'"));
  std::vector<Article> articles;
  char* line = nullptr;
  size_t capacity = 0;
  ssize_t n;
  int64_t bad = 0;
  while ((limit == 0 || static_cast<int64_t>(articles.size()) < limit) &&
         (n = getline(&line, &capacity, in)) > 0) {
    Article a;
    if (ParseArticle(absl::string_view(line, static_cast<size_t>(n)), &a)) {
      articles.push_back(std::move(a));
    } else {
      ++bad;
    }
  }
  free(line);
  if (gz) pclose(in); else fclose(in);
  if (bad > 0) std::fprintf(stderr, "skipped %lld unreadable lines\n", static_cast<long long>(bad));
  if (articles.empty()) return absl::InvalidArgumentError(absl::StrCat("no articles in '", path, "'"));
  return articles;
}

// "train/Chinh tri Xa hoi/XH_NLD_ (3672).txt" -> "nld": the outlet code.
std::string SourceOf(absl::string_view name) {
  const size_t slash = name.rfind('/');
  if (slash != absl::string_view::npos) name.remove_prefix(slash + 1);
  std::vector<absl::string_view> parts = absl::StrSplit(name, '_');
  if (parts.size() < 3) return "";
  return absl::AsciiStrToLower(parts[1]);
}

std::vector<std::string> SplitSentences(absl::string_view text) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t i = 0; i + 1 < text.size(); ++i) {
    if ((text[i] == '.' || text[i] == '?' || text[i] == '!') &&
        (text[i + 1] == ' ' || text[i + 1] == '\n')) {
      out.emplace_back(absl::StripAsciiWhitespace(text.substr(start, i + 1 - start)));
      start = i + 1;
    }
  }
  absl::string_view rest = absl::StripAsciiWhitespace(text.substr(start));
  if (!rest.empty()) out.emplace_back(rest);
  return out;
}

constexpr int64_t kYear2000 = 946684800;
constexpr int64_t kDay = 86400;

// The text of document `index` (>= articles.size(): a variant).
std::string DocumentText(const std::vector<Article>& articles,
                         const absl::flat_hash_map<std::string, std::vector<int>>& by_topic,
                         int64_t index, uint32_t seed) {
  const size_t n = articles.size();
  const Article& base = articles[static_cast<size_t>(index) % n];
  if (static_cast<size_t>(index) < n) return base.text;
  std::mt19937_64 rng(seed * 1000003ULL + static_cast<uint64_t>(index));
  std::uniform_real_distribution<double> unit(0, 1);
  std::vector<std::string> sentences = SplitSentences(base.text);
  const std::vector<int>& peers = by_topic.at(base.topic);
  std::vector<std::string> out;
  for (size_t i = 0; i < sentences.size(); ++i) {
    const double r = unit(rng);
    if (r < 0.125 && i > 0) continue;  // keep the lead sentence (the title)
    if (r < 0.25 && i > 0) {
      const Article& other = articles[static_cast<size_t>(peers[rng() % peers.size()])];
      std::vector<std::string> theirs = SplitSentences(other.text);
      if (!theirs.empty()) {
        out.push_back(theirs[rng() % theirs.size()]);
        continue;
      }
    }
    out.push_back(sentences[i]);
  }
  for (size_t i = 2; i < out.size(); ++i) {
    if (unit(rng) < 0.1) std::swap(out[i - 1], out[i]);
  }
  return absl::StrJoin(out, " ");
}

// Runs the pipeline on documents [first, first + count), `threads` at a time.
std::vector<StoredDocument> Prepare(const pipeline::DocumentPipeline& pipe,
                                    const std::vector<Article>& articles,
                                    const absl::flat_hash_map<std::string, std::vector<int>>& by_topic,
                                    int64_t first, int64_t count, int threads, uint32_t seed,
                                    int64_t* failed) {
  std::vector<std::optional<StoredDocument>> slots(static_cast<size_t>(count));
  std::vector<int64_t> failures(static_cast<size_t>(threads), 0);
  const absl::Time now = absl::FromUnixSeconds(1764892800);
  auto work = [&](int t) {
    for (int64_t k = t; k < count; k += threads) {
      const int64_t index = first + k;
      const Article& base = articles[static_cast<size_t>(index) % articles.size()];
      pipeline::PipelineInput input;
      input.bytes = DocumentText(articles, by_topic, index, seed);
      input.name = static_cast<size_t>(index) < articles.size()
                       ? base.name
                       : absl::StrCat(base.name, "#", index / static_cast<int64_t>(articles.size()));
      input.doc_id = absl::StrCat("d", index);
      input.content_type = "text/plain";
      input.source = SourceOf(base.name);
      absl::StatusOr<pipeline::PipelineOutput> out = pipe.Process(input, now);
      if (!out.ok()) {
        ++failures[static_cast<size_t>(t)];
        continue;
      }
      StoredDocument doc = std::move(out->document);
      if (doc.published_at_unix == 0 || static_cast<size_t>(index) >= articles.size()) {
        std::mt19937_64 rng(seed * 7919ULL + static_cast<uint64_t>(index));
        doc.published_at_unix =
            kYear2000 + static_cast<int64_t>(rng() % (25 * 365)) * kDay + 3 * 3600;
      }
      slots[static_cast<size_t>(k)] = std::move(doc);
    }
  };
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) pool.emplace_back(work, t);
  for (std::thread& th : pool) th.join();
  std::vector<StoredDocument> docs;
  docs.reserve(static_cast<size_t>(count));
  for (auto& slot : slots) {
    if (slot) docs.push_back(*std::move(slot));
  }
  for (int64_t f : failures) *failed += f;
  return docs;
}

// The plain FTS5 table: SQLite's own tokenizer, its own content table.
class PlainTable {
 public:
  static absl::StatusOr<std::unique_ptr<PlainTable>> Open(const std::string& path) {
    sqlite3* db = nullptr;
    if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) {
      sqlite3_close(db);
      return absl::FailedPreconditionError(absl::StrCat("cannot open '", path, "'"));
    }
    std::unique_ptr<PlainTable> t(new PlainTable(db));
    VNA_RETURN_IF_ERROR(Exec(db, "PRAGMA journal_mode=WAL"));
    VNA_RETURN_IF_ERROR(Exec(db, "PRAGMA synchronous=NORMAL"));
    VNA_RETURN_IF_ERROR(Exec(db,
                             "CREATE VIRTUAL TABLE IF NOT EXISTS plain USING fts5(title, text, "
                             "tokenize='unicode61 remove_diacritics 2')"));
    return t;
  }
  ~PlainTable() {
    insert_ = Statement();
    count_ = Statement();
    top_ = Statement();
    sqlite3_close(db_);
  }

  absl::Status Insert(const std::vector<StoredDocument>& batch) {
    if (insert_.get() == nullptr) {
      VNA_ASSIGN_OR_RETURN(insert_,
                           Statement::Prepare(db_, "INSERT INTO plain(title, text) VALUES (?1, ?2)"));
    }
    VNA_RETURN_IF_ERROR(Exec(db_, "BEGIN IMMEDIATE"));
    for (const StoredDocument& doc : batch) {
      VNA_RETURN_IF_ERROR(insert_.BindText(1, doc.title));
      VNA_RETURN_IF_ERROR(insert_.BindText(2, doc.text));
      VNA_RETURN_IF_ERROR(insert_.Run());
      insert_.Reset();
    }
    return Exec(db_, "COMMIT");
  }

  // count(*), then the ten best by bm25 with their snippets. Returns the count.
  absl::StatusOr<int64_t> Query(const std::string& match) {
    if (count_.get() == nullptr) {
      VNA_ASSIGN_OR_RETURN(count_,
                           Statement::Prepare(db_, "SELECT count(*) FROM plain WHERE plain MATCH ?1"));
      VNA_ASSIGN_OR_RETURN(
          top_, Statement::Prepare(db_,
                                   "SELECT rowid, title, snippet(plain, 1, '[', ']', '…', 16) "
                                   "FROM plain WHERE plain MATCH ?1 "
                                   "ORDER BY bm25(plain, 4.0, 1.0) LIMIT 10"));
    }
    VNA_RETURN_IF_ERROR(Exec(db_, "BEGIN"));
    VNA_RETURN_IF_ERROR(count_.BindText(1, match));
    VNA_ASSIGN_OR_RETURN(bool row, count_.Step());
    const int64_t total = row ? count_.ColumnInt64(0) : 0;
    count_.Reset();
    VNA_RETURN_IF_ERROR(top_.BindText(1, match));
    size_t bytes = 0;
    while (true) {
      VNA_ASSIGN_OR_RETURN(bool hit, top_.Step());
      if (!hit) break;
      bytes += top_.ColumnText(2).size();
    }
    top_.Reset();
    VNA_RETURN_IF_ERROR(Exec(db_, "COMMIT"));
    (void)bytes;
    return total;
  }

 private:
  explicit PlainTable(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  Statement insert_, count_, top_;
};

enum QueryClass { kName, kWords, kWordsFolded, kPhrase, kBroad, kFilter, kFacet, kClasses };
constexpr const char* kClassNames[kClasses] = {
    "names (phrase)", "1-4 words, diacritics", "1-4 words, folded", "phrases",
    "broad (words in >=20%)", "words + filter", "words + facets"};
// Share of each class in the mix, in percent.
constexpr int kClassShare[kClasses] = {20, 15, 15, 15, 15, 10, 10};

struct MixQuery {
  QueryClass cls;
  SearchQuery query;
  std::string plain;  // "" when the class has no plain equivalent
};

// The value at fraction `p` (0..1) of `v` in order (nearest rank); 0 if empty.
double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t k = static_cast<size_t>(std::ceil(p * static_cast<double>(v.size())));
  if (k > 0) --k;
  return v[std::min(k, v.size() - 1)];
}

// For the mix's queries whose facets were estimated from a sample: runs
// each again with exact facets (untimed) and prints how far the estimates
// are from the exact counts, and how many of the exact top 10 values the
// estimated top 10 holds.
void ReportFacetEstimates(SearchIndex& index, const std::vector<MixQuery>& mix) {
  std::vector<double> errors;
  int64_t top_exact = 0, top_found = 0, estimated = 0, queries = 0;
  for (const MixQuery& q : mix) {
    if (q.query.facets.empty()) continue;
    ++queries;
    absl::StatusOr<SearchResult> sampled = index.Search(q.query);
    if (!sampled.ok() || sampled->facet_sample >= sampled->total) continue;
    SearchQuery exact_query = q.query;
    exact_query.exact_facets = true;
    exact_query.facet_limit = 100;
    absl::StatusOr<SearchResult> exact = index.Search(exact_query);
    if (!exact.ok()) continue;
    ++estimated;
    for (size_t f = 0; f < sampled->facets.size() && f < exact->facets.size(); ++f) {
      absl::flat_hash_map<std::string, int64_t> truth;
      for (const FacetValue& v : exact->facets[f].values) truth[v.value] = v.count;
      for (const FacetValue& v : sampled->facets[f].values) {
        auto it = truth.find(v.value);
        if (it != truth.end() && it->second > 0) {
          errors.push_back(std::abs(static_cast<double>(v.count - it->second)) /
                           static_cast<double>(it->second));
        }
      }
      const size_t top = std::min<size_t>(10, exact->facets[f].values.size());
      for (size_t k = 0; k < top; ++k) {
        ++top_exact;
        for (const FacetValue& v : sampled->facets[f].values) {
          if (v.value == exact->facets[f].values[k].value) {
            ++top_found;
            break;
          }
        }
      }
    }
  }
  auto at = [&errors](double q) { return Percentile(errors, q); };
  std::printf("\nfacet estimates: %lld of %lld facet queries estimated from a sample; relative "
              "error of an estimated count: median %.1f%%, p90 %.1f%%; exact top-10 values in "
              "the estimated top 10: %.0f%%\n",
              static_cast<long long>(estimated), static_cast<long long>(queries), 100 * at(0.5),
              100 * at(0.9), top_exact > 0 ? 100.0 * top_found / top_exact : 100.0);
}

// For the mix's queries whose total was estimated: runs each again with an
// exact total (untimed) and prints how far the estimates are.
void ReportTotalEstimates(SearchIndex& index, const std::vector<MixQuery>& mix) {
  std::vector<double> errors;
  for (const MixQuery& q : mix) {
    absl::StatusOr<SearchResult> estimate = index.Search(q.query);
    if (!estimate.ok() || !estimate->total_estimated) continue;
    SearchQuery exact_query = q.query;
    exact_query.exact_total = true;
    absl::StatusOr<SearchResult> exact = index.Search(exact_query);
    if (!exact.ok() || exact->total <= 0) continue;
    errors.push_back(std::abs(static_cast<double>(estimate->total - exact->total)) /
                     static_cast<double>(exact->total));
  }
  auto at = [&errors](double q) { return Percentile(errors, q); };
  std::printf("total estimates: %zu of %zu queries had their total estimated; relative error: "
              "median %.1f%%, p90 %.1f%%, max %.1f%%\n",
              errors.size(), mix.size(), 100 * at(0.5), 100 * at(0.9), 100 * at(1.0));
}

std::string Quoted(absl::string_view s) { return absl::StrCat("\"", s, "\""); }

// Words (alphabetic syllables) of a processed document.
std::vector<text::Token> Words(absl::string_view text) {
  std::vector<text::Token> out;
  for (text::Token& t : text::TokenizeSyllables(text)) {
    if (std::any_of(t.text.begin(), t.text.end(),
                    [](char c) { return c >= '0' && c <= '9'; })) {
      continue;
    }
    out.push_back(std::move(t));
  }
  return out;
}

// Draws the mix from `sample` (processed articles). Broad words: folded
// syllables in at least 20% of the sample's documents.
std::vector<MixQuery> MakeMix(const std::vector<StoredDocument>& sample, int count, uint32_t seed,
                              std::vector<std::string>* broad_words) {
  std::mt19937_64 rng(seed);
  absl::flat_hash_map<std::string, int> df;
  absl::flat_hash_map<std::string, std::string> exact_form;  // folded -> a form with diacritics
  std::vector<std::vector<text::Token>> words(sample.size());
  for (size_t i = 0; i < sample.size(); ++i) {
    words[i] = Words(sample[i].text);
    std::set<std::string> seen;
    for (const text::Token& t : words[i]) {
      if (seen.insert(t.folded).second) ++df[t.folded];
      exact_form.try_emplace(t.folded, t.lower);
    }
  }
  std::vector<std::pair<std::string, std::string>> broad;  // folded, with diacritics
  for (const auto& [folded, n] : df) {
    if (n * 5 >= static_cast<int>(sample.size())) broad.emplace_back(folded, exact_form[folded]);
  }
  std::sort(broad.begin(), broad.end());
  for (const auto& b : broad) broad_words->push_back(b.second);
  std::vector<std::string> names[3];  // PERSON, ORG, LOC canonical values
  std::vector<std::pair<std::string, std::string>> filters;  // field, value
  for (const StoredDocument& doc : sample) {
    for (const StoredEntity& e : doc.entities) {
      if (e.canonical.empty()) continue;
      const int k = e.type == "PERSON" ? 0 : e.type == "ORG" ? 1 : e.type == "LOC" ? 2 : -1;
      if (k < 0) continue;
      names[k].push_back(e.canonical);
      filters.emplace_back(k == 0 ? "person" : k == 1 ? "org" : "loc", e.canonical);
    }
  }
  auto pick_words = [&](int n, bool folded) {
    for (int attempt = 0; attempt < 100; ++attempt) {
      const std::vector<text::Token>& w = words[rng() % words.size()];
      if (static_cast<int>(w.size()) < n) continue;
      const size_t start = rng() % (w.size() - static_cast<size_t>(n) + 1);
      std::vector<std::string> out;
      for (int k = 0; k < n; ++k) {
        const text::Token& t = w[start + static_cast<size_t>(k)];
        out.push_back(folded ? t.folded : t.lower);
      }
      return out;
    }
    return std::vector<std::string>{"việt", "nam"};
  };
  std::vector<QueryClass> classes;
  for (int c = 0; c < kClasses; ++c) {
    const int n = count * kClassShare[c] / 100;
    for (int k = 0; k < n; ++k) classes.push_back(static_cast<QueryClass>(c));
  }
  while (static_cast<int>(classes.size()) < count) classes.push_back(kWords);
  std::shuffle(classes.begin(), classes.end(), rng);
  std::vector<MixQuery> mix;
  for (QueryClass cls : classes) {
    MixQuery q{cls, {}, ""};
    switch (cls) {
      case kName: {
        const int k = static_cast<int>(rng() % 3);
        const std::vector<std::string>& pool = names[k].empty() ? names[2] : names[k];
        const std::string name = pool.empty() ? "Hà Nội" : pool[rng() % pool.size()];
        q.query.query = Quoted(name);
        q.plain = Quoted(name);
        break;
      }
      case kWords:
      case kWordsFolded: {
        const std::vector<std::string> w =
            pick_words(1 + static_cast<int>(rng() % 4), cls == kWordsFolded);
        q.query.query = absl::StrJoin(w, " ");
        std::vector<std::string> quoted;
        for (const std::string& s : w) quoted.push_back(Quoted(s));
        q.plain = absl::StrJoin(quoted, " ");
        break;
      }
      case kPhrase: {
        const std::string phrase =
            absl::StrJoin(pick_words(2 + static_cast<int>(rng() % 3), rng() % 2 == 0), " ");
        q.query.query = Quoted(phrase);
        q.plain = Quoted(phrase);
        break;
      }
      case kBroad: {
        const int n = 1 + static_cast<int>(rng() % 3);
        const bool folded = rng() % 2 == 0;
        std::vector<std::string> w, quoted;
        for (int k = 0; k < n && !broad.empty(); ++k) {
          const auto& b = broad[rng() % broad.size()];
          w.push_back(folded ? b.first : b.second);
          quoted.push_back(Quoted(w.back()));
        }
        q.query.query = absl::StrJoin(w, " ");
        q.plain = absl::StrJoin(quoted, " ");
        break;
      }
      case kFilter: {
        const std::string w = absl::StrJoin(pick_words(1 + static_cast<int>(rng() % 2), false), " ");
        if (rng() % 3 == 0 || filters.empty()) {
          q.query.query = absl::StrCat(w, " date:", 2000 + rng() % 25);
        } else {
          const auto& [field, value] = filters[rng() % filters.size()];
          q.query.query = absl::StrCat(w, " ", field, ":", Quoted(value));
        }
        break;
      }
      case kFacet: {
        q.query.query = absl::StrJoin(pick_words(1 + static_cast<int>(rng() % 2), rng() % 2 == 0), " ");
        q.query.facets = {"person", "loc", "year"};
        break;
      }
      case kClasses: break;
    }
    mix.push_back(std::move(q));
  }
  return mix;
}

// CPU time of the calling thread, seconds.
double ThreadCpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

struct Figures {
  double p50 = 0, p90 = 0, p99 = 0, max = 0, mean_total = 0;
  int n = 0;
};

Figures Summarise(const std::vector<double>& ms, const std::vector<double>& totals) {
  Figures f;
  f.n = static_cast<int>(ms.size());
  f.p50 = Percentile(ms, 0.5);
  f.p90 = Percentile(ms, 0.9);
  f.p99 = Percentile(ms, 0.99);
  f.max = ms.empty() ? 0 : *std::max_element(ms.begin(), ms.end());
  double sum = 0;
  for (double t : totals) sum += t;
  f.mean_total = totals.empty() ? 0 : sum / static_cast<double>(totals.size());
  return f;
}

int Run() {
  const std::string corpus = absl::GetFlag(FLAGS_corpus);
  if (corpus.empty()) {
    std::fprintf(stderr,
                 "vna_search_compare needs --corpus: a JSON-lines file of articles (fields "
                 "name, topic, text; .gz read through zcat), e.g. the VNTC corpus "
                 "vntc.jsonl.gz of the shared corpus directory. Nothing was measured.\n");
    return 2;
  }
  absl::StatusOr<std::vector<Article>> articles_or =
      ReadCorpus(corpus, absl::GetFlag(FLAGS_articles));
  if (!articles_or.ok()) {
    std::fprintf(stderr, "corpus: %s\n", articles_or.status().ToString().c_str());
    return 2;
  }
  const std::vector<Article>& articles = *articles_or;
  absl::flat_hash_map<std::string, std::vector<int>> by_topic;
  for (size_t i = 0; i < articles.size(); ++i) by_topic[articles[i].topic].push_back(static_cast<int>(i));
  const int64_t docs = absl::GetFlag(FLAGS_docs) > 0 ? absl::GetFlag(FLAGS_docs)
                                                      : static_cast<int64_t>(articles.size());
  const uint32_t seed = absl::GetFlag(FLAGS_seed);
  const int threads = std::max(1, absl::GetFlag(FLAGS_threads));
  const int batch = std::max(1, absl::GetFlag(FLAGS_batch));
  const bool with_plain = absl::GetFlag(FLAGS_plain);

  std::string dir = absl::GetFlag(FLAGS_dir);
  if (dir.empty()) {
    dir = (std::filesystem::temp_directory_path() /
           absl::StrCat("vna_search_compare.", getpid()))
              .string();
  }
  std::filesystem::create_directories(dir);
  const std::string shard_path = dir + "/shard.db";
  const std::string plain_path = dir + "/plain.db";
  const bool reuse = absl::GetFlag(FLAGS_reuse);
  if (!reuse) {
    for (const std::string& p : {shard_path, plain_path}) {
      for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(p + suffix);
    }
  }

  IndexOptions options;
  options.path = shard_path;
  options.durable_commits = false;  // synchronous=NORMAL, as the plain table
  if (absl::GetFlag(FLAGS_rank_candidates) >= 0) {
    options.rank_candidates = absl::GetFlag(FLAGS_rank_candidates);
  }
  if (absl::GetFlag(FLAGS_mmap_bytes) >= 0) options.mmap_bytes = absl::GetFlag(FLAGS_mmap_bytes);
  if (absl::GetFlag(FLAGS_word_count_sample) >= 0) {
    options.word_count_sample = absl::GetFlag(FLAGS_word_count_sample);
  }
  if (absl::GetFlag(FLAGS_facet_sample) >= 0) {
    options.facet_sample = absl::GetFlag(FLAGS_facet_sample);
  }
  absl::StatusOr<std::unique_ptr<SearchIndex>> index = SearchIndex::Open(options);
  if (!index.ok()) {
    std::fprintf(stderr, "shard: %s\n", index.status().ToString().c_str());
    return 1;
  }
  std::unique_ptr<PlainTable> plain;
  if (with_plain) {
    absl::StatusOr<std::unique_ptr<PlainTable>> p = PlainTable::Open(plain_path);
    if (!p.ok()) {
      std::fprintf(stderr, "plain: %s\n", p.status().ToString().c_str());
      return 1;
    }
    plain = *std::move(p);
  }
  pipeline::DocumentPipeline pipe;

  std::printf("corpus: %zu articles; documents: %lld; batch %d; WAL, synchronous=NORMAL; dir %s\n",
              articles.size(), static_cast<long long>(docs), batch, dir.c_str());
  double shard_s = 0, plain_s = 0, prepare_s = 0, shard_cpu = 0, plain_cpu = 0;
  int64_t text_bytes = 0, indexed = 0, failed = 0, entities = 0;
  if (!reuse) {
    for (int64_t first = 0; first < docs; first += batch) {
      const int64_t n = std::min<int64_t>(batch, docs - first);
      absl::Time t0 = absl::Now();
      std::vector<StoredDocument> prepared =
          Prepare(pipe, articles, by_topic, first, n, threads, seed, &failed);
      prepare_s += absl::ToDoubleSeconds(absl::Now() - t0);
      if (absl::GetFlag(FLAGS_no_entities)) {
        for (StoredDocument& d : prepared) d.entities.clear();
      }
      for (const StoredDocument& d : prepared) {
        text_bytes += static_cast<int64_t>(d.title.size() + d.text.size());
        entities += static_cast<int64_t>(d.entities.size());
      }
      indexed += static_cast<int64_t>(prepared.size());
      t0 = absl::Now();
      double c0 = ThreadCpuSeconds();
      if (absl::Status s = (*index)->Upsert(prepared); !s.ok()) {
        std::fprintf(stderr, "Upsert: %s\n", s.ToString().c_str());
        return 1;
      }
      shard_s += absl::ToDoubleSeconds(absl::Now() - t0);
      shard_cpu += ThreadCpuSeconds() - c0;
      if (plain) {
        t0 = absl::Now();
        c0 = ThreadCpuSeconds();
        if (absl::Status s = plain->Insert(prepared); !s.ok()) {
          std::fprintf(stderr, "plain insert: %s\n", s.ToString().c_str());
          return 1;
        }
        plain_s += absl::ToDoubleSeconds(absl::Now() - t0);
        plain_cpu += ThreadCpuSeconds() - c0;
      }
      if ((first / batch) % 50 == 49) {
        std::fprintf(stderr, "  %lld documents, shard %.1f MB/s, plain %.1f MB/s\n",
                     static_cast<long long>(indexed), text_bytes / 1e6 / shard_s,
                     plain_s > 0 ? text_bytes / 1e6 / plain_s : 0.0);
      }
    }
    const double mb = static_cast<double>(text_bytes) / 1e6;
    std::printf("\nindexed %lld documents (%lld refused by the pipeline), %.1f MB of text, "
                "%lld entities; pipeline (untimed) %.0f s\n\n",
                static_cast<long long>(indexed), static_cast<long long>(failed), mb,
                static_cast<long long>(entities), prepare_s);
    std::printf("| indexing, one core | vnarchive shard | plain FTS5 | ratio |\n|---|---|---|---|\n");
    std::printf("| MB/s of text | %.1f | %.1f | %.2fx |\n", mb / shard_s,
                plain_s > 0 ? mb / plain_s : 0.0, plain_s > 0 ? (mb / shard_s) / (mb / plain_s) : 0.0);
    std::printf("| documents/s | %.0f | %.0f | |\n", indexed / shard_s,
                plain_s > 0 ? indexed / plain_s : 0.0);
    std::printf("| seconds (wall) | %.1f | %.1f | |\n", shard_s, plain_s);
    std::printf("| MB/s of CPU time (the writing thread) | %.1f | %.1f | %.2fx |\n", mb / shard_cpu,
                plain_cpu > 0 ? mb / plain_cpu : 0.0,
                plain_cpu > 0 ? (mb / shard_cpu) / (mb / plain_cpu) : 0.0);
    std::fflush(stdout);
  }
  absl::StatusOr<IndexStats> stats = (*index)->Stats();
  if (stats.ok()) {
    std::printf("\nshard: %lld documents, %lld entities, %.2f GB; plain file %.2f GB\n",
                static_cast<long long>(stats->documents), static_cast<long long>(stats->entities),
                stats->db_bytes / 1e9,
                std::filesystem::exists(plain_path)
                    ? static_cast<double>(std::filesystem::file_size(plain_path)) / 1e9
                    : 0.0);
  }

  // The mix, from a sample of the articles (processed again, untimed).
  const int64_t sample_size = std::min<int64_t>(3000, static_cast<int64_t>(articles.size()));
  std::vector<StoredDocument> sample;
  {
    std::mt19937_64 rng(seed);
    std::vector<int64_t> picks;
    for (int64_t k = 0; k < sample_size; ++k) {
      picks.push_back(static_cast<int64_t>(rng() % std::min<uint64_t>(articles.size(), docs)));
    }
    for (int64_t p : picks) {
      std::vector<StoredDocument> one = Prepare(pipe, articles, by_topic, p, 1, 1, seed, &failed);
      for (StoredDocument& d : one) sample.push_back(std::move(d));
    }
  }
  std::vector<std::string> broad_words;
  const std::vector<MixQuery> mix =
      MakeMix(sample, absl::GetFlag(FLAGS_queries), seed, &broad_words);
  std::printf("broad words (in >= 20%% of a %zu-article sample): %zu, e.g. %s\n", sample.size(),
              broad_words.size(),
              absl::StrJoin(broad_words.begin(),
                            broad_words.begin() + std::min<size_t>(12, broad_words.size()), " ")
                  .c_str());

  const int runs = std::max(1, absl::GetFlag(FLAGS_runs));
  // Per clock (0 wall, 1 CPU of this thread) and row (the classes, then all
  // of the shard's queries, then the classes with a plain equivalent): one
  // Figures per run.
  constexpr size_t kRows = kClasses + 2;
  std::vector<std::vector<Figures>> shard_runs[2], plain_runs[2];
  for (int clock = 0; clock < 2; ++clock) {
    shard_runs[clock].resize(kRows);
    plain_runs[clock].resize(kRows);
  }
  for (int run = 0; run < runs; ++run) {
    if (run > 0) {
      // Each run starts from a fresh connection, so what the shard keeps
      // between queries (document counts per word) is not warmed by the
      // same queries of the run before.
      index->reset();
      index = SearchIndex::Open(options);
      if (!index.ok()) {
        std::fprintf(stderr, "shard: %s\n", index.status().ToString().c_str());
        return 1;
      }
    }
    std::vector<std::vector<double>> sm[2], pm[2], st(kRows), pt(kRows);
    for (int clock = 0; clock < 2; ++clock) {
      sm[clock].resize(kRows);
      pm[clock].resize(kRows);
    }
    for (const MixQuery& q : mix) {
      absl::Time t0 = absl::Now();
      double c0 = ThreadCpuSeconds();
      absl::StatusOr<SearchResult> r = (*index)->Search(q.query);
      const double took[2] = {absl::ToDoubleMilliseconds(absl::Now() - t0),
                              (ThreadCpuSeconds() - c0) * 1e3};
      if (!r.ok()) {
        std::fprintf(stderr, "query '%s': %s\n", q.query.query.c_str(),
                     r.status().ToString().c_str());
        continue;
      }
      const double total = static_cast<double>(r->total);
      std::vector<size_t> rows = {static_cast<size_t>(q.cls), kRows - 2};
      if (!q.plain.empty()) rows.push_back(kRows - 1);
      for (size_t row : rows) {
        for (int clock = 0; clock < 2; ++clock) sm[clock][row].push_back(took[clock]);
        st[row].push_back(total);
      }
      if (plain && !q.plain.empty()) {
        t0 = absl::Now();
        c0 = ThreadCpuSeconds();
        absl::StatusOr<int64_t> pr = plain->Query(q.plain);
        const double plain_took[2] = {absl::ToDoubleMilliseconds(absl::Now() - t0),
                                      (ThreadCpuSeconds() - c0) * 1e3};
        if (!pr.ok()) {
          std::fprintf(stderr, "plain '%s': %s\n", q.plain.c_str(),
                       pr.status().ToString().c_str());
          continue;
        }
        for (size_t row : {static_cast<size_t>(q.cls), kRows - 1}) {
          for (int clock = 0; clock < 2; ++clock) pm[clock][row].push_back(plain_took[clock]);
          pt[row].push_back(static_cast<double>(*pr));
        }
      }
    }
    for (int clock = 0; clock < 2; ++clock) {
      for (size_t row = 0; row < kRows; ++row) {
        shard_runs[clock][row].push_back(Summarise(sm[clock][row], st[row]));
        plain_runs[clock][row].push_back(Summarise(pm[clock][row], pt[row]));
      }
    }
    std::fprintf(stderr, "  query run %d of %d done\n", run + 1, runs);
  }
  auto median_of = [](const std::vector<Figures>& v, double Figures::*field) {
    std::vector<double> xs;
    for (const Figures& f : v) xs.push_back(f.*field);
    return Median(xs);
  };
  for (int clock = 0; clock < 2; ++clock) {
    std::printf("\nquery latency, ms of %s (median of %d runs of %zu queries; shard = "
                "SearchIndex::Search with total, 10 hits, snippets, entities; plain = count(*) + "
                "10 best by bm25 with snippets)\n\n",
                clock == 0 ? "wall-clock time" : "CPU time of the querying thread", runs,
                mix.size());
    std::printf("| class | queries | mean matches | shard p50 | p90 | p99 | max | plain p50 | "
                "p90 | p99 | max | p50 ratio | p99 ratio |\n");
    std::printf("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (size_t row = 0; row < kRows; ++row) {
      const char* name = row < kClasses    ? kClassNames[row]
                         : row == kClasses ? "**all (shard)**"
                                           : "**classes with a plain equivalent**";
      const auto& sf = shard_runs[clock][row];
      const auto& pf = plain_runs[clock][row];
      const double sp50 = median_of(sf, &Figures::p50), sp99 = median_of(sf, &Figures::p99);
      const double pp50 = median_of(pf, &Figures::p50), pp99 = median_of(pf, &Figures::p99);
      const bool has_plain = !pf.empty() && pf[0].n > 0;
      std::printf("| %s | %d | %.0f | %.2f | %.2f | %.2f | %.1f |", name,
                  sf.empty() ? 0 : sf[0].n, median_of(sf, &Figures::mean_total), sp50,
                  median_of(sf, &Figures::p90), sp99, median_of(sf, &Figures::max));
      if (has_plain) {
        std::printf(" %.2f | %.2f | %.2f | %.1f | %.2fx | %.2fx |\n", pp50,
                    median_of(pf, &Figures::p90), pp99, median_of(pf, &Figures::max),
                    pp50 > 0 ? sp50 / pp50 : 0.0, pp99 > 0 ? sp99 / pp99 : 0.0);
      } else {
        std::printf(" — | — | — | — | — | — |\n");
      }
    }
  }
  std::printf("\nratios are shard / plain (below 1: the shard is faster). Filters and facets "
              "have no plain equivalent.\n");
  ReportFacetEstimates(**index, mix);
  ReportTotalEstimates(**index, mix);
  if (!absl::GetFlag(FLAGS_keep) && !reuse) {
    index->reset();
    plain.reset();
    std::filesystem::remove_all(dir);
  }
  return 0;
}

}  // namespace
}  // namespace search
}  // namespace vnarchive

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return vnarchive::search::Run();
}
