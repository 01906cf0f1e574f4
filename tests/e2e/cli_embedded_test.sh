#!/usr/bin/env bash
# Embedded mode of the client, end to end: `vnarchive index --db` over the
# sample documents and `vnarchive search --db` on the file, with no server
# and no Redis. Checks the summary counts, phrases found with and without
# diacritics and in either tone style, abbreviations matching their
# expansion, paging, an idempotent re-index, bad files in a directory
# (binary, empty, damaged UTF-8: reported, the others still indexed), and
# clear errors for a missing database, a file that is not one, and a bad
# query.
#
#   tests/e2e/cli_embedded_test.sh --client PATH/vnarchive --data tests/data
set -euo pipefail
client="" data=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --client) client="$2"; shift 2 ;;
    --data) data="$2"; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ -x "$client" && -d "$data/samples" ]] || { echo "usage: $0 --client VNARCHIVE --data TESTS_DATA_DIR" >&2; exit 2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
passed=0 failed=0
check() {  # check DESCRIPTION COMMAND...
  local what="$1"; shift
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $what" >&2; fi
}
# run: the exit status of the client, never stopping the script.
run() { set +e; "$client" "$@"; local status=$?; set -e; return $status; }
status_of() { set +e; "$client" "$@" >/dev/null 2>&1; local status=$?; set -e; echo $status; }
jqv() { jq -r "$1" <<<"$2"; }  # jqv FILTER JSON

db="$work/archive.db"
samples="$data/samples"
nsamples="$(find "$samples" -type f | wc -l)"

# --- A database that does not exist yet is not created by searching.
status="$(status_of search --db "$work/none.db" nêu gương)"
check "search on a missing database exits 2 (got $status)" test "$status" -eq 2
run search --db "$work/none.db" nêu gương 2>"$work/err" >/dev/null || true
check "the error names the file and says how to create it" \
  grep -q "no database at '$work/none.db'.*vnarchive index --db" "$work/err"
check "searching created no file" test ! -e "$work/none.db"
out="$(run search --db "$work/none.db" --json nêu gương || true)"
check "with --json the error is a JSON object" test "$(jqv .error.code "$out")" = "NOT_FOUND"

# --- Index the samples.
out="$(run index --db "$db" --json "$samples")"
check "index: every sample indexed ($out)" test "$(jqv '[.files, .indexed, .duplicate, .errors] | join(",")' "$out")" = "$nsamples,$nsamples,0,0"
check "index: the database holds them" test "$(jqv .documents_in_db "$out")" -eq "$nsamples"
check "index: a doc_id, encoding and content type per file" \
  test "$(jqv '[.documents[] | select(.doc_id != null and .encoding != null and .content_type != null)] | length' "$out")" -eq "$nsamples"
check "index: the web page was read as HTML" \
  test "$(jqv '.documents[] | select(.name == "sample_23.html") | .content_type' "$out")" = "text/html"
check "index: a rate is reported" jq -e '.docs_per_second > 0 and .seconds >= 0' <<<"$out" >/dev/null

# --- Each sample's phrase finds it first, with and without diacritics.
found=0 folded_found=0 rows=0
while IFS=$'\t' read -r file phrase folded; do
  [[ "$file" == "file" ]] && continue
  rows=$((rows + 1))
  got="$(run search --db "$db" --json --limit 3 "\"$phrase\"")"
  [[ "$(jqv '.hits[0].name' "$got")" == "$file" ]] && found=$((found + 1)) || echo "  '$phrase' -> $(jqv '.hits[0].name' "$got")" >&2
  got="$(run search --db "$db" --json --limit 3 "\"$folded\"")"
  [[ "$(jqv '.hits[0].name' "$got")" == "$file" ]] && folded_found=$((folded_found + 1)) || echo "  '$folded' -> $(jqv '.hits[0].name' "$got")" >&2
done <"$data/sample_phrases.tsv"
check "every phrase with diacritics finds its sample first ($found/$rows)" test "$found" -eq "$rows"
check "every phrase without diacritics finds its sample first ($folded_found/$rows)" test "$folded_found" -eq "$rows"

# --- Either tone style, and the folded form, count the same documents.
total() { jqv .total "$(run search --db "$db" --json "$@")"; }
traditional="$(total '"thủy sản"')"
check "'\"thủy sản\"' matches 3 samples (got $traditional)" test "$traditional" -eq 3
check "'\"thuỷ sản\"' (modern style) matches the same" test "$(total '"thuỷ sản"')" -eq "$traditional"
check "'\"thuy san\"' (no diacritics) matches the same" test "$(total '"thuy san"')" -eq "$traditional"

# --- An abbreviation matches its expansion and back.
ubnd="$(total UBND)"
check "UBND matches 6 samples (got $ubnd)" test "$ubnd" -eq 6
check "'\"uy ban nhan dan\"' matches the same samples" test "$(total '"uy ban nhan dan"')" -eq "$ubnd"

# --- Paging, sorting and the human-readable form.
page1="$(run search --db "$db" --json --limit 2 Đảng)"
page2="$(run search --db "$db" --json --limit 2 --offset 2 Đảng)"
check "limit 2 gives 2 hits" test "$(jqv '.hits | length' "$page1")" -eq 2
check "offset 2 gives the next ones" test "$(jqv '.hits[0].doc_id' "$page2")" != "$(jqv '.hits[0].doc_id' "$page1")"
check "both pages report the same total" test "$(jqv .total "$page1")" = "$(jqv .total "$page2")"
newest="$(run search --db "$db" --json --sort date --limit 1 đảng viên)"
check "--sort date puts the newest dated sample first" \
  test "$(jqv '.hits[0].published_at' "$newest")" = "2020-01-10T10:05:00Z"
run search --db "$db" nêu gương >"$work/human" 2>&1
check "human output: count line" grep -q "results for nêu gương" "$work/human"
check "human output: a hit with score and id" grep -q "score .*, id [0-9a-f]\{32\})" "$work/human"
check "human output: a highlighted snippet" grep -q "\[nêu\] \[gương\]" "$work/human"

# --- Filters, facets, entities and the diacritics suggestion, as the service
# gives them.
faceted="$(run search --db "$db" --json --facet person,year --facet loc --limit 3 Đảng)"
check "facets come in the order asked" \
  test "$(jqv '[.facets[].field] | join(",")' "$faceted")" = "person,year,loc"
check "facet counts are of all matches, not the page" \
  test "$(jqv '[.facets[1].values[].count] | add' "$faceted")" -gt 3
check "a few matches are counted exactly (facet_sample = total)" \
  test "$(jqv .facet_sample "$faceted")" -eq "$(jqv .total "$faceted")"
exact="$(run search --db "$db" --json --facet person,year --facet loc --limit 3 --exact-facets Đảng)"
check "--exact-facets gives the same counts" \
  test "$(jqv '.facets' "$exact")" = "$(jqv '.facets' "$faceted")"
counted="$(run search --db "$db" --json --limit 3 --exact-total Đảng)"
check "a small archive's total is exact, and --exact-total agrees" \
  test "$(jqv .total_estimated "$faceted")/$(jqv .total_estimated "$counted")/$(jqv .total \
    "$counted")" = "false/false/$(jqv .total "$faceted")"
check "each hit carries its entities" \
  test "$(jqv '[.hits[] | select((.entities | length) > 0)] | length' "$faceted")" -eq 3
top_loc="$(jqv '.facets[2].values[0].value' "$faceted")"
narrowed="$(run search --db "$db" --json "Đảng loc:\"$top_loc\"")"
check "a facet value narrows the search as a filter (loc:$top_loc)" \
  test "$(jqv .total "$narrowed")" -eq "$(jqv '.facets[2].values[0].count' "$faceted")"
check "a query without diacritics gets a suggestion" \
  test "$(jqv .suggestion "$(run search --db "$db" --json neu guong)")" = "nêu gương"
run search --db "$db" --facet year neu guong >"$work/human" 2>&1
check "human output: the suggestion" grep -q "^did you mean: nêu gương$" "$work/human"
check "human output: the facet" grep -q "^year: 20[0-9][0-9] [0-9]" "$work/human"
check "human output: entities of a hit" grep -q "(PERSON)" "$work/human"
status="$(status_of search --db "$db" --facet colour Đảng)"
check "an unknown facet is a usage error (got $status)" test "$status" -ne 0

# --- Re-indexing the same files writes nothing.
out="$(run index --db "$db" --json "$samples")"
check "re-index: all duplicates ($out)" test "$(jqv '[.indexed, .duplicate, .errors] | join(",")' "$out")" = "0,$nsamples,0"
check "re-index: still $nsamples documents" test "$(jqv .documents_in_db "$out")" -eq "$nsamples"
run index --db "$db" "$samples" >"$work/summary" 2>&1
check "re-index summary line" grep -q "^$nsamples files: 0 indexed, $nsamples duplicates skipped, 0 errors" "$work/summary"

# --- A database inside the directory it indexes is not read as a document.
mkdir -p "$work/self"
cp "$samples"/* "$work/self/"
run index --db "$work/self/archive.db" "$work/self" >/dev/null
out="$(run index --db "$work/self/archive.db" --json "$work/self")"
check "database inside the indexed directory: skipped ($out)" \
  test "$(jqv '[.files, .duplicate, .errors] | join(",")' "$out")" = "$nsamples,$nsamples,0"

# --- Bad files in a directory: reported one by one, the rest indexed.
mixed="$work/mixed"
mkdir -p "$mixed/sub"
cp "$samples/sample_02.txt" "$samples/sample_05.txt" "$mixed/"
cp "$samples/sample_23.html" "$mixed/sub/"
printf 'Sáng 3/10/2024, Ủy ban nhân dân huyện Mang Thít làm việc với Sở Nội vụ về cải cách hành chính.\n' >"$mixed/sub/full_form.txt"
printf '\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10' >"$mixed/logo.png"
: >"$mixed/empty.txt"
printf 'Hội nghị Ban Chấp hành Đảng bộ tỉnh \xc3\x28 lần thứ 12\n' >"$mixed/damaged.txt"
set +e
out="$("$client" index --db "$work/mixed.db" --json "$mixed" "$work/no-such-file.txt")"
status=$?
set -e
check "mixed: exit 1 when some files fail (got $status)" test "$status" -eq 1
check "mixed: 4 indexed, 4 errors ($out)" test "$(jqv '[.files, .indexed, .errors] | join(",")' "$out")" = "8,4,4"
for bad in logo.png empty.txt damaged.txt; do
  check "mixed: $bad rejected with a reason" \
    test "$(jqv ".documents[] | select(.name == \"$bad\") | .outcome + \":\" + (.error | length > 0 | tostring)" "$out")" = "rejected:true"
done
check "mixed: the damaged file's error names the byte" \
  jq -e '.documents[] | select(.name == "damaged.txt") | .error | test("byte")' <<<"$out" >/dev/null
check "mixed: the missing path is unreadable" \
  test "$(jqv '.documents[] | select(.path | endswith("no-such-file.txt")) | .outcome' "$out")" = "unreadable"
check "mixed: the database holds the 4 good files" test "$(jqv .documents_in_db "$out")" -eq 4
run index --db "$work/mixed.db" "$mixed" >/dev/null 2>"$work/err" || true
check "mixed, human: each bad file named on stderr" \
  test "$(grep -c -e 'logo.png' -e 'empty.txt' -e 'damaged.txt' "$work/err")" -eq 3
check "mixed: UBND finds the full form 'Ủy ban nhân dân' too" \
  test "$(jqv '[.hits[].name] | sort | join(",")' "$(run search --db "$work/mixed.db" --json UBND)")" = "full_form.txt,sample_02.txt,sample_05.txt"
check "mixed: '\"Ủy ban nhân dân\"' finds the abbreviated ones too" \
  test "$(jqv .total "$(run search --db "$work/mixed.db" --json '"Ủy ban nhân dân"')")" -eq 3

# --- Not a vnarchive database: refused, and left untouched.
cp "$samples/sample_01.txt" "$work/notes.txt"
before="$(cksum <"$work/notes.txt")"
status="$(status_of search --db "$work/notes.txt" nêu gương)"
check "search on a text file exits 2 (got $status)" test "$status" -eq 2
status="$(status_of index --db "$work/notes.txt" "$samples")"
check "index into a text file exits 2 (got $status)" test "$status" -eq 2
check "the text file is unchanged" test "$(cksum <"$work/notes.txt")" = "$before"
run search --db "$work/notes.txt" x 2>"$work/err" >/dev/null || true
check "the error says it is not a vnarchive database" grep -q "not a vnarchive database" "$work/err"
status="$(status_of search --db "$work" x)"
check "a directory is not a database either (got $status)" test "$status" -eq 2

# --- Bad queries: exit 1 with the reason.
set +e
"$client" search --db "$db" -- -đảng >/dev/null 2>"$work/err"
status=$?
set -e
check "a query of exclusions only exits 1 (got $status)" test "$status" -eq 1
check "... and says INVALID_ARGUMENT" grep -q "INVALID_ARGUMENT" "$work/err"
out="$(run search --db "$db" --json "$(printf 'đảng \xff ủy')" || true)"
check "a query with invalid UTF-8 names the byte offset" \
  jq -e '.error.code == "INVALID_ARGUMENT" and (.error.message | test("byte"))' <<<"$out" >/dev/null
status="$(status_of search --db "$db" --addr 127.0.0.1:1 x)"
check "--db and --addr together are a usage error (got $status)" test "$status" -eq 2

echo "cli embedded: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
