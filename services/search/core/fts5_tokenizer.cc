#include "services/search/core/fts5_tokenizer.h"

#include <string>
#include <vector>

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

// Queries: one form per token, from the allocation-free span walk, without
// ICU for ASCII tokens (their folded form is their lower form).
int TokenizeQuery(void* ctx, absl::string_view input, XTokenFn x_token) {
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
    rc = Emit(x_token, ctx, 0, QueryTerm(token), begin, end);
  });
  return rc;
}

// Documents (and snippet()): every token with both forms from one pass
// (text::internal::TokenizeWithForms decodes each code point once and keeps
// the forms in one buffer), so indexing allocates nothing per token. The
// same forms as text::TokenizeSyllables() (lower, folded).
int TokenizeDocument(void* ctx, absl::string_view input, XTokenFn x_token) {
  thread_local std::string forms;
  thread_local std::vector<text::internal::TokenWithForms> tokens;
  forms.clear();
  tokens.clear();
  text::internal::TokenizeWithForms(input, &forms, &tokens);
  int rc = SQLITE_OK;
  for (const text::internal::TokenWithForms& t : tokens) {
    const absl::string_view lower(forms.data() + t.lower_begin, t.lower_end - t.lower_begin);
    const absl::string_view folded(forms.data() + t.folded_begin, t.folded_end - t.folded_begin);
    rc = Emit(x_token, ctx, 0, lower, t.begin, t.end);
    if (rc != SQLITE_OK) break;
    if (folded != lower) {
      rc = Emit(x_token, ctx, FTS5_TOKEN_COLOCATED, folded, t.begin, t.end);
      if (rc != SQLITE_OK) break;
    }
  }
  // A very long document should not pin its buffers to the thread forever.
  constexpr size_t kKeepBytes = size_t{4} << 20;
  if (forms.capacity() > kKeepBytes) {
    std::string().swap(forms);
    std::vector<text::internal::TokenWithForms>().swap(tokens);
  }
  return rc;
}

int Tokenize(Fts5Tokenizer* /*tokenizer*/, void* ctx, int flags, const char* data, int size,
             XTokenFn x_token) {
  if (data == nullptr || size <= 0) return SQLITE_OK;
  const absl::string_view input(data, static_cast<size_t>(size));
  return (flags & FTS5_TOKENIZE_QUERY) != 0 ? TokenizeQuery(ctx, input, x_token)
                                            : TokenizeDocument(ctx, input, x_token);
}

}  // namespace

std::string QueryTerm(absl::string_view token) {
  // As typed (lower-cased) selects exact matches when the user typed
  // diacritics; the folded form matches every variant.
  return text::HasDiacritics(token) ? text::ToLower(token) : text::Fold(token);
}

absl::Status RegisterVietnameseTokenizer(sqlite3* db) {
  if (db == nullptr) {
    return absl::FailedPreconditionError("RegisterVietnameseTokenizer: db is null");
  }
  absl::StatusOr<fts5_api*> api = internal::GetFts5Api(db);
  if (!api.ok()) return api.status();
  static fts5_tokenizer tokenizer = {&Create, &Delete, &Tokenize};
  int rc = (*api)->xCreateTokenizer(*api, kVietnameseTokenizerName, nullptr,
                                    &tokenizer, nullptr);
  return internal::SqliteStatus(db, rc, "register FTS5 tokenizer 'vietnamese'");
}

}  // namespace search
}  // namespace vnarchive
