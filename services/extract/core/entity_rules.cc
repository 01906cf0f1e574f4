#include "services/extract/core/entity_rules.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/types/span.h"
#include "common/text/utf8.h"

namespace vnarchive {
namespace extract {
namespace internal {
namespace {

using Category = GazetteerCategory;

// Administrative words that stand before a place name (ANNOTATION.md: the
// LOC drops them). Lower case, as syllables; "TP" is matched separately
// because it must be written in capitals.
struct AdminWord {
  absl::string_view first;
  absl::string_view second;  // empty for one syllable
  absl::string_view level;
};
constexpr AdminWord kAdminWords[] = {
    {"thành", "phố", "thành phố"}, {"thị", "xã", "thị xã"},   {"thị", "trấn", "thị trấn"},
    {"khu", "phố", "khu phố"},     {"đặc", "khu", "đặc khu"}, {"tỉnh", "", "tỉnh"},
    {"huyện", "", "huyện"},        {"quận", "", "quận"},      {"xã", "", "xã"},
    {"phường", "", "phường"},      {"thôn", "", "thôn"},      {"ấp", "", "ấp"},
    {"bản", "", "bản"},            {"làng", "", "làng"},      {"xóm", "", "xóm"},
    {"buôn", "", "buôn"},
};

// Capitalised words that follow an administrative word without being a
// place ("tỉnh, thành phố Cụm Đồng bằng Bắc Bộ": a cluster of provinces).
constexpr absl::string_view kNotPlaceWords[] = {"cụm", "khối", "vùng", "miền", "đoàn", "ủy",
                                                "uỷ", "hội", "đảng", "ban", "các", "trung"};

// Lower-case words that never continue an organisation's own name
// ("Sở Y tế đã ..."): function words and the verbs that follow a subject.
constexpr absl::string_view kNameStopWords[] = {
    "của", "là",   "đã",   "đang", "sẽ",   "được", "bị",   "có",   "không", "cho",  "với",
    "tại", "trong", "ngoài", "về",  "theo", "từ",   "đến",  "để",   "và",    "hoặc", "hay",
    "các", "những", "mọi", "này",  "đó",   "khi",  "thì",  "mà",   "nên",   "vì",   "do",
    "nhằm", "cùng", "trên", "dưới", "sau",  "trước", "cũng", "vẫn", "đều",   "rất",  "chỉ",
    "tổ",  "ban",  "phát", "tham", "chủ",  "tiếp", "tiến", "thực", "triển", "kiểm", "làm",
    "gồm", "như",  "nhất", "năm",  "ngày", "tháng", "lần", "kỳ",   "khóa",  "khoá", "số"};

// Organisation heads that name no particular body without a complement
// ("Đảng bộ các tỉnh", "Văn phòng"): reported only with one.
constexpr absl::string_view kNeedsComplement[] = {
    "Đảng bộ", "Đảng ủy", "Công an", "Tòa án", "Viện kiểm sát", "Thường trực", "Văn phòng",
    "Đảng đoàn", "Ban cán sự đảng", "Trường Chính trị", "Trung tâm Chính trị", "Ban Chấp hành",
    "Chi bộ", "Công đoàn", "Bộ Tư lệnh", "Quân khu", "Hội đồng nhân dân", "Ủy ban nhân dân",
    "Đoàn đại biểu Quốc hội", "Bộ Chỉ huy Quân sự", "Bộ Chỉ huy Bộ đội Biên phòng",
    "Đài Phát thanh và Truyền hình"};

// Ordinal words of plenum numbers ("Hội nghị lần thứ tư").
struct Ordinal {
  absl::string_view word;
  int value;
};
constexpr Ordinal kOrdinals[] = {{"nhất", 1}, {"một", 1}, {"hai", 2},  {"ba", 3},   {"tư", 4},
                                 {"bốn", 4},  {"năm", 5}, {"sáu", 6},  {"bảy", 7},  {"tám", 8},
                                 {"chín", 9}, {"mười", 10}};

// Words after a number that make "kế hoạch 5 năm" a count, not a document.
constexpr absl::string_view kCountWords[] = {
    "năm", "tháng", "tuần", "lần", "đợt", "điểm", "nội", "nhóm", "tiêu", "giải", "nhiệm",
    "mục", "người", "bước", "vấn", "nguyên", "phần", "cấp", "loại", "lĩnh", "chuyên", "đơn",
    "triệu", "tỷ", "nghìn", "ngàn", "trăm", "ha", "km", "kg", "tấn", "đồng", "xã", "huyện",
    "tỉnh", "cán", "đảng", "chi", "tổ", "đoàn", "hội", "cơ", "học", "giờ", "phút", "ngày"};

template <size_t N>
bool In(const absl::string_view (&list)[N], absl::string_view word) {
  return std::find(std::begin(list), std::end(list), word) != std::end(list);
}

bool IsLocCategory(Category c) {
  return c == Category::kProvince || c == Category::kDistrict || c == Category::kPlace;
}

// The first code point of `s` (0 if empty).
char32_t FirstCodePoint(absl::string_view s) {
  if (s.empty()) return 0;
  size_t pos = 0;
  return text::DecodeUtf8(s, &pos);
}

bool Standalone(const GazetteerMatch& m);

// One matched span of the gazetteer: its alternatives share [begin, end).
struct Group {
  size_t begin = 0;
  size_t end = 0;
  size_t first = 0;  // index into matches
  size_t count = 0;
};

class Walker {
 public:
  Walker(const Gazetteer& gaz, absl::string_view text, const std::vector<text::Token>& tokens,
         const std::vector<char>& blocked, const ExtractorOptions& options, ExtractResult* out)
      : gaz_(gaz), text_(text), t_(tokens), blocked_(blocked), options_(options), out_(out) {}

  void Run();

 private:
  // --- Token properties --------------------------------------------------
  size_t n() const { return t_.size(); }
  absl::string_view Lower(size_t i) const { return t_[i].lower; }
  // The bytes between token i and token i + 1 ("" after the last token is
  // reported as a line break, so nothing joins across the end).
  absl::string_view Gap(size_t i) const {
    if (i + 1 >= n()) return "\n";
    return text_.substr(t_[i].end, t_[i + 1].begin - t_[i].end);
  }
  bool SpaceAfter(size_t i) const { return Gap(i) == " "; }
  // Token i + 1 exists, is usable and follows token i after one space.
  bool Joins(size_t i) const { return i + 1 < n() && !blocked_[i + 1] && SpaceAfter(i); }
  bool Cap(size_t i) const { return cap_[i] != 0; }
  bool AllCaps(size_t i) const { return all_caps_[i] != 0; }
  bool IsLowerWord(size_t i) const { return !Cap(i) && !digit_[i]; }
  // A capitalised Vietnamese syllable that can be part of a personal name.
  bool NameToken(size_t i) const { return name_token_[i] != 0; }

  // --- Gazetteer groups --------------------------------------------------
  const Group* GroupAt(size_t i) const {
    const int g = group_at_[i];
    return g < 0 ? nullptr : &groups_[static_cast<size_t>(g)];
  }
  // The first alternative of category `c` in the group starting at token i.
  const GazetteerMatch* MatchAt(size_t i, Category c) const {
    const Group* g = GroupAt(i);
    if (g == nullptr) return nullptr;
    for (size_t k = 0; k < g->count; ++k) {
      const GazetteerMatch& m = matches_[g->first + k];
      if (m.entry->category == c) return &m;
    }
    return nullptr;
  }
  const GazetteerMatch* LocAt(size_t i) const {
    const Group* g = GroupAt(i);
    if (g == nullptr) return nullptr;
    for (size_t k = 0; k < g->count; ++k) {
      const GazetteerMatch& m = matches_[g->first + k];
      if (IsLocCategory(m.entry->category)) return &m;
    }
    return nullptr;
  }
  // A title that is a real position (not "đồng chí", "ông", "bà", "TS").
  const GazetteerMatch* PositionAt(size_t i) const {
    const GazetteerMatch* m = MatchAt(i, Category::kTitle);
    if (m == nullptr || m->entry->kind == "honorific" || m->entry->kind == "degree") return nullptr;
    return m;
  }
  // An honorific or an academic degree: it introduces a name, it is no role.
  const GazetteerMatch* HonorificAt(size_t i) const {
    const GazetteerMatch* m = MatchAt(i, Category::kTitle);
    if (m == nullptr || (m->entry->kind != "honorific" && m->entry->kind != "degree")) {
      return nullptr;
    }
    return m;
  }
  // A one-syllable generic organisation head ("Trường", "Hội", "Viện"),
  // which is also a common given name ("Lê Trường Lưu").
  bool IsUnitWord(size_t i) const {
    const GazetteerMatch* m = MatchAt(i, Category::kOrgHead);
    return m != nullptr && m->end == i + 1 && m->entry->kind == "unit";
  }
  // Administrative word at i: its token count (0 if none) and level.
  size_t AdminAt(size_t i, absl::string_view* level) const;

  // --- Rules ----------------------------------------------------------------
  // Parses an organisation whose head is at token i. Returns its end token
  // (i if there is no organisation head); *reportable says whether it names
  // a body by itself (kNeedsComplement heads need a complement).
  size_t ParseOrg(size_t i, bool* reportable, int depth = 0);
  // A place phrase at i: a gazetteer place, or an administrative word and a
  // name (or, with `allow_bare`, an administrative word alone: "UBND
  // tỉnh"). Emits the LOCs; returns the end token (i if none).
  size_t ParsePlace(size_t i, bool allow_bare);
  // A run of capitalised words naming a place after an administrative word.
  size_t PlaceNameRun(size_t i) const;
  // An organisation's own name after a "name" head ("Sở [Nội vụ]").
  size_t OrgNameRun(size_t i) const;
  // The name of a party bloc after "Đảng ủy Khối".
  size_t BlocNameRun(size_t i) const;
  // A personal name at token i. `context`: a title, honorific or byline
  // vouches for it, so a name without a known family name is accepted and a
  // place at the end is read as a given name. Returns the end token (i if
  // none).
  size_t PersonAt(size_t i, bool context) const;
  // A title chain starting at i (positions separated by ", ", " - ",
  // " kiêm "), appending one role per position. Returns the end token.
  struct Role {
    size_t begin = 0;  // byte span of the title as written
    size_t end = 0;
    size_t org_begin = 0;  // byte span of its organisation (equal: none)
    size_t org_end = 0;
  };
  size_t ParseTitleChain(size_t i, std::vector<Role>* roles);
  // After a person [pb, pe) ends at token p: ", Bí thư Tỉnh ủy X" (or after a
  // parenthesis). Returns the end token of the chain (p if none).
  size_t RolesAfterName(size_t p, size_t person_token_begin);
  // Handles a title or honorific at i, with the name that may follow.
  size_t TitleAt(size_t i);
  // Numbered references and plenum resolutions after a document type word.
  size_t DocTypeAt(size_t i);
  size_t PlenumAt(size_t i, size_t after_type);
  // Bylines: short lines that are only a name (photo credits are in Run).
  void Bylines();
  // A byline name of two to four capitalised syllables in tokens [k, last);
  // returns its end (k if none).
  size_t BylineName(size_t k, size_t last) const;

  // --- Output -----------------------------------------------------------------
  void EmitLoc(size_t b, size_t e, const GazetteerMatch* m, absl::string_view level,
               absl::string_view rule);
  void EmitOrg(size_t b, size_t e, const GazetteerEntry* head, absl::string_view rule);
  // Records a person [b, e) (tokens); returns false if it was already there.
  void EmitPerson(size_t b, size_t e, absl::string_view rule);
  void EmitRole(size_t pb, size_t pe, const Role& r, absl::string_view rule);
  // Places inside an organisation name written whole in the data
  // ("Mặt trận Tổ quốc Việt Nam" -> "Việt Nam").
  void LocsInside(size_t b, size_t e);

  const Gazetteer& gaz_;
  absl::string_view text_;
  const std::vector<text::Token>& t_;
  const std::vector<char>& blocked_;
  const ExtractorOptions& options_;
  ExtractResult* out_;

  std::vector<char> cap_, all_caps_, digit_, name_token_;
  std::vector<GazetteerMatch> matches_;
  std::vector<Group> groups_;
  std::vector<int> group_at_;
  absl::flat_hash_set<std::pair<size_t, size_t>> locs_, orgs_, persons_;
  // Two-syllable names seen with evidence (a title, a byline), so that the
  // same name elsewhere is accepted without it.
  absl::flat_hash_set<std::string> vouched_names_;
  // Two-syllable candidates without evidence, decided at the end.
  std::vector<std::pair<size_t, size_t>> pending_names_;
};

size_t Walker::AdminAt(size_t i, absl::string_view* level) const {
  if (i >= n() || blocked_[i]) return 0;
  const absl::string_view w = Lower(i);
  // Every administrative word starts with one of these bytes (đ: 0xC4,
  // ấ: 0xE1); most tokens stop here.
  if (w.empty() || absl::string_view("tqhxpblkđ\xE1").find(w[0]) == absl::string_view::npos) {
    return 0;
  }
  if (t_[i].text == "TP" || t_[i].text == "Tp") {
    *level = "thành phố";
    return 1;
  }
  for (const AdminWord& a : kAdminWords) {
    if (w != a.first) continue;
    if (a.second.empty()) {
      *level = a.level;
      return 1;
    }
    if (Joins(i) && Lower(i + 1) == a.second) {
      *level = a.level;
      return 2;
    }
  }
  return 0;
}

size_t Walker::PlaceNameRun(size_t i) const {
  if (i >= n() || blocked_[i] || !NameToken(i) || AllCaps(i)) return i;
  if (In(kNotPlaceWords, Lower(i))) return i;
  // A full personal name is not a place ("UBND tỉnh Nguyễn Văn A" is rare;
  // "Chủ tịch UBND xã Nguyễn Văn A" is not).
  if (MatchAt(i, Category::kFamilyName) != nullptr && PersonAt(i, false) >= i + 3) return i;
  size_t k = i;
  while (k < n() && k - i < 3) {
    if (blocked_[k] || !NameToken(k) || AllCaps(k) || In(kNotPlaceWords, Lower(k))) break;
    const Group* g = GroupAt(k);
    if (g != nullptr && MatchAt(k, Category::kFamilyName) == nullptr) break;
    if (k > i && MatchAt(k, Category::kFamilyName) != nullptr && PersonAt(k, false) > k + 1) {
      break;  // "xã Hải Tiến Nguyễn Văn Bình"
    }
    ++k;
    if (k < n() && !(SpaceAfter(k - 1) || Gap(k - 1) == "-")) break;
  }
  return k;
}

size_t Walker::ParsePlace(size_t i, bool allow_bare) {
  if (i >= n() || blocked_[i]) return i;
  size_t end = i;
  if (const GazetteerMatch* m = LocAt(i)) {
    EmitLoc(m->begin, m->end, m, m->entry->level, "loc.gazetteer");
    end = m->end;
  } else {
    absl::string_view level;
    const size_t len = AdminAt(i, &level);
    if (len == 0) return i;
    const size_t j = i + len;
    if (j < n() && Joins(j - 1)) {
      if (const GazetteerMatch* m = LocAt(j)) {
        EmitLoc(m->begin, m->end, m, level, "loc.admin_word");
        end = m->end;
      } else if (const size_t r = PlaceNameRun(j); r > j) {
        EmitLoc(j, r, nullptr, level, "loc.admin_word");
        end = r;
      }
    }
    if (end == i) {
      if (!allow_bare) return i;
      end = j;
    }
  }
  // "huyện Phụng Hiệp tỉnh Hậu Giang": a higher unit may follow directly.
  if (end < n() && Joins(end - 1)) {
    absl::string_view level;
    if (AdminAt(end, &level) > 0) {
      const size_t more = ParsePlace(end, allow_bare);
      if (more > end) end = more;
    }
  }
  return end;
}

size_t Walker::OrgNameRun(size_t i) const {
  if (i >= n() || blocked_[i] || !(Cap(i) || AllCaps(i)) || digit_[i]) return i;
  size_t k = i;
  size_t end = i;
  int lower_run = 0;
  while (k < n() && !blocked_[k] && k - i < 10) {
    if (k > i && !SpaceAfter(k - 1)) break;
    const Group* g = GroupAt(k);
    absl::string_view level;
    if (k > i && (AdminAt(k, &level) > 0 || (g != nullptr && MatchAt(k, Category::kFamilyName) ==
                                                                 nullptr))) {
      break;  // a place or another organisation: the caller attaches it
    }
    if (k > i && MatchAt(k, Category::kFamilyName) != nullptr && PersonAt(k, false) > k + 1) break;
    if (Cap(k) || AllCaps(k) || digit_[k]) {
      lower_run = 0;
      end = ++k;
      continue;
    }
    if (Lower(k) == "và" && k + 1 < n() && SpaceAfter(k) && Cap(k + 1)) {
      ++k;
      continue;
    }
    if (lower_run == 0 && !In(kNameStopWords, Lower(k))) {
      lower_run = 1;
      end = ++k;
      continue;
    }
    break;
  }
  return end;
}

size_t Walker::BlocNameRun(size_t i) const {
  size_t k = i;
  size_t end = i;
  while (k < n() && !blocked_[k] && (k == i || SpaceAfter(k - 1))) {
    const absl::string_view w = Lower(k);
    if (w == "cơ" && k + 1 < n() && SpaceAfter(k) && Lower(k + 1) == "quan") {
      end = k += 2;
      continue;
    }
    if (w == "doanh" && k + 1 < n() && SpaceAfter(k) && Lower(k + 1) == "nghiệp") {
      end = k += 2;
      continue;
    }
    if (w == "dân" && k + 1 < n() && SpaceAfter(k) && Lower(k + 1) == "chính") {
      end = k += 2;
      if (k < n() && SpaceAfter(k - 1) && Lower(k) == "đảng") end = ++k;
      continue;
    }
    if (w == "các" || w == "và") {
      ++k;
      continue;
    }
    break;
  }
  return end;
}

// True if the organisation head alone names a body ("Tỉnh ủy", "Bộ Chính
// trị", "MTTQ"), not only with a complement ("Đảng bộ [tỉnh X]", "Sở [Y tế]").
bool Standalone(const GazetteerMatch& m) {
  const GazetteerEntry& e = *m.entry;
  if (e.kind == "unit" || e.follows == Follows::kName || In(kNeedsComplement, e.name)) return false;
  // "CP", "QH", "TU" alone are too ambiguous.
  return !(text::CountCodePoints(m.alias) <= 2 && absl::AsciiStrToUpper(m.alias) == m.alias);
}

size_t Walker::ParseOrg(size_t i, bool* reportable, int depth) {
  *reportable = false;
  const GazetteerMatch* m = MatchAt(i, Category::kOrgHead);
  if (m == nullptr || blocked_[i]) return i;
  const GazetteerEntry& e = *m->entry;
  size_t j = m->end;
  bool complement = false;
  const bool bloc = e.name == "Đảng ủy Khối" || e.name == "Đảng bộ Khối";
  if (depth < 4 && j < n() && Joins(j - 1)) {
    if (bloc) {
      const size_t r = BlocNameRun(j);
      if (r > j) {
        j = r;
        complement = true;
      }
      if (j < n() && Joins(j - 1)) {
        const size_t p = ParsePlace(j, /*allow_bare=*/true);
        if (p > j) {
          j = p;
          complement = true;
        }
      }
    } else {
      switch (e.follows) {
        case Follows::kOrg:
        case Follows::kMaybeOrg: {
          bool inner_ok = false;
          const size_t o = ParseOrg(j, &inner_ok, depth + 1);
          if (o > j) {
            j = o;
            complement = true;
          } else if (const size_t p = ParsePlace(j, /*allow_bare=*/false); p > j) {
            j = p;
            complement = true;
          }
          break;
        }
        case Follows::kPlace:
        case Follows::kMaybePlace: {
          const size_t p = ParsePlace(j, /*allow_bare=*/true);
          if (p > j) {
            j = p;
            complement = true;
          }
          break;
        }
        case Follows::kName: {
          const size_t r = OrgNameRun(j);
          if (r > j) {
            j = r;
            complement = true;
            if (j < n() && Joins(j - 1)) {
              bool inner_ok = false;
              const GazetteerMatch* next = MatchAt(j, Category::kOrgHead);
              if (next != nullptr && next->entry->follows == Follows::kPlace) {
                j = ParseOrg(j, &inner_ok, depth + 1);
              } else {
                j = ParsePlace(j, /*allow_bare=*/true);
              }
            }
          }
          break;
        }
        case Follows::kNothing:
          if (e.kind == "front" || e.kind == "mass") {
            absl::string_view level;
            if (AdminAt(j, &level) > 0) {
              const size_t p = ParsePlace(j, /*allow_bare=*/true);
              if (p > j) {
                j = p;
                complement = true;
              }
            }
          }
          break;
      }
    }
  }
  *reportable = complement || bloc || Standalone(*m);
  if (e.kind == "unit" && !complement) return i;
  return j;
}

size_t Walker::PersonAt(size_t i, bool context) const {
  if (i >= n() || blocked_[i] || !NameToken(i) || AllCaps(i)) return i;
  const GazetteerMatch* fam = MatchAt(i, Category::kFamilyName);
  const Group* g0 = GroupAt(i);
  if (fam == nullptr && (!context || g0 != nullptr)) return i;
  size_t k = fam != nullptr ? fam->end : i + 1;
  size_t plain = 0;
  while (k < n() && k - i < 5 && SpaceAfter(k - 1) && !blocked_[k] && NameToken(k) &&
         !AllCaps(k)) {
    const Group* g = GroupAt(k);
    if (g == nullptr) {
      ++plain;
      ++k;
      continue;
    }
    if (g->end == k + 1 && (MatchAt(k, Category::kFamilyName) != nullptr || IsUnitWord(k))) {
      ++plain;  // "Văn", "Hoàng", "Trường" as middle or given names
      ++k;
      continue;
    }
    if (LocAt(k) != nullptr && g->end - i <= 4 && (plain >= 1 || context)) {
      k = g->end;  // "Nguyễn Thị Thái Bình": a place name as given name
      break;
    }
    break;
  }
  if (k - i < 2) return i;
  if (k - i == 1 + (fam != nullptr ? fam->end - fam->begin - 1 : 0)) return i;
  return k;
}

void Walker::EmitLoc(size_t b, size_t e, const GazetteerMatch* m, absl::string_view level,
                     absl::string_view rule) {
  if (!options_.locs || b >= e) return;
  if (!locs_.emplace(b, e).second) return;
  Entity ent;
  ent.type = EntityType::kLoc;
  ent.begin = t_[b].begin;
  ent.end = t_[e - 1].end;
  ent.surface = std::string(text_.substr(ent.begin, ent.end - ent.begin));
  ent.canonical = ent.surface;
  ent.rule = std::string(rule);
  if (m != nullptr) {
    ent.source = m->entry->source;
    // An abbreviation ("TP.HCM", "BR-VT") or a spelling with an
    // administrative word ("TP Hồ Chí Minh", "Thủ đô Hà Nội") becomes the
    // name in the data; spelling variants stay as written.
    const absl::string_view first = t_[b].lower;
    const bool abbreviation = absl::AsciiStrToUpper(m->alias) == m->alias;
    if (abbreviation || first == "tp" || first == "thủ" ||
        (first == "thành" && m->entry->name != ent.surface && e - b > 2)) {
      ent.canonical = m->entry->name;
    }
  }
  ent.attributes.emplace_back("level", std::string(level));
  if (m != nullptr && m->entry->category == Category::kDistrict) {
    ent.attributes.emplace_back("province", m->entry->parent);
  }
  out_->entities.push_back(std::move(ent));
}

void Walker::LocsInside(size_t b, size_t e) {
  if (e - b < 2) return;
  const absl::Span<const text::Token> sub(t_.data() + b + 1, e - b - 1);
  GazetteerMatchOptions exact;
  exact.diacritics = DiacriticsMode::kExact;
  for (const GazetteerMatch& m : gaz_.FindAll(text_, sub, exact)) {
    if (!IsLocCategory(m.entry->category)) continue;
    GazetteerMatch shifted = m;
    shifted.begin += b + 1;
    shifted.end += b + 1;
    EmitLoc(shifted.begin, shifted.end, &shifted, m.entry->level, "loc.in_org_name");
  }
}

void Walker::EmitOrg(size_t b, size_t e, const GazetteerEntry* head, absl::string_view rule) {
  if (!options_.orgs || b >= e) return;
  if (!orgs_.emplace(b, e).second) return;
  Entity ent;
  ent.type = EntityType::kOrg;
  ent.begin = t_[b].begin;
  ent.end = t_[e - 1].end;
  ent.surface = std::string(text_.substr(ent.begin, ent.end - ent.begin));
  ent.canonical = ent.surface;
  ent.rule = std::string(rule);
  if (head != nullptr) {
    ent.source = head->source;
    ent.attributes.emplace_back("head", head->name);
    ent.attributes.emplace_back("kind", head->kind);
  }
  out_->entities.push_back(std::move(ent));
}

void Walker::EmitPerson(size_t b, size_t e, absl::string_view rule) {
  if (b >= e) return;
  const std::string name(text_.substr(t_[b].begin, t_[e - 1].end - t_[b].begin));
  if (rule != "person.family_name") vouched_names_.insert(name);
  if (!options_.persons || !persons_.emplace(b, e).second) return;
  Entity ent;
  ent.type = EntityType::kPerson;
  ent.begin = t_[b].begin;
  ent.end = t_[e - 1].end;
  ent.surface = name;
  ent.canonical = name;
  ent.rule = std::string(rule);
  if (const GazetteerMatch* fam = MatchAt(b, Category::kFamilyName)) ent.source = fam->entry->source;
  out_->entities.push_back(std::move(ent));
}

void Walker::EmitRole(size_t pb, size_t pe, const Role& r, absl::string_view rule) {
  if (!options_.roles) return;
  Relation rel;
  rel.person_begin = t_[pb].begin;
  rel.person_end = t_[pe - 1].end;
  rel.person = std::string(text_.substr(rel.person_begin, rel.person_end - rel.person_begin));
  rel.title_begin = r.begin;
  rel.title_end = r.end;
  rel.title = std::string(text_.substr(r.begin, r.end - r.begin));
  if (r.org_end > r.org_begin) {
    rel.organisation = std::string(text_.substr(r.org_begin, r.org_end - r.org_begin));
  }
  rel.rule = std::string(rule);
  out_->relations.push_back(std::move(rel));
}

size_t Walker::ParseTitleChain(size_t i, std::vector<Role>* roles) {
  size_t j = i;
  while (j < n()) {
    if (const GazetteerMatch* h = HonorificAt(j)) {
      // "đồng chí Bí thư ...", "PGS.TS ...": skip to what follows.
      if (h->end < n() && (SpaceAfter(h->end - 1) || Gap(h->end - 1) == ". " ||
                           Gap(h->end - 1) == ".")) {
        if (PositionAt(h->end) != nullptr || HonorificAt(h->end) != nullptr) {
          j = h->end;
          continue;
        }
      }
      return j;
    }
    const GazetteerMatch* m = PositionAt(j);
    if (m == nullptr) return j;
    Role role;
    role.begin = t_[j].begin;
    if (j > 0 && Lower(j - 1) == "nguyên" && SpaceAfter(j - 1)) role.begin = t_[j - 1].begin;
    size_t k = m->end;
    // A title that contains its body ("Ủy viên Ban Thường vụ", "Trưởng Ban
    // Tổ chức", "Chủ tịch Quốc hội"): that body is an organisation too.
    size_t inner = m->end;
    GazetteerMatch inner_match;
    // The body may run past the title ("Trưởng Ban Tổ chức" + "Trung
    // ương": "Ban Tổ chức Trung ương"), so look a few tokens further.
    size_t inner_end = m->end;
    for (size_t s = m->begin + 1; s < m->end; ++s) {
      size_t limit = m->end;
      while (limit < n() && limit < m->end + 4 && !blocked_[limit] && SpaceAfter(limit - 1)) ++limit;
      const absl::Span<const text::Token> sub(t_.data() + s, limit - s);
      GazetteerMatchOptions exact;
      exact.diacritics = DiacriticsMode::kExact;
      const std::vector<GazetteerMatch> found = gaz_.FindAll(text_, sub, exact);
      if (!found.empty() && found[0].begin == 0 && found[0].end >= m->end - s &&
          found[0].entry->category == Category::kOrgHead) {
        inner = s;
        inner_match = found[0];
        inner_match.begin += s;
        inner_match.end += s;
        inner_end = inner_match.end;
        break;
      }
    }
    k = inner_end;
    const bool has_inner = inner < m->end;
    const bool takes_org = m->entry->follows == Follows::kOrg ||
                           m->entry->follows == Follows::kMaybeOrg || has_inner;
    // The organisation the title names: [org_b, org_e) in tokens.
    size_t org_b = has_inner ? inner : k;
    size_t org_e = k;
    bool org_ok = has_inner && Standalone(inner_match);
    const GazetteerEntry* head = has_inner ? inner_match.entry : nullptr;
    if (takes_org && k < n() && Joins(k - 1)) {
      bool ok = false;
      const size_t o = ParseOrg(k, &ok);
      if (o > k) {
        if (!has_inner) {
          org_ok = ok;
          head = MatchAt(k, Category::kOrgHead)->entry;
        } else {
          org_ok = true;  // "Ủy viên Ban Thường vụ" + "Tỉnh ủy"
        }
        k = org_e = o;
      } else if (const size_t p = ParsePlace(k, /*allow_bare=*/has_inner); p > k) {
        k = p;  // "Đại biểu Quốc hội tỉnh Hậu Giang"
        if (has_inner && inner_match.entry->follows != Follows::kNothing) {
          org_e = p;
          org_ok = true;
        }
      }
    }
    if (org_b < org_e && org_ok) {
      EmitOrg(org_b, org_e, head, has_inner ? "org.in_title" : "org.after_title");
      if (!has_inner) {
        const GazetteerMatch* h = MatchAt(org_b, Category::kOrgHead);
        if (h != nullptr && h->end - h->begin >= 2) LocsInside(org_b, h->end);
      } else if (inner_match.end - inner_match.begin >= 2) {
        LocsInside(org_b, inner_match.end);
      }
    }
    role.end = t_[k - 1].end;
    if (org_b < org_e) {
      role.org_begin = t_[org_b].begin;
      role.org_end = t_[org_e - 1].end;
    }
    roles->push_back(role);
    j = k;
    if (j >= n()) break;
    // The chain goes on after ", ", " - " or " kiêm " when another position
    // follows ("Ủy viên Trung ương Đảng - Bí thư Tỉnh ủy").
    const absl::string_view gap = Gap(j - 1);
    size_t next = j;
    if (gap == ", " || gap == " - " || gap == ",") {
      next = j;
    } else if (gap == " " && Lower(j) == "kiêm" && j + 1 < n() && SpaceAfter(j)) {
      next = j + 1;
    } else {
      break;
    }
    if (next < n() && Lower(next) == "nguyên" && SpaceAfter(next)) ++next;
    if (next >= n() || blocked_[next] || PositionAt(next) == nullptr) break;
    j = next;
  }
  return j;
}

size_t Walker::RolesAfterName(size_t p, size_t person_begin) {
  if (p >= n()) return p;
  size_t k = p;
  absl::string_view gap = Gap(p - 1);
  if (gap == " (") {
    // "Đồng chí Ngô Hoàng Ngân (ngoài cùng, bên phải), Bí thư ..."
    const size_t close = text_.find(')', t_[p - 1].end);
    const size_t line_end = text_.find('\n', t_[p - 1].end);
    if (close == absl::string_view::npos || close > line_end || close - t_[p - 1].end > 80) {
      return p;
    }
    while (k < n() && t_[k].begin < close) ++k;
    if (k >= n()) return p;
    gap = text_.substr(close + 1, t_[k].begin - close - 1);
    if (gap != ", " && gap != " - ") return p;
  } else if (gap != ", " && gap != " - ") {
    return p;
  }
  size_t start = k;
  if (Lower(start) == "nguyên" && SpaceAfter(start)) ++start;
  if (blocked_[start] || PositionAt(start) == nullptr) return p;
  std::vector<Role> roles;
  const size_t end = ParseTitleChain(start, &roles);
  if (roles.empty()) return p;
  // If a name follows the chain directly, its last title belongs to that
  // name ("X, Phó Bí thư Thành ủy Y").
  if (end < n() && Joins(end - 1) && PersonAt(end, true) > end) {
    const size_t next_end = PersonAt(end, true);
    EmitPerson(end, next_end, "person.after_title");
    EmitRole(end, next_end, roles.back(), "role.before_name");
    roles.pop_back();
    for (const Role& r : roles) EmitRole(person_begin, p, r, "role.after_name");
    return next_end;
  }
  for (const Role& r : roles) EmitRole(person_begin, p, r, "role.after_name");
  return end;
}

size_t Walker::TitleAt(size_t i) {
  std::vector<Role> roles;
  size_t j = ParseTitleChain(i, &roles);
  // The honorific just before the name: "Bí thư Tỉnh ủy, đồng chí X".
  bool vouched = !roles.empty();
  size_t name_at = n();  // none unless the name follows the chain directly
  if (j < n() && !blocked_[j]) {
    if (const GazetteerMatch* h = HonorificAt(j)) {
      if (j == i || SpaceAfter(j - 1) || Gap(j - 1) == ", ") {
        size_t k = h->end;
        while (k < n() && (SpaceAfter(k - 1) || Gap(k - 1) == "." || Gap(k - 1) == ". ") &&
               HonorificAt(k) != nullptr) {
          k = HonorificAt(k)->end;
        }
        if (k < n() && (SpaceAfter(k - 1) || Gap(k - 1) == "." || Gap(k - 1) == ". ")) {
          name_at = k;
          vouched = true;
        }
      }
    } else if (!roles.empty() && j > 0 && SpaceAfter(j - 1)) {
      name_at = j;
    }
  }
  if (!vouched || name_at >= n()) return std::max(j, i + 1);
  const size_t pe = PersonAt(name_at, true);
  if (pe <= name_at) return std::max(j, i + 1);
  EmitPerson(name_at, pe, roles.empty() ? "person.after_honorific" : "person.after_title");
  for (const Role& r : roles) EmitRole(name_at, pe, r, "role.before_name");
  return RolesAfterName(pe, name_at);
}

size_t Walker::PlenumAt(size_t i, size_t k) {
  // "Nghị quyết [Hội nghị] (Trung ương|T.Ư|TƯ|TW) [Đảng] [lần thứ] N
  //  [(khóa XII)]" or "Nghị quyết Hội nghị lần thứ tư Ban Chấp hành Trung
  //  ương [Đảng] khóa XII".
  auto word = [&](size_t p, absl::string_view w) { return p < n() && Lower(p) == w; };
  auto joined = [&](size_t p) {  // token p follows p - 1 with a space
    return p < n() && SpaceAfter(p - 1) && !blocked_[p];
  };
  if (!joined(k)) return i;
  size_t p = k;
  if (word(p, "hội") && joined(p + 1) && word(p + 1, "nghị")) p += 2;
  bool central = false;
  auto central_at = [&](size_t q) -> size_t {
    if (!joined(q)) return q;
    if (word(q, "trung") && joined(q + 1) && word(q + 1, "ương")) return q + 2;
    if (t_[q].text == "TƯ" || t_[q].text == "TW") return q + 1;
    if (t_[q].text == "T" && q + 1 < n() && Gap(q) == "." && t_[q + 1].text == "Ư") return q + 2;
    return q;
  };
  if (const size_t c = central_at(p); c > p) {
    central = true;
    p = c;
    if (joined(p) && word(p, "đảng")) ++p;
  }
  if (joined(p) && word(p, "lần") && joined(p + 1) && word(p + 1, "thứ")) p += 2;
  int number = 0;
  if (joined(p) && digit_[p] && t_[p].text.size() <= 2) {
    number = std::stoi(t_[p].text);
    ++p;
  } else if (joined(p)) {
    for (const Ordinal& o : kOrdinals) {
      if (Lower(p) != o.word) continue;
      number = o.value;
      ++p;
      if (o.value == 10 && joined(p)) {  // "mười hai", "mười lăm"
        for (const Ordinal& u : kOrdinals) {
          if (u.value < 10 && (Lower(p) == u.word || (u.value == 5 && Lower(p) == "lăm"))) {
            number += u.value;
            ++p;
            break;
          }
        }
        if (p < n() && Lower(p) == "lăm" && number == 10) {
          number = 15;
          ++p;
        }
      }
      break;
    }
  }
  if (number == 0) return i;
  if (!central) {
    // "Hội nghị lần thứ tư Ban Chấp hành Trung ương Đảng"
    if (joined(p) && word(p, "ban") && joined(p + 1) && word(p + 1, "chấp") && joined(p + 2) &&
        word(p + 2, "hành")) {
      const size_t c = central_at(p + 3);
      if (c == p + 3) return i;
      p = c;
      if (joined(p) && word(p, "đảng")) ++p;
      central = true;
    }
  }
  if (!central) return i;
  size_t end = p;
  std::string term;
  // " (khóa XII)", " khóa XII", ", khóa XII"
  if (p < n()) {
    const absl::string_view gap = Gap(p - 1);
    if ((gap == " (" || gap == " " || gap == ", ") && (word(p, "khóa") || word(p, "khoá")) &&
        p + 1 < n() && SpaceAfter(p) && AllCaps(p + 1)) {
      const std::string roman = t_[p + 1].text;
      if (roman.find_first_not_of("IVXL") == std::string::npos) {
        term = roman;
        end = p + 2;
      }
    }
  }
  Entity ent;
  ent.type = EntityType::kDocRef;
  ent.begin = t_[i].begin;
  ent.end = t_[end - 1].end;
  if (!term.empty() && Gap(p - 1) == " (" && ent.end < text_.size() && text_[ent.end] == ')') {
    ++ent.end;
  }
  ent.surface = std::string(text_.substr(ent.begin, ent.end - ent.begin));
  ent.canonical = absl::StrCat("Nghị quyết Trung ương ", number);
  if (!term.empty()) absl::StrAppend(&ent.canonical, " khóa ", term);
  ent.rule = "doc_ref.plenum";
  ent.attributes = {{"kind", "nghị quyết"}, {"plenum", absl::StrCat(number)}};
  if (!term.empty()) ent.attributes.emplace_back("term", term);
  out_->entities.push_back(std::move(ent));
  return end;
}

size_t Walker::DocTypeAt(size_t i) {
  const GazetteerMatch* m = MatchAt(i, Category::kDocType);
  if (m == nullptr || !options_.doc_refs) return i;
  // Only the type word, not its code ("CT 05" is no citation form).
  if (m->alias != m->entry->name) return i;
  const size_t k = m->end;
  if (m->entry->name == "Nghị quyết") {
    const size_t p = PlenumAt(i, k);
    if (p > i) return k;  // organisations inside the name are still read
  }
  if (k >= n() || !Joins(k - 1)) return i;
  size_t p = k;
  const bool so = Lower(p) == "số";
  if (so) {
    if (!Joins(p)) return i;
    ++p;
  }
  if (!digit_[p] || t_[p].text.size() > 4 ||
      t_[p].text.find_first_not_of("0123456789") != std::string::npos) {
    return i;
  }
  // The number ends the reference: not "05/2019", "5.000", "2015-2020".
  const absl::string_view after = Gap(p);
  if (p + 1 < n() && (after == "/" || after == "-" || after == "." || after == ",")) return i;
  if (p + 1 < n() && after == " " && (In(kCountWords, Lower(p + 1)) || digit_[p + 1])) return i;
  if (after.size() >= 2 && after[0] == '%') return i;
  Entity ent;
  ent.type = EntityType::kDocRef;
  ent.begin = t_[i].begin;
  ent.end = t_[p].end;
  ent.surface = std::string(text_.substr(ent.begin, ent.end - ent.begin));
  ent.canonical = absl::StrCat(m->entry->name, " ", t_[p].text);
  ent.rule = "doc_ref.numbered";
  ent.source = m->entry->source;
  ent.attributes = {{"kind", std::string(text::ToLower(m->entry->name))},
                    {"number", t_[p].text}};
  out_->entities.push_back(std::move(ent));
  return p + 1;
}

size_t Walker::BylineName(size_t k, size_t last) const {
  size_t e = k;
  while (e < last && e - k < 4 && NameToken(e) && !AllCaps(e) && !blocked_[e] &&
         text::CountCodePoints(t_[e].text) >= 2 && (e == k || SpaceAfter(e - 1))) {
    const Group* g = GroupAt(e);
    if (g != nullptr && MatchAt(e, Category::kFamilyName) == nullptr &&
        !(g->end == e + 1 && IsUnitWord(e))) {
      // A place may end a name ("Thu Hà"), never start one.
      if (e > k && LocAt(e) != nullptr && g->end - k <= 4 &&
          (g->end == last || Gap(g->end - 1) != " ")) {
        return g->end;
      }
      return k;
    }
    ++e;
  }
  return e - k >= 2 ? e : k;
}

void Walker::Bylines() {
  // A byline is a line after the first (the title) that is only a name
  // ("Huy Kiên"), two names ("Văn Hùng - Minh Anh"), or a name and the
  // author's unit ("Nguyễn Cường - Đảng ủy Khối", "Lê Xuân Thủy (TTXVN)").
  size_t tok = 0;
  size_t line_begin = 0;
  bool first_line = true;
  while (line_begin < text_.size()) {
    size_t line_end = text_.find('\n', line_begin);
    if (line_end == absl::string_view::npos) line_end = text_.size();
    while (tok < n() && t_[tok].begin < line_begin) ++tok;
    size_t last = tok;
    while (last < n() && t_[last].end <= line_end) ++last;
    if (last == tok) {
      line_begin = line_end + 1;
      continue;
    }
    const bool was_first = first_line;
    const bool starts_line = t_[tok].begin == line_begin;
    first_line = false;
    line_begin = line_end + 1;
    if (was_first || !starts_line || last - tok > 10) continue;
    const absl::string_view tail = text_.substr(t_[last - 1].end, line_end - t_[last - 1].end);
    if (!(tail.empty() || tail == ")" || tail == ".")) continue;
    const size_t e1 = BylineName(tok, last);
    if (e1 == tok) continue;
    if (e1 == last) {
      EmitPerson(tok, e1, "person.byline");
      continue;
    }
    const absl::string_view gap = Gap(e1 - 1);
    if (gap == " - " || gap == ", ") {
      const size_t e2 = BylineName(e1, last);
      if (e2 == last) {
        EmitPerson(tok, e1, "person.byline");
        EmitPerson(e1, e2, "person.byline");
        continue;
      }
      if (gap == " - " && last - e1 <= 6) EmitPerson(tok, e1, "person.byline");
    } else if (gap == " (" && tail == ")" && last - e1 <= 6) {
      EmitPerson(tok, e1, "person.byline");
    }
  }
}

void Walker::Run() {
  // Per-token properties.
  cap_.assign(n(), 0);
  all_caps_.assign(n(), 0);
  digit_.assign(n(), 0);
  name_token_.assign(n(), 0);
  for (size_t i = 0; i < n(); ++i) {
    const text::Token& t = t_[i];
    const char32_t c0 = FirstCodePoint(t.text);
    const char32_t l0 = FirstCodePoint(t.lower);
    digit_[i] = c0 >= '0' && c0 <= '9';
    cap_[i] = c0 != l0;
    if (cap_[i] && t.text.size() > 1) {
      // All capitals: every code point differs from its lower-case form.
      size_t a = 0, b = 0;
      bool all = true;
      int letters = 0;
      while (a < t.text.size() && b < t.lower.size()) {
        const char32_t x = text::DecodeUtf8(t.text, &a);
        const char32_t y = text::DecodeUtf8(t.lower, &b);
        ++letters;
        if (x == y && !(x >= '0' && x <= '9')) all = false;
      }
      all_caps_[i] = all && letters >= 2;
    }
    if (cap_[i] && !digit_[i]) {
      // Upper-case first letter, the rest lower case ("Kiên", not "KIÊN").
      size_t a = 0, b = 0;
      text::DecodeUtf8(t.text, &a);
      text::DecodeUtf8(t.lower, &b);
      const bool rest_lower = t.text.substr(a) == t.lower.substr(b);
      // Vietnamese-shaped, or with a Vietnamese letter ("Kđăm"): not
      // "Android" or "Facebook".
      name_token_[i] = rest_lower && text::CountCodePoints(t.text) <= 7 &&
                       (t.text.size() <= 2 || IsVietnameseSyllableShape(t.folded) ||
                        t.text.size() != t.folded.size());
      if (t.text.size() == 1 && !(c0 >= 'A' && c0 <= 'Z')) name_token_[i] = 0;
    }
  }
  // Gazetteer matches outside the scanner's entities: the longest valid
  // span at each position, its alternatives grouped. Valid: no token is
  // blocked, and every punctuation mark between its tokens is one its
  // spelling has ("Bà Rịa - Vũng Tàu", "TP.HCM"), so "Thành - Ủy viên" is
  // no "Thành ủy" and "Trung ương, Đảng bộ" no "Trung ương Đảng".
  group_at_.assign(n(), -1);
  // Exact diacritics: normalised news text carries them, and a bare
  // spelling would let the given name "Phong" match the unit "Phòng".
  GazetteerMatchOptions exact;
  exact.diacritics = DiacriticsMode::kExact;
  const std::vector<GazetteerMatch> all = gaz_.FindAllOverlapping(text_, t_, exact);
  auto valid = [&](const GazetteerMatch& m) {
    for (size_t k = m.begin; k < m.end; ++k) {
      if (blocked_[k]) return false;
      if (k + 1 < m.end) {
        // The period of an abbreviation is no break ("TP. Hồ Chí Minh").
        const bool abbreviation = AllCaps(k) || t_[k].text == "Tp";
        for (const char c : text_.substr(t_[k].end, t_[k + 1].begin - t_[k].end)) {
          if (c == '.' && abbreviation) continue;
          if (c != ' ' && m.alias.find(c) == absl::string_view::npos) return false;
        }
      }
    }
    return true;
  };
  size_t next_free = 0;  // first token not inside a chosen span
  for (size_t a = 0; a < all.size();) {
    size_t b = a;  // [a, b): the matches of one start position
    while (b < all.size() && all[b].begin == all[a].begin) ++b;
    if (all[a].begin >= next_free) {
      for (size_t k = a; k < b; ++k) {
        if (!valid(all[k])) continue;
        const size_t end = all[k].end;
        groups_.push_back(Group{all[k].begin, end, matches_.size(), 0});
        for (size_t q = k; q < b && all[q].end == end; ++q) {
          if (!valid(all[q])) continue;
          matches_.push_back(all[q]);
          ++groups_.back().count;
        }
        group_at_[all[k].begin] = static_cast<int>(groups_.size() - 1);
        next_free = end;
        break;
      }
    }
    a = b;
  }

  Bylines();

  size_t i = 0;
  while (i < n()) {
    if (blocked_[i]) {
      ++i;
      continue;
    }
    // Photo credits: "Ảnh: Vi Thu".
    if (Lower(i) == "ảnh" && i + 1 < n() && (Gap(i) == ": " || Gap(i) == ":")) {
      const size_t pe = PersonAt(i + 1, true);
      if (pe > i + 1) {
        EmitPerson(i + 1, pe, "person.photo_credit");
        i = pe;
        continue;
      }
    }
    const Group* g = GroupAt(i);
    if (g == nullptr) {
      // An administrative word and a name: "xã Hải Tiến", "TP Móng Cái".
      const size_t p = ParsePlace(i, /*allow_bare=*/false);
      i = p > i ? p : i + 1;
      continue;
    }
    const GazetteerMatch* title = MatchAt(i, Category::kTitle);
    const GazetteerMatch* family = MatchAt(i, Category::kFamilyName);
    if (title != nullptr && family != nullptr) {
      // "Ông" the honorific or the family name: a name right after decides.
      if (PersonAt(title->end, true) == title->end) title = nullptr;
    }
    if (title != nullptr) {
      i = TitleAt(i);
      continue;
    }
    if (MatchAt(i, Category::kOrgHead) != nullptr) {
      bool reportable = false;
      const size_t e = ParseOrg(i, &reportable);
      if (e > i) {
        if (reportable) {
          const GazetteerMatch* head = MatchAt(i, Category::kOrgHead);
          EmitOrg(i, e, head->entry, "org.head");
          if (head->end - head->begin >= 2) LocsInside(i, head->end);
        }
        i = e;
        continue;
      }
    }
    if (const GazetteerMatch* loc = LocAt(i)) {
      EmitLoc(loc->begin, loc->end, loc, loc->entry->level, "loc.gazetteer");
      i = loc->end;
      continue;
    }
    if (family != nullptr) {
      const size_t pe = PersonAt(i, false);
      if (pe > i) {
        const size_t len = pe - i;
        const size_t after = RolesAfterName(pe, i);
        if (after > pe) {
          EmitPerson(i, pe, "person.before_title");
          i = after;
          continue;
        }
        if (len >= 3) {
          EmitPerson(i, pe, "person.family_name");
        } else {
          pending_names_.emplace_back(i, pe);
        }
        i = pe;
        continue;
      }
    }
    if (MatchAt(i, Category::kDocType) != nullptr) {
      const size_t e = DocTypeAt(i);
      if (e > i) {
        i = e;
        continue;
      }
    }
    i = g->end;
  }
  // Two-syllable names count when the same name had evidence elsewhere.
  for (const auto& [b, e] : pending_names_) {
    const std::string name(text_.substr(t_[b].begin, t_[e - 1].end - t_[b].begin));
    if (vouched_names_.contains(name)) EmitPerson(b, e, "person.known_name");
  }
}

}  // namespace

bool IsVietnameseSyllableShape(absl::string_view w) {
  static constexpr absl::string_view kInitials[] = {
      "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr", "b", "c",
      "d",   "g",  "h",  "k",  "l",  "m",  "n",  "p",  "r",  "s",  "t",  "v", "x"};
  static constexpr absl::string_view kFinals[] = {"", "c", "ch", "m", "n", "ng", "nh", "p", "t"};
  auto is_vowel = [](char c) {
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
  };
  auto rest_ok = [&](absl::string_view r) {
    size_t v = 0;
    while (v < r.size() && is_vowel(r[v])) ++v;
    if (v == 0 || v > 3) return false;
    return In(kFinals, r.substr(v));
  };
  if (w.empty() || w.size() > 7) return false;
  if (rest_ok(w)) return true;
  for (absl::string_view init : kInitials) {
    if (w.size() > init.size() && w.substr(0, init.size()) == init && rest_ok(w.substr(init.size()))) {
      return true;
    }
  }
  // "gì", "gìn": g + i as the vowel.
  return w.size() >= 2 && w[0] == 'g' && rest_ok(w.substr(1));
}

void ApplyTokenRules(const Gazetteer& gazetteer, absl::string_view text,
                     const std::vector<text::Token>& tokens, const std::vector<char>& blocked,
                     const ExtractorOptions& options, ExtractResult* result) {
  Walker walker(gazetteer, text, tokens, blocked, options, result);
  walker.Run();
}

}  // namespace internal
}  // namespace extract
}  // namespace vnarchive
