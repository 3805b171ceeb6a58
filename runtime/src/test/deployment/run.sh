#!/usr/bin/env bash
# The deployment tests (docs/deployment.md), run by .ci/run after mvn verify, on the artifacts it built:
#  1. the release archives and their checksums; the unpacked archive runs;
#  2. the Kubernetes manifests (kubectl kustomize, every object against the Kubernetes schemas of kubernetes-models),
#     the Compose file (Debian's docker-compose config, the Compose Specification schema) and server.json (the MCP
#     Registry's schema): check.mjs;
#  3. the container image: docker/Dockerfile built with buildah (chroot isolation) on a Debian base made here with
#     debootstrap, then the image's own entrypoint and user started from its root file system, mounted read-only,
#     in demo mode and driven with the MCP TypeScript SDK; its health check run as the image declares it;
#  4. the .deb installed with dpkg in a Debian chroot; init --yes against a simulator, then the systemd unit's command
#     line (its user, environment and ExecStart, read from the unit) serving that cluster; serve --demo;
#  5. the Dockerfile's own Maven stage (DIST=build) on a Debian base with Maven and a JDK.
# Needs root (chroot, mounts), buildah, debootstrap, docker-compose, kubectl and Node.js; .ci/run installs them.
# PVEMCP_DEPLOY_WORK: the work folder (default runtime/target/deployment-test; the Debian base is kept there).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../../.." && pwd)
target=$root/runtime/target
dist=$target/proxmox-mcp
work=${PVEMCP_DEPLOY_WORK:-$target/deployment-test}
version=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' "$root/pom.xml" | head -n 1)
export STORAGE_DRIVER=vfs BUILDAH_ISOLATION=chroot
sim_port=18006 image_port=18000 deb_port=18001 demo_port=18002

log() { printf '[deployment] %s\n' "$*"; }
fail() { printf '[deployment] FAIL: %s\n' "$*" >&2; exit 1; }
pids=()
# the processes started in a root file system of this run (unshare --fork does not pass signals on)
kill_rooted() {
  local p
  for p in /proc/[0-9]*; do
    case "$(readlink "$p/root" 2>/dev/null)" in "$work/run/"*) kill "$1" "${p#/proc/}" 2>/dev/null || true ;; esac
  done
}
cleanup() {
  kill_rooted -TERM
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  sleep 1
  kill_rooted -KILL
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  for c in "${image_ctr:-}" "${maven_ctr:-}"; do
    [ -n "$c" ] && buildah rm "$c" >/dev/null 2>&1 || true
  done
}
trap cleanup EXIT
[ "$(id -u)" -eq 0 ] || fail "the deployment tests need root (chroot, mounts)"
[ -d "$dist" ] || fail "no distribution in $dist: run mvn package first"
for port in $sim_port $image_port $deb_port $demo_port 18016; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then fail "port $port is in use: stop what listens there"; fi
done
mkdir -p "$work"
rm -rf "$work/run" && mkdir -p "$work/run"

# waits until URL answers the status; prints the body
await_http() {
  local url=$1 status=${2:-200} i
  for i in $(seq 1 120); do
    if [ "$(curl -s -o "$work/run/body" -w '%{http_code}' -H 'Host: localhost' "$url" || true)" = "$status" ]; then
      cat "$work/run/body"; return 0
    fi
    sleep 1
  done
  return 1
}
# makes a base image of a root file system (once), optionally trusting the certificates of a folder
import_rootfs() {
  local dir=$1 image=$2 certs=${3:-} ctr mnt
  buildah inspect --type image "$image" >/dev/null 2>&1 && return 0
  ctr=$(buildah from scratch)
  mnt=$(buildah mount "$ctr")
  tar -C "$dir" --exclude=./.complete -cf - . | tar -C "$mnt" -xf -
  buildah umount "$ctr" >/dev/null
  if [ -n "$certs" ] && ls "$certs"/*.crt >/dev/null 2>&1; then
    buildah copy -q "$ctr" "$certs" /usr/local/share/ca-certificates/ >/dev/null
    buildah run "$ctr" -- update-ca-certificates > /dev/null 2>&1
  fi
  buildah config --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin --cmd /bin/bash "$ctr"
  buildah commit -q "$ctr" "$image" >/dev/null
  buildah rm "$ctr" >/dev/null
}
# the demo token of a serve --demo banner in a log file
demo_token() {
  local i
  for i in $(seq 1 120); do
    t=$(grep -o 'Bearer eyJ[A-Za-z0-9._-]*' "$1" | head -n 1 | cut -d' ' -f2 || true)
    [ -n "$t" ] && { echo "$t"; return 0; }
    sleep 1
  done
  return 1
}
# initialize, tools/list, tool calls, a resource and a prompt through the official TypeScript SDK client
drive_mcp() {
  [ -d "$root/runtime/src/test/e2e/node_modules/@modelcontextprotocol/sdk" ] \
    || npm ci --prefix "$root/runtime/src/test/e2e" --no-audit --no-fund --loglevel=error
  local out=$work/run/sdk-${3// /-}.json
  MCP_URL=$1 MCP_TOKEN=$2 node "$root/runtime/src/test/e2e/sdk-client.mjs" > "$out" \
    || { cat "$out"; fail "the MCP client's checks failed against $3"; }
  log "MCP through the TypeScript SDK against $3: $(grep -o '"ok": *true' "$out" | wc -l) checks passed"
}

# ---------------------------------------------------------------------------------------------------------------- 1
log "1. release archives"
(cd "$target" && sha256sum -c SHA256SUMS) || fail "checksums"
tgz=$target/proxmox-mcp-$version.tar.gz
zip=$target/proxmox-mcp-$version.zip
tar tzvf "$tgz" | grep -q "^-rwxr-xr-x .* proxmox-mcp-$version/bin/proxmox-mcp$" || fail "bin/proxmox-mcp not executable in $tgz"
unzip -Z "$zip" "proxmox-mcp-$version/bin/proxmox-mcp" | grep -q '^-rwxr-xr-x' || fail "bin/proxmox-mcp not executable in $zip"
[ "$(tar tzf "$tgz" | grep -c "^proxmox-mcp-$version/system/.*\.jar$")" = "$(find "$dist/system" -name '*.jar' | wc -l)" ] \
  || fail "the archive's bundles differ from the distribution's"
mkdir -p "$work/run/archive" && tar xzf "$tgz" -C "$work/run/archive"
out=$("$work/run/archive/proxmox-mcp-$version/bin/proxmox-mcp" version)
echo "$out" | grep -q "$version" || fail "the unpacked archive's version command said: $out"
log "archives ok: $(basename "$tgz"), $(basename "$zip"), $(ls "$target"/proxmox-mcp_*_all.deb | xargs -n1 basename)"

# ---------------------------------------------------------------------------------------------------------------- 2
log "2. Kubernetes manifests, Compose file, server.json"
npm ci --prefix "$here" --no-audit --no-fund --loglevel=error
kubectl kustomize "$root/k8s" > "$work/run/k8s.yaml"
node "$here/check.mjs" k8s "$work/run/k8s.yaml"
# the replicated variant, as docs/deployment.md composes it: a kustomization beside the checkout's k8s/
mkdir -p "$root/runtime/target/k8s-replicas"
printf 'resources: [../../../k8s]\ncomponents: [../../../k8s/replicas]\n' > "$root/runtime/target/k8s-replicas/kustomization.yaml"
kubectl kustomize "$root/runtime/target/k8s-replicas" > "$work/run/k8s-replicas.yaml"
node "$here/check.mjs" k8s-replicas "$work/run/k8s-replicas.yaml"
docker-compose -f "$root/docker/docker-compose.yml" config -q
# the Compose file as docker-compose reads it with the example settings as its .env
mkdir -p "$work/run/compose" && cp -r "$root/docker/." "$work/run/compose/" && cp "$root/docker/.env.example" "$work/run/compose/.env"
docker-compose -f "$work/run/compose/docker-compose.yml" --profile demo config > "$work/run/compose.yaml"
node "$here/check.mjs" compose "$work/run/compose.yaml"
node "$here/check.mjs" server-json

# ---------------------------------------------------------------------------------------------------------------- 3
base=$work/rootfs
if [ ! -f "$base/.complete" ]; then
  log "3. a Debian base with a Java runtime (debootstrap, about a minute)"
  rm -rf "$base"
  debootstrap --variant=minbase --include=openjdk-17-jre-headless,bash,adduser bookworm "$base" \
    "${DEBIAN_MIRROR:-http://deb.debian.org/debian}" > "$work/debootstrap.log" 2>&1 \
    || { tail -n 20 "$work/debootstrap.log"; fail "debootstrap"; }
  rm -rf "$base"/var/cache/apt/archives/*.deb
  touch "$base/.complete"
fi
import_rootfs "$base" localhost/pvemcp-test-jre:bookworm
log "3. the image: buildah bud -f docker/Dockerfile (RUNTIME_IMAGE: the Debian base, DIST=context)"
(cd "$root" && buildah bud -q --format docker --layers=false -f docker/Dockerfile \
  --build-arg BUILD_IMAGE=localhost/pvemcp-test-jre:bookworm --build-arg RUNTIME_IMAGE=localhost/pvemcp-test-jre:bookworm \
  --build-arg DIST=context --build-arg VERSION="$version" \
  -t localhost/proxmox-mcp:test . > "$work/run/buildah.log" 2>&1) || { tail -n 30 "$work/run/buildah.log"; fail "buildah bud"; }
buildah inspect --type image localhost/proxmox-mcp:test > "$work/run/image.json"
read_config() {
  python3 - "$work/run/image.json" "$1" <<'EOF'
import json, sys
c = json.load(open(sys.argv[1]))["Docker"]["config"]
what = sys.argv[2]
if what == "user": print(c["User"])
elif what == "workdir": print(c["WorkingDir"])
elif what == "env": print("\n".join(c["Env"]))
elif what == "command": print("\n".join(c["Entrypoint"] + ["serve", "--demo"]))
elif what == "health": print("\n".join(c["Healthcheck"]["Test"][1:]))
elif what == "check":
    assert c["User"] and not c["User"].startswith("0") and c["User"] != "root", "the image runs as root"
    assert set(c["Volumes"]) == {"/opt/proxmox-mcp/data", "/opt/proxmox-mcp/conf"}, c["Volumes"]
    assert "8000/tcp" in c["ExposedPorts"]
    assert c["Healthcheck"]["Test"][0] == "CMD"
    assert c["Labels"]["org.opencontainers.image.version"] and c["Labels"]["io.modelcontextprotocol.server.name"]
    assert "MCP_HOST=0.0.0.0" in c["Env"]
    print("image config ok: user", c["User"], "entrypoint", c["Entrypoint"], "cmd", c["Cmd"])
EOF
}
read_config check
image_ctr=$(buildah from localhost/proxmox-mcp:test)
image_root=$(buildah mount "$image_ctr")
user=$(read_config user)
mapfile -t image_env < <(read_config env)
mapfile -t image_cmd < <(read_config command)
mkdir -p "$work/run/image-data" "$work/run/image-ro"
chown "${user%%:*}:${user##*:}" "$work/run/image-data"
# the image's root file system read-only, data/ a volume, /tmp a tmpfs, as the Compose file and the Deployment run it
cat > "$work/run/image-run.sh" <<EOF
set -e
mount --bind "$image_root" "$work/run/image-ro"
mount -o remount,bind,ro "$work/run/image-ro"
mount -t proc proc "$work/run/image-ro/proc"
mount --bind /dev "$work/run/image-ro/dev"
mount -t tmpfs -o mode=1777,size=64m tmpfs "$work/run/image-ro/tmp"
mount --bind "$work/run/image-data" "$work/run/image-ro/opt/proxmox-mcp/data"
cd /
exec chroot --userspec="$user" "$work/run/image-ro" /usr/bin/env -i "\$@"
EOF
log "3. starting the image's entrypoint as $user, read-only root: ${image_cmd[*]}"
unshare --mount --fork --kill-child=SIGTERM bash "$work/run/image-run.sh" "${image_env[@]}" MCP_PORT=$image_port \
  MCP_PUBLIC_URL="http://127.0.0.1:$image_port/mcp" \
  /bin/sh -c "cd $(read_config workdir) && exec \"\$@\"" sh "${image_cmd[@]}" > "$work/run/image.log" 2>&1 &
pids+=($!)
await_http "http://127.0.0.1:$image_port/healthz" >/dev/null || { tail -n 30 "$work/run/image.log"; fail "the image's server did not answer /healthz"; }
token=$(demo_token "$work/run/image.log") || fail "no demo token in the image's banner"
server_pid=""
for p in /proc/[0-9]*; do
  if [ "$(readlink "$p/root" 2>/dev/null)" = "$work/run/image-ro" ] && [ "$(cat "$p/comm" 2>/dev/null)" = java ]; then
    server_pid=${p#/proc/}
  fi
done
[ -n "$server_pid" ] || fail "no Java process runs in the image's root file system"
uid=$(awk '/^Uid:/ {print $2}' "/proc/$server_pid/status")
[ "$uid" = "${user%%:*}" ] || fail "the image's server runs as uid $uid, not $user"
# the mount the process sees as / is read-only
[ "$(awk '$5 == "/" {print $6}' "/proc/$server_pid/mountinfo" | cut -d, -f1)" = ro ] || fail "the image's root is not read-only"
mapfile -t health < <(read_config health)
chroot --userspec="$user" "$image_root" /usr/bin/env -i MCP_PORT=$image_port "${health[@]}" \
  || fail "the image's HEALTHCHECK command failed"
# on all interfaces, the server answers to the public URL's host (and loopback names) only: DNS rebinding protection
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Host: attacker.example' "http://127.0.0.1:$image_port/mcp" \
  -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' \
  -d '{"jsonrpc":"2.0","id":1,"method":"ping"}')
[ "$code" = 403 ] || fail "a request naming another host was answered $code, not 403"
drive_mcp "http://127.0.0.1:$image_port/mcp" "$token" image
[ -n "$(ls -A "$work/run/image-data")" ] || fail "nothing in the data volume"
log "image ok: uid $uid, read-only root, health check, MCP; data volume holds $(ls "$work/run/image-data" | tr '\n' ' ')"
kill "$server_pid"
wait "${pids[-1]}" 2>/dev/null || true
[ -n "$(ls "$work/run/image-data/cache/"cds-serve-*.jsa 2>/dev/null)" ] || fail "the first start left no class archive in the data volume"

# ---------------------------------------------------------------------------------------------------------------- 4
log "4. the .deb in a Debian chroot"
deb=$(ls "$target"/proxmox-mcp_*_all.deb | head -n 1)
chroot_dir=$work/run/debian
mkdir -p "$chroot_dir"
tar -C "$base" --exclude=./.complete -cf - . | tar -C "$chroot_dir" -xf -
cp "$deb" "$chroot_dir/tmp/"
# a simulated cluster for init and the service (on the host; the chroot shares its network)
"$dist/bin/proxmox-mcp" sim --port $sim_port --password deb-test-password --data "$work/run/sim" \
  > "$work/run/sim.log" 2>&1 &
pids+=($!)
for i in $(seq 1 60); do [ -f "$work/run/sim/sim/pve-root-ca.pem" ] && curl -s -o /dev/null --cacert "$work/run/sim/sim/pve-root-ca.pem" "https://127.0.0.1:$sim_port/api2/json/version" && break; sleep 1; done
cat > "$work/run/deb-test.sh" <<'EOF'
set -euo pipefail
r=$1 deb=$2 sim_port=$3 deb_port=$4 demo_port=$5 ca=$6
trap 'kill $(jobs -p) 2>/dev/null || true' EXIT
mount -t proc proc "$r/proc"
mount --bind /dev "$r/dev"
mount -t tmpfs -o mode=1777 tmpfs "$r/tmp"
cp "$deb" "$r/tmp/"
chroot "$r" dpkg -i "/tmp/$(basename "$deb")" || fail "dpkg -i"
chroot "$r" dpkg -s proxmox-mcp | grep -q '^Status: install ok installed' || fail "not installed"
chroot "$r" id proxmox-mcp >/dev/null || fail "no user proxmox-mcp"
[ "$(chroot "$r" stat -c '%U:%G %a' "/etc/proxmox-mcp")" = "proxmox-mcp:proxmox-mcp 750" ] || fail "/etc/proxmox-mcp: $(chroot "$r" stat -c '%U:%G %a' "/etc/proxmox-mcp")"
[ "$(chroot "$r" stat -c '%U:%G %a' "/var/lib/proxmox-mcp")" = "proxmox-mcp:proxmox-mcp 750" ] || fail "/var/lib/proxmox-mcp"
[ "$(chroot "$r" stat -c '%a' "/etc/proxmox-mcp/io.pvemcp.security.cfg")" = 640 ] || fail "configuration readable by others"
grep -q '^/etc/proxmox-mcp/io.pvemcp.pve.client.cfg$' "$r/var/lib/dpkg/info/proxmox-mcp.conffiles" || fail "conffiles"
unit=$r/lib/systemd/system/proxmox-mcp.service
for k in 'User=proxmox-mcp' 'ProtectSystem=strict' 'NoNewPrivileges=yes' 'PrivateTmp=yes' 'ProtectHome=yes' \
    'ReadWritePaths=/var/lib/proxmox-mcp' 'CapabilityBoundingSet=' 'Restart=on-failure'; do
  grep -qx "$k" "$unit" || fail "the unit lacks $k"
done
# systemd's own judgement of the unit's sandboxing (exposure 0 to 10; 2 or less is "OK")
if command -v systemd-analyze >/dev/null 2>&1; then
  systemd-analyze security --offline=true --root="$r" --threshold=20 proxmox-mcp.service > "$r/tmp/security.txt" 2>&1 \
    || { tail -n 40 "$r/tmp/security.txt"; fail "systemd-analyze security finds the unit too exposed"; }
  echo "[deployment] systemd-analyze security: $(grep -o 'Overall exposure level.*' "$r/tmp/security.txt")"
fi
install -m 0640 -g "$(chroot "$r" id -g proxmox-mcp)" "$ca" "$r/etc/proxmox-mcp/pve-root-ca.pem"
# the port as an administrator sets it, in /etc/default/proxmox-mcp: the command and the unit read it
echo "MCP_PORT=$deb_port" >> "$r/etc/default/proxmox-mcp"
# init as an administrator runs it: sudo proxmox-mcp init (the wrapper runs it as the service user)
chroot "$r" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin PROXMOX_PASSWORD=deb-test-password \
  proxmox-mcp init --yes --url "https://127.0.0.1:$sim_port" --username root@pam \
  --ca-file /etc/proxmox-mcp/pve-root-ca.pem --scopes proxmox:read --json > "$r/tmp/init.json" \
  || { cat "$r/tmp/init.json"; fail "init --yes"; }
token=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["token"])' "$r/tmp/init.json")
[ "$(chroot "$r" stat -c '%U %a' "/etc/proxmox-mcp/io.pvemcp.pve.client.cfg")" = "proxmox-mcp 600" ] \
  || fail "init wrote the connection as $(chroot "$r" stat -c '%U %a' "/etc/proxmox-mcp/io.pvemcp.pve.client.cfg")"
[ -z "$(find "$r/var/lib/proxmox-mcp" -user root)" ] || fail "root-owned state: $(find "$r/var/lib/proxmox-mcp" -user root)"
# the unit's command line: its user, its Environment= and EnvironmentFile=, its ExecStart
user=$(sed -n 's/^User=//p' "$unit"); group=$(sed -n 's/^Group=//p' "$unit")
mapfile -t env < <(sed -n 's/^Environment=//p' "$unit")
mapfile -t envfile < <(grep -v '^\s*#' "$r/etc/default/proxmox-mcp" | grep '=' || true)
read -r -a exec <<< "$(sed -n 's/^ExecStart=//p' "$unit")"
cd /
chroot --userspec="$user:$group" "$r" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin "${env[@]}" "${envfile[@]}" \
  "${exec[@]}" > "$r/tmp/serve.log" 2>&1 &
serve=$!
ready=$(await_http "http://127.0.0.1:$deb_port/readyz") || { tail -n 30 "$r/tmp/serve.log"; fail "the service is not ready"; }
log "the unit's command line serves the cluster init configured: $(echo "$ready" | head -c 200)"
code=$(curl -s -o "$r/tmp/tools.json" -w '%{http_code}' -H "Authorization: Bearer $token" "http://127.0.0.1:$deb_port/api/v1/tools")
[ "$code" = 200 ] || fail "the token of init was refused: $code"
code=$(curl -s -o "$r/tmp/call.json" -w '%{http_code}' -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d '{}' "http://127.0.0.1:$deb_port/api/v1/tools/proxmox_vm_list")
[ "$code" = 200 ] && grep -q 'web01' "$r/tmp/call.json" || { cat "$r/tmp/call.json"; fail "proxmox_vm_list through the service: $code"; }
log "proxmox_vm_list through the service with init's token: ok"
kill "$serve"; wait "$serve" 2>/dev/null || true
grep -q 'deb-test-password' "$r/tmp/serve.log" "$r"/var/lib/proxmox-mcp/audit/* 2>/dev/null && fail "the password reached a log"
# serve --demo as the service user, with the unit's environment
chroot --userspec="$user:$group" "$r" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin "${env[@]}" \
  MCP_PORT="$demo_port" /opt/proxmox-mcp/bin/proxmox-mcp serve --demo --sim-port 18016 > "$r/tmp/demo.log" 2>&1 &
demo=$!
token=$(demo_token "$r/tmp/demo.log") || { tail -n 30 "$r/tmp/demo.log"; fail "serve --demo printed no token"; }
drive_mcp "http://127.0.0.1:$demo_port/mcp" "$token" "serve --demo from the package"
kill "$demo"; wait "$demo" 2>/dev/null || true
EOF
# the helpers above serve the chroot's test too
export work root
export -f log fail await_http demo_token drive_mcp
unshare --mount --fork bash "$work/run/deb-test.sh" "$chroot_dir" "$deb" $sim_port $deb_port $demo_port \
  "$work/run/sim/sim/pve-root-ca.pem"

# ---------------------------------------------------------------------------------------------------------------- 5
# The Dockerfile's own build stage: Maven compiles the project inside the build (DIST=build, the default), on a
# Debian base with Debian's Maven and JDK made here. PVEMCP_TEST_MAVEN_STAGE=off skips it (it takes minutes).
if [ "${PVEMCP_TEST_MAVEN_STAGE:-on}" != off ]; then
  maven_base=$work/rootfs-maven
  if [ ! -f "$maven_base/.complete" ]; then
    log "5. a Debian base with Maven and a JDK (debootstrap)"
    rm -rf "$maven_base"
    debootstrap --variant=minbase --include=maven,openjdk-17-jdk-headless,ca-certificates-java bookworm "$maven_base" \
      "${DEBIAN_MIRROR:-http://deb.debian.org/debian}" > "$work/debootstrap-maven.log" 2>&1 \
      || { tail -n 20 "$work/debootstrap-maven.log"; fail "debootstrap (Maven)"; }
    rm -rf "$maven_base"/var/cache/apt/archives/*.deb
    touch "$maven_base/.complete"
  fi
  # the build reaches Maven Central as this machine does: with the certificate authorities it trusts
  import_rootfs "$maven_base" localhost/pvemcp-test-maven:bookworm /usr/local/share/ca-certificates
  log "5. the image built by its own Maven stage: buildah bud -f docker/Dockerfile (DIST=build)"
  start=$(date +%s)
  (cd "$root" && buildah bud -q --format docker --layers=false -f docker/Dockerfile \
    --build-arg BUILD_IMAGE=localhost/pvemcp-test-maven:bookworm \
    --build-arg RUNTIME_IMAGE=localhost/pvemcp-test-jre:bookworm \
    -t localhost/proxmox-mcp:maven . > "$work/run/buildah-maven.log" 2>&1) \
    || { tail -n 40 "$work/run/buildah-maven.log"; fail "buildah bud with the Maven stage"; }
  maven_ctr=$(buildah from localhost/proxmox-mcp:maven)
  mnt=$(buildah mount "$maven_ctr")
  diff <(cd "$dist" && find lib system features -type f | sort) <(cd "$mnt/opt/proxmox-mcp" && find lib system features -type f | sort) \
    || fail "the Maven stage built other files than mvn package here"
  buildah umount "$maven_ctr" >/dev/null
  out=$(buildah run --user 10001:10001 "$maven_ctr" -- /opt/proxmox-mcp/bin/proxmox-mcp version)
  echo "$out" | grep -q "$version" || fail "version in the Maven-built image: $out"
  log "5. Maven stage ok in $(( $(date +%s) - start )) s: the same files as here; $out"
fi
# the images of this run go; the base images stay for the next run
buildah rmi -f localhost/proxmox-mcp:test localhost/proxmox-mcp:maven > /dev/null 2>&1 || true
buildah rmi --prune > /dev/null 2>&1 || true
log "all deployment checks passed"
