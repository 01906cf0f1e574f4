#include "common/text/nfc.h"

#include <cstdint>
#include <limits>

#include "common/base/status_macros.h"
#include "common/text/icu_status.h"
#include "common/text/utf8.h"
#include "unicode/bytestream.h"
#include "unicode/normalizer2.h"
#include "unicode/stringpiece.h"

namespace vnarchive {
namespace text {
namespace {

// Every code point below U+0300 is NFC_QC=Yes with combining class 0, so a
// string made only of them is NFC; their UTF-8 lead bytes are all < 0xCC.
bool AllBelowCombiningMarks(absl::string_view utf8) {
  for (char c : utf8) {
    if (static_cast<unsigned char>(c) >= 0xCC) return false;
  }
  return true;
}

bool FitsIcuLength(absl::string_view utf8) {
  return utf8.size() <= static_cast<size_t>(std::numeric_limits<int32_t>::max());
}

// Appends NFC(utf8) to *out; `utf8` must be valid UTF-8.
absl::Status NormalizeInto(absl::string_view utf8, std::string* out) {
  if (!FitsIcuLength(utf8)) {
    return absl::ResourceExhaustedError("NFC: input of 2 GiB or more");
  }
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  VNA_RETURN_IF_ERROR(IcuStatus(status, "Normalizer2::getNFCInstance"));
  const icu::StringPiece piece(utf8.data(), static_cast<int32_t>(utf8.size()));
  if (AllBelowCombiningMarks(utf8) || nfc->isNormalizedUTF8(piece, status)) {
    VNA_RETURN_IF_ERROR(IcuStatus(status, "Normalizer2::isNormalizedUTF8"));
    out->append(utf8.data(), utf8.size());
    return absl::OkStatus();
  }
  VNA_RETURN_IF_ERROR(IcuStatus(status, "Normalizer2::isNormalizedUTF8"));
  out->reserve(out->size() + utf8.size());
  icu::StringByteSink<std::string> sink(out);
  nfc->normalizeUTF8(0, piece, sink, nullptr, status);
  return IcuStatus(status, "Normalizer2::normalizeUTF8");
}

}  // namespace

bool IsNfc(absl::string_view utf8) {
  if (!ValidateUtf8(utf8).ok()) return false;
  if (AllBelowCombiningMarks(utf8)) return true;
  if (!FitsIcuLength(utf8)) return false;
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) return false;
  const bool normalized = nfc->isNormalizedUTF8(
      icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())), status);
  return U_SUCCESS(status) && normalized;
}

std::string ToNfc(absl::string_view utf8) {
  std::string out;
  if (!NormalizeInto(utf8, &out).ok()) return std::string(utf8);
  return out;
}

absl::StatusOr<std::string> ToNfcChecked(absl::string_view utf8) {
  VNA_RETURN_IF_ERROR(ValidateUtf8(utf8));
  std::string out;
  VNA_RETURN_IF_ERROR(NormalizeInto(utf8, &out));
  return out;
}

}  // namespace text
}  // namespace vnarchive
