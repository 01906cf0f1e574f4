#include "services/ingest/core/html_text.h"

#include <gumbo.h>

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/text/utf8.h"
#include "services/ingest/core/text_lines.h"

namespace vnarchive {
namespace ingest {
namespace {

using internal::IsSpaceCodePoint;

// gumbo keeps byte offsets in 32 bits.
constexpr uint64_t kMaxGumboInputBytes = 0xFFFFFFFFull;

// Limits of the caption heuristics. A photo box holds an image, a caption and
// maybe a credit; a layout table that wraps a whole article has more rows and
// far more text.
constexpr uint32_t kMaxImageTableRows = 4;
constexpr uint32_t kMaxCaptionChars = 600;

// ---------------------------------------------------------------------------
// Parse-cost estimate (see HtmlTextOptions::max_parse_work).

bool IsAsciiAlpha(char c) { return absl::ascii_isalpha(static_cast<unsigned char>(c)); }
bool IsAsciiAlnum(char c) { return absl::ascii_isalnum(static_cast<unsigned char>(c)); }

bool IsOneOf(absl::string_view name, std::initializer_list<absl::string_view> names) {
  for (absl::string_view n : names) {
    if (n == name) return true;
  }
  return false;
}

// Void elements, and elements the parser closes by itself when the next one
// starts: neither keeps the stack of open elements deep.
bool StaysShallow(absl::string_view name) {
  return IsOneOf(name, {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                        "param", "source", "track", "wbr", "keygen", "p", "li", "dt", "dd", "tr",
                        "td", "th", "option", "optgroup", "rb", "rt", "rp", "rtc", "tbody", "thead",
                        "tfoot", "colgroup", "caption", "html", "head", "body"});
}

// Elements whose content the tokenizer reads as text up to their end tag.
bool IsRawTextElement(absl::string_view name) {
  return IsOneOf(name, {"script", "style", "textarea", "title", "xmp", "iframe", "noembed",
                        "noframes", "noscript"});
}

// Reads an ASCII tag name starting at `pos`; returns it lower-cased and sets
// *end past it.
std::string ReadTagName(absl::string_view s, size_t pos, size_t* end) {
  size_t e = pos;
  while (e < s.size() && (IsAsciiAlnum(s[e]) || s[e] == '-' || s[e] == ':')) ++e;
  *end = e;
  return absl::AsciiStrToLower(s.substr(pos, e - pos));
}

// Finds the end tag "</name" (any case) at or after `from`; npos if none.
size_t FindEndTag(absl::string_view s, absl::string_view name, size_t from) {
  while ((from = s.find("</", from)) != absl::string_view::npos) {
    if (absl::EqualsIgnoreCase(s.substr(from + 2, name.size()), name)) return from;
    from += 2;
  }
  return absl::string_view::npos;
}

// `s` with runs of ASCII whitespace turned into one space, trimmed.
std::string CollapseAsciiSpaces(absl::string_view s) {
  std::string out;
  for (absl::string_view word : absl::StrSplit(s, absl::ByAnyChar(" \t\n\r\f"),
                                               absl::SkipEmpty())) {
    if (!out.empty()) out.push_back(' ');
    out.append(word.data(), word.size());
  }
  return out;
}

// Formatting elements: when a block closes over them the parser reopens
// (clones) every one still active, so unclosed ones cost a new node each time.
bool IsFormattingElement(absl::string_view name) {
  return IsOneOf(name, {"a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small",
                        "strike", "strong", "tt", "u"});
}

// A clone allocates a node and copies attributes: measured at about seventy
// times the cost of a step up the stack of open elements, and it holds memory.
constexpr uint64_t kCloneWeight = 256;

// The parser's identical-element rule keeps at most three active formatting
// elements with the same name and attributes.
constexpr uint32_t kMaxIdenticalFormatting = 3;

// Estimates the parser's work on `html` from its tags alone: at each tag, the
// depth of open elements (scope checks walk that stack) plus kCloneWeight
// times the number of formatting elements left open (each may be cloned
// there). Stops counting once the sum passes `limit`.
uint64_t EstimateParseWork(absl::string_view html, uint64_t limit) {
  uint64_t depth = 0;
  uint64_t open_formatting = 0;  // counting identical ones at most three times
  absl::flat_hash_map<std::string, uint32_t> identical_open;  // by name + attributes
  absl::flat_hash_map<std::string, std::vector<std::string>> open_by_name;
  uint64_t work = 0;
  size_t i = 0;
  while (work <= limit && (i = html.find('<', i)) != absl::string_view::npos) {
    absl::string_view rest = html.substr(i);
    if (absl::StartsWith(rest, "<!--")) {
      size_t close = html.find("-->", i + 4);
      if (close == absl::string_view::npos) break;
      i = close + 3;
      continue;
    }
    if (rest.size() > 1 && (rest[1] == '!' || rest[1] == '?')) {
      size_t close = html.find('>', i);
      if (close == absl::string_view::npos) break;
      i = close + 1;
      continue;
    }
    const bool end_tag = rest.size() > 1 && rest[1] == '/';
    const size_t name_begin = i + (end_tag ? 2 : 1);
    if (name_begin >= html.size() || !IsAsciiAlpha(html[name_begin])) {
      ++i;
      continue;
    }
    size_t name_end = 0;
    const std::string name = ReadTagName(html, name_begin, &name_end);
    const size_t close = html.find('>', name_end);
    if (close == absl::string_view::npos) break;
    work += depth + kCloneWeight * open_formatting;
    i = close + 1;
    if (end_tag) {
      if (!StaysShallow(name) && depth > 0) --depth;
      auto open = open_by_name.find(name);
      if (open != open_by_name.end() && !open->second.empty()) {
        if (identical_open[open->second.back()]-- <= kMaxIdenticalFormatting) --open_formatting;
        open->second.pop_back();
      }
      continue;
    }
    if (name == "plaintext") break;  // everything after it is text
    if (IsRawTextElement(name)) {
      size_t end = FindEndTag(html, name, i);
      if (end == absl::string_view::npos) break;
      size_t end_close = html.find('>', end);
      if (end_close == absl::string_view::npos) break;
      i = end_close + 1;
      continue;
    }
    const bool self_closing = html[close - 1] == '/';
    if (!self_closing && !StaysShallow(name)) ++depth;
    if (IsFormattingElement(name)) {
      const std::string attributes = absl::AsciiStrToLower(html.substr(name_end, close - name_end));
      std::string key = absl::StrCat(name, " ", CollapseAsciiSpaces(attributes));
      if (++identical_open[key] <= kMaxIdenticalFormatting) ++open_formatting;
      open_by_name[name].push_back(std::move(key));
    }
  }
  return work;
}

// ---------------------------------------------------------------------------
// Small gumbo helpers.

struct GumboOutputDeleter {
  void operator()(GumboOutput* output) const {
    gumbo_destroy_output(&kGumboDefaultOptions, output);
  }
};

// The attribute's value, or nullopt when the element has no such attribute.
std::optional<absl::string_view> Attribute(const GumboNode* node, const char* name) {
  const GumboAttribute* attr = gumbo_get_attribute(&node->v.element.attributes, name);
  if (attr == nullptr) return std::nullopt;
  return absl::string_view(attr->value);
}

absl::string_view AttributeOrEmpty(const GumboNode* node, const char* name) {
  return Attribute(node, name).value_or(absl::string_view());
}

bool IsElement(const GumboNode* node) { return node->type == GUMBO_NODE_ELEMENT; }

GumboTag Tag(const GumboNode* node) { return node->v.element.tag; }

const GumboVector& Children(const GumboNode* node) {
  return node->type == GUMBO_NODE_DOCUMENT ? node->v.document.children
                                           : node->v.element.children;
}

const GumboNode* Child(const GumboNode* node, size_t i) {
  return static_cast<const GumboNode*>(Children(node).data[i]);
}

bool IsTextNode(const GumboNode* node) {
  return node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_CDATA ||
         node->type == GUMBO_NODE_WHITESPACE;
}

bool IsHeadingTag(GumboTag tag) {
  return tag == GUMBO_TAG_H1 || tag == GUMBO_TAG_H2 || tag == GUMBO_TAG_H3 ||
         tag == GUMBO_TAG_H4 || tag == GUMBO_TAG_H5 || tag == GUMBO_TAG_H6;
}

int HeadingLevel(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_H1: return 1;
    case GUMBO_TAG_H2: return 2;
    case GUMBO_TAG_H3: return 3;
    case GUMBO_TAG_H4: return 4;
    case GUMBO_TAG_H5: return 5;
    case GUMBO_TAG_H6: return 6;
    default: return 0;
  }
}

// Elements whose text a reader never sees as article text.
bool IsAlwaysDropped(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_HEAD: case GUMBO_TAG_TITLE: case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE:
    case GUMBO_TAG_NOSCRIPT: case GUMBO_TAG_TEMPLATE: case GUMBO_TAG_NAV: case GUMBO_TAG_FORM:
    case GUMBO_TAG_IFRAME: case GUMBO_TAG_BUTTON: case GUMBO_TAG_SELECT: case GUMBO_TAG_TEXTAREA:
    case GUMBO_TAG_OBJECT: case GUMBO_TAG_EMBED: case GUMBO_TAG_CANVAS: case GUMBO_TAG_AUDIO:
    case GUMBO_TAG_VIDEO: case GUMBO_TAG_MAP: case GUMBO_TAG_SVG: case GUMBO_TAG_MATH:
    case GUMBO_TAG_NOEMBED: case GUMBO_TAG_NOFRAMES: case GUMBO_TAG_FRAMESET:
      return true;
    default:
      return false;
  }
}

// Elements that start and end a paragraph.
bool IsBlockTag(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_HTML: case GUMBO_TAG_BODY: case GUMBO_TAG_ADDRESS: case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_ASIDE: case GUMBO_TAG_BLOCKQUOTE: case GUMBO_TAG_CENTER: case GUMBO_TAG_DD:
    case GUMBO_TAG_DETAILS: case GUMBO_TAG_DIR: case GUMBO_TAG_DIV:
    case GUMBO_TAG_DL: case GUMBO_TAG_DT: case GUMBO_TAG_FIELDSET: case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_FIGURE: case GUMBO_TAG_FOOTER: case GUMBO_TAG_HEADER: case GUMBO_TAG_HGROUP:
    case GUMBO_TAG_HR: case GUMBO_TAG_LI: case GUMBO_TAG_MAIN: case GUMBO_TAG_MENU:
    case GUMBO_TAG_NAV: case GUMBO_TAG_OL: case GUMBO_TAG_P: case GUMBO_TAG_PRE:
    case GUMBO_TAG_SECTION: case GUMBO_TAG_SUMMARY: case GUMBO_TAG_TABLE: case GUMBO_TAG_CAPTION:
    case GUMBO_TAG_TBODY: case GUMBO_TAG_THEAD: case GUMBO_TAG_TFOOT: case GUMBO_TAG_TR:
    case GUMBO_TAG_UL: case GUMBO_TAG_LEGEND: case GUMBO_TAG_LISTING: case GUMBO_TAG_XMP:
    case GUMBO_TAG_PLAINTEXT: case GUMBO_TAG_FORM:
      return true;
    default:
      return IsHeadingTag(tag);
  }
}

// Counts the characters of `s` a reader sees (no spaces, no line ends).
uint32_t CountVisibleChars(absl::string_view s) {
  uint32_t n = 0;
  size_t pos = 0;
  while (pos < s.size()) {
    char32_t cp = text::DecodeUtf8(s, &pos);
    if (!IsSpaceCodePoint(cp) && cp != '\n' && cp != '\r') ++n;
  }
  return n;
}

// `s` with every run of spaces and line ends turned into one space, trimmed.
std::string CollapseSpaces(absl::string_view s) {
  std::string out;
  bool pending_space = false;
  size_t pos = 0;
  while (pos < s.size()) {
    size_t start = pos;
    char32_t cp = text::DecodeUtf8(s, &pos);
    if (IsSpaceCodePoint(cp) || cp == '\n' || cp == '\r') {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.append(s.data() + start, pos - start);
  }
  return out;
}

// ---------------------------------------------------------------------------
// First pass: per-element statistics (bottom-up) and the page's metadata.

struct ElementStats {
  uint32_t text_chars = 0;    // visible characters in the subtree
  uint32_t link_chars = 0;    // of which inside <a>
  uint32_t italic_chars = 0;  // of which inside <em> or <i>
  uint32_t rows = 0;          // <tr> elements in the subtree
  bool has_img = false;
  bool has_table = false;     // a <table> below this element
  bool has_block = false;     // a paragraph-making element below this one
  bool has_nav_like = false;  // a nav, form or menu below this element

  void Add(const ElementStats& child) {
    text_chars += child.text_chars;
    link_chars += child.link_chars;
    italic_chars += child.italic_chars;
    rows += child.rows;
    has_img = has_img || child.has_img;
    has_table = has_table || child.has_table;
    has_block = has_block || child.has_block;
    has_nav_like = has_nav_like || child.has_nav_like;
  }
};

// Subtrees whose text is never visible; not worth counting.
bool IsInvisibleTag(GumboTag tag) {
  return tag == GUMBO_TAG_SCRIPT || tag == GUMBO_TAG_STYLE || tag == GUMBO_TAG_TEMPLATE ||
         tag == GUMBO_TAG_NOSCRIPT || tag == GUMBO_TAG_TEXTAREA || tag == GUMBO_TAG_SVG ||
         tag == GUMBO_TAG_MATH;
}

struct MetaValue {
  std::string value;
  std::string origin;
};

class PageScan {
 public:
  // Walks the whole tree once, iteratively (pages can nest deeply).
  explicit PageScan(const GumboNode* root) {
    struct Frame {
      const GumboNode* node;
      size_t next_child;
      ElementStats stats;
    };
    std::vector<Frame> stack;
    stack.push_back({root, 0, {}});
    VisitElement(root);
    while (!stack.empty()) {
      Frame& frame = stack.back();
      if (frame.next_child < Children(frame.node).length) {
        const GumboNode* child = Child(frame.node, frame.next_child++);
        if (IsTextNode(child)) {
          frame.stats.text_chars += CountVisibleChars(child->v.text.text);
        } else if (IsElement(child) && !IsInvisibleTag(Tag(child))) {
          VisitElement(child);
          stack.push_back({child, 0, {}});
        }
        continue;
      }
      ElementStats stats = frame.stats;
      const GumboNode* node = frame.node;
      const GumboTag tag = Tag(node);
      if (tag == GUMBO_TAG_A) stats.link_chars = stats.text_chars;
      if (tag == GUMBO_TAG_EM || tag == GUMBO_TAG_I) stats.italic_chars = stats.text_chars;
      stats_[node] = stats;
      stack.pop_back();
      if (stack.empty()) break;
      // What the parent learns about this child.
      ElementStats& parent = stack.back().stats;
      parent.Add(stats);
      if (tag == GUMBO_TAG_IMG) parent.has_img = true;
      if (tag == GUMBO_TAG_TR) ++parent.rows;
      if (tag == GUMBO_TAG_TABLE) parent.has_table = true;
      if (IsBlockTag(tag) || tag == GUMBO_TAG_BR) parent.has_block = true;
      if (tag == GUMBO_TAG_NAV || tag == GUMBO_TAG_FORM || tag == GUMBO_TAG_MENU) {
        parent.has_nav_like = true;
      }
      if (tag == GUMBO_TAG_BODY) body_chars_ = stats.text_chars;
    }
  }

  const ElementStats& Stats(const GumboNode* node) const {
    static const ElementStats kNone;
    auto it = stats_.find(node);
    return it == stats_.end() ? kNone : it->second;
  }
  uint32_t body_chars() const { return body_chars_; }

  // The first <title>, first canonical link, and the first value of each
  // <meta> key (lower-cased), with where it came from.
  const std::optional<MetaValue>& title() const { return title_; }
  const std::optional<MetaValue>& canonical() const { return canonical_; }
  const MetaValue* Meta(absl::string_view key) const {
    auto it = meta_.find(key);
    return it == meta_.end() ? nullptr : &it->second;
  }

 private:
  void VisitElement(const GumboNode* node) {
    if (node->v.element.tag_namespace != GUMBO_NAMESPACE_HTML) return;
    switch (Tag(node)) {
      case GUMBO_TAG_TITLE:
        if (!title_.has_value()) {
          std::string text;
          for (size_t i = 0; i < Children(node).length; ++i) {
            if (IsTextNode(Child(node, i))) text += Child(node, i)->v.text.text;
          }
          std::string value = CollapseSpaces(text);
          if (!value.empty()) title_ = MetaValue{std::move(value), "<title>"};
        }
        break;
      case GUMBO_TAG_META: {
        std::optional<absl::string_view> content = Attribute(node, "content");
        if (!content.has_value()) break;
        std::string value = CollapseSpaces(*content);
        if (value.empty()) break;
        for (const char* attr : {"property", "name", "itemprop"}) {
          std::optional<absl::string_view> key = Attribute(node, attr);
          if (!key.has_value() || key->empty()) continue;
          std::string lower_key = absl::AsciiStrToLower(CollapseSpaces(*key));
          if (meta_.contains(lower_key)) continue;
          meta_[lower_key] =
              MetaValue{value, absl::StrCat("<meta ", attr, "=\"", lower_key, "\">")};
        }
        break;
      }
      case GUMBO_TAG_LINK: {
        if (canonical_.has_value()) break;
        bool is_canonical = false;
        for (absl::string_view token :
             absl::StrSplit(AttributeOrEmpty(node, "rel"), ' ', absl::SkipEmpty())) {
          is_canonical = is_canonical || absl::EqualsIgnoreCase(token, "canonical");
        }
        std::string href(absl::StripAsciiWhitespace(AttributeOrEmpty(node, "href")));
        if (is_canonical && !href.empty()) {
          canonical_ = MetaValue{std::move(href), "<link rel=\"canonical\">"};
        }
        break;
      }
      default:
        break;
    }
  }

  absl::flat_hash_map<const GumboNode*, ElementStats> stats_;
  absl::flat_hash_map<std::string, MetaValue> meta_;
  std::optional<MetaValue> title_;
  std::optional<MetaValue> canonical_;
  uint32_t body_chars_ = 0;
};

// ---------------------------------------------------------------------------
// Decisions about one element.

bool IsHidden(const GumboNode* node) {
  if (Attribute(node, "hidden").has_value()) return true;
  std::string style = absl::AsciiStrToLower(AttributeOrEmpty(node, "style"));
  style.erase(
      std::remove_if(style.begin(), style.end(),
                     [](char c) { return absl::ascii_isspace(static_cast<unsigned char>(c)); }),
      style.end());
  return absl::StrContains(style, "display:none") || absl::StrContains(style, "visibility:hidden");
}

// header, footer or aside that is site navigation rather than article text.
bool IsNavigationSection(const GumboNode* node, const ElementStats& stats) {
  const std::string role = absl::AsciiStrToLower(AttributeOrEmpty(node, "role"));
  if (IsOneOf(role, {"navigation", "banner", "contentinfo", "search", "menu", "menubar"})) {
    return true;
  }
  return stats.has_nav_like || stats.text_chars == 0 ||
         uint64_t{stats.link_chars} * 2 >= stats.text_chars;
}

// True if the element's class or id names site chrome (see the header).
bool HasChromeName(const GumboNode* node) {
  for (const char* attr : {"class", "id"}) {
    const std::string value = absl::AsciiStrToLower(AttributeOrEmpty(node, attr));
    for (absl::string_view name : absl::StrSplit(value, ' ', absl::SkipEmpty())) {
      for (absl::string_view word : absl::StrSplit(name, absl::ByAnyChar("-_:."),
                                                   absl::SkipEmpty())) {
        if (IsOneOf(word, {"nav", "navbar", "navigation", "menu", "breadcrumb", "breadcrumbs",
                           "share", "sharing", "social", "comment", "comments", "related", "ads",
                           "advertisement"})) {
          return true;
        }
      }
      std::string squashed(name);
      squashed.erase(std::remove_if(squashed.begin(), squashed.end(),
                                    [](char c) { return c == '-' || c == '_'; }),
                     squashed.end());
      for (absl::string_view vietnamese : {"lienquan", "binhluan", "chiase"}) {
        if (absl::StrContains(squashed, vietnamese)) return true;
      }
    }
  }
  return false;
}

bool HasCaptionClass(const GumboNode* node) {
  const std::string value = absl::AsciiStrToLower(AttributeOrEmpty(node, "class"));
  return absl::StrContains(value, "caption") || absl::StrContains(value, "chuthich") ||
         absl::StrContains(value, "chu-thich") || absl::StrContains(value, "chu_thich");
}

bool IsImageTable(const GumboNode* node, const ElementStats& stats) {
  return Tag(node) == GUMBO_TAG_TABLE && stats.has_img && stats.rows <= kMaxImageTableRows &&
         !stats.has_table && stats.text_chars <= kMaxCaptionChars;
}

// An element that shows an image and no text of its own.
bool IsImageBlock(const GumboNode* node, const PageScan& scan) {
  const ElementStats& stats = scan.Stats(node);
  switch (Tag(node)) {
    case GUMBO_TAG_IMG:
      return true;
    case GUMBO_TAG_FIGURE:
      return stats.has_img;
    case GUMBO_TAG_TABLE:
      return IsImageTable(node, stats);
    case GUMBO_TAG_A: case GUMBO_TAG_P: case GUMBO_TAG_DIV: case GUMBO_TAG_SPAN:
    case GUMBO_TAG_CENTER: case GUMBO_TAG_TD:
      return stats.has_img && stats.text_chars == 0;
    default:
      return false;
  }
}

// The element just before `node` among its siblings, skipping whitespace and
// comments; nullptr when there is none or visible text comes between.
const GumboNode* PreviousElementSibling(const GumboNode* node) {
  const GumboNode* parent = node->parent;
  if (parent == nullptr) return nullptr;
  for (size_t i = node->index_within_parent; i-- > 0;) {
    const GumboNode* sibling = Child(parent, i);
    if (sibling->type == GUMBO_NODE_WHITESPACE || sibling->type == GUMBO_NODE_COMMENT) continue;
    if (IsElement(sibling)) return sibling;
    if (IsTextNode(sibling) && CountVisibleChars(sibling->v.text.text) == 0) continue;
    return nullptr;
  }
  return nullptr;
}

// All-italic text that belongs to an image: inside the image's own block, or
// in the block right after it.
bool IsItalicCaption(const GumboNode* node, const PageScan& scan) {
  switch (Tag(node)) {
    case GUMBO_TAG_P: case GUMBO_TAG_DIV: case GUMBO_TAG_CENTER: case GUMBO_TAG_SPAN:
    case GUMBO_TAG_EM: case GUMBO_TAG_I: case GUMBO_TAG_TD:
      break;
    default:
      return false;
  }
  const ElementStats& stats = scan.Stats(node);
  if (stats.text_chars == 0 || stats.italic_chars != stats.text_chars ||
      stats.text_chars > kMaxCaptionChars) {
    return false;
  }
  if (stats.has_img) return true;
  const GumboNode* previous = PreviousElementSibling(node);
  return previous != nullptr && IsImageBlock(previous, scan);
}

bool IsCaptionElement(const GumboNode* node, const PageScan& scan) {
  return Tag(node) == GUMBO_TAG_FIGCAPTION || HasCaptionClass(node) ||
         IsImageTable(node, scan.Stats(node)) || IsItalicCaption(node, scan);
}

// ---------------------------------------------------------------------------
// Second pass: the text.

struct BlockContext {
  HtmlBlockKind kind = HtmlBlockKind::kParagraph;
  int heading_level = 0;
  bool caption = false;
  bool preformatted = false;
};

// Accumulates inline text into paragraphs and appends finished ones to a
// document.
class ParagraphBuilder {
 public:
  explicit ParagraphBuilder(HtmlDocument* doc) : doc_(doc) {}

  void AppendText(absl::string_view text, const BlockContext& context) {
    size_t pos = 0;
    while (pos < text.size()) {
      size_t start = pos;
      char32_t cp = text::DecodeUtf8(text, &pos);
      if (context.preformatted) {
        if (cp == '\n') {
          // No blank or space-only lines: "\n\n" only ever separates paragraphs.
          while (!current_.empty() && (current_.back() == ' ' || current_.back() == '\t')) {
            current_.pop_back();
          }
          if (!current_.empty() && current_.back() != '\n') current_.push_back('\n');
          continue;
        }
      } else if (IsSpaceCodePoint(cp) || cp == '\n' || cp == '\r') {
        pending_space_ = true;
        continue;
      }
      StartCharacter(context);
      current_.append(text.data() + start, pos - start);
    }
  }

  // <br>: a line break; the second in a row ends the paragraph.
  void LineBreak() {
    if (last_was_break_) {
      Flush();
      return;
    }
    if (!current_.empty() && current_.back() != '\n') current_.push_back('\n');
    pending_space_ = false;
    pending_cell_ = false;
    last_was_break_ = true;
  }

  // A table cell starts: its text is set off from the previous cell's.
  void CellBreak() { pending_cell_ = !current_.empty(); }

  void Flush() {
    absl::string_view trimmed = current_;
    // Spaces and line ends in any order (a <pre> may start "  \n").
    for (absl::string_view before; before != trimmed;) {
      before = trimmed;
      trimmed = internal::TrimSpaces(absl::StripAsciiWhitespace(trimmed));
    }
    if (!trimmed.empty()) {
      if (!doc_->text.empty()) doc_->text += "\n\n";
      HtmlParagraph paragraph;
      paragraph.begin = doc_->text.size();
      doc_->text.append(trimmed.data(), trimmed.size());
      paragraph.end = doc_->text.size();
      paragraph.kind = context_.kind;
      paragraph.heading_level = context_.heading_level;
      paragraph.caption = context_.caption;
      doc_->paragraphs.push_back(paragraph);
    }
    current_.clear();
    pending_space_ = false;
    pending_cell_ = false;
    last_was_break_ = false;
  }

 private:
  // Writes whatever separator is due before a visible character.
  void StartCharacter(const BlockContext& context) {
    if (current_.empty()) {
      context_ = context;  // the paragraph is what its first character is in
    } else if (pending_cell_) {
      current_.push_back('\t');
    } else if (pending_space_ && current_.back() != '\n') {
      current_.push_back(' ');
    }
    pending_space_ = false;
    pending_cell_ = false;
    last_was_break_ = false;
  }

  HtmlDocument* doc_;  // not owned
  std::string current_;
  BlockContext context_;
  bool pending_space_ = false;
  bool pending_cell_ = false;
  bool last_was_break_ = false;
};

// Whether the element is left out with everything inside it.
bool IsDropped(const GumboNode* node, const PageScan& scan) {
  const GumboTag tag = Tag(node);
  if (node->v.element.tag_namespace != GUMBO_NAMESPACE_HTML) return true;
  if (IsAlwaysDropped(tag) || IsHidden(node)) return true;
  const ElementStats& stats = scan.Stats(node);
  if ((tag == GUMBO_TAG_HEADER || tag == GUMBO_TAG_FOOTER || tag == GUMBO_TAG_ASIDE) &&
      IsNavigationSection(node, stats)) {
    return true;
  }
  if (tag != GUMBO_TAG_HTML && tag != GUMBO_TAG_BODY && tag != GUMBO_TAG_MAIN &&
      tag != GUMBO_TAG_ARTICLE && HasChromeName(node) &&
      uint64_t{stats.text_chars} * 3 < scan.body_chars()) {
    return true;
  }
  return false;
}

// The context text inside `node` is in, given its parent's.
BlockContext ContextFor(const GumboNode* node, const BlockContext& parent, const PageScan& scan) {
  BlockContext context = parent;
  const GumboTag tag = Tag(node);
  if (IsHeadingTag(tag)) {
    context.kind = HtmlBlockKind::kHeading;
    context.heading_level = HeadingLevel(tag);
  } else if (tag == GUMBO_TAG_LI || tag == GUMBO_TAG_DT || tag == GUMBO_TAG_DD) {
    context.kind = HtmlBlockKind::kListItem;
  } else if (tag == GUMBO_TAG_TR) {
    context.kind = HtmlBlockKind::kTableRow;
  } else if ((tag == GUMBO_TAG_TD || tag == GUMBO_TAG_TH) && scan.Stats(node).has_block) {
    // A cell holding paragraphs is page layout, not a row of data.
    context.kind = HtmlBlockKind::kParagraph;
  } else if (tag == GUMBO_TAG_BLOCKQUOTE) {
    context.kind = HtmlBlockKind::kQuote;
  } else if (tag == GUMBO_TAG_PRE || tag == GUMBO_TAG_LISTING || tag == GUMBO_TAG_XMP ||
             tag == GUMBO_TAG_PLAINTEXT) {
    context.kind = HtmlBlockKind::kPreformatted;
    context.preformatted = true;
  }
  if (context.kind != HtmlBlockKind::kHeading) context.heading_level = 0;
  context.caption = parent.caption || IsCaptionElement(node, scan);
  return context;
}

void ExtractBodyText(const GumboNode* root, const PageScan& scan, HtmlDocument* doc) {
  ParagraphBuilder builder(doc);
  struct Frame {
    const GumboNode* node;
    size_t next_child;
    bool own_context;  // pushed a context: flush when leaving
  };
  std::vector<Frame> stack;
  std::vector<BlockContext> contexts = {BlockContext{}};
  stack.push_back({root, 0, false});
  while (!stack.empty()) {
    Frame& frame = stack.back();
    if (frame.next_child >= Children(frame.node).length) {
      if (frame.own_context) {
        builder.Flush();
        contexts.pop_back();
      }
      stack.pop_back();
      continue;
    }
    const GumboNode* child = Child(frame.node, frame.next_child++);
    if (IsTextNode(child)) {
      builder.AppendText(child->v.text.text, contexts.back());
      continue;
    }
    if (!IsElement(child)) continue;  // comments, templates
    const GumboTag tag = Tag(child);
    if (IsDropped(child, scan)) {
      if (IsBlockTag(tag)) builder.Flush();
      continue;
    }
    if (tag == GUMBO_TAG_BR) {
      builder.LineBreak();
      continue;
    }
    if (tag == GUMBO_TAG_TD || tag == GUMBO_TAG_TH) builder.CellBreak();
    BlockContext context = ContextFor(child, contexts.back(), scan);
    const bool own_context = IsBlockTag(tag) || context.caption != contexts.back().caption ||
                             context.kind != contexts.back().kind;
    if (own_context) {
      builder.Flush();
      contexts.push_back(context);
    }
    stack.push_back({child, 0, own_context});
  }
  builder.Flush();
}

// ---------------------------------------------------------------------------
// Metadata.

std::optional<ExtractedField> ToField(const MetaValue* value) {
  if (value == nullptr) return std::nullopt;
  return ExtractedField{value->value, value->origin};
}

const MetaValue* FirstMeta(const PageScan& scan, std::initializer_list<absl::string_view> keys,
                           bool skip_urls = false) {
  for (absl::string_view key : keys) {
    const MetaValue* value = scan.Meta(key);
    if (value == nullptr) continue;
    if (skip_urls && (absl::StartsWithIgnoreCase(value->value, "http://") ||
                      absl::StartsWithIgnoreCase(value->value, "https://"))) {
      continue;
    }
    return value;
  }
  return nullptr;
}

std::optional<absl::Time> ParsePublishedTime(absl::string_view value) {
  const absl::TimeZone vietnam = absl::FixedTimeZone(kVietnamUtcOffsetSeconds);
  // With a zone (%Ez also reads "Z" and "+0700") and without one.
  for (const char* format :
       {"%Y-%m-%dT%H:%M:%E*S%Ez", "%Y-%m-%dT%H:%M%Ez", "%Y-%m-%d %H:%M:%E*S%Ez",
        "%Y-%m-%dT%H:%M:%E*S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%E*S", "%Y-%m-%d %H:%M",
        "%Y-%m-%d", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y"}) {
    absl::Time time;
    std::string error;
    if (absl::ParseTime(format, value, vietnam, &time, &error)) return time;
  }
  return std::nullopt;
}

void FillMetadata(const PageScan& scan, HtmlDocument* doc) {
  if (scan.title().has_value()) {
    doc->title = ExtractedField{scan.title()->value, scan.title()->origin};
  }
  doc->og_title = ToField(scan.Meta("og:title"));
  doc->published_time = ToField(
      FirstMeta(scan, {"article:published_time", "datepublished", "pubdate", "publishdate", "date",
                       "dc.date.issued", "dc.date"}));
  if (doc->published_time.has_value()) {
    doc->published_at = ParsePublishedTime(doc->published_time->value);
  }
  doc->author = ToField(FirstMeta(scan, {"author", "article:author", "dc.creator"},
                                  /*skip_urls=*/true));
  if (scan.canonical().has_value()) {
    doc->canonical_url = ExtractedField{scan.canonical()->value, scan.canonical()->origin};
  }
  doc->og_url = ToField(scan.Meta("og:url"));
}

// ---------------------------------------------------------------------------
// Sniffing.

bool IsTagNameEnd(absl::string_view s, size_t pos) {
  return pos < s.size() && (s[pos] == '>' || s[pos] == '/' ||
                            absl::ascii_isspace(static_cast<unsigned char>(s[pos])));
}

bool IsHeadingName(absl::string_view name) {
  return name.size() == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6';
}

}  // namespace

absl::string_view HtmlBlockKindName(HtmlBlockKind kind) {
  switch (kind) {
    case HtmlBlockKind::kParagraph: return "paragraph";
    case HtmlBlockKind::kHeading: return "heading";
    case HtmlBlockKind::kListItem: return "list_item";
    case HtmlBlockKind::kTableRow: return "table_row";
    case HtmlBlockKind::kQuote: return "quote";
    case HtmlBlockKind::kPreformatted: return "preformatted";
  }
  return "paragraph";
}

absl::StatusOr<HtmlDocument> ExtractHtmlText(absl::string_view utf8_html,
                                             const HtmlTextOptions& options) {
  if (utf8_html.size() >= kMaxGumboInputBytes) {
    return absl::ResourceExhaustedError(
        absl::StrCat("HTML of ", utf8_html.size(), " bytes: the parser takes less than 4 GiB"));
  }
  if (absl::Status valid = text::ValidateUtf8(utf8_html); !valid.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("HTML: ", valid.message()));
  }
  if (absl::StartsWith(utf8_html, "\xEF\xBB\xBF")) utf8_html.remove_prefix(3);
  const uint64_t work = EstimateParseWork(utf8_html, options.max_parse_work);
  if (work > options.max_parse_work) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "HTML nested too deeply to parse in bounded time (estimated work above ",
        options.max_parse_work, ")"));
  }

  GumboOptions gumbo_options = kGumboDefaultOptions;
  // Each recorded parse error copies the stack of open elements: on broken
  // pages that is quadratic memory, and the errors are never used.
  gumbo_options.max_errors = 0;
  std::unique_ptr<GumboOutput, GumboOutputDeleter> output(
      gumbo_parse_with_options(&gumbo_options, utf8_html.data(), utf8_html.size()));
  if (output == nullptr || output->root == nullptr) {
    return absl::InternalError("HTML parser returned no document");
  }

  HtmlDocument doc;
  PageScan scan(output->root);
  FillMetadata(scan, &doc);
  ExtractBodyText(output->root, scan, &doc);
  return doc;
}

bool LooksLikeHtml(absl::string_view bytes) {
  absl::string_view s = bytes;
  if (absl::StartsWith(s, "\xEF\xBB\xBF")) s.remove_prefix(3);
  s = absl::StripLeadingAsciiWhitespace(s);
  if (absl::StartsWithIgnoreCase(s, "<!doctype html") || absl::StartsWith(s, "<!--")) {
    return true;
  }
  if (s.size() > 1 && s[0] == '<' && IsAsciiAlpha(s[1])) {
    size_t end = 0;
    const std::string name = ReadTagName(s, 1, &end);
    if (IsTagNameEnd(s, end) &&
        (IsHeadingName(name) ||
         IsOneOf(name, {"html", "head", "body", "title", "meta", "script", "style", "div", "p",
                        "table", "br", "a", "b", "font", "iframe"}))) {
      return true;
    }
  }
  // A fragment that starts with text: two known tags near the start.
  const absl::string_view window = s.substr(0, 1024);
  int tags = 0;
  for (size_t i = window.find('<'); i != absl::string_view::npos; i = window.find('<', i + 1)) {
    size_t name_begin = i + 1;
    if (name_begin < window.size() && window[name_begin] == '/') ++name_begin;
    if (name_begin >= window.size() || !IsAsciiAlpha(window[name_begin])) continue;
    size_t end = 0;
    const std::string name = ReadTagName(window, name_begin, &end);
    if (!IsTagNameEnd(window, end)) continue;
    if (IsHeadingName(name) ||
        IsOneOf(name, {"html", "head", "body", "p", "div", "br", "table", "tr", "td", "span", "a",
                       "img", "ul", "li", "meta", "title", "script", "strong", "em"})) {
      if (++tags >= 2) return true;
    }
  }
  return false;
}

}  // namespace ingest
}  // namespace vnarchive
