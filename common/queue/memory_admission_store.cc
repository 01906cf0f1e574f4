#include "common/queue/memory_admission_store.h"

#include <optional>
#include <set>
#include <utility>

#include "common/base/status_macros.h"

namespace vnarchive {
namespace queue {

absl::StatusOr<std::string> MemoryAdmissionStore::SameBodyLocked(const std::string& doc_id,
                                                                 const std::string& body_hash) {
  auto first = bodies_.find(body_hash);
  if (first == bodies_.end() || first->second == doc_id) return std::string();
  VNA_ASSIGN_OR_RETURN(std::optional<DocStatus> status, status_->Get(first->second));
  const auto indexed = docs_.find(first->second);
  if (!status.has_value() || status->stage == kStageFailed || indexed == docs_.end() ||
      indexed->second.body_hash != body_hash) {
    return std::string();  // updated or failed since: the entry is stale
  }
  return first->second;
}

absl::StatusOr<std::vector<AdmissionLookup>> MemoryAdmissionStore::Lookup(
    const std::vector<AdmissionQuery>& queries) {
  absl::MutexLock lock(&mu_);
  std::vector<AdmissionLookup> out;
  out.reserve(queries.size());
  for (const AdmissionQuery& query : queries) {
    AdmissionLookup& found = out.emplace_back();
    VNA_ASSIGN_OR_RETURN(std::optional<DocStatus> status, status_->Get(query.doc_id));
    if (status.has_value()) {
      found.stage = status->stage;
      found.content_hash = status->content_hash;
    }
    VNA_ASSIGN_OR_RETURN(found.same_body, SameBodyLocked(query.doc_id, query.body_hash));
    std::set<std::string> seen;
    for (size_t j = 0; j < query.bands.size() && j < bands_.size(); ++j) {
      auto hit = bands_[j].find(query.bands[j]);
      if (hit == bands_[j].end() || hit->second == query.doc_id) continue;
      if (!seen.insert(hit->second).second) continue;
      auto indexed = docs_.find(hit->second);
      if (indexed == docs_.end() || indexed->second.sketch.empty()) continue;
      found.similar.push_back({hit->second, indexed->second.sketch});
    }
  }
  return out;
}

absl::StatusOr<std::vector<AdmissionResult>> MemoryAdmissionStore::Admit(
    absl::string_view stream, const std::vector<Admission>& admissions) {
  absl::MutexLock lock(&mu_);
  std::vector<AdmissionResult> out;
  out.reserve(admissions.size());
  for (const Admission& admission : admissions) {
    AdmissionResult& result = out.emplace_back();
    VNA_ASSIGN_OR_RETURN(std::optional<DocStatus> status, status_->Get(admission.doc_id));
    const bool live = status.has_value() && status->stage != kStageFailed;
    if (live && status->content_hash == admission.content_hash) {
      result.outcome = AdmissionResult::Outcome::kDuplicate;
      result.duplicate_of = admission.doc_id;
      continue;
    }
    VNA_ASSIGN_OR_RETURN(std::string same_body,
                         SameBodyLocked(admission.doc_id, admission.body_hash));
    if (!status.has_value() && !same_body.empty()) {
      result.outcome = AdmissionResult::Outcome::kDuplicate;
      result.duplicate_of = same_body;
      continue;
    }
    VNA_ASSIGN_OR_RETURN(result.entry_id,
                         queue_->Publish(stream, admission.doc_id, admission.payload));
    DocStatus accepted;
    accepted.stage = kStageAccepted;
    accepted.content_hash = admission.content_hash;
    VNA_RETURN_IF_ERROR(status_->Set(admission.doc_id, accepted));
    docs_[admission.doc_id] =
        Indexed{admission.body_hash, admission.sketch, admission.duplicate_of};
    if (same_body.empty()) bodies_[admission.body_hash] = admission.doc_id;
    if (bands_.size() < admission.bands.size()) bands_.resize(admission.bands.size());
    for (size_t j = 0; j < admission.bands.size(); ++j) {
      bands_[j].emplace(admission.bands[j], admission.doc_id);  // the first one stays
    }
  }
  return out;
}

std::string MemoryAdmissionStore::DuplicateOf(const std::string& doc_id) const {
  absl::MutexLock lock(&mu_);
  auto it = docs_.find(doc_id);
  return it == docs_.end() ? std::string() : it->second.duplicate_of;
}

}  // namespace queue
}  // namespace vnarchive
