# Sourced by the checks of `lstm-lrp serve` run outside ava (nginx-replicas-test.sh,
# schemathesis-test.sh): their TAP lines and a process probe. The sourcing script sets `failed=0`.
ok() { echo "ok - $1"; }
# not_ok LABEL [DETAILS]: a failed check, its details indented as TAP comments.
not_ok() {
  failed=$((failed + 1))
  echo "not ok - $1"
  [ $# -lt 2 ] || sed 's/^/#   /' <<<"$2"
}
alive() { kill -0 "$1" 2>/dev/null; }
