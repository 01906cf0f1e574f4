#!/usr/bin/env bash
# `vnarchive extract --json FILE...` (offline): one JSON object per file with
# the shape docs/cli.md documents, spans that point at the entity text in the
# normalised text, the same entities from a legacy-encoded copy, and a bad
# file reported without stopping the others.
#
#   tests/e2e/cli_extract_test.sh --client PATH/vnarchive --data tests/data/encodings
set -euo pipefail
client="" data=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --client) client="$2"; shift 2 ;;
    --data) data="$2"; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
passed=0 failed=0
has() { jq -e "$1" >/dev/null <<<"$2"; }  # has FILTER JSON
check() {  # check DESCRIPTION COMMAND...
  local what="$1"; shift
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $what" >&2; fi
}

printf 'HNP - Sáng 20/7/2019, đồng chí Đào Đức Toàn, Phó Bí thư Thành ủy Hà Nội, dự hội nghị quán triệt Quy định số 08-QĐi/TW của Bộ Chính trị.\n' >"$work/a.txt"
printf '\xff\xfe\x00binary' >"$work/bad.bin"

set +e
"$client" extract --json "$work/a.txt" "$work/bad.bin" "$data/article.utf8.txt" \
  "$data/article.tcvn3.txt" >"$work/out.jsonl" 2>"$work/err"
status=$?
set -e
check "exit code 1 when one file fails (got $status)" test "$status" -eq 1
check "the bad file is named on stderr" grep -q "bad.bin" "$work/err"
check "one JSON line per readable file" test "$(wc -l <"$work/out.jsonl")" -eq 3
line1="$(sed -n 1p "$work/out.jsonl")"
check "file field" test "$(jq -r .file <<<"$line1")" = "$work/a.txt"
check "entity fields" test "$(jq -c '.entities[0] | keys' <<<"$line1")" = '["end","start","text","type","value"]'
check "PERSON found" test "$(jq -r '[.entities[] | select(.type=="PERSON") | .value] | join(",")' <<<"$line1")" = "Đào Đức Toàn"
check "DOC_REF canonical" has 'any(.entities[]; .type=="DOC_REF" and .value=="08-QĐi/TW")' "$line1"
check "DATE in ISO" has 'any(.entities[]; .type=="DATE" and .value=="2019-07-20")' "$line1"
check "LOC without administrative word" has 'any(.entities[]; .type=="LOC" and .value=="Hà Nội")' "$line1"
check "ROLE relation" has 'any(.relations[]; .type=="ROLE" and .person=="Đào Đức Toàn" and (.role|startswith("Phó Bí thư Thành ủy")))' "$line1"
# Spans are UTF-8 byte offsets into the normalised text.
normalized="$("$client" normalize "$work/a.txt")"
bad_spans=0
while IFS=$'\t' read -r start end text; do
  got="$(printf '%s' "$normalized" | tail -c +$((start + 1)) | head -c $((end - start)))"
  [[ "$got" == "$text" ]] || { bad_spans=$((bad_spans + 1)); echo "span $start-$end is '$got', not '$text'" >&2; }
done < <(jq -r '.entities[] | [.start, .end, .text] | @tsv' <<<"$line1")
check "every span points at its text" test "$bad_spans" -eq 0
check "a TCVN3 copy gives the same entities as its UTF-8 original" test \
  "$(sed -n 2p "$work/out.jsonl" | jq -c .entities)" = "$(sed -n 3p "$work/out.jsonl" | jq -c .entities)"
echo "cli extract: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
