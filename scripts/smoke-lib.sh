# Shared by the scripts/cli-smoke*.sh scenarios: a clean AWS CLI environment and the checks they print.
# Source it after setting `endpoint`; AWS_CLI may name the aws binary (default: aws on PATH).
AWS_CLI=${AWS_CLI:-aws}
export AWS_SECRET_ACCESS_KEY=local AWS_PAGER="" AWS_EC2_METADATA_DISABLED=true
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null

step() { printf '== %s\n' "$*"; }
expect() { # expect ACTUAL EXPECTED WHAT
  if [ "$1" != "$2" ]; then printf 'FAIL %s: expected [%s], got [%s]\n' "$3" "$2" "$1" >&2; exit 1; fi
  printf '   ok %s = %s\n' "$3" "$1"
}
expect_match() { # expect_match ACTUAL REGEX WHAT
  if ! [[ "$1" =~ $2 ]]; then printf 'FAIL %s: [%s] does not match /%s/\n' "$3" "$1" "$2" >&2; exit 1; fi
  printf '   ok %s = %s\n' "$3" "$1"
}
expect_failure() { # expect_failure CODE command... : the command fails with AWS error CODE
  local code=$1; shift
  local out
  if out=$("$@" 2>&1); then printf 'FAIL expected %s from: %s\n' "$code" "$*" >&2; exit 1; fi
  if [[ "$out" != *"($code)"* ]]; then printf 'FAIL expected %s, got: %s\n' "$code" "$out" >&2; exit 1; fi
  printf '   ok refused with %s: %s\n' "$code" "${out##*: }"
}
