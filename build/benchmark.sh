#!/usr/bin/env bash
# Side-by-side benchmark (PRODUCT.md "Performance targets"): generates the 20,000-file repository, then measures
# the CLI over the whole repository, the CLI over the PEM/DER certificates only, and a shell loop of
# `openssl x509 -noout -ext tlsfeature` over those same certificates. Prints a table and the ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="${1:-$(mktemp -d)/benchmark-repo}"
runs="${RUNS:-5}"
dotnet run build/generate-benchmark-repo.cs -- "$repo" >/dev/null
dotnet build src/MustStaple.Lint -c Release -v q -nologo >/dev/null
lint="dotnet artifacts/bin/MustStaple.Lint/release/dotnet-muststaple-lint.dll"
median() { sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
measure() { # prints "median_seconds max_kb"
  local times=() kbs=()
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %M" -o /tmp/bench.time bash -c "$1" >/dev/null 2>&1 || true
    read -r t kb < <(tail -n 1 /tmp/bench.time); times+=("$t"); kbs+=("$kb")
  done
  echo "$(printf '%s\n' "${times[@]}" | median) $(printf '%s\n' "${kbs[@]}" | sort -n | tail -1)"
}
certs_dir="$(mktemp -d)"
find "$repo/certs" \( -name '*.pem' -o -name '*.crt' -o -name '*.der' -o -name '*.cer' \) -exec cp {} "$certs_dir/" \;
count=$(ls "$certs_dir" | wc -l)
read -r whole whole_kb <<<"$(measure "$lint '$repo' --now 2026-01-15")"
read -r only only_kb <<<"$(measure "$lint '$certs_dir' --now 2026-01-15")"
loop_runs=1
read -r loop loop_kb <<<"$(runs=$loop_runs measure "for f in '$certs_dir'/*; do case \$f in *.der|*.cer) openssl x509 -inform DER -in \$f -noout -ext tlsfeature;; *) openssl x509 -in \$f -noout -ext tlsfeature;; esac; done")"
printf '%-52s %10s %10s\n' "measurement ($(nproc) cores, median of $runs)" "seconds" "peak KB"
printf '%-52s %10s %10s\n' "CLI, whole repository ($(find "$repo" -type f | wc -l) files)" "$whole" "$whole_kb"
printf '%-52s %10s %10s\n' "CLI, $count PEM/DER certificates only" "$only" "$only_kb"
printf '%-52s %10s %10s\n' "openssl x509 loop, same $count certificates (1 run)" "$loop" "$loop_kb"
awk -v a="$loop" -v b="$only" 'BEGIN { printf "speed-up over the openssl loop: %.1fx\n", a / b }'
