#!/usr/bin/env bash
# Real-world regression run over public certificate corpora from the Debian registry:
#   pyca      python3-cryptography-vectors (the cryptography project's X.509/PKCS#12/CSR vectors)
#   go        Go 1.19's crypto test data: testdata files, and the PEM certificates written inside its *_test.go files
#   openssl   `apt-get source openssl` (its test/ tree)
#   gnutls    `apt-get source gnutls28` (its tests/ tree)
# For each corpus it runs the CLI built from this repository (a crash is an exit code other than 0/1, or a stack trace)
# and build/regress-check.cs, which reads every certificate file the lint discovers with the lint's loader and with .NET's
# X509CertificateLoader, and compares must-staple verdicts with `openssl x509 -noout -ext tlsfeature`. Every .pfx/.p12 is
# opened as .NET opens it (the empty password as "" and as null, the password-less import, the corpus's documented test
# passwords) and must not be called locked or broken by the lint when .NET opens it.
# Prints per corpus: files, crashes, certificates .NET loads but the lint calls unreadable, must-staple disagreements,
# PKCS#12 files, those .NET opens, and those the lint misreads (counted in unreadable too).
# Usage: build/regress.sh [work-folder]   (default artifacts/regress; needs root or sudo for apt-get)
# Developer tool, not part of .ci/run: it downloads ~100 MB. Exit code 1 when any of the three counts is not zero.
set -euo pipefail
cd "$(dirname "$0")/.."
repo_root="$PWD"
work="$(mkdir -p "${1:-artifacts/regress}" && cd "${1:-artifacts/regress}" && pwd)"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DEBIAN_FRONTEND=noninteractive
sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"

# --- corpora -------------------------------------------------------------------------------------------------------
packages=(python3-cryptography-vectors golang-1.19-src dpkg-dev openssl python3 xz-utils)
missing=(); for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
sources=/etc/apt/sources.list.d/debian.sources
need_src=0; ls "$work"/openssl_*.orig.tar.* "$work"/gnutls28_*.orig.tar.* >/dev/null 2>&1 || need_src=1
if [ "$need_src" = 1 ] && ! grep -Rqs '^\(Types:.*deb-src\|deb-src \)' /etc/apt/sources.list /etc/apt/sources.list.d/; then
  echo "adding deb-src entries to $sources" >&2
  $sudo sed -i 's/^Types: deb$/Types: deb deb-src/' "$sources"
fi
if [ "${#missing[@]}" -gt 0 ] || [ "$need_src" = 1 ]; then $sudo apt-get update -qq >/dev/null; fi
if [ "${#missing[@]}" -gt 0 ]; then $sudo apt-get install -y -qq "${missing[@]}" >/dev/null; fi
if [ "$need_src" = 1 ]; then
  # --download-only: nothing is built or unpacked by dpkg-source; a .debian.tar missing from a mirror does not matter,
  # only the upstream tarball (with the test data) is used.
  (cd "$work" && apt-get source -qq --download-only openssl gnutls28 >/dev/null 2>&1 || true)
  ls "$work"/openssl_*.orig.tar.* "$work"/gnutls28_*.orig.tar.* >/dev/null || { echo "apt-get source failed" >&2; exit 2; }
fi
for name in openssl gnutls; do
  if [ ! -d "$work/$name" ]; then
    mkdir -p "$work/$name"
    tar -xf "$(ls "$work"/${name/gnutls/gnutls28}_*.orig.tar.?z | head -1)" -C "$work/$name" --strip-components=1
  fi
done
go_src="$(ls -d /usr/share/go-1.19/src/crypto)"
if [ ! -d "$work/go" ]; then
  mkdir -p "$work/go/testdata" "$work/go/embedded"
  (cd "$go_src" && find . -path '*/testdata/*' -type f -exec cp --parents {} "$work/go/testdata" \;)
  # Go keeps most test certificates as PEM inside Go string literals: one .pem per block, named after file and line.
  python3 - "$go_src" "$work/go/embedded" <<'PY'
import os, re, sys
src, out = sys.argv[1], sys.argv[2]
block = re.compile(r'-----BEGIN ([A-Z0-9 ]+)-----.*?-----END \1-----', re.S)
for d, _, names in os.walk(src):
    for n in names:
        if not n.endswith('.go'): continue
        text = open(os.path.join(d, n), encoding='utf-8', errors='replace').read()
        for m in block.finditer(text):
            if '"' in m.group(0) or '`' in m.group(0): continue  # built by concatenation: not one literal block
            line = text.count('\n', 0, m.start()) + 1
            rel = os.path.relpath(os.path.join(d, n), src).replace('/', '_')
            body = '\n'.join(l.strip() for l in m.group(0).split('\n')) + '\n'
            open(os.path.join(out, f'{rel}_{line}.pem'), 'w').write(body)
PY
fi
corpora=(pyca=/usr/lib/python3/dist-packages/cryptography_vectors go="$work/go" openssl="$work/openssl" gnutls="$work/gnutls")
# The test passwords each corpus documents for its PKCS#12 files (pyca: vectors/pkcs12 README; OpenSSL: test/recipes;
# GnuTLS: tests/cert-tests/pkcs12.sh and tests/pkcs12_*.c).
declare -A pfx_passwords=([pyca]=cryptography [openssl]="v3-certs,password,1234,pass" [gnutls]="1234,foobar,123456,password,pass,,Test" [go]="password")

# --- the lint ------------------------------------------------------------------------------------------------------
echo "building the CLI..." >&2
dotnet build "$repo_root/src/MustStaple.Lint" -c Release -v q -nologo >/dev/null
cli="$repo_root/artifacts/bin/MustStaple.Lint/release/dotnet-muststaple-lint.dll"
dotnet build "$repo_root/build/regress-check.cs" -v q -nologo >/dev/null 2>&1 || true

status=0
printf '%-8s %6s %8s %10s %11s %12s %13s %8s %6s %10s %11s\n' corpus files crashes cli-exit dotnet-certs unreadable must-staple disagree pfx pfx-opens pfx-misread
for entry in "${corpora[@]}"; do
  name="${entry%%=*}"; dir="${entry#*=}"
  set +e
  dotnet "$cli" "$dir" --now 2026-01-15 >"$work/$name.cli.txt" 2>"$work/$name.cli.err"
  code=$?
  export REGRESS_PFX_PASSWORDS="${pfx_passwords[$name]:-}"
  dotnet run --no-build "$repo_root/build/regress-check.cs" -- "$dir" >"$work/$name.check.txt" 2>"$work/$name.check.err" \
    || dotnet run "$repo_root/build/regress-check.cs" -- "$dir" >"$work/$name.check.txt" 2>"$work/$name.check.err"
  set -e
  counts="$(grep -m1 '^files=' "$work/$name.check.txt" || echo 'files=? crashes=? dotnet-loadable=? unreadable=? must-staple=? disagreements=? pfx=? pfx-dotnet-opens=? pfx-misread=?')"
  get() { sed -n "s/.*\b$1=\([0-9?]*\).*/\1/p" <<<"$counts"; }
  crashes="$(get crashes)"
  # A CLI crash: an exit code other than 0 (clean) or 1 (findings), or a stack trace on stderr.
  if [ "$code" -gt 1 ] || grep -q 'Unhandled exception\|   at ' "$work/$name.cli.err"; then crashes="$crashes+cli"; fi
  printf '%-8s %6s %8s %10s %11s %12s %13s %8s %6s %10s %11s\n' "$name" "$(get files)" "$crashes" "$code" "$(get dotnet-loadable)" \
    "$(get unreadable)" "$(get must-staple)" "$(get disagreements)" "$(get pfx)" "$(get pfx-dotnet-opens)" "$(get pfx-misread)"
  [ "$crashes" = 0 ] && [ "$(get unreadable)" = 0 ] && [ "$(get disagreements)" = 0 ] || status=1
done
echo "details: $work/<corpus>.check.txt (per file), $work/<corpus>.cli.txt (the CLI's findings)"
exit $status
