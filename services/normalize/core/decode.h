// Byte decoding for the normalisation stage (DESIGN.md §5): turns the bytes of
// an uploaded file into NFC UTF-8, detecting the encoding when the caller does
// not know it. Covers UTF-8 (with or without BOM), UTF-16LE/BE, Windows-1258,
// the legacy Vietnamese font encodings of old government files (TCVN3/ABC,
// VNI-Windows, VISCII) and UTF-8 that was mis-read as Windows-1252 and saved
// again ("mojibake": "Äáº£ng" for "Đảng"). Pure logic: no gRPC or Redis.
//
//   absl::StatusOr<DecodeResult> r = Decode(file_bytes);
//   if (!r.ok()) return r.status();  // InvalidArgument: "invalid UTF-8 at byte 17 (0xff)..."
//   Log(EncodingName(r->encoding), r->confidence);  // "tcvn3", 0.98
//   normalizer.Normalize(r->utf8);
//
//   DecodeOptions forced;
//   forced.forced = Encoding::kVni;  // the caller knows better: no detection
//   forced.lenient = true;           // unmapped bytes -> U+FFFD, counted
//   Decode("\xD1" "a\xFB" "ng", forced)->utf8 == "Đảng";
//
// Detection (when DecodeOptions::forced is empty), in this order:
//  1. A byte order mark decides: EF BB BF is UTF-8, FF FE UTF-16LE, FE FF
//     UTF-16BE (confidence 1). The BOM is removed from the output. UTF-16
//     without a BOM is never guessed (ASCII in UTF-16 is also valid UTF-8 with
//     NULs); force it.
//  2. Valid UTF-8 (also after a UTF-8 BOM) is UTF-8, unless it is mojibake:
//     every code point maps back to one Windows-1252 byte (the five bytes
//     cp1252 leaves undefined, 81 8D 8F 90 9D, are accepted as U+0081 etc.,
//     which is how such files keep them), those bytes are valid UTF-8 that
//     differs from the input, and the repaired text looks at least as
//     Vietnamese as the input (score below). Correct text with a legitimate
//     "Ã" ("SÃO PAULO") fails the first or second test and stays as it is.
//     Pure ASCII is UTF-8 with confidence 1; otherwise confidence grows with
//     the number of multi-byte sequences (a legacy file forms them by
//     accident ever more rarely).
//  3. Invalid UTF-8 where at least 80% of the non-ASCII sequences are valid
//     UTF-8 is UTF-8 with a few bad bytes: strict mode fails naming the first
//     bad byte, lenient mode replaces each with U+FFFD.
//  4. Otherwise each 8-bit candidate (windows-1258, vni, tcvn3, viscii, tried
//     in that order, ties go to the earlier) decodes the first 16 KiB and the
//     result is scored: the share of non-ASCII characters that sit in words
//     which are well-formed Vietnamese syllables (onset, 1-3 vowels with at
//     most one tone, a final consonant; "c ch p t" endings only with the
//     acute or dot tone). Foreign letters (ñ ö ï ...), symbols (§ ¶ ...),
//     leftover combining marks, C0/C1 controls and unmapped bytes count
//     against. The best score wins; confidence = score scaled by the margin
//     over the runner-up and by how much evidence there was (capped at 0.99).
//
// Legacy encodings, as decoded here:
//  * windows-1258 and viscii use the system iconv tables (glibc), read once.
//    Windows-1258's "base letter + combining tone" is composed by NFC.
//  * tcvn3 (TCVN 5712:1993 VN3, the "ABC" fonts): A1..FE hold ă â ê ô ơ ư đ,
//    their capitals and all 60 lower-case toned vowels. Upper-case toned
//    letters are not in the set (ABC draws them with separate "H" fonts at the
//    lower-case positions), so text typed in an H font decodes as lower case:
//    the bytes do not say otherwise. The gaps of A0..FF are unmapped; 80..9F
//    are read as Windows-1252 punctuation (Word's smart quotes and dashes).
//  * vni (VNI-Windows fonts): a base letter followed by a diacritic byte
//    ("Ña\xFBng" = "Đảng"); ơ ư đ, the toned i's and ỵ are single bytes. The
//    case of the diacritic byte is not checked. Other bytes are Windows-1252.
//
// All functions are thread-safe (the only state is immutable tables built on
// first use).
#ifndef VNARCHIVE_SERVICES_NORMALIZE_CORE_DECODE_H_
#define VNARCHIVE_SERVICES_NORMALIZE_CORE_DECODE_H_

#include <cstddef>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace vnarchive {
namespace normalize {

enum class Encoding {
  kUtf8,
  kUtf16Le,
  kUtf16Be,
  kWindows1258,
  kTcvn3,
  kVni,
  kViscii,
  // UTF-8 that was read as Windows-1252 and saved as UTF-8 again.
  kUtf8Mojibake,
};

// The canonical lower-case name: "utf-8", "utf-16le", "utf-16be",
// "windows-1258", "tcvn3", "vni", "viscii", "utf-8-mojibake".
absl::string_view EncodingName(Encoding encoding);

// Parses a name case-insensitively; accepts the canonical names and common
// aliases ("utf8", "utf16le", "cp1258", "tcvn", "abc", "vni-windows",
// "mojibake", ...). InvalidArgument naming the input and listing the
// canonical names if it is none of them.
absl::StatusOr<Encoding> ParseEncodingName(absl::string_view name);

struct DecodeOptions {
  // Decode as this encoding and skip detection. A matching BOM is still
  // removed (and reported). Default: detect.
  std::optional<Encoding> forced;
  // false: a byte that cannot be decoded fails the call with InvalidArgument
  // naming its offset. true: it becomes U+FFFD and is counted in
  // DecodeResult::replacements. Default false: nothing changes silently.
  bool lenient = false;
  // Inputs larger than this are rejected with ResourceExhausted, bounding the
  // memory of one call (the same default as NormalizerOptions). Default 64 MiB.
  size_t max_input_bytes = 64u << 20;
};

struct DecodeResult {
  // The decoded text in NFC, without a BOM.
  std::string utf8;
  // The encoding used: the forced one, or what detection chose.
  Encoding encoding = Encoding::kUtf8;
  // How sure detection is, 0..1: 1 for a forced encoding, a BOM or pure
  // ASCII; see the detection rules above for the rest.
  double confidence = 1.0;
  // True if the input began with a byte order mark (removed from `utf8`).
  bool had_bom = false;
  // U+FFFD characters inserted for undecodable bytes (lenient mode only).
  size_t replacements = 0;
};

// Decodes `bytes` to NFC UTF-8. Errors: ResourceExhausted if `bytes` is larger
// than options.max_input_bytes; InvalidArgument (strict mode) for an
// undecodable byte, naming its offset in `bytes`, e.g. "invalid UTF-8 at byte
// 17 (0xff): invalid lead byte", "invalid tcvn3 at byte 3 (0xb0): no mapping",
// or for UTF-16 of odd length / with an unpaired surrogate; FailedPrecondition
// if the system iconv lacks Windows-1258 or VISCII.
absl::StatusOr<DecodeResult> Decode(absl::string_view bytes,
                                    const DecodeOptions& options = {});

// For a caller that validates the text itself on its next pass (Normalizer::
// NormalizeBytes): true if Decode(bytes) without a forced encoding would
// take `bytes` as they are -- UTF-8 with no BOM that is not mojibake --
// PROVIDED they are well-formed UTF-8, which is not checked here; then sets
// *confidence to what Decode would report. On false, or if the bytes turn
// out ill-formed, call Decode. Cheap: copies nothing of Vietnamese text,
// and stops reading after a few dozen letters.
bool MayDecodeAsIs(absl::string_view bytes, double* confidence);

// The inverse of Decode for tests, fixtures and the CLI's acceptance checks:
// encodes valid UTF-8 (normalised to NFC first) as `encoding`. UTF-16 output
// starts with a BOM; Windows-1258 uses a precomposed byte where one exists,
// else base letter + combining tone; VNI uses the base letter + diacritic
// byte form. InvalidArgument if `utf8` is not valid UTF-8, or names the byte
// offset and code point of the first character the encoding cannot represent
// (e.g. any upper-case toned letter in tcvn3, see above); FailedPrecondition
// as for Decode.
absl::StatusOr<std::string> Encode(absl::string_view utf8, Encoding encoding);

}  // namespace normalize
}  // namespace vnarchive

#endif  // VNARCHIVE_SERVICES_NORMALIZE_CORE_DECODE_H_
