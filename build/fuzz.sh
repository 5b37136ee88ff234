#!/usr/bin/env bash
# Long fuzz runs: the suite's seeded mutation tests (PEM, DER, PFX old and new, CSR, OpenSSL config, appsettings.json,
# Dockerfile, compose) with a new seed per round and SCALE times the cases, until DURATION seconds have passed.
# A failure prints the seed and case; replay it with the MUSTSTAPLE_FUZZ_SEED/SCALE values it names.
# Usage: build/fuzz.sh [duration-seconds=600] [scale=25]
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-600}"
scale="${2:-25}"
dotnet build tests/MustStaple.Core.Tests -c Release -v q -nologo >/dev/null
end=$((SECONDS + duration))
round=0
while ((SECONDS < end)); do
  round=$((round + 1))
  seed=$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')
  seed=$((seed % 2147483647))
  echo "round $round: MUSTSTAPLE_FUZZ_SEED=$seed MUSTSTAPLE_FUZZ_SCALE=$scale"
  if ! MUSTSTAPLE_FUZZ_SEED=$seed MUSTSTAPLE_FUZZ_SCALE=$scale dotnet test tests/MustStaple.Core.Tests -c Release --no-build \
      --filter "FullyQualifiedName~FuzzTests" >"/tmp/muststaple-fuzz-$seed.log" 2>&1; then
    grep -E "replay|threw|Assert" "/tmp/muststaple-fuzz-$seed.log" | head -20
    echo "FAILED: seed $seed (log: /tmp/muststaple-fuzz-$seed.log)"
    exit 1
  fi
done
echo "$round rounds passed ($((round * scale * 4300)) cases)"
