#include "services/extract/core/gazetteer.h"

#include <algorithm>
#include <cstdlib>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/base/log.h"
#include "common/base/status_macros.h"
#include "common/text/nfc.h"
#include "common/text/utf8.h"
#include "services/extract/core/gazetteer_data.h"

namespace vnarchive {
namespace extract {

// --- Private types ---------------------------------------------------------

namespace {

constexpr uint32_t kNoNode = 0xFFFFFFFFu;
constexpr uint32_t kNoSyllable = 0xFFFFFFFFu;
constexpr uint32_t kRoot = 0;

// How one syllable of a spelling constrains the case of the text.
enum class CaseRule : uint8_t {
  kAny,      // any case
  kCapital,  // starts with a capital
  kExact,    // the same letters in capitals (an abbreviation: TP, QĐi, A)
};

// Which syllables of a spelling must keep the data's capitals, per category
// (abbreviations are exact everywhere).
enum class CasePolicy : uint8_t { kEverySyllable, kFirstSyllable, kNone };

CasePolicy PolicyFor(GazetteerCategory category) {
  switch (category) {
    case GazetteerCategory::kProvince:
    case GazetteerCategory::kDistrict:
    case GazetteerCategory::kFamilyName:
    case GazetteerCategory::kIssuer:
    case GazetteerCategory::kPlace:
      return CasePolicy::kEverySyllable;
    case GazetteerCategory::kOrgHead:
      // "Ủy ban nhân dân" / "Ủy ban Nhân dân" both occur; "bộ" and "sở" as
      // ordinary words do not start with a capital.
      return CasePolicy::kFirstSyllable;
    case GazetteerCategory::kTitle:
    case GazetteerCategory::kDocType:
      return CasePolicy::kNone;  // "bí thư chi bộ", "nghị quyết số 12"
  }
  return CasePolicy::kNone;
}

// Vietnamese vowels, each followed by its forms with the tones huyền, sắc,
// hỏi, ngã and nặng, in that order (lower case: keys are built from Token::lower).
constexpr absl::string_view kVowelGroups[] = {
    "aàáảãạ", "ăằắẳẵặ", "âầấẩẫậ", "eèéẻẽẹ", "êềếểễệ", "iìíỉĩị",
    "oòóỏõọ", "ôồốổỗộ", "ơờớởỡợ", "uùúủũụ", "ưừứửữự", "yỳýỷỹỵ",
};

// Toned vowel -> (base vowel, tone 1..5), built once from kVowelGroups.
const absl::flat_hash_map<char32_t, std::pair<char32_t, uint8_t>>& ToneTable() {
  static const auto* const table = [] {
    auto* t = new absl::flat_hash_map<char32_t, std::pair<char32_t, uint8_t>>();
    for (absl::string_view group : kVowelGroups) {
      size_t pos = 0;
      const char32_t base = text::DecodeUtf8(group, &pos);
      for (uint8_t tone = 1; pos < group.size(); ++tone) {
        (*t)[text::DecodeUtf8(group, &pos)] = {base, tone};
      }
    }
    return t;
  }();
  return *table;
}

// Tone numbers of the combining marks NFD text carries (U+0300 grave = huyền,
// U+0301 acute = sắc, U+0309 hook = hỏi, U+0303 tilde = ngã, U+0323 dot = nặng).
uint8_t CombiningTone(char32_t cp) {
  switch (cp) {
    case 0x0300:
      return 1;
    case 0x0301:
      return 2;
    case 0x0309:
      return 3;
    case 0x0303:
      return 4;
    case 0x0323:
      return 5;
    default:
      return 0;
  }
}

// The syllable `lower` with its tone taken off the vowel and appended
// ("hóa" and "hoá" -> "hoa\x01" "2"), so two spellings compare equal exactly
// when they differ at most in where the tone mark sits.
std::string ToneKey(absl::string_view lower) {
  const auto& table = ToneTable();
  std::string key;
  key.reserve(lower.size());
  uint8_t tone = 0;
  size_t pos = 0;
  while (pos < lower.size()) {
    const unsigned char c = static_cast<unsigned char>(lower[pos]);
    if (c < 0x80) {
      key.push_back(static_cast<char>(c));
      ++pos;
      continue;
    }
    const size_t start = pos;
    const char32_t cp = text::DecodeUtf8(lower, &pos);
    if (const uint8_t t = CombiningTone(cp); t != 0) {
      tone = t;
      continue;
    }
    const auto it = table.find(cp);
    if (it == table.end()) {
      key.append(lower.data() + start, pos - start);
    } else {
      text::AppendUtf8(it->second.first, &key);
      tone = it->second.second;
    }
  }
  if (tone != 0) {
    key.push_back('\x01');
    key.push_back(static_cast<char>('0' + tone));
  }
  return key;
}

// Bit i set when code point i of `original` is not its lower-case form, i.e.
// is a capital (first 32 code points; Token::lower keeps the code-point count).
uint32_t UpperMask(absl::string_view original, absl::string_view lower) {
  uint32_t mask = 0;
  size_t a = 0;
  size_t b = 0;
  for (int i = 0; i < 32 && a < original.size() && b < lower.size(); ++i) {
    if (text::DecodeUtf8(original, &a) != text::DecodeUtf8(lower, &b)) mask |= 1u << i;
  }
  return mask;
}

// The gap between two tokens of one match may hold only these joiners ("Bà
// Rịa - Vũng Tàu", "TP.HCM", "Văn hóa, Thể thao", "GD&ĐT", "R'Lấp").
bool GapAllowsJoin(absl::string_view text, const text::Token& left, const text::Token& right) {
  if (text.empty()) return true;
  if (left.end > right.begin || right.begin > text.size()) return false;
  const absl::string_view gap = text.substr(left.end, right.begin - left.end);
  if (gap.size() > 3) return false;
  return std::all_of(gap.begin(), gap.end(), [](char c) {
    return c == ' ' || c == '-' || c == '.' || c == ',' || c == '/' || c == '&' || c == '\'';
  });
}

absl::Status RowError(absl::string_view file, int line, absl::string_view message) {
  return absl::InvalidArgumentError(absl::StrCat(file, ":", line, ": ", message));
}

// One data row: its 1-based line number and tab-separated fields.
struct Row {
  int line = 0;
  std::vector<absl::string_view> fields;
};

// Splits a data file into rows after checking its encoding and header.
// Lines that are empty or start with '#' are comments.
absl::StatusOr<std::vector<Row>> ParseTsv(absl::string_view file, absl::string_view contents,
                                          std::vector<absl::string_view> header) {
  if (absl::Status s = text::ValidateUtf8(contents); !s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(file, ": ", s.message()));
  }
  // Tokens of NFC text are compared with the data byte for byte.
  if (!text::IsNfc(contents)) {
    return absl::InvalidArgumentError(absl::StrCat(file, ": not in Unicode NFC"));
  }
  std::vector<Row> rows;
  bool have_header = false;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(contents, '\n')) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    std::vector<absl::string_view> fields = absl::StrSplit(line, '\t');
    if (!have_header) {
      if (fields != header) {
        return RowError(file, line_number,
                        absl::StrCat("expected the header \"", absl::StrJoin(header, "\\t"), "\""));
      }
      have_header = true;
      continue;
    }
    if (fields.size() != header.size()) {
      return RowError(file, line_number,
                      absl::StrCat("expected ", header.size(), " columns, got ", fields.size()));
    }
    for (size_t i = 0; i < fields.size(); ++i) {
      const absl::string_view f = fields[i];
      if (f.empty() || f.front() == ' ' || f.back() == ' ') {
        return RowError(file, line_number,
                        absl::StrCat("column ", header[i], " is empty or has outer spaces"));
      }
    }
    rows.push_back(Row{line_number, std::move(fields)});
  }
  if (!have_header) return absl::InvalidArgumentError(absl::StrCat(file, ": no header line"));
  return rows;
}

// A "|"-separated list; "-" is the empty list.
absl::StatusOr<std::vector<std::string>> SplitList(absl::string_view file, int line,
                                                   absl::string_view field) {
  std::vector<std::string> out;
  if (field == "-") return out;
  for (absl::string_view item : absl::StrSplit(field, '|')) {
    if (item.empty() || item.front() == ' ' || item.back() == ' ') {
      return RowError(file, line, absl::StrCat("empty or padded item in \"", field, "\""));
    }
    out.emplace_back(item);
  }
  return out;
}

absl::StatusOr<Follows> ParseFollows(absl::string_view file, int line, absl::string_view value,
                                     bool allow_place) {
  if (value == "-") return Follows::kNothing;
  if (value == "org") return Follows::kOrg;
  if (value == "org?") return Follows::kMaybeOrg;
  if (allow_place) {
    if (value == "place") return Follows::kPlace;
    if (value == "place?") return Follows::kMaybePlace;
    if (value == "name") return Follows::kName;
  }
  return RowError(file, line, absl::StrCat("unknown follows value \"", value, "\""));
}

std::string Where(absl::string_view file, int line) { return absl::StrCat(file, ":", line); }

}  // namespace

// --- Private structs of Gazetteer --------------------------------------------

struct Gazetteer::Syllable {
  std::string lower;        // Token::lower as written in the data
  std::string tone_key;     // ToneKey(lower)
  uint32_t upper_mask = 0;  // UpperMask as written in the data
  CaseRule rule = CaseRule::kAny;
};

struct Gazetteer::Alias {
  uint32_t entry = 0;
  std::string spelling;  // as written in the data (points into the entry)
  std::vector<Syllable> syllables;
};

// Per text token, each part computed only when a candidate needs it (most
// tokens are spelled as in the data and never need their tone key).
struct Gazetteer::TokenInfo {
  bool have_mask = false;
  bool have_key = false;
  uint32_t upper_mask = 0;
  std::string tone_key;
};

struct Gazetteer::Candidate {
  uint32_t alias = 0;
  uint32_t entry = 0;
  bool exact = false;
  bool case_matches = false;
};

// --- Construction -------------------------------------------------------------

Gazetteer::Gazetteer() { node_aliases_.emplace_back(); }  // the root
Gazetteer::~Gazetteer() = default;

const char* GazetteerCategoryName(GazetteerCategory category) {
  switch (category) {
    case GazetteerCategory::kProvince:
      return "province";
    case GazetteerCategory::kDistrict:
      return "district";
    case GazetteerCategory::kFamilyName:
      return "family_name";
    case GazetteerCategory::kTitle:
      return "title";
    case GazetteerCategory::kOrgHead:
      return "org_head";
    case GazetteerCategory::kDocType:
      return "doc_type";
    case GazetteerCategory::kIssuer:
      return "issuer";
    case GazetteerCategory::kPlace:
      return "place";
  }
  return "unknown";
}

GazetteerSources Gazetteer::BuiltinSources() {
  GazetteerSources sources;
  for (const internal::EmbeddedFile& f : internal::EmbeddedGazetteerFiles()) {
    if (f.name == "provinces.tsv") sources.provinces = f.contents;
    if (f.name == "districts.tsv") sources.districts = f.contents;
    if (f.name == "family_names.tsv") sources.family_names = f.contents;
    if (f.name == "titles.tsv") sources.titles = f.contents;
    if (f.name == "org_heads.tsv") sources.org_heads = f.contents;
    if (f.name == "doc_types.tsv") sources.doc_types = f.contents;
    if (f.name == "places.tsv") sources.places = f.contents;
  }
  return sources;
}

std::shared_ptr<const Gazetteer> Gazetteer::Default() {
  static const std::shared_ptr<const Gazetteer>* const instance = [] {
    absl::StatusOr<std::shared_ptr<const Gazetteer>> g = Create(BuiltinSources());
    if (!g.ok()) {
      LogError("built-in gazetteer data is invalid", {{"error", g.status().ToString()}});
      std::abort();
    }
    return new std::shared_ptr<const Gazetteer>(*std::move(g));
  }();
  return *instance;
}

absl::StatusOr<std::shared_ptr<const Gazetteer>> Gazetteer::Create(
    const GazetteerSources& sources) {
  std::unique_ptr<Gazetteer> g(new Gazetteer());
  std::vector<GazetteerEntry>& entries = g->entries_;

  // provinces.tsv
  constexpr absl::string_view kProvinces = "provinces.tsv";
  VNA_ASSIGN_OR_RETURN(std::vector<Row> rows,
                       ParseTsv(kProvinces, sources.provinces,
                                {"name", "level", "lists", "merged_into", "variants"}));
  absl::flat_hash_map<std::string, size_t> province_index;
  for (const Row& row : rows) {
    GazetteerEntry e;
    e.category = GazetteerCategory::kProvince;
    e.name = std::string(row.fields[0]);
    e.level = std::string(row.fields[1]);
    e.source = Where(kProvinces, row.line);
    if (e.level != "tỉnh" && e.level != "thành phố trực thuộc trung ương") {
      return RowError(kProvinces, row.line, absl::StrCat("unknown level \"", e.level, "\""));
    }
    const absl::string_view lists = row.fields[2];
    if (lists != "63" && lists != "34" && lists != "63,34") {
      return RowError(kProvinces, row.line, absl::StrCat("unknown lists \"", lists, "\""));
    }
    e.in_63_list = lists != "34";
    e.in_34_list = lists != "63";
    // A name that left the list went somewhere; one that stayed did not.
    if (lists == "63" ? row.fields[3] == "-" : row.fields[3] != "-") {
      return RowError(kProvinces, row.line,
                      "merged_into is required exactly for names only in the 63 list");
    }
    if (row.fields[3] != "-") e.parent = std::string(row.fields[3]);
    VNA_ASSIGN_OR_RETURN(std::vector<std::string> variants,
                         SplitList(kProvinces, row.line, row.fields[4]));
    e.aliases.push_back(e.name);
    for (std::string& v : variants) e.aliases.push_back(std::move(v));
    if (!province_index.emplace(e.name, entries.size()).second) {
      return RowError(kProvinces, row.line, absl::StrCat("duplicate province \"", e.name, "\""));
    }
    entries.push_back(std::move(e));
  }
  for (const GazetteerEntry& e : entries) {
    if (e.parent.empty()) continue;
    const auto it = province_index.find(e.parent);
    if (it == province_index.end() || !entries[it->second].in_34_list) {
      return absl::InvalidArgumentError(absl::StrCat(e.source, ": merged_into \"", e.parent,
                                                     "\" is not a province of the 34 list"));
    }
  }

  // districts.tsv
  constexpr absl::string_view kDistricts = "districts.tsv";
  VNA_ASSIGN_OR_RETURN(
      rows, ParseTsv(kDistricts, sources.districts, {"name", "level", "province", "variants"}));
  absl::flat_hash_set<std::pair<std::string, std::string>> districts_seen;
  for (const Row& row : rows) {
    GazetteerEntry e;
    e.category = GazetteerCategory::kDistrict;
    e.name = std::string(row.fields[0]);
    e.level = std::string(row.fields[1]);
    e.parent = std::string(row.fields[2]);
    e.source = Where(kDistricts, row.line);
    if (e.level != "quận" && e.level != "huyện" && e.level != "thị xã" && e.level != "thành phố") {
      return RowError(kDistricts, row.line, absl::StrCat("unknown level \"", e.level, "\""));
    }
    const auto it = province_index.find(e.parent);
    if (it == province_index.end() || !entries[it->second].in_63_list) {
      return RowError(kDistricts, row.line,
                      absl::StrCat("province \"", e.parent, "\" is not in the 63 list"));
    }
    if (!districts_seen.emplace(e.name, e.parent).second) {
      return RowError(kDistricts, row.line,
                      absl::StrCat("duplicate district \"", e.name, "\" of ", e.parent));
    }
    VNA_ASSIGN_OR_RETURN(std::vector<std::string> variants,
                         SplitList(kDistricts, row.line, row.fields[3]));
    e.aliases.push_back(e.name);
    for (std::string& v : variants) e.aliases.push_back(std::move(v));
    entries.push_back(std::move(e));
  }

  // family_names.tsv
  constexpr absl::string_view kFamilyNames = "family_names.tsv";
  VNA_ASSIGN_OR_RETURN(
      rows, ParseTsv(kFamilyNames, sources.family_names, {"name", "variants", "related"}));
  absl::flat_hash_set<std::string> family_names;
  const size_t first_family = entries.size();
  for (const Row& row : rows) {
    GazetteerEntry e;
    e.category = GazetteerCategory::kFamilyName;
    e.name = std::string(row.fields[0]);
    e.source = Where(kFamilyNames, row.line);
    if (!family_names.insert(e.name).second) {
      return RowError(kFamilyNames, row.line,
                      absl::StrCat("duplicate family name \"", e.name, "\""));
    }
    VNA_ASSIGN_OR_RETURN(std::vector<std::string> variants,
                         SplitList(kFamilyNames, row.line, row.fields[1]));
    VNA_ASSIGN_OR_RETURN(e.related, SplitList(kFamilyNames, row.line, row.fields[2]));
    e.aliases.push_back(e.name);
    for (std::string& v : variants) e.aliases.push_back(std::move(v));
    entries.push_back(std::move(e));
  }
  for (size_t i = first_family; i < entries.size(); ++i) {
    for (const std::string& r : entries[i].related) {
      if (!family_names.contains(r)) {
        return absl::InvalidArgumentError(
            absl::StrCat(entries[i].source, ": related name \"", r, "\" is not a row"));
      }
    }
  }

  // titles.tsv and org_heads.tsv share a shape: name, kind, follows, variants.
  struct NamedFile {
    absl::string_view file;
    absl::string_view contents;
    GazetteerCategory category;
    absl::string_view first_column;
  };
  for (const NamedFile& nf :
       {NamedFile{"titles.tsv", sources.titles, GazetteerCategory::kTitle, "title"},
        NamedFile{"org_heads.tsv", sources.org_heads, GazetteerCategory::kOrgHead, "head"}}) {
    VNA_ASSIGN_OR_RETURN(
        rows, ParseTsv(nf.file, nf.contents, {nf.first_column, "kind", "follows", "variants"}));
    absl::flat_hash_set<std::string> seen;
    for (const Row& row : rows) {
      GazetteerEntry e;
      e.category = nf.category;
      e.name = std::string(row.fields[0]);
      e.kind = std::string(row.fields[1]);
      e.source = Where(nf.file, row.line);
      if (!seen.insert(e.name).second) {
        return RowError(nf.file, row.line, absl::StrCat("duplicate \"", e.name, "\""));
      }
      VNA_ASSIGN_OR_RETURN(e.follows, ParseFollows(nf.file, row.line, row.fields[2],
                                                   nf.category == GazetteerCategory::kOrgHead));
      VNA_ASSIGN_OR_RETURN(std::vector<std::string> variants,
                           SplitList(nf.file, row.line, row.fields[3]));
      e.aliases.push_back(e.name);
      for (std::string& v : variants) e.aliases.push_back(std::move(v));
      entries.push_back(std::move(e));
    }
  }

  // doc_types.tsv
  constexpr absl::string_view kDocTypes = "doc_types.tsv";
  VNA_ASSIGN_OR_RETURN(
      rows, ParseTsv(kDocTypes, sources.doc_types, {"kind", "code", "name", "system", "variants"}));
  absl::flat_hash_set<std::string> doc_rows;
  for (const Row& row : rows) {
    GazetteerEntry e;
    const absl::string_view kind = row.fields[0];
    if (kind != "type" && kind != "issuer") {
      return RowError(kDocTypes, row.line, absl::StrCat("unknown kind \"", kind, "\""));
    }
    e.category = kind == "type" ? GazetteerCategory::kDocType : GazetteerCategory::kIssuer;
    if (row.fields[1] != "-") e.code = std::string(row.fields[1]);
    e.name = std::string(row.fields[2]);
    e.kind = std::string(row.fields[3]);
    e.source = Where(kDocTypes, row.line);
    if (e.kind != "party" && e.kind != "state" && e.kind != "both") {
      return RowError(kDocTypes, row.line, absl::StrCat("unknown system \"", e.kind, "\""));
    }
    if (e.category == GazetteerCategory::kIssuer && e.code.empty()) {
      return RowError(kDocTypes, row.line, "an issuer needs a code");
    }
    if (!doc_rows.insert(absl::StrCat(kind, "\t", row.fields[1], "\t", e.name)).second) {
      return RowError(kDocTypes, row.line, "duplicate row");
    }
    VNA_ASSIGN_OR_RETURN(std::vector<std::string> variants,
                         SplitList(kDocTypes, row.line, row.fields[4]));
    if (!e.code.empty()) e.aliases.push_back(e.code);
    // An issuer's full name is an organisation (org_heads.tsv); matching it
    // here as well would report every "Chính phủ" twice.
    if (e.category == GazetteerCategory::kDocType) e.aliases.push_back(e.name);
    for (std::string& v : variants) e.aliases.push_back(std::move(v));
    entries.push_back(std::move(e));
  }

  // places.tsv (optional): regions and countries.
  if (!sources.places.empty()) {
    constexpr absl::string_view kPlaces = "places.tsv";
    VNA_ASSIGN_OR_RETURN(rows, ParseTsv(kPlaces, sources.places, {"name", "level", "variants"}));
    absl::flat_hash_set<std::string> places_seen;
    for (const Row& row : rows) {
      GazetteerEntry e;
      e.category = GazetteerCategory::kPlace;
      e.name = std::string(row.fields[0]);
      e.level = std::string(row.fields[1]);
      e.source = Where(kPlaces, row.line);
      if (e.level != "vùng" && e.level != "quốc gia") {
        return RowError(kPlaces, row.line, absl::StrCat("unknown level \"", e.level, "\""));
      }
      if (!places_seen.insert(e.name).second) {
        return RowError(kPlaces, row.line, absl::StrCat("duplicate place \"", e.name, "\""));
      }
      VNA_ASSIGN_OR_RETURN(std::vector<std::string> variants,
                           SplitList(kPlaces, row.line, row.fields[2]));
      e.aliases.push_back(e.name);
      for (std::string& v : variants) e.aliases.push_back(std::move(v));
      entries.push_back(std::move(e));
    }
  }

  for (size_t i = 0; i < entries.size(); ++i) VNA_RETURN_IF_ERROR(g->AddAliases(i));
  return std::shared_ptr<const Gazetteer>(g.release());
}

absl::Status Gazetteer::AddAliases(size_t entry_index) {
  const GazetteerEntry& e = entries_[entry_index];
  // Spellings that differ only in punctuation ("TT-Huế", "TT Huế") are one.
  absl::flat_hash_set<std::string> seen;
  for (const std::string& spelling : e.aliases) {
    std::vector<text::Token> tokens = text::TokenizeSyllables(spelling);
    if (tokens.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(e.source, ": \"", spelling, "\" has no letters or digits"));
    }
    std::vector<absl::string_view> words;
    for (const text::Token& t : tokens) words.push_back(t.text);
    if (!seen.insert(absl::StrJoin(words, " ")).second) continue;
    AddAlias(entry_index, spelling, std::move(tokens));
  }
  return absl::OkStatus();
}

void Gazetteer::AddAlias(size_t entry_index, absl::string_view spelling,
                         std::vector<text::Token> tokens) {
  const CasePolicy policy = PolicyFor(entries_[entry_index].category);
  Alias alias;
  alias.entry = static_cast<uint32_t>(entry_index);
  alias.spelling = std::string(spelling);
  uint32_t node = kRoot;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const text::Token& t = tokens[i];
    Syllable s;
    s.lower = t.lower;
    s.tone_key = ToneKey(t.lower);
    s.upper_mask = UpperMask(t.text, t.lower);
    const bool single_letter = text::CountCodePoints(t.text) == 1;
    if ((s.upper_mask & ~1u) != 0 || (single_letter && s.upper_mask == 1)) {
      s.rule = CaseRule::kExact;
    } else if ((s.upper_mask & 1u) != 0 && (policy == CasePolicy::kEverySyllable ||
                                            (policy == CasePolicy::kFirstSyllable && i == 0))) {
      s.rule = CaseRule::kCapital;
    }
    alias.syllables.push_back(std::move(s));

    const auto [it, inserted] =
        syllable_ids_.emplace(t.folded, static_cast<uint32_t>(syllable_ids_.size()));
    const uint32_t id = it->second;
    uint32_t next = kNoNode;
    if (node == kRoot) {
      if (root_edges_.size() <= id) root_edges_.resize(id + 1, kNoNode);
      next = root_edges_[id];
    } else {
      const auto edge = edges_.find((uint64_t{node} << 32) | id);
      if (edge != edges_.end()) next = edge->second;
    }
    if (next == kNoNode) {
      next = static_cast<uint32_t>(node_aliases_.size());
      node_aliases_.emplace_back();
      if (node == kRoot) {
        root_edges_[id] = next;
      } else {
        edges_.emplace((uint64_t{node} << 32) | id, next);
      }
    }
    node = next;
  }
  node_aliases_[node].push_back(static_cast<uint32_t>(aliases_.size()));
  aliases_.push_back(std::move(alias));
}

// --- Matching -----------------------------------------------------------------

uint32_t Gazetteer::Next(uint32_t node, uint32_t id) const {
  if (node == kRoot) return id < root_edges_.size() ? root_edges_[id] : kNoNode;
  const auto it = edges_.find((uint64_t{node} << 32) | id);
  return it == edges_.end() ? kNoNode : it->second;
}

void Gazetteer::SyllableIds(absl::Span<const text::Token> tokens,
                            std::vector<uint32_t>* ids) const {
  ids->resize(tokens.size());
  for (size_t i = 0; i < tokens.size(); ++i) {
    const auto it = syllable_ids_.find(absl::string_view(tokens[i].folded));
    (*ids)[i] = it == syllable_ids_.end() ? kNoSyllable : it->second;
  }
}

template <typename Fn>
void Gazetteer::MatchAt(absl::string_view text, absl::Span<const text::Token> tokens,
                        const std::vector<uint32_t>& ids, std::vector<TokenInfo>* infos,
                        size_t begin, const GazetteerMatchOptions& options,
                        std::vector<Candidate>* scratch, Fn found) const {
  uint32_t node = Next(kRoot, ids[begin]);
  size_t end = begin + 1;
  while (node != kNoNode) {
    scratch->clear();
    for (const uint32_t a : node_aliases_[node]) {
      const Alias& alias = aliases_[a];
      bool ok = true;
      bool exact = true;
      bool case_matches = true;
      for (size_t k = 0; ok && k < alias.syllables.size(); ++k) {
        const Syllable& s = alias.syllables[k];
        const text::Token& t = tokens[begin + k];
        TokenInfo& info = (*infos)[begin + k];
        if (t.lower != s.lower) {
          if (!info.have_key) {
            info.have_key = true;
            info.tone_key = ToneKey(t.lower);
          }
          if (info.tone_key != s.tone_key) {
            exact = false;
            ok = options.diacritics == DiacriticsMode::kIgnore ||
                 (options.diacritics == DiacriticsMode::kExactOrBare && t.lower == t.folded);
          }
        }
        if (s.rule != CaseRule::kAny && !info.have_mask) {
          info.have_mask = true;
          info.upper_mask = UpperMask(t.text, t.lower);
        }
        switch (s.rule) {
          case CaseRule::kAny:
            break;
          case CaseRule::kCapital:
            case_matches &= (info.upper_mask & 1u) != 0;
            break;
          case CaseRule::kExact:
            case_matches &= info.upper_mask == s.upper_mask;
            break;
        }
        if (options.match_case && !case_matches) ok = false;
      }
      if (ok) scratch->push_back(Candidate{a, alias.entry, exact, case_matches});
    }
    if (!scratch->empty()) {
      // Prefer exact spellings; then one candidate per entry, the best of its
      // aliases, in entry order.
      if (std::any_of(scratch->begin(), scratch->end(),
                      [](const Candidate& c) { return c.exact; })) {
        scratch->erase(std::remove_if(scratch->begin(), scratch->end(),
                                      [](const Candidate& c) { return !c.exact; }),
                       scratch->end());
      }
      std::stable_sort(scratch->begin(), scratch->end(),
                       [](const Candidate& x, const Candidate& y) {
                         if (x.entry != y.entry) return x.entry < y.entry;
                         return x.case_matches > y.case_matches;
                       });
      scratch->erase(
          std::unique(scratch->begin(), scratch->end(),
                      [](const Candidate& x, const Candidate& y) { return x.entry == y.entry; }),
          scratch->end());
      found(end, *scratch);
    }
    if (end >= tokens.size() || ids[end] == kNoSyllable ||
        !GapAllowsJoin(text, tokens[end - 1], tokens[end])) {
      break;
    }
    node = Next(node, ids[end]);
    ++end;
  }
}

void Gazetteer::AppendMatches(absl::Span<const text::Token> tokens, size_t begin, size_t end,
                              const std::vector<Candidate>& candidates,
                              std::vector<GazetteerMatch>* out) const {
  for (const Candidate& c : candidates) {
    GazetteerMatch m;
    m.begin = begin;
    m.end = end;
    m.byte_begin = tokens[begin].begin;
    m.byte_end = tokens[end - 1].end;
    m.entry = &entries_[c.entry];
    m.alias = aliases_[c.alias].spelling;
    m.exact = c.exact;
    m.case_matches = c.case_matches;
    out->push_back(m);
  }
}

std::vector<GazetteerMatch> Gazetteer::FindAll(absl::string_view text,
                                               absl::Span<const text::Token> tokens,
                                               const GazetteerMatchOptions& options) const {
  std::vector<GazetteerMatch> out;
  std::vector<uint32_t> ids;
  SyllableIds(tokens, &ids);
  std::vector<TokenInfo> infos(tokens.size());
  std::vector<Candidate> scratch;
  std::vector<Candidate> best;
  size_t i = 0;
  while (i < tokens.size()) {
    if (ids[i] == kNoSyllable) {
      ++i;
      continue;
    }
    size_t best_end = 0;
    // Called shortest span first: the last call is the longest.
    MatchAt(text, tokens, ids, &infos, i, options, &scratch,
            [&](size_t end, const std::vector<Candidate>& candidates) {
              best_end = end;
              best = candidates;
            });
    if (best_end == 0) {
      ++i;
      continue;
    }
    AppendMatches(tokens, i, best_end, best, &out);
    i = best_end;
  }
  return out;
}

std::vector<GazetteerMatch> Gazetteer::FindAllOverlapping(
    absl::string_view text, absl::Span<const text::Token> tokens,
    const GazetteerMatchOptions& options) const {
  std::vector<GazetteerMatch> out;
  std::vector<uint32_t> ids;
  SyllableIds(tokens, &ids);
  std::vector<TokenInfo> infos(tokens.size());
  std::vector<Candidate> scratch;
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (ids[i] == kNoSyllable) continue;
    const size_t first = out.size();
    std::vector<size_t> span_starts;  // where each span's matches begin in `out`
    MatchAt(text, tokens, ids, &infos, i, options, &scratch,
            [&](size_t end, const std::vector<Candidate>& candidates) {
              span_starts.push_back(out.size());
              AppendMatches(tokens, i, end, candidates, &out);
            });
    // Longest first: reverse the order of the spans, keeping each span's
    // alternatives in entry order.
    std::vector<GazetteerMatch> spans(out.begin() + first, out.end());
    out.resize(first);
    span_starts.push_back(first + spans.size());
    for (size_t s = span_starts.size() - 1; s-- > 0;) {
      out.insert(out.end(), spans.begin() + (span_starts[s] - first),
                 spans.begin() + (span_starts[s + 1] - first));
    }
  }
  return out;
}

std::vector<const GazetteerEntry*> Gazetteer::Lookup(absl::string_view phrase,
                                                     const GazetteerMatchOptions& options) const {
  std::vector<const GazetteerEntry*> out;
  const std::vector<text::Token> tokens = text::TokenizeSyllables(phrase);
  if (tokens.empty()) return out;
  std::vector<uint32_t> ids;
  SyllableIds(tokens, &ids);
  if (ids[0] == kNoSyllable) return out;
  std::vector<TokenInfo> infos(tokens.size());
  std::vector<Candidate> scratch;
  MatchAt(phrase, tokens, ids, &infos, 0, options, &scratch,
          [&](size_t end, const std::vector<Candidate>& candidates) {
            if (end != tokens.size()) return;
            for (const Candidate& c : candidates) out.push_back(&entries_[c.entry]);
          });
  return out;
}

}  // namespace extract
}  // namespace vnarchive
