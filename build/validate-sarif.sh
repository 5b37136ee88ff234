#!/usr/bin/env bash
# Validates the SARIF the lint writes for every sample with the Microsoft SARIF Multitool
# (npm @microsoft/sarif-multitool, installed into build/.tools on first use) using --rule-kind "Sarif;Gh",
# and fails on any error-level result. The Multitool exits 0 even when it finds errors, so its log is read.
set -euo pipefail
cd "$(dirname "$0")/.."
tools="build/.tools"
# 5.x: 4.x's single-file build crashes in 'validate' (microsoft/sarif-sdk #3013, #3018). The platform binary is
# called directly because the npm wrapper passes arguments through a shell, which splits "Sarif;Gh" at the ';'.
multitool="$tools/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
if [[ ! -x "$multitool" ]]; then
  mkdir -p "$tools"
  npm install --prefix "$tools" --no-audit --no-fund --silent @microsoft/sarif-multitool@5 >/dev/null 2>&1
fi
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
dotnet build src/MustStaple.Lint -c Release -v quiet -nologo >/dev/null
lint="artifacts/bin/MustStaple.Lint/release/dotnet-muststaple-lint.dll"
status=0
# The probe's log too (findings located at https URLs instead of files): a closed port on 127.0.0.1 gives MST6005.
for sample in samples/*/*/ samples/*/ probe:127.0.0.1:9; do
  [[ -d "$sample" || "$sample" == probe:* ]] || continue
  name="$(echo "$sample" | tr '/:.' '___' | sed 's/_$//')"
  if [[ "$sample" == probe:* ]]; then
    dotnet "$lint" probe "${sample#probe:}" --timeout 2s --handshakes 1 --now 2026-01-15T00:00:00Z --sarif "$out/$name.sarif" >/dev/null || true
  else
    dotnet "$lint" "$sample" --now 2026-01-15T00:00:00Z --sarif "$out/$name.sarif" >/dev/null || true
  fi
  (cd "$out" && "$OLDPWD/$multitool" validate "./$name.sarif" --rule-kind "Sarif;Gh" --output "./$name.validation.sarif" --log ForceOverwrite >/dev/null 2>&1) || true
  if [[ ! -s "$out/$name.validation.sarif" ]]; then echo "SARIF validation: $sample: the Multitool wrote no log"; status=1; continue; fi
  errors=$(node -e '
    const log = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const results = (log.runs || []).flatMap(r => r.results || []);
    const errs = results.filter(r => (r.level || "warning") === "error");
    for (const e of errs) console.error("  " + e.ruleId + ": " + ((e.message && (e.message.text || (e.message.arguments || []).join(" "))) || ""));
    console.log(errs.length);' "$out/$name.validation.sarif")
  if [[ "$errors" != "0" ]]; then
    echo "SARIF validation: $sample: $errors error(s)"; status=1
  else
    echo "SARIF validation: $sample: ok"
  fi
done
exit $status
