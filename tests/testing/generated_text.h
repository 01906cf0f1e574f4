// Deterministic Vietnamese prose for benchmarks: syllables of party and
// local-government news with the numbers, codes and abbreviations of official
// text, in sentences and paragraphs. Benchmarks that must not depend on the
// shared corpus use it; header-only so any benchmark can include it.
//
//   const std::string text = vnarchive::testutil::GenerateVietnameseProse(1 << 20);
#ifndef VNARCHIVE_TESTS_TESTING_GENERATED_TEXT_H_
#define VNARCHIVE_TESTS_TESTING_GENERATED_TEXT_H_

#include <cstddef>
#include <random>
#include <string>

namespace vnarchive {
namespace testutil {

// Returns about `bytes` of NFC text in the traditional tone style. With
// `variants`, about one word in 25 is spelled in the modern style or with a
// tone on the wrong vowel ("hoà", "lựơng"), as mixed archives are.
inline std::string GenerateVietnameseProse(size_t bytes, bool variants = false) {
  static const char* const kWords[] = {
      "Đảng", "ủy", "tỉnh", "Hậu", "Giang", "đã", "tổ", "chức", "hội", "nghị",
      "quán", "triệt", "Nghị", "quyết", "Trung", "ương", "khóa", "XII", "về",
      "công", "tác", "xây", "dựng", "chỉnh", "đốn", "Ban", "Thường", "vụ",
      "đồng", "chí", "Bí", "thư", "người", "dân", "phát", "triển", "kinh", "tế",
      "xã", "hội", "năm", "2019", "theo", "Quy", "định", "08-QĐi/TW", "của",
      "Bộ", "Chính", "trị", "ngày", "20/7/2019", "TP.", "Hà", "Nội", "việc",
      "thực", "hiện", "nhiệm", "vụ", "được", "giao", "những", "kết", "quả",
      "hòa", "bình", "khỏe", "mạnh", "thủy", "lợi", "hoàng", "thuyết", "phục",
      "Facebook", "COVID-19", "Huawei", "UBND", "mười", "tuổi", "bảo", "đảm"};
  static const char* const kVariants[] = {"hoà", "khoẻ", "thuỷ", "uỷ", "lựơng",
                                          "baỏ", "nghịêm", "ngừơi", "hòang", "qúa"};
  std::mt19937 rng(7);
  std::string out;
  out.reserve(bytes + 64);
  size_t in_sentence = 0;
  while (out.size() < bytes) {
    if (variants && rng() % 25 == 0) {
      out += kVariants[rng() % (sizeof(kVariants) / sizeof(kVariants[0]))];
    } else {
      out += kWords[rng() % (sizeof(kWords) / sizeof(kWords[0]))];
    }
    if (++in_sentence > 12 + rng() % 10) {
      out += rng() % 5 == 0 ? ".\n\n" : ". ";
      in_sentence = 0;
    } else {
      out += rng() % 9 == 0 ? ", " : " ";
    }
  }
  return out;
}

}  // namespace testutil
}  // namespace vnarchive

#endif  // VNARCHIVE_TESTS_TESTING_GENERATED_TEXT_H_
