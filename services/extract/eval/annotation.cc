#include "services/extract/eval/annotation.h"

#include <algorithm>
#include <set>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/text/utf8.h"

namespace vnarchive {
namespace extract {
namespace {

// A JSON value of the shapes gold files use: strings, arrays and objects
// (numbers, booleans and null are read and kept as their text).
struct Json {
  enum class Kind { kString, kArray, kObject, kOther } kind = Kind::kOther;
  std::string str;
  std::vector<Json> items;                           // kArray
  std::vector<std::pair<std::string, Json>> fields;  // kObject, in order
};

// A small recursive-descent JSON reader (RFC 8259), enough for gold files.
class JsonReader {
 public:
  explicit JsonReader(absl::string_view in) : in_(in) {}

  absl::StatusOr<Json> ReadDocument() {
    Json v;
    if (!Value(&v, 0)) return Error();
    Space();
    if (pos_ != in_.size()) {
      error_ = "trailing characters";
      return Error();
    }
    return v;
  }

 private:
  absl::Status Error() const {
    return absl::InvalidArgumentError(absl::StrCat("JSON at byte ", pos_, ": ", error_));
  }
  void Space() {
    while (pos_ < in_.size() &&
           (in_[pos_] == ' ' || in_[pos_] == '\t' || in_[pos_] == '\r' || in_[pos_] == '\n')) {
      ++pos_;
    }
  }
  bool Fail(const char* message) {
    error_ = message;
    return false;
  }
  bool Hex4(uint32_t* out) {
    if (pos_ + 4 > in_.size()) return Fail("short \\u escape");
    uint32_t v = 0;
    for (int k = 0; k < 4; ++k) {
      const char c = in_[pos_++];
      v <<= 4;
      if (c >= '0' && c <= '9') {
        v |= static_cast<uint32_t>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        v |= static_cast<uint32_t>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        v |= static_cast<uint32_t>(c - 'A' + 10);
      } else {
        return Fail("bad \\u escape");
      }
    }
    *out = v;
    return true;
  }
  bool String(std::string* out) {
    if (pos_ >= in_.size() || in_[pos_] != '"') return Fail("expected a string");
    ++pos_;
    while (pos_ < in_.size() && in_[pos_] != '"') {
      const char c = in_[pos_++];
      if (static_cast<unsigned char>(c) < 0x20) return Fail("control character in string");
      if (c != '\\') {
        out->push_back(c);
        continue;
      }
      if (pos_ >= in_.size()) return Fail("unterminated escape");
      const char e = in_[pos_++];
      switch (e) {
        case '"': out->push_back('"'); break;
        case '\\': out->push_back('\\'); break;
        case '/': out->push_back('/'); break;
        case 'b': out->push_back('\b'); break;
        case 'f': out->push_back('\f'); break;
        case 'n': out->push_back('\n'); break;
        case 'r': out->push_back('\r'); break;
        case 't': out->push_back('\t'); break;
        case 'u': {
          uint32_t cp = 0;
          if (!Hex4(&cp)) return false;
          if (cp >= 0xD800 && cp < 0xDC00) {
            uint32_t low = 0;
            if (in_.substr(pos_, 2) != "\\u") return Fail("lone surrogate");
            pos_ += 2;
            if (!Hex4(&low) || low < 0xDC00 || low > 0xDFFF) return Fail("bad surrogate pair");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          }
          text::AppendUtf8(cp, out);
          break;
        }
        default:
          return Fail("unknown escape");
      }
    }
    if (pos_ >= in_.size()) return Fail("unterminated string");
    ++pos_;
    return true;
  }
  bool Value(Json* v, int depth) {
    if (depth > 32) return Fail("nested too deeply");
    Space();
    if (pos_ >= in_.size()) return Fail("unexpected end");
    const char c = in_[pos_];
    if (c == '"') {
      v->kind = Json::Kind::kString;
      return String(&v->str);
    }
    if (c == '[') {
      v->kind = Json::Kind::kArray;
      ++pos_;
      Space();
      if (pos_ < in_.size() && in_[pos_] == ']') {
        ++pos_;
        return true;
      }
      while (true) {
        v->items.emplace_back();
        if (!Value(&v->items.back(), depth + 1)) return false;
        Space();
        if (pos_ < in_.size() && in_[pos_] == ',') {
          ++pos_;
          continue;
        }
        if (pos_ < in_.size() && in_[pos_] == ']') {
          ++pos_;
          return true;
        }
        return Fail("expected ',' or ']'");
      }
    }
    if (c == '{') {
      v->kind = Json::Kind::kObject;
      ++pos_;
      Space();
      if (pos_ < in_.size() && in_[pos_] == '}') {
        ++pos_;
        return true;
      }
      while (true) {
        Space();
        std::string key;
        if (!String(&key)) return false;
        Space();
        if (pos_ >= in_.size() || in_[pos_] != ':') return Fail("expected ':'");
        ++pos_;
        v->fields.emplace_back(std::move(key), Json());
        if (!Value(&v->fields.back().second, depth + 1)) return false;
        Space();
        if (pos_ < in_.size() && in_[pos_] == ',') {
          ++pos_;
          continue;
        }
        if (pos_ < in_.size() && in_[pos_] == '}') {
          ++pos_;
          return true;
        }
        return Fail("expected ',' or '}'");
      }
    }
    // Numbers and literals: kept as text; gold files do not use them.
    const size_t start = pos_;
    while (pos_ < in_.size() && std::string_view(",]} \t\r\n").find(in_[pos_]) == std::string::npos) {
      ++pos_;
    }
    if (pos_ == start) return Fail("unexpected character");
    v->kind = Json::Kind::kOther;
    v->str = std::string(in_.substr(start, pos_ - start));
    return true;
  }

  absl::string_view in_;
  size_t pos_ = 0;
  const char* error_ = "";
};

void AppendJsonString(absl::string_view s, std::string* out) {
  out->push_back('"');
  for (const char c : s) {
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '\t': out->append("\\t"); break;
      case '\r': out->append("\\r"); break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          absl::StrAppend(out, "\\u00", absl::string_view("0123456789abcdef").substr((c >> 4) & 0xF, 1),
                          absl::string_view("0123456789abcdef").substr(c & 0xF, 1));
        } else {
          out->push_back(c);
        }
    }
  }
  out->push_back('"');
}

bool IsValueType(absl::string_view key) {
  return std::find(std::begin(kValueTypes), std::end(kValueTypes), key) != std::end(kValueTypes);
}

}  // namespace

absl::StatusOr<std::vector<DocAnnotation>> ParseGoldJsonl(absl::string_view contents) {
  std::vector<DocAnnotation> out;
  absl::flat_hash_set<std::string> docs;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(contents, '\n')) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == absl::string_view::npos) continue;
    auto error = [&](absl::string_view message) {
      return absl::InvalidArgumentError(absl::StrCat("line ", line_number, ": ", message));
    };
    if (absl::Status s = text::ValidateUtf8(line); !s.ok()) return error(s.message());
    absl::StatusOr<Json> parsed = JsonReader(line).ReadDocument();
    if (!parsed.ok()) return error(parsed.status().message());
    if (parsed->kind != Json::Kind::kObject) return error("not a JSON object");
    DocAnnotation a;
    for (const auto& [key, value] : parsed->fields) {
      if (key == "doc") {
        if (value.kind != Json::Kind::kString || value.str.empty()) {
          return error("\"doc\" must be a non-empty string");
        }
        a.doc = value.str;
      } else if (IsValueType(key)) {
        if (value.kind != Json::Kind::kArray) return error(absl::StrCat(key, " must be an array"));
        std::vector<std::string>& values = a.values[key];
        for (const Json& item : value.items) {
          if (item.kind != Json::Kind::kString) {
            return error(absl::StrCat(key, " must hold strings"));
          }
          values.push_back(item.str);
        }
      } else if (key == kRoleType) {
        if (value.kind != Json::Kind::kArray) return error("PERSON_ROLE must be an array");
        for (const Json& pair : value.items) {
          if (pair.kind != Json::Kind::kArray || pair.items.size() != 2 ||
              pair.items[0].kind != Json::Kind::kString ||
              pair.items[1].kind != Json::Kind::kString) {
            return error("PERSON_ROLE items must be [person, role] string pairs");
          }
          a.roles.emplace_back(pair.items[0].str, pair.items[1].str);
        }
      } else {
        return error(absl::StrCat("unknown key \"", key, "\""));
      }
    }
    if (a.doc.empty()) return error("missing \"doc\"");
    if (!docs.insert(a.doc).second) return error(absl::StrCat("document \"", a.doc, "\" twice"));
    out.push_back(std::move(a));
  }
  return out;
}

std::string ToJsonLine(const DocAnnotation& annotation) {
  std::string out = "{\"doc\":";
  AppendJsonString(annotation.doc, &out);
  for (absl::string_view type : kValueTypes) {
    const auto it = annotation.values.find(std::string(type));
    const std::set<std::string> values =
        it == annotation.values.end() ? std::set<std::string>()
                                      : std::set<std::string>(it->second.begin(), it->second.end());
    absl::StrAppend(&out, ",\"", type, "\":[");
    bool first = true;
    for (const std::string& v : values) {
      if (!first) out.push_back(',');
      first = false;
      AppendJsonString(v, &out);
    }
    out.push_back(']');
  }
  const std::set<std::pair<std::string, std::string>> roles(annotation.roles.begin(),
                                                            annotation.roles.end());
  absl::StrAppend(&out, ",\"", kRoleType, "\":[");
  bool first = true;
  for (const auto& [person, role] : roles) {
    if (!first) out.push_back(',');
    first = false;
    out.push_back('[');
    AppendJsonString(person, &out);
    out.push_back(',');
    AppendJsonString(role, &out);
    out.push_back(']');
  }
  out.append("]}");
  return out;
}

DocAnnotation FromExtractResult(absl::string_view doc, const ExtractResult& result) {
  DocAnnotation a;
  a.doc = std::string(doc);
  for (absl::string_view type : kValueTypes) a.values[std::string(type)];
  for (const Entity& e : result.entities) {
    a.values[EntityTypeName(e.type)].push_back(e.canonical);
  }
  for (const Relation& r : result.relations) a.roles.emplace_back(r.person, r.title);
  return a;
}

}  // namespace extract
}  // namespace vnarchive
