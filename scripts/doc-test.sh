#!/usr/bin/env bash
# Doc-test: the fenced code blocks of README.md and docs/*.md run as a reader runs them, against the
# packed tarball installed in a scratch project outside the repository.
#
#   scripts/doc-test.sh [MARKDOWN...]   (default: README.md docs/*.md)
#
# ts/js blocks run as modules with tsx, sh blocks with bash (`set -e -o pipefail`) in the scratch
# project, where `npx lstm-lrp` is the installed package; blocks without a language (synopses) and
# data blocks are not run. An HTML comment on the line before a fence changes that
# (`<!-- doc-test: clone -->`, `browser`, `files: DEST=SRC`, `expect: TEXT`, `skip: REASON`; see
# scripts/doc-test/plan.ts). A sample passes when it exits 0, prints no stack trace and its output
# holds every `expect` text; a ts sample must also pass `tsc --strict`. Prints 'ok N - FILE:LINE
# LANGUAGE' / 'not ok N - ...' (with the tail of the output) per sample, '# skipped FILE:LINE:
# REASON' per skipped block, and closes with 'doc-test: N passed, N failed'; exits 1 if any failed.
#
# Run `npm run build:ts` and `npm run build:prebuilds` first. `clone` blocks run in a git clone of
# the last commit (uncommitted changes are not in it) with this repository's node_modules and
# built addon copied in.
# Dependencies install from the local npm cache (--prefer-offline). LSTM_LRP_DOC_TEST_KEEP=1 keeps
# the temporary folder.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
suite=doc-test
keep_variable=LSTM_LRP_DOC_TEST_KEEP
# shellcheck source=scripts/package-checks.sh
source "$root/scripts/package-checks.sh"
started=$SECONDS

tsx=$root/node_modules/.bin/tsx
nodedir=${npm_config_nodedir:-}
[ -z "$nodedir" ] && [ -f /usr/include/node/node_api.h ] && nodedir=/usr
unset LSTM_LRP_BACKEND

if [ $# -ge 1 ]; then documents=("$@"); else documents=("$root/README.md" "$root"/docs/*.md); fi

# --- the package, installed where a reader installs it -------------------------------------------
host=$(node -p 'process.platform + "-" + process.arch')
missing=()
for file in dist/index.js dist/index.cjs dist/browser.js dist/cli/main.js; do
  [ -f "$root/$file" ] || missing+=("$file (npm run build:ts)")
done
compgen -G "$root/prebuilds/$host/*.node" >/dev/null || missing+=("prebuilds/$host (npm run build:prebuilds)")
[ ${#missing[@]} -eq 0 ] || fail_now "pack: missing ${missing[*]}"
pack_repository

project=$work/project
mkdir -p "$project/doc-test"
echo '{"name": "doc-test-project", "version": "1.0.0", "private": true}' >"$project/package.json"
install_tarball() { cd "$project" && npm install --prefer-offline --no-audit --no-fund "$tarball"; }
check "npm install of the packed tarball in a scratch project" install_tarball
[ "$failed" -eq 0 ] || finish

# --- the samples ---------------------------------------------------------------------------------
"$tsx" "$root/scripts/doc-test/plan.ts" "$work/blocks" "$root" "${documents[@]}" || fail_now "reading the documentation's code blocks"

# A fresh clone of the repository, made by the first `clone` block and shared by the later ones,
# with this repository's node_modules and its built addon (when it has one) copied in: compiling
# it again would double the doc-test's time, and CI's `npm ci` compiles it from a fresh checkout.
clone() {
  local dir=$work/clone
  [ -d "$dir/.git" ] && return 0
  git clone --quiet "$root" "$dir" && cp -a "$root/node_modules" "$dir/" || return 1
  if [ -f "$root/build/Release/lstm_lrp.node" ]; then
    mkdir -p "$dir/build/Release" && cp "$root/build/Release/lstm_lrp.node" "$dir/build/Release/"
  fi
}

# TypeScript (strict, nodenext, no skipLibCheck) accepts a sample as written: the package's types
# must hold every option and result the docs show.
typecheck() {
  echo "(tsc --strict)"
  node "$root/node_modules/typescript/bin/tsc" --noEmit --strict --module nodenext --moduleResolution nodenext \
    --target es2022 --typeRoots "$root/node_modules/@types" --types node "$1"
}

# run_sample RUNNER PLACE FOLDER: runs FOLDER/sample.* in the project or the clone; passes when it
# exits 0, prints no stack trace, and its output holds each line of FOLDER/expect.
run_sample() {
  local runner=$1 place=$2 folder=$3 dir=$project name output=$3/output
  name=doc-test/$(basename "$folder")
  local sample
  sample=$(echo "$folder"/sample.*)
  if [ "$place" = clone ]; then
    clone || return 1
    dir=$work/clone
    mkdir -p "$dir/doc-test"
    export npm_config_prefer_offline=true npm_config_audit=false npm_config_fund=false
    [ -z "$nodedir" ] || export npm_config_nodedir=$nodedir
  else
    # `npx lstm-lrp` must be the installed package, never one fetched from the registry.
    export npm_config_offline=true
  fi
  local dest source
  while IFS=$'\t' read -r dest source; do
    mkdir -p "$(dirname "$dir/$dest")" && cp -r "$root/$source" "$dir/$dest" || return 1
  done <"$folder/files"
  cd "$dir" || return 1
  case $runner in
    tsx)
      local copy=$name${sample##*/sample}
      cp "$sample" "$copy" && timeout 300 "$tsx" "$copy" && { [[ $copy != *.mts ]] || typecheck "$copy"; }
      ;;
    bash) timeout 300 bash -e -o pipefail "$sample" ;;
    browser) timeout 300 "$tsx" "$root/scripts/doc-test/browser.ts" "$dir/$name-app" "$sample" ;;
  esac </dev/null 2>&1 | tee "$output"
  local status=${PIPESTATUS[0]}
  [ "$status" -eq 0 ] || { echo "(exit code $status)"; return 1; }
  if grep -E '^ +at .*([0-9]+:[0-9]+\)?|\(index [0-9]+\)|\(native\)|<anonymous>\)?)$' "$output" >/dev/null; then
    echo "(a stack trace in the output)"
    return 1
  fi
  local text ok=0
  while IFS= read -r text; do
    grep -qF -- "$text" "$output" || { echo "(the output lacks: $text)"; ok=1; }
  done <"$folder/expect"
  return $ok
}

not_run=()
while IFS=$'\t' read -r -u 3 location action detail folder; do
  case $action in
    run)
      read -r runner place language <<<"$detail"
      label="$location $language"
      [ "$place" = clone ] && label+=" (in a clone)"
      check "$label" run_sample "$runner" "$place" "$folder"
      ;;
    skip) echo "# skipped $location: $detail" ;;
    none) not_run+=("$location") ;;
    *) check "$location: $detail" false ;;
  esac
done 3<"$work/blocks/plan.tsv"
[ ${#not_run[@]} -eq 0 ] || echo "# not run (synopses and data): ${not_run[*]}"
echo "# $((SECONDS - started)) s"
finish
