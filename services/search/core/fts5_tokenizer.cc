#include "services/search/core/fts5_tokenizer.h"

#include <string>

#include "absl/strings/string_view.h"
#include "common/text/segment.h"
#include "services/search/core/sqlite_util.h"

namespace vnarchive {
namespace search {
namespace {

using XTokenFn = int (*)(void*, int, const char*, int, int, int);

// FTS5 needs a non-null Fts5Tokenizer* from xCreate; the tokenizer has no
// state, so every instance is this one static object.
struct VietnameseTokenizer {};
VietnameseTokenizer g_instance;

int Create(void* /*user_data*/, const char** /*args*/, int num_args,
           Fts5Tokenizer** out) {
  if (num_args != 0) return SQLITE_ERROR;  // no options are defined
  *out = reinterpret_cast<Fts5Tokenizer*>(&g_instance);
  return SQLITE_OK;
}

void Delete(Fts5Tokenizer* /*tokenizer*/) {}

int Emit(XTokenFn x_token, void* ctx, int flags, absl::string_view form,
         size_t begin, size_t end) {
  return x_token(ctx, flags, form.data(), static_cast<int>(form.size()),
                 static_cast<int>(begin), static_cast<int>(end));
}

bool IsAscii(absl::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

// Same forms as text::TokenizeSyllables() gives (lower, folded), but from the
// allocation-free span walk, and without ICU for ASCII tokens (about half the
// syllables of Vietnamese text), whose folded form is their lower form.
int Tokenize(Fts5Tokenizer* /*tokenizer*/, void* ctx, int flags, const char* data,
             int size, XTokenFn x_token) {
  if (data == nullptr || size <= 0) return SQLITE_OK;
  const bool is_query = (flags & FTS5_TOKENIZE_QUERY) != 0;
  const absl::string_view input(data, static_cast<size_t>(size));
  int rc = SQLITE_OK;
  std::string ascii_lower;
  text::ForEachTokenSpan(input, [&](size_t begin, size_t end) {
    if (rc != SQLITE_OK) return;
    const absl::string_view token = input.substr(begin, end - begin);
    if (IsAscii(token)) {
      ascii_lower.assign(token.data(), token.size());
      for (char& c : ascii_lower) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      }
      rc = Emit(x_token, ctx, 0, ascii_lower, begin, end);
      return;
    }
    if (is_query) {
      // One form per query token: as typed (lower-cased) selects exact matches
      // when the user typed diacritics; the folded form matches every variant.
      rc = Emit(x_token, ctx, 0,
                text::HasDiacritics(token) ? text::ToLower(token) : text::Fold(token),
                begin, end);
      return;
    }
    const std::string lower = text::ToLower(token);
    rc = Emit(x_token, ctx, 0, lower, begin, end);
    if (rc != SQLITE_OK) return;
    const std::string folded = text::Fold(token);
    if (folded != lower) rc = Emit(x_token, ctx, FTS5_TOKEN_COLOCATED, folded, begin, end);
  });
  return rc;
}

absl::StatusOr<fts5_api*> GetFts5Api(sqlite3* db) {
  fts5_api* api = nullptr;
  auto stmt = internal::Statement::Prepare(db, "SELECT fts5(?1)");
  if (!stmt.ok()) {
    return absl::FailedPreconditionError(
        "SQLite has no FTS5 (SELECT fts5(?) failed): " +
        std::string(stmt.status().message()));
  }
  int rc = sqlite3_bind_pointer(stmt->get(), 1, &api, "fts5_api_ptr", nullptr);
  if (rc != SQLITE_OK) return internal::SqliteStatus(db, rc, "bind fts5_api_ptr");
  absl::Status run = stmt->Run();
  if (!run.ok()) return run;
  if (api == nullptr || api->iVersion < 2) {
    return absl::FailedPreconditionError("SQLite FTS5 API version 2 is required");
  }
  return api;
}

}  // namespace

absl::Status RegisterVietnameseTokenizer(sqlite3* db) {
  if (db == nullptr) {
    return absl::FailedPreconditionError("RegisterVietnameseTokenizer: db is null");
  }
  absl::StatusOr<fts5_api*> api = GetFts5Api(db);
  if (!api.ok()) return api.status();
  static fts5_tokenizer tokenizer = {&Create, &Delete, &Tokenize};
  int rc = (*api)->xCreateTokenizer(*api, kVietnameseTokenizerName, nullptr,
                                    &tokenizer, nullptr);
  return internal::SqliteStatus(db, rc, "register FTS5 tokenizer 'vietnamese'");
}

}  // namespace search
}  // namespace vnarchive
