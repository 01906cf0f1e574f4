#include "tests/testing/stderr_capture.h"

#include <unistd.h>

namespace vnarchive {
namespace testutil {

StderrCapture::StderrCapture() {
  std::fflush(stderr);
  saved_ = dup(2);
  file_ = std::tmpfile();
  if (saved_ >= 0 && file_ != nullptr) dup2(fileno(file_), 2);
}

StderrCapture::~StderrCapture() {
  if (file_ != nullptr) Stop();
}

std::string StderrCapture::Stop() {
  std::string text;
  if (file_ == nullptr) return text;
  std::fflush(stderr);
  if (saved_ >= 0) {
    dup2(saved_, 2);
    close(saved_);
    saved_ = -1;
  }
  std::rewind(file_);
  char buffer[4096];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof(buffer), file_)) > 0) text.append(buffer, n);
  std::fclose(file_);
  file_ = nullptr;
  return text;
}

}  // namespace testutil
}  // namespace vnarchive
