#!/usr/bin/env bash
# The hostile check (issue 17): generates the hostile repositories (build/hostile.cs) and lints each with the CLI in
# every output mode (text, github, json), each bounded by a 35 s timeout, and fails unless, for every case:
#   - the exit code is 0 or 1, within 5 s of CPU time and 300 MB (measured with /usr/bin/time when present);
#   - the normal app's finding (MST1001 on normal/leaf.pem) is printed: the rest of the repository was judged;
#   - the case's offending file (its EXPECT) gets exactly one finding, an MST0001 (or the ID EXPECT names);
#   - no printed line is a runner command: after trimming any white space none starts with '::' (bar the github
#     mode's own annotations), none holds '##[' or '##vso['.
# Prints the slowest and the largest run per case. CI runs it at --scale 1 (the issue's sizes);
# `build/hostile.sh --scale 10` is the issue's "Done when" (10x).
# Usage: build/hostile.sh [--scale N] [--mutations N] [--seed N] [--keep DIR [--reuse]] [--only REGEX]
set -uo pipefail
cd "$(dirname "$0")/.."
scale=1; mutations=600; seed=17; keep=""; reuse=0; only="."
while [[ $# -gt 0 ]]; do
  case "$1" in
    --scale) scale="$2"; shift 2 ;;
    --mutations) mutations="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --keep) keep="$2"; shift 2 ;;
    --reuse) reuse=1; shift ;;
    --only) only="$2"; shift 2 ;;
    *) echo "usage: build/hostile.sh [--scale N] [--mutations N] [--seed N] [--keep DIR]"; exit 2 ;;
  esac
done
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
work="${keep:-$(mktemp -d)}"
[[ -n "$keep" ]] || trap 'rm -rf "$work"' EXIT
repos="$work/repos"
dotnet build src/MustStaple.Lint -c Release -v quiet -nologo >/dev/null || { echo "hostile: the CLI does not build"; exit 1; }
lint="artifacts/bin/MustStaple.Lint/release/dotnet-muststaple-lint.dll"
if [[ $reuse -eq 0 || ! -d "$repos" ]]; then
  dotnet run build/hostile.cs -- "$repos" --scale "$scale" --mutations "$mutations" --seed "$seed" || { echo "hostile: the generator failed"; exit 1; }
fi
timer=(); [[ -x /usr/bin/time ]] && timer=(/usr/bin/time -f "%e %M %U %S" -o "$work/time")
status=0
printf '%-26s %-7s %5s %8s %8s %9s  %s\n' case mode exit wall-s cpu-s "max MB" verdict
for repo in "$repos"/*/; do
  name="$(basename "$repo")"
  [[ "$name" =~ $only ]] || continue
  expect="$(cat "$repo/EXPECT")"
  # EXPECT is "path" (one MST0001 there) or "path ID" (one finding of that ID: appsettings.json the app's configuration
  # library refuses is MST0008, the app does not start).
  expect_id=MST0001
  if [[ "$expect" == *" "* ]]; then expect_id="${expect##* }"; expect="${expect%% *}"; fi
  worst_s=0; worst_mb=0
  for mode in text github json; do
    out="$work/$name.$mode.out"
    rm -f "$work/time"
    timeout 35 "${timer[@]}" dotnet "$lint" "$repo" --now 2026-01-15T00:00:00Z --format "$mode" >"$out" 2>"$work/$name.$mode.err"
    rc=$?
    read -r wall kb user sys < <(tail -1 "$work/time" 2>/dev/null || echo "0 0 0 0")
    mb=$(( ${kb:-0} / 1024 ))
    # The limit is on CPU time (user + system): the lint's own work, whatever else shares the machine.
    seconds=$(awk -v u="${user:-0}" -v s="${sys:-0}" 'BEGIN { printf "%.2f", u + s }')
    problems=()
    [[ $rc -eq 0 || $rc -eq 1 ]] || problems+=("exit $rc")
    if [[ ${#timer[@]} -gt 0 ]]; then
      awk -v s="$seconds" 'BEGIN { exit !(s > 5) }' && problems+=("${seconds} s CPU > 5 s")
      [[ $mb -le 300 ]] || problems+=("${mb} MB > 300 MB")
    fi
    # Findings as "path id" pairs, whatever the mode prints.
    case "$mode" in
      text) findings="$(sed -nE 's/^(.*)\([0-9]+,[0-9]+\): [a-z]+ (MST[0-9]{4}): .*/\1 \2/p' "$out")" ;;
      github) findings="$(sed -nE 's/^::[a-z]+ file=([^,]*),.*title=(MST[0-9]{4})::.*/\1 \2/p' "$out")" ;;
      json) findings="$(node -e 'const d=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));for(const f of d.findings)console.log(f.path+" "+f.id)' "$out" 2>/dev/null)" ;;
    esac
    grep -qE '(^|/)normal/leaf\.pem MST1001$' <<<"$findings" || problems+=("normal finding missing")
    if [[ -n "$expect" ]]; then
      on="$(grep -E "(^|/)${expect//./\\.} MST[0-9]{4}$" <<<"$findings")"
      [[ "$(grep -c . <<<"$on")" == 1 && "$on" == *"$expect_id" ]] || problems+=("expected one $expect_id on $expect, got: $(tr '\n' ' ' <<<"$on")")
    fi
    # Runner commands: GitHub trims any white space (char.IsWhiteSpace) then runs '::'; '##[' and '##vso[' anywhere.
    forged="$(cat "$out" "$work/$name.$mode.err" | python3 -c '
import sys
for line in sys.stdin.read().replace("\r", "\n").split("\n"):
    t = line.strip()  # Python white space includes every char.IsWhiteSpace character
    own = sys.argv[1] == "github" and any(line.startswith("::%s file=" % k) for k in ("error", "warning", "notice"))
    if (t.startswith("::") and not own) or "##[" in line or "##vso[" in line.lower():
        print(line[:120])' "$mode" | head -3)"
    [[ -z "$forged" ]] || problems+=("runner command printed: $forged")
    verdict="ok"; [[ ${#problems[@]} -eq 0 ]] || { verdict="FAIL: ${problems[*]}"; status=1; }
    printf '%-26s %-7s %5s %8s %8s %9s  %s\n' "$name" "$mode" "$rc" "$wall" "$seconds" "$mb" "$verdict"
    awk -v a="$seconds" -v b="$worst_s" 'BEGIN { exit !(a > b) }' && worst_s="$seconds"
    [[ $mb -le $worst_mb ]] || worst_mb=$mb
  done
  echo "  $name: slowest ${worst_s}s, largest ${worst_mb} MB, input $(du -sh --apparent-size "$repo" | cut -f1)"
done
if [[ $status -eq 0 ]]; then echo "hostile: every case held (scale $scale, $mutations mutations)"; else echo "hostile: FAILED"; fi
exit $status
