#!/usr/bin/env bash
# Real-trees regression run: server configuration trees nobody here wrote, read by the lint as their servers read them.
# Trees (copied into the work folder as test input; nothing of theirs enters this repository):
#   debian-nginx, debian-apache2, debian-haproxy, debian-caddy   the /etc trees the apt packages install (the default
#                                    nginx site and Apache's default-ssl site switched to TLS, as their comments say)
#   src-nginx, src-apache2, src-haproxy   `apt-get source`: nginx's conf/, Debian's apache2 config-dir, haproxy's examples/
#   certbot-*                        certbot's nginx and Apache test configuration corpora     (from /work/.mirror, if there)
#   h5bp-nginx, grapheneos           h5bp/server-configs-nginx, GrapheneOS/infrastructure      (from /work/.mirror, if there)
# Every tree is put in a folder named `conf/` (no server's name: the content must tell), a must-staple certificate (with
# an OCSP URL, issued by a test CA made here) is written at every path its TLS directives serve (absolute paths outside
# the server's own folder are pointed into it), then:
#   - the CLI built from this repository lints the tree;
#   - each main configuration is checked by its real server where it starts here (nginx -t, apache2 -t, haproxy -c,
#     caddy validate), with the server's absolute paths pointed at the copy;
#   - per tree: TLS certificate directives injected, those judged (an MST3xxx/MST4xxx finding on that line), MST0001
#     findings, and MST0001 findings in a tree whose real server accepts its configuration (must be 0).
# Usage: build/regress-trees.sh [work-folder]   (default artifacts/regress-trees; needs root or sudo for apt-get)
# Developer tool, not part of .ci/run. Exit code 1 when an accepted tree has an MST0001 or an injected directive
# of an enabled TLS server goes unjudged.
set -euo pipefail
cd "$(dirname "$0")/.."
repo_root="$PWD"
work="$(mkdir -p "${1:-artifacts/regress-trees}" && cd "${1:-artifacts/regress-trees}" && pwd)"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DEBIAN_FRONTEND=noninteractive
sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
mirror="${MIRROR:-/work/.mirror}"

# --- servers and sources ---------------------------------------------------------------------------------------------
packages=(nginx apache2 haproxy caddy openssl python3 dpkg-dev xz-utils)
missing=(); for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
need_src=0; ls "$work"/nginx_*.orig.tar.* "$work"/apache2_*.debian.tar.* "$work"/haproxy_*.orig.tar.* >/dev/null 2>&1 || need_src=1
if [ "$need_src" = 1 ] && ! grep -Rqs '^\(Types:.*deb-src\|deb-src \)' /etc/apt/sources.list /etc/apt/sources.list.d/; then
  $sudo sed -i 's/^Types: deb$/Types: deb deb-src/' /etc/apt/sources.list.d/debian.sources
fi
if [ "${#missing[@]}" -gt 0 ] || [ "$need_src" = 1 ]; then $sudo apt-get update -qq >/dev/null; fi
if [ "${#missing[@]}" -gt 0 ]; then $sudo apt-get install -y -qq "${missing[@]}" >/dev/null; fi
# One at a time: a source the mirror lacks (a security update) leaves the others; its tree is then left out.
if [ "$need_src" = 1 ]; then for p in nginx apache2 haproxy; do (cd "$work" && apt-get source -qq --download-only "$p" >/dev/null 2>&1 || true); done; fi

trees="$work/trees"; rm -rf "$trees"; mkdir -p "$trees"
tree() { mkdir -p "$trees/$1/conf"; git -C "$trees/$1" init -q; echo "$trees/$1/conf"; }
# Debian's a2ensite/a2enmod links are absolute (/etc/apache2/sites-available/…): pointed into the copy instead.
relink() { # copy original-folder
  find "$1" -type l -print0 | while IFS= read -r -d '' l; do
    target="$(readlink "$l")"
    case "$target" in "$2"/*) ln -sfr "$1/${target#"$2"/}" "$l" ;; esac
  done
}

t="$(tree debian-nginx)"; cp -a /etc/nginx/. "$t/"; relink "$t" /etc/nginx
# The default site, switched to TLS as its own comments say (listen 443 ssl + snippets/snakeoil.conf).
sed -i -e 's/^\t# listen 443 ssl default_server;/\tlisten 443 ssl default_server;/' -e 's/^\t# include snippets\/snakeoil.conf;/\tinclude snippets\/snakeoil.conf;/' "$t/sites-available/default"
t="$(tree debian-apache2)"; cp -a /etc/apache2/. "$t/"; relink "$t" /etc/apache2
for m in ssl.load ssl.conf socache_shmcb.load; do ln -sf "../mods-available/$m" "$t/mods-enabled/$m"; done
ln -sf ../sites-available/default-ssl.conf "$t/sites-enabled/default-ssl.conf"
if [ -f /etc/haproxy/haproxy.cfg ]; then t="$(tree debian-haproxy)"; cp -a /etc/haproxy/. "$t/"; fi
if [ -f /etc/caddy/Caddyfile ]; then t="$(tree debian-caddy)"; cp -a /etc/caddy/. "$t/"; fi
if ls "$work"/nginx_*.orig.tar.* >/dev/null 2>&1; then
  t="$(tree src-nginx)"; tar -xf "$(ls "$work"/nginx_*.orig.tar.* | head -1)" -C "$t" --strip-components=2 --wildcards '*/conf/*'
fi
if ls "$work"/apache2_*.debian.tar.* >/dev/null 2>&1; then
  t="$(tree src-apache2)"; tar -xf "$(ls "$work"/apache2_*.debian.tar.* | head -1)" -C "$t" --strip-components=2 'debian/config-dir'
fi
if ls "$work"/haproxy_*.orig.tar.* >/dev/null 2>&1; then
  t="$(tree src-haproxy)"; tar -xf "$(ls "$work"/haproxy_*.orig.tar.* | head -1)" -C "$t" --strip-components=2 --wildcards '*/examples/*.cfg'
fi
from_mirror() { # name repo path
  local git_dir="$mirror/${2/\//+}/repo"
  [ -d "$git_dir" ] || return 0
  local t; t="$(tree "$1")"
  if [ "$3" = . ]; then git --git-dir="$git_dir" archive HEAD | tar -x -C "$t"
  else git --git-dir="$git_dir" archive HEAD "$3" | tar -x -C "$t" --strip-components="$(awk -F/ '{print NF}' <<<"${3%/}")"; fi
}
from_mirror certbot-nginx-roundtrip certbot/certbot certbot-compatibility-test/nginx/nginx-roundtrip-testdata
from_mirror certbot-apache-debian certbot/certbot certbot/src/certbot/_internal/tests/plugins/apache/testdata/debian_apache_2_4
from_mirror certbot-apache-centos certbot/certbot certbot/src/certbot/_internal/tests/plugins/apache/testdata/centos7_apache
from_mirror h5bp-nginx h5bp/server-configs-nginx .
from_mirror grapheneos GrapheneOS/infrastructure .

# --- a must-staple certificate at every served path -----------------------------------------------------------------
pki="$work/pki"; mkdir -p "$pki"
if [ ! -f "$pki/served.pem" ]; then
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$pki/ca.key" -out "$pki/ca.pem" -days 3650 -subj "/CN=Regress Trees CA" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -keyout "$pki/leaf.key" -out "$pki/leaf.csr" -subj "/CN=localhost" 2>/dev/null
  printf 'tlsfeature=status_request\nauthorityInfoAccess=OCSP;URI:http://127.0.0.1:9/ocsp\nsubjectAltName=DNS:localhost\n' >"$pki/ext"
  openssl x509 -req -in "$pki/leaf.csr" -CA "$pki/ca.pem" -CAkey "$pki/ca.key" -CAcreateserial -days 3650 -extfile "$pki/ext" \
    -out "$pki/leaf.pem" 2>/dev/null
  cat "$pki/leaf.pem" "$pki/ca.pem" "$pki/leaf.key" >"$pki/served.pem"
fi
python3 - "$trees" "$pki/served.pem" <<'PY'
import os, re, sys, json
trees, served = sys.argv[1], open(sys.argv[2]).read()
# The server's own folder in its package or image, and the directives that name the certificate it serves.
prefixes = {'nginx': '/etc/nginx/', 'apache': '/etc/apache2/', 'httpd': '/etc/httpd/', 'haproxy': '/etc/haproxy/'}
patterns = [
    ('nginx', re.compile(r'^(\s*ssl_certificate(?:_key)?\s+)([^\s;$]+)(\s*;)')),
    ('apache', re.compile(r'^(\s*SSLCertificate(?:Key|Chain)?File\s+)("?[^\s"$]+"?)(.*)$', re.I)),
    ('haproxy', re.compile(r'^(\s*bind\s.*\bcrt\s+)([^\s$]+)(.*)$')),
    ('caddy', re.compile(r'^(\s*tls\s+)([^\s{$@]+\.(?:pem|crt))(.*)$')),
]
mains = ('nginx.conf', 'apache2.conf', 'httpd.conf', 'haproxy.cfg', 'Caddyfile')
for name in sorted(os.listdir(trees)):
    root = os.path.join(trees, name, 'conf')
    injected = []
    for d, dirs, files in os.walk(root):
        dirs[:] = [x for x in dirs if x != '.git']
        for f in files:
            path = os.path.join(d, f)
            if os.path.islink(path) or os.path.getsize(path) > 1_000_000: continue
            try: lines = open(path, encoding='utf-8').read().split('\n')
            except (UnicodeDecodeError, OSError): continue
            changed = False
            for i, line in enumerate(lines):
                for server, rx in patterns:
                    m = rx.match(line)
                    if not m: continue
                    value = m.group(2).strip('"')
                    # The folder relative paths resolve against: the nearest folder above holding a main configuration.
                    base = d
                    while base != root and not any(os.path.exists(os.path.join(base, x)) for x in mains): base = os.path.dirname(base)
                    if not any(os.path.exists(os.path.join(base, x)) for x in mains) and os.path.basename(d).startswith(('sites-', 'conf.d')):
                        base = os.path.dirname(d)
                    own = next((p for p in prefixes.values() if value.startswith(p)), None)
                    if value.startswith('/') and own is None:
                        # served from outside the server's folder (/etc/ssl, /etc/letsencrypt): pointed into it
                        prefix = prefixes['apache' if server == 'apache' else server] if server != 'caddy' else ''
                        value = (prefix or '') + 'injected/' + re.sub(r'[^A-Za-z0-9._-]', '_', value.strip('/'))
                        lines[i] = m.group(1) + value + m.group(3)
                        changed = True
                        own = prefix or None
                    target = os.path.join(base, value[len(own):]) if own else os.path.join(base, value)
                    os.makedirs(os.path.dirname(target), exist_ok=True)
                    if os.path.islink(target): os.unlink(target)
                    open(target, 'w').write(served)
                    if 'key' not in m.group(1).lower():
                        injected.append({'file': path, 'line': i + 1})
            if changed: open(path, 'w').write('\n'.join(lines))
    json.dump(injected, open(os.path.join(trees, name, 'injected.json'), 'w'))
PY

# --- the lint --------------------------------------------------------------------------------------------------------
echo "building the CLI..." >&2
dotnet build "$repo_root/src/MustStaple.Lint" -c Release -v q -nologo >/dev/null
cli="$repo_root/artifacts/bin/MustStaple.Lint/release/dotnet-muststaple-lint.dll"

# --- the real servers ------------------------------------------------------------------------------------------------
# A copy with the server's absolute folder pointed at the copy; the verdict per main configuration.
validate() { # tree-folder -> prints "accepted rejected" counts, details in $1/../validate.txt
  set +e
  local src="$1" out="$1/../validate.txt" val; val="$(mktemp -d)"; : >"$out"
  cp -a "$src/." "$val/"; mkdir -p "$val/.run" "$val/.log"
  grep -rlIZ -e /etc/nginx/ -e /etc/apache2/ -e /etc/haproxy/ "$val" 2>/dev/null \
    | xargs -0 -r sed -i -e "s#/etc/nginx/#$val/#g" -e "s#/etc/apache2/#$val/#g" -e "s#/etc/haproxy/#$val/#g" -e "s#\"/etc/apache2\"#\"$val\"#g" -e "s#ServerRoot /etc/apache2\$#ServerRoot $val#"
  local ok=0 bad=0 main dir v
  while IFS= read -r -d '' main; do
    dir="$(dirname "$main")"
    case "$(basename "$main")" in
      nginx.conf) v="$(cd "$dir" && timeout 20 nginx -t -q -p "$dir/" -c "$main" 2>&1)" ;;
      apache2.conf|httpd.conf) v="$(set +u -a; . /etc/apache2/envvars; APACHE_RUN_DIR="$val/.run" APACHE_LOCK_DIR="$val/.run" APACHE_LOG_DIR="$val/.log"
                                 cd "$dir" && timeout 20 apache2 -t -d "$dir" -f "$main" 2>&1)" ;;
      *.cfg) v="$(timeout 20 haproxy -c -q -f "$main" 2>&1)" ;;
      Caddyfile) v="$(timeout 20 caddy validate --config "$main" --adapter caddyfile 2>&1)" ;;
    esac
    if [ $? = 0 ]; then ok=$((ok + 1)); echo "accepted ${main#$val/}" >>"$out"
    else bad=$((bad + 1)); printf 'rejected %s: %s\n' "${main#$val/}" "$(grep -m1 -v '^\s*$' <<<"$v")" >>"$out"; fi
  done < <(find "$val" \( -name nginx.conf -o -name apache2.conf -o -name httpd.conf -o -name Caddyfile \) -type f -print0;
           find "$val" -name '*.cfg' -type f -print0 | xargs -0 -r grep -lZE '^(frontend|backend|listen|global)\b')
  rm -rf "$val"
  echo "$ok $bad"
}

status=0
printf '%-26s %8s %9s %8s %8s %8s %9s\n' tree accepted rejected injected judged mst0001 mst0001-ok
for dir in "$trees"/*/; do
  name="$(basename "$dir")"
  set +e
  dotnet "$cli" "$dir" --now "$(date -u -d '+1 day' +%Y-%m-%d)" >"$dir/cli.txt" 2>"$dir/cli.err"
  code=$?
  set -e
  [ "$code" -le 1 ] || { echo "$name: the CLI exited $code" >&2; status=1; }
  read -r accepted rejected < <(validate "$dir/conf")
  read -r injected judged mst0001 <<<"$(python3 - "$dir" <<'PY'
import json, re, sys, os
d = sys.argv[1]
found = {}
for line in open(os.path.join(d, 'cli.txt'), encoding='utf-8', errors='replace'):
    m = re.match(r'^(.*)\((\d+),\d+(?:,\d+,\d+)?\): \w+ (MST\d{4}): ', line)
    if m: found.setdefault(m.group(3), []).append((os.path.realpath(m.group(1)), int(m.group(2))))  # relative to the working folder
injected = json.load(open(os.path.join(d, 'injected.json')))
judged = sum(1 for i in injected if any((os.path.realpath(f), l) == (os.path.realpath(i['file']), i['line'])
             for k, v in found.items() if k[3] in '34' for f, l in v))
with open(os.path.join(d, 'unjudged.txt'), 'w') as out:
    for i in injected:
        if not any((os.path.realpath(f), l) == (os.path.realpath(i['file']), i['line']) for k, v in found.items() if k[3] in '34' for f, l in v):
            out.write(f"{os.path.relpath(i['file'], d)}:{i['line']}\n")
print(len(injected), judged, len(found.get('MST0001', [])))
PY
)"
  # MST0001 in a tree whose real server accepts every main configuration in it: a false alarm.
  ok_mst0001=0; [ "$rejected" = 0 ] && [ "$accepted" -gt 0 ] && ok_mst0001="$mst0001"
  printf '%-26s %8s %9s %8s %8s %8s %9s\n' "$name" "$accepted" "$rejected" "$injected" "$judged" "$mst0001" "$ok_mst0001"
  [ "$ok_mst0001" = 0 ] || status=1
done
echo "details: $trees/<tree>/cli.txt (findings), validate.txt (real servers), unjudged.txt (injected lines without a verdict)"
exit $status
