#!/usr/bin/env bash
# The probe beside gnutls-cli --ocsp and testssl.sh on the same real servers (docs/probe.md), and the probe's benchmark
# (docs/performance.md): one endpoint (3 handshakes) against testssl.sh's run on it, and 50 endpoints at once.
# Needs nginx, gnutls-bin, testssl.sh and openssl (apt). Everything listens on 127.0.0.1 and lives in a temporary folder.
# Usage: build/probe-compare.sh [compare|bench|all]   (testssl.sh takes minutes per endpoint on a loaded machine)
set -uo pipefail
cd "$(dirname "$0")/.."
mode="${1:-all}"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$work"; }
trap cleanup EXIT
dotnet build src/MustStaple.Lint -c Release -v q -nologo >/dev/null
cli="dotnet $PWD/artifacts/bin/MustStaple.Lint/release/dotnet-muststaple-lint.dll"
cd "$work"

# A throw-away PKI: a root, an issuing CA, a must-staple leaf whose OCSP URL is the openssl responder below.
ocsp_port=18980
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout root.key -out root.pem -subj "/CN=Compare Root" -days 30 \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=keyCertSign,cRLSign 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.csr -subj "/CN=Compare Issuing CA" 2>/dev/null
printf 'basicConstraints=critical,CA:TRUE\nkeyUsage=keyCertSign,cRLSign\n' >ca.ext
openssl x509 -req -in ca.csr -CA root.pem -CAkey root.key -CAcreateserial -out ca.pem -days 30 -extfile ca.ext 2>/dev/null
for name in leaf other; do
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout $name.key -out $name.csr -subj "/CN=localhost" 2>/dev/null
  printf 'subjectAltName=DNS:localhost\ntlsfeature=status_request\nauthorityInfoAccess=OCSP;URI:http://127.0.0.1:%s/ocsp\n' $ocsp_port >$name.ext
  openssl x509 -req -in $name.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out $name.pem -days 10 -extfile $name.ext 2>/dev/null
done
cat leaf.pem ca.pem >chain.pem
serial() { openssl x509 -in "$1" -noout -serial | cut -d= -f2; }
printf 'V\t301231000000Z\t\t%s\tunknown\t/CN=localhost\n' "$(serial leaf.pem)" >good.idx
printf 'V\t301231000000Z\t\t%s\tunknown\t/CN=other\n' "$(serial other.pem)" >>good.idx  # subjects must be unique
printf 'R\t301231000000Z\t%s\t%s\tunknown\t/CN=localhost\n' "$(date -u -d '-1 day' +%y%m%d%H%M%SZ)" "$(serial leaf.pem)" >revoked.idx
staple() { openssl ocsp -index "$1" -rsigner ca.pem -rkey ca.key -CA ca.pem -issuer ca.pem -cert "$2" -respout "$3" -ndays 1 >/dev/null 2>&1; }
staple good.idx leaf.pem valid.der; staple revoked.idx leaf.pem revoked.der; staple good.idx other.pem other.der
openssl ocsp -index good.idx -port 127.0.0.1:$ocsp_port -rsigner ca.pem -rkey ca.key -CA ca.pem -ndays 1 >ocsp.log 2>&1 & pids+=($!)

# One nginx per shape (PROXIES-STAPLING shapes): its port and stapling directives.
start_nginx() { # name port directives...
  local name=$1 port=$2; shift 2
  mkdir -p "$name/tmp"
  cat >"$name/nginx.conf" <<CONF
daemon off; worker_processes 1; pid $work/$name/nginx.pid; error_log $work/$name/error.log info;
events { worker_connections 256; }
http { access_log off; client_body_temp_path $work/$name/tmp/b; proxy_temp_path $work/$name/tmp/p; fastcgi_temp_path $work/$name/tmp/f;
  uwsgi_temp_path $work/$name/tmp/u; scgi_temp_path $work/$name/tmp/s;
$(for p in $port; do printf '  server { listen 127.0.0.1:%s ssl; server_name localhost; ssl_certificate %s/chain.pem; ssl_certificate_key %s/leaf.key; %s location / { return 200 "ok\\n"; } }\n' "$p" "$work" "$work" "$*"; done)
}
CONF
  nginx -p "$work/$name" -c "$work/$name/nginx.conf" -e "$work/$name/error.log" & pids+=($!)
  for p in $port; do for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null && break; sleep 0.1; done; done
}

verdict() { $cli probe "localhost:$1" --connect-to "127.0.0.1:$1" --format json 2>/dev/null | grep -o '"id": "MST[0-9]*"' | cut -d'"' -f4 | sort -u | paste -sd' ' -; }
gnutls() { if gnutls-cli --ocsp --x509cafile=root.pem --port="$1" localhost </dev/null >/dev/null 2>&1; then echo connects; else echo refused; fi; }
testssl_ocsp() { testssl --quiet --color 0 --nodns none --warnings off -S --ip 127.0.0.1 "https://localhost:$1" 2>&1 | grep -E 'OCSP stapling|must staple' | tr -s ' ' | paste -sd';' -; }

if [[ "$mode" == compare || "$mode" == all ]]; then
  start_nginx valid 18901 "ssl_stapling on; ssl_stapling_file $work/valid.der;"
  start_nginx revoked 18902 "ssl_stapling on; ssl_stapling_file $work/revoked.der;"
  start_nginx other 18903 "ssl_stapling on; ssl_stapling_file $work/other.der;"
  start_nginx off 18904 ""
  start_nginx lazy-gnutls 18905 "ssl_stapling on;"
  start_nginx lazy-probe 18906 "ssl_stapling on;"
  start_nginx lazy-testssl 18907 "ssl_stapling on;"
  printf '%-28s | %-16s | %-24s | %s\n' "nginx shape" "probe" "gnutls-cli --ocsp (1st)" "testssl.sh -S"
  for row in "valid staple file:18901:18901:18901" "revoked staple file:18902:18902:18902" "staple file for other cert:18903:18903:18903" \
             "stapling off:18904:18904:18904" "ssl_stapling on (lazy):18906:18905:18907"; do
    IFS=: read -r shape probe_port gnutls_port testssl_port <<<"$row"
    g="$(gnutls "$gnutls_port")"; v="$(verdict "$probe_port")"; t="$(testssl_ocsp "$testssl_port")"
    printf '%-28s | %-16s | %-24s | %s\n' "$shape" "${v:-clean}" "$g" "$t"
  done
fi

if [[ "$mode" == bench || "$mode" == all ]]; then
  ports="$(seq 19001 19050 | paste -sd' ' -)"
  start_nginx fifty "$ports" "ssl_stapling on; ssl_stapling_file $work/valid.der;"
  echo "one endpoint, 3 handshakes (CLI wall time, JIT, 10 runs):"
  for _ in $(seq 10); do /usr/bin/env time -f %e $cli probe localhost:19001 --connect-to 127.0.0.1:19001 2>&1 >/dev/null | tail -1; done | sort -n | awk '{a[NR]=$1} END{print "  median " a[int((NR+1)/2)] " s, min " a[1] " s, max " a[NR] " s"}'
  echo "50 endpoints at once, 3 handshakes each (5 runs):"
  targets="$(for p in $ports; do printf 'https://127.0.0.1:%s/ ' "$p"; done)"
  for _ in $(seq 5); do /usr/bin/env time -f %e $cli probe $targets --sni localhost 2>&1 >/dev/null | tail -1; done | sort -n | awk '{a[NR]=$1} END{print "  median " a[int((NR+1)/2)] " s, min " a[1] " s, max " a[NR] " s"}'
  echo "testssl.sh -S on the same endpoint (1 run):"
  /usr/bin/env time -f '  %e s' testssl --quiet --color 0 --nodns none --warnings off -S --ip 127.0.0.1 https://localhost:19001 2>&1 >/dev/null | tail -1
fi
