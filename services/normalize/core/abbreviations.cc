#include "services/normalize/core/abbreviations.h"

#include <algorithm>
#include <array>

#include "common/text/utf8.h"
#include "unicode/uchar.h"

namespace vnarchive {
namespace normalize {
namespace {

// Common in party, state and provincial documents. Expansions are written in
// the traditional tone style; the normaliser's style applies to output text,
// and search folds both styles alike.
constexpr Abbreviation kTable[] = {
    {"ANTT", "an ninh trật tự"},
    {"BCH", "Ban Chấp hành"},
    {"BCĐ", "Ban Chỉ đạo"},
    {"BHXH", "bảo hiểm xã hội"},
    {"BHYT", "bảo hiểm y tế"},
    {"BTC", "Ban Tổ chức"},
    {"BTG", "Ban Tuyên giáo"},
    {"BTV", "Ban Thường vụ"},
    {"CAND", "Công an nhân dân"},
    {"CB,CC,VC", "cán bộ, công chức, viên chức"},
    {"CBCCVC", "cán bộ, công chức, viên chức"},
    {"CCB", "Cựu chiến binh"},
    {"CHXHCN", "Cộng hòa xã hội chủ nghĩa"},
    {"CNH-HĐH", "công nghiệp hóa, hiện đại hóa"},
    {"CNTT", "công nghệ thông tin"},
    {"CNXH", "chủ nghĩa xã hội"},
    {"CP", "Chính phủ"},
    {"DN", "doanh nghiệp"},
    {"GD&ĐT", "giáo dục và đào tạo"},
    {"GS", "giáo sư"},
    {"GTVT", "giao thông vận tải"},
    {"HTX", "hợp tác xã"},
    {"HĐND", "Hội đồng nhân dân"},
    {"KCN", "khu công nghiệp"},
    {"KH&CN", "khoa học và công nghệ"},
    {"KT-XH", "kinh tế - xã hội"},
    {"LHPN", "Liên hiệp Phụ nữ"},
    {"LLVT", "lực lượng vũ trang"},
    {"LĐ-TB&XH", "lao động - thương binh và xã hội"},
    {"LĐLĐ", "Liên đoàn Lao động"},
    {"MTTQ", "Mặt trận Tổ quốc"},
    {"NN&PTNT", "nông nghiệp và phát triển nông thôn"},
    {"NTM", "nông thôn mới"},
    {"PGS", "phó giáo sư"},
    {"QH", "Quốc hội"},
    {"QP-AN", "quốc phòng - an ninh"},
    {"QĐND", "Quân đội nhân dân"},
    {"T.Ư", "Trung ương"},
    {"THCS", "trung học cơ sở"},
    {"THPT", "trung học phổ thông"},
    {"TN&MT", "tài nguyên và môi trường"},
    {"TNCS", "Thanh niên Cộng sản"},
    {"TP", "thành phố"},
    {"TP.HCM", "Thành phố Hồ Chí Minh"},
    {"TS", "tiến sĩ"},
    {"TU", "Tỉnh ủy"},
    {"TW", "Trung ương"},
    {"TƯ", "Trung ương"},
    {"ThS", "thạc sĩ"},
    {"UBKT", "Ủy ban Kiểm tra"},
    {"UBND", "Ủy ban nhân dân"},
    {"UBTVQH", "Ủy ban Thường vụ Quốc hội"},
    {"XHCN", "xã hội chủ nghĩa"},
    {"ĐBQH", "đại biểu Quốc hội"},
    {"ĐH", "Đại hội"},
    {"ĐTN", "Đoàn Thanh niên"},
    {"ĐU", "Đảng ủy"},
    {"ĐUK", "Đảng ủy Khối"},
};

// True if the code point at text[pos] (or before `pos`, when `before`) is a
// letter, mark or digit: then a match at that edge would cut a word.
bool WordCharAt(absl::string_view text, size_t pos) {
  if (pos >= text.size()) return false;
  size_t p = pos;
  const char32_t cp = text::DecodeUtf8(text, &p);
  return u_isalnum(static_cast<UChar32>(cp)) || u_getCombiningClass(static_cast<UChar32>(cp)) != 0;
}

bool WordCharBefore(absl::string_view text, size_t pos) {
  if (pos == 0) return false;
  return WordCharAt(text, text::PreviousCodePointStart(text, pos));
}

}  // namespace

absl::Span<const Abbreviation> BuiltinAbbreviations() { return absl::MakeConstSpan(kTable); }

namespace {

// Table entries grouped by their first byte: a candidate position is compared
// only with the few short forms that can start there.
struct FirstByteIndex {
  std::array<std::vector<const Abbreviation*>, 256> by_first_byte;
  std::array<bool, 256> can_start = {};  // by_first_byte[b] is not empty
};

const FirstByteIndex& GetIndex() {
  static const FirstByteIndex* const index = [] {
    auto* built = new FirstByteIndex;
    for (const Abbreviation& entry : kTable) {
      const auto first = static_cast<unsigned char>(entry.short_form[0]);
      built->by_first_byte[first].push_back(&entry);
      built->can_start[first] = true;
    }
    return built;
  }();
  return *index;
}

}  // namespace

const AbbreviationPrefixes& AbbreviationPrefixes::Get() {
  static const AbbreviationPrefixes* const prefixes = [] {
    auto* built = new AbbreviationPrefixes;
    for (const Abbreviation& entry : kTable) {
      built->bits_[(static_cast<size_t>(static_cast<unsigned char>(entry.short_form[0])) << 8) |
                   static_cast<unsigned char>(entry.short_form[1])] = true;
    }
    return built;
  }();
  return *prefixes;
}

bool MatchAbbreviationAt(absl::string_view text, size_t pos, AbbreviationMatch* match) {
  const FirstByteIndex& index = GetIndex();
  const size_t n = text.size();
  if (pos >= n) return false;
  // Compare bytes first (second byte, then all): the word-boundary checks
  // decode a character and ask ICU, so they run only for an actual match.
  const Abbreviation* best = nullptr;
  for (const Abbreviation* entry : index.by_first_byte[static_cast<unsigned char>(text[pos])]) {
    const absl::string_view form = entry->short_form;  // at least 2 bytes
    if (best != nullptr && form.size() <= best->short_form.size()) continue;
    if (pos + form.size() > n || text[pos + 1] != form[1]) continue;
    if (text.compare(pos, form.size(), form.data(), form.size()) != 0) continue;
    if (WordCharAt(text, pos + form.size())) continue;
    best = entry;
  }
  if (best == nullptr || WordCharBefore(text, pos)) return false;
  *match = {pos, pos + best->short_form.size(), best->short_form, best->expansion};
  return true;
}

std::vector<AbbreviationMatch> FindAbbreviations(absl::string_view text) {
  const FirstByteIndex& index = GetIndex();
  std::vector<AbbreviationMatch> matches;
  const size_t n = text.size();
  size_t pos = 0;
  while (pos < n) {
    // Most bytes cannot start a short form: skip them without a lookup of
    // the candidate list.
    while (pos < n && !index.can_start[static_cast<unsigned char>(text[pos])]) ++pos;
    if (pos >= n) break;
    AbbreviationMatch match;
    if (!MatchAbbreviationAt(text, pos, &match)) {
      ++pos;
      continue;
    }
    matches.push_back(match);
    pos = match.end;
  }
  return matches;
}

}  // namespace normalize
}  // namespace vnarchive
