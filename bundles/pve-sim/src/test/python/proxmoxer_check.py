"""Drives the Proxmox VE simulator with proxmoxer, the Python client many Proxmox tools use.

Usage: proxmoxer_check.py HOST PORT CA_FILE ROOT_PASSWORD TOKEN_NAME TOKEN_SECRET LIMITED_TOKEN LIMITED_SECRET

Prints one line per step; exits 0 when every step behaved as on a real node, 1 otherwise.
"""
import hashlib
import sys
import time

from proxmoxer import ProxmoxAPI
from proxmoxer.core import ResourceException

host, port, ca, password, token_name, token_secret, limited, limited_secret = sys.argv[1:9]
port = int(port)


def step(name, ok, detail=""):
    print(("OK   " if ok else "FAIL ") + name + (": " + str(detail) if detail else ""), flush=True)
    if not ok:
        sys.exit(1)


def wait(api, node, upid, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        status = api.nodes(node).tasks(upid).status.get()
        if status["status"] == "stopped":
            return status["exitstatus"]
        time.sleep(0.2)
    return "timeout"


by_password = ProxmoxAPI(host, port=port, user="root@pam", password=password, verify_ssl=ca)
version = by_password.version.get()
step("password login", version["release"] == "9.1", version)

by_token = ProxmoxAPI(host, port=port, user="root@pam", token_name=token_name, token_value=token_secret,
                      verify_ssl=ca)
nodes = sorted(n["node"] for n in by_token.nodes.get())
step("token login and node list", nodes == ["pve1", "pve2", "pve3"], nodes)

api = by_password
vmid = int(api.cluster.nextid.get())
upid = api.nodes("pve1").qemu.create(vmid=vmid, name="proxmoxer-vm", memory=1024, cores=1,
                                     scsi0="local-lvm:4", net0="virtio,bridge=vmbr0", ostype="l26")
step("create VM %d" % vmid, wait(api, "pve1", upid) == "OK", upid)
config = api.nodes("pve1").qemu(vmid).config.get()
step("its disk was allocated", config["scsi0"].startswith("local-lvm:vm-%d-disk-0" % vmid), config["scsi0"])

upid = api.nodes("pve1").qemu(vmid).status.start.post()
running_while_starting = api.nodes("pve1").tasks(upid).status.get()["status"]
exit_status = wait(api, "pve1", upid)
current = api.nodes("pve1").qemu(vmid).status.current.get()
step("start and wait for the task", exit_status == "OK" and current["status"] == "running",
     "%s, task was %s while starting" % (exit_status, running_while_starting))

upid = api.nodes("pve1").qemu(vmid).snapshot.post(snapname="proxmoxer")
exit_status = wait(api, "pve1", upid)
snapshots = [s["name"] for s in api.nodes("pve1").qemu(vmid).snapshot.get()]
step("snapshot", exit_status == "OK" and "proxmoxer" in snapshots, snapshots)

upid = api.nodes("pve1").qemu(vmid).status.stop.post()
step("stop", wait(api, "pve1", upid) == "OK"
     and api.nodes("pve1").qemu(vmid).status.current.get()["status"] == "stopped")

api.nodes("pve1").qemu(vmid).config.put(cores=3)
upid = api.nodes("pve1").qemu(vmid).snapshot("proxmoxer").rollback.post()
step("rollback restores the snapshot's configuration", wait(api, "pve1", upid) == "OK"
     and int(api.nodes("pve1").qemu(vmid).config.get()["cores"]) == 1)
upid = api.nodes("pve1").qemu(vmid).snapshot("proxmoxer").delete()
step("delete the snapshot", wait(api, "pve1", upid) == "OK"
     and [s["name"] for s in api.nodes("pve1").qemu(vmid).snapshot.get()] == ["current"])

url = "https://example.org/isos/proxmoxer.iso"
local = api.nodes("pve1").storage("local")
upid = local("download-url").post(url=url, content="iso", filename="proxmoxer.iso",
                                  checksum=hashlib.sha256(url.encode()).hexdigest(), **{"checksum-algorithm": "sha256"})
exit_status = wait(api, "pve1", upid)
isos = [v["volid"] for v in local.content.get(content="iso")]
step("download an ISO by URL with its checksum", exit_status == "OK" and "local:iso/proxmoxer.iso" in isos, isos)
upid = local("download-url").post(url=url, content="iso", filename="other.iso", checksum="0" * 64,
                                  **{"checksum-algorithm": "sha256"})
exit_status = wait(api, "pve1", upid)
step("a wrong checksum fails the download", exit_status.startswith("checksum mismatch"), exit_status)
upid = local.content("local:iso/proxmoxer.iso").delete()
step("delete a volume", wait(api, "pve1", upid) == "OK"
     and "local:iso/proxmoxer.iso" not in [v["volid"] for v in local.content.get(content="iso")])
upid = api.nodes("pve1").aplinfo.post(storage="local", template="debian-12-standard_12.12-1_amd64.tar.zst")
step("download a template from the appliance index", wait(api, "pve1", upid) == "OK"
     and "local:vztmpl/debian-12-standard_12.12-1_amd64.tar.zst" in [v["volid"] for v in local.content.get()])

jobs = [j["id"] for j in api.cluster.backup.get()]
api.cluster.backup.post(id="proxmoxer-job", schedule="sun 01:00", storage="local", vmid=str(vmid))
job = api.cluster.backup("proxmoxer-job").get()
uncovered = [int(g["vmid"]) for g in api.cluster("backup-info")("not-backed-up").get()]
api.cluster.backup("proxmoxer-job").delete()
step("backup jobs and the guests none covers", "backup-prod-nightly" in jobs and job["schedule"] == "sun 01:00"
     and "next-run" in job and vmid not in uncovered and 102 in uncovered, job)
upid = api.nodes("pve1").vzdump.post(vmid=vmid, storage="local", compress="zstd")
exit_status = wait(api, "pve1", upid)
backup = [v["volid"] for v in local.content.get(content="backup") if int(v.get("vmid", 0)) == vmid][0]
extracted = api.nodes("pve1").vzdump.extractconfig.get(volume=backup)
step("a backup and the configuration it holds", exit_status == "OK" and "name: proxmoxer-vm" in extracted,
     extracted[:80])

upid = api.nodes("pve1").qemu(vmid).delete()
step("delete", wait(api, "pve1", upid) == "OK" and
     vmid not in [int(v["vmid"]) for v in api.nodes("pve1").qemu.get()])

user, name = limited.split("!")
restricted = ProxmoxAPI(host, port=port, user=user, token_name=name, token_value=limited_secret, verify_ssl=ca)
try:
    restricted.nodes("pve1").qemu(100).status.stop.post()
    step("a limited token is refused", False, "the stop was accepted")
except ResourceException as e:
    step("a limited token is refused", e.status_code == 403, e)

try:
    api.nodes("pve1").qemu.create(vmid=42, name="too-low")
    step("a bad parameter is refused", False, "vmid 42 was accepted")
except ResourceException as e:
    step("a bad parameter is refused", e.status_code == 400, e)

net = api.nodes("pve2").network
net.post(iface="vmbr9", type="bridge", cidr="192.168.90.2/24", autostart=1, comments="proxmoxer lab")
staged = net("vmbr9").get()
before_apply = [i["iface"] for i in net.get(type="bridge")]
try:
    net.post(iface="vmbr8", type="bridge", bridge_ports="bond0")
    step("a port another bridge uses is refused", False, "bond0 was accepted twice")
except ResourceException as e:
    step("a port another bridge uses is refused", e.status_code == 400
         and "vmbr8" not in [i["iface"] for i in net.get()], e)
net.delete()
step("a staged bridge is listed, and gone after a revert", staged["cidr"] == "192.168.90.2/24"
     and "vmbr9" in before_apply and "vmbr9" not in [i["iface"] for i in net.get()], before_apply)
net.post(iface="vmbr9", type="bridge", cidr="192.168.90.2/24", autostart=1)
upid = net.put()
exit_status = wait(api, "pve2", upid)
applied = net("vmbr9").get()
step("apply reloads the network in a task", exit_status == "OK" and applied.get("active") == 1, applied)
net("vmbr9").delete()
wait(api, "pve2", net.put())
step("SDN zones and VNets are listed", {z["zone"] for z in api.cluster.sdn.zones.get()} >= {"lab"}
     and any(v["vnet"] == "labnet" and v["zone"] == "lab" for v in api.cluster.sdn.vnets.get()))

jobs = {j["id"]: j for j in api.cluster.replication.get()}
states = {j["id"]: j for j in api.nodes("pve3").replication.get()}
step("replication jobs and the state their source node reports", jobs["101-0"]["target"] == "pve2"
     and states["201-0"]["fail_count"] == 3 and "replicate feature" in states["201-0"]["error"], states["201-0"])
ceph = api.cluster.ceph.status.get()
pools = [p["pool_name"] for p in api.nodes("pve1").ceph.pool.get()]
step("Ceph health, OSDs and pools", ceph["health"]["status"] == "HEALTH_WARN"
     and ceph["osdmap"]["num_up_osds"] == 5 and "vm-pool" in pools, ceph["health"])
api.cluster.ha.rules.post(rule="proxmoxer-rule", type="node-affinity", resources="vm:101", nodes="pve1:2,pve2")
rule = api.cluster.ha.rules("proxmoxer-rule").get()
try:
    api.cluster.ha.rules.post(rule="bad-rule", type="resource-affinity", resources="vm:101", affinity="negative")
    step("HA rules: created, read, a one-guest resource affinity refused, deleted", False, "accepted")
except ResourceException as e:
    api.cluster.ha.rules("proxmoxer-rule").delete()
    step("HA rules: created, read, a one-guest resource affinity refused, deleted", e.status_code == 400
         and rule["nodes"] == "pve1:2,pve2" and "proxmoxer-rule" not in [r["rule"] for r in api.cluster.ha.rules.get()],
         rule)
log = api.cluster.log.get(max=20)
step("the cluster log, newest first", len(log) > 0 and log[0]["time"] >= log[-1]["time"], log[0]["msg"])

fw = api.nodes("pve1").qemu(100).firewall
fw.ipset.post(name="proxmoxer", comment="checks")
fw.ipset("proxmoxer").post(cidr="198.51.100.0/24")
fw.rules.post(type="in", action="DROP", source="+proxmoxer", enable=1, comment="px drop")
fw.rules.post(type="group", action="webserver", enable=1, pos=1)
before = [r.get("comment") or r.get("action") for r in fw.rules.get()]
fw.rules("0").put(moveto=2)  # proxmoxer drops a path part of 0 (falsy)
after = [r.get("comment") or r.get("action") for r in fw.rules.get()]
try:
    fw.rules.post(type="group", action="no-such-group", enable=1)
    group_refused = False
except ResourceException as e:
    group_refused = e.status_code == 400
step("firewall: an IP set, a security group rule, a rule moved before the one at moveto", after[:2] == [before[1],
     before[0]] and group_refused and [e["cidr"] for e in fw.ipset("proxmoxer").get()] == ["198.51.100.0/24"],
     "%s -> %s" % (before, after))
fw.rules("1").delete()
fw.rules("0").delete()
fw.ipset("proxmoxer").delete(force=1)

print("all proxmoxer checks passed")
