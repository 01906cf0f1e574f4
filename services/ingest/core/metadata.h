// Metadata that ingest recovers from the text of a scraped article when the
// caller did not send it: title, dateline and publication time, byline,
// source URL and outlet code. Every field records where in the text it came
// from, so a wrong guess can be traced to the line that caused it.
//
//   DocumentMetadata meta = ExtractMetadata(
//       "Tỉnh ủy họp phiên thường kỳ (09:10 03/04/2021)\n\n"
//       "(BXY) - Sáng 3/4, ...\n\nTrần Minh\n");
//   // meta.title->value       == "Tỉnh ủy họp phiên thường kỳ"
//   // meta.dateline->value    == "(09:10 03/04/2021)"
//   // meta.dateline->origin   == "title suffix, line 1"
//   // *meta.published_at      == 2021-04-03 02:10 UTC (09:10 at UTC+7)
//   // meta.outlet_code->value == "BXY"; meta.author->value == "Trần Minh"
//
// All of this is heuristic: a field is left empty rather than guessed when
// the text does not match one of the shapes below.
//
// Input: UTF-8, ideally NFC (the Ingestor's output). Lines end in "\n",
// "\r\n" or "\r"; paragraphs may be separated by blank lines. Leading and
// trailing spaces of a line, including U+00A0 NBSP and other Unicode spaces,
// are ignored. Invalid UTF-8 never crashes; bad bytes just fail to match.
// "Line N" in an origin is the 1-based physical line number.
//
// Rules:
//
// Site chrome (never a title): lines without letters or digits ("." ","),
// the site header's today ("Hôm nay, ngày 18 tháng 1 năm 2019", any line
// starting "Hôm nay"), font-size controls ("Cỡ chữ: A+ A-"), breadcrumbs (no
// lower-case letters and a " | ", " > " or " » " separator), menus (two or more
// " | "), and a few fixed chrome phrases ("Trang chủ", "In tin bài", ...).
//
// title: the first non-chrome, non-dateline line among the first 8 non-empty
//   lines, unless it already looks like body text (more than 60 words, or it
//   starts with an outlet code). If it ends with a parenthesised dateline
//   ("... đảng viên (15:25 20/07/2019)") that suffix is cut off and becomes
//   the dateline. origin: "first line" or "line N".
//
// dateline: among the first 8 non-empty lines, a line that is nothing but a
//   date, in one of these shapes (weekday "Thứ Hai".."Thứ Bảy"/"Thứ 2".."Thứ
//   7"/"Chủ nhật"/"CN", and the prefixes "Cập nhật:", "Cập nhật lúc",
//   "Ngày cập nhật:", "Ngày đăng:", "Đăng ngày", "Đăng lúc", "Thời gian:",
//   "Ngày:" being optional; any letter case):
//     (15:25 20/07/2019)                    time then date, in parentheses
//     08:28, Thứ Tư, 22/05/2019 (GMT+7)     time, weekday, date, zone
//     28.2.2018 - 7:25                      d.m.yyyy, dash, time
//     Thứ Bảy, 15/07/2017, 06:02 [GMT+7]    weekday, date, time, zone
//     20/07/2019 15:25   20/07/2019   20-07-2019 15h25   2019-07-20T15:25:00
//     ngày 20 tháng 7 năm 2019              also after a short place name:
//     Hà Nội, ngày 20 tháng 7 năm 2019      (official documents)
//   Separators between parts: spaces, ",", "-", "–", "|", "lúc". Zones:
//   "GMT+7", "(GMT+7)", "[UTC+07:00]", "+07:00", "Z"; without one, UTC+7.
//   Day, month (1900..2100) and time are validated (31/02 is not a date).
//   A dateline at or after the title wins over one before it (a date above
//   the title is likely the site header's today); otherwise the first one.
//   value: the dateline exactly as written (trimmed); origin "dateline line
//   N" or "title suffix, line N".
//
// published_at: the dateline's instant; a date without a time is midnight.
//
// author: the byline at the end of the body. Scanning up from the last line
//   (at most 20 non-empty lines), chrome is skipped: lines without letters,
//   "Nguồn" lines, and short lines that are not bylines ("Các tin khác",
//   "Viết bình luận", "Android APK"); the scan stops at the first line that
//   looks like body text (ends with . ! ? … or has more than 12 words). A
//   byline is 1–5 name words, each capitalised (Đ and accented capitals
//   included) and shaped like a Vietnamese syllable, or dotted initials
//   ("T.S"); optionally followed by " - Organisation" or "(Organisation)",
//   or by an "(Organisation)" alone on the next line, which is joined with a
//   space. No ':' (captions "Ảnh: ..."), no trailing '.'. value: as written;
//   origin: "last line", "line N, above trailing site chrome" or
//   "lines N-M".
//
// source_url: among the last 10 non-empty lines, the last one starting with
//   "Nguồn" that contains an http(s) URL ("Nguồn Báo X: https://..."); the
//   URL up to the first space, without trailing ".,;" or an unbalanced ')'.
//   origin: "Nguồn line N".
//
// outlet_code: among the first 12 non-empty lines, the first line other than
//   the title and dateline that starts "CODE - " or "(CODE) - " (dash "-",
//   "–" or "—"), CODE being 2–6 upper-case letters ("HNP", "QBĐT"), followed
//   by text. origin: "outlet prefix line N".
#ifndef VNARCHIVE_SERVICES_INGEST_CORE_METADATA_H_
#define VNARCHIVE_SERVICES_INGEST_CORE_METADATA_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace vnarchive {
namespace ingest {

// One extracted value and a human-readable note of where it was found, e.g.
// "first line", "dateline line 3", "title suffix, line 1", "last line",
// "Nguồn line 40". Copyable.
struct ExtractedField {
  std::string value;
  std::string origin;
};

// What ExtractMetadata found; an absent field was not found. Copyable.
struct DocumentMetadata {
  std::optional<ExtractedField> title;
  std::optional<ExtractedField> dateline;  // the dateline as written
  std::optional<absl::Time> published_at;  // set iff dateline is set
  std::optional<ExtractedField> author;    // byline
  std::optional<ExtractedField> source_url;
  std::optional<ExtractedField> outlet_code;  // "HNP", "QBĐT"
};

// Returns the metadata found in `text` by the rules above; all fields absent
// for empty text. Never fails. Thread-safe (no shared mutable state).
DocumentMetadata ExtractMetadata(absl::string_view text);

// The UTC offset assumed for a dateline without a zone: Vietnam, UTC+7
// (no daylight saving).
inline constexpr int kVietnamUtcOffsetSeconds = 7 * 3600;

}  // namespace ingest
}  // namespace vnarchive

#endif  // VNARCHIVE_SERVICES_INGEST_CORE_METADATA_H_
