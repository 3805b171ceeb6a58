"""A token made through the MCP tools, used with proxmoxer against the demo cluster: it reads, and starting a VM is
refused with 403 as on a real node.

Usage: proxmoxer_readonly.py HOST PORT CA_FILE TOKEN_ID SECRET
Prints one line per step; exits 0 when every step behaved as expected, 1 otherwise.
"""
import sys

from proxmoxer import ProxmoxAPI
from proxmoxer.core import ResourceException

host, port, ca, tokenid, secret = sys.argv[1:6]
user, token_name = tokenid.split("!", 1)


def step(name, ok, detail=""):
    print(("OK   " if ok else "FAIL ") + name + (": " + str(detail) if detail else ""), flush=True)
    if not ok:
        sys.exit(1)


api = ProxmoxAPI(host, port=int(port), user=user, token_name=token_name, token_value=secret, verify_ssl=ca)
guests = api.cluster.resources.get(type="vm")
stopped = [g for g in guests if g["type"] == "qemu" and g["status"] == "stopped" and not g.get("template")]
step("the read-only token reads the cluster", len(stopped) > 0, "%d guests, %d VMs stopped" % (len(guests), len(stopped)))
vmid, node = stopped[0]["vmid"], stopped[0]["node"]
try:
    api.nodes(node).qemu(vmid).status.start.post()
    step("starting a VM is refused", False, "it was accepted")
except ResourceException as e:
    step("starting a VM is refused with 403", e.status_code == 403, "VM %s: %s %s" % (vmid, e.status_code, e))
status = api.nodes(node).qemu(vmid).status.current.get()["status"]
step("the VM did not start", status == "stopped", status)
print("all proxmoxer checks passed", flush=True)
