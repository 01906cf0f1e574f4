#include "services/extract/eval/scorer.h"

#include <set>
#include <utility>

#include "absl/strings/str_format.h"
#include "common/text/nfc.h"
#include "services/normalize/core/tone.h"

namespace vnarchive {
namespace extract {
namespace {

using ValueSet = std::set<std::string>;
using PairSet = std::set<std::pair<std::string, std::string>>;

ValueSet Canonical(const DocAnnotation& a, absl::string_view type) {
  ValueSet out;
  const auto it = a.values.find(std::string(type));
  if (it == a.values.end()) return out;
  for (const std::string& v : it->second) out.insert(CanonicalForComparison(v));
  return out;
}

PairSet CanonicalRoles(const DocAnnotation& a) {
  PairSet out;
  for (const auto& [person, role] : a.roles) {
    out.emplace(CanonicalForComparison(person), CanonicalForComparison(role));
  }
  return out;
}

bool Contains(const std::string& a, const std::string& b) {
  return a.find(b) != std::string::npos || b.find(a) != std::string::npos;
}

// Counts correct predictions and found gold values under `match`, and
// records the misses as strings.
template <typename T, typename Match, typename Show>
void Count(const std::set<T>& predicted, const std::set<T>& gold, Match match, Show show,
           TypeScore* score, TypeErrors* errors) {
  score->predicted += predicted.size();
  score->gold += gold.size();
  for (const T& p : predicted) {
    bool ok = false;
    for (const T& g : gold) ok = ok || match(p, g);
    if (ok) {
      ++score->correct;
    } else {
      errors->false_positives.push_back(show(p));
    }
  }
  for (const T& g : gold) {
    bool ok = false;
    for (const T& p : predicted) ok = ok || match(p, g);
    if (ok) {
      ++score->found;
    } else {
      errors->false_negatives.push_back(show(g));
    }
  }
}

}  // namespace

std::string CanonicalForComparison(absl::string_view value) {
  return normalize::CanonicalizeSyllable(text::ToNfc(value), normalize::ToneStyle::kTraditional);
}

double TypeScore::precision() const {
  if (predicted == 0) return gold == 0 ? 1.0 : 0.0;
  return static_cast<double>(correct) / static_cast<double>(predicted);
}

double TypeScore::recall() const {
  if (gold == 0) return predicted == 0 ? 1.0 : 0.0;
  return static_cast<double>(found) / static_cast<double>(gold);
}

double TypeScore::f1() const {
  const double p = precision();
  const double r = recall();
  return p + r == 0 ? 0.0 : 2 * p * r / (p + r);
}

Scorer::Scorer() {
  for (absl::string_view type : kValueTypes) scores_.push_back(TypeScore{std::string(type)});
  scores_.push_back(TypeScore{std::string(kRoleType)});
}

void Scorer::Add(const DocAnnotation& gold, const DocAnnotation& predicted) {
  ++documents_;
  auto show = [](const std::string& s) { return s; };
  for (TypeScore& score : scores_) {
    TypeErrors errors{gold.doc, score.type, {}, {}};
    if (score.type == kRoleType) {
      Count(
          CanonicalRoles(predicted), CanonicalRoles(gold),
          [](const std::pair<std::string, std::string>& p,
             const std::pair<std::string, std::string>& g) {
            return p.first == g.first && Contains(p.second, g.second);
          },
          [](const std::pair<std::string, std::string>& v) {
            return v.first + " | " + v.second;
          },
          &score, &errors);
    } else if (score.type == "ORG") {
      Count(Canonical(predicted, score.type), Canonical(gold, score.type), Contains, show, &score,
            &errors);
    } else {
      Count(
          Canonical(predicted, score.type), Canonical(gold, score.type),
          [](const std::string& p, const std::string& g) { return p == g; }, show, &score,
          &errors);
    }
    if (!errors.false_positives.empty() || !errors.false_negatives.empty()) {
      errors_.push_back(std::move(errors));
    }
  }
}

TypeScore Scorer::Score(absl::string_view type) const {
  for (const TypeScore& s : scores_) {
    if (s.type == type) return s;
  }
  return TypeScore{std::string(type)};
}

std::string Scorer::Table() const {
  std::string out = absl::StrFormat("%-12s %9s %6s %8s %6s %7s %7s %7s\n", "type", "predicted",
                                    "gold", "correct", "found", "P", "R", "F1");
  for (const TypeScore& s : scores_) {
    absl::StrAppendFormat(&out, "%-12s %9d %6d %8d %6d %7.3f %7.3f %7.3f\n", s.type, s.predicted,
                          s.gold, s.correct, s.found, s.precision(), s.recall(), s.f1());
  }
  absl::StrAppendFormat(&out, "(%d documents)\n", documents_);
  return out;
}

}  // namespace extract
}  // namespace vnarchive
