"""Bad wifi: the tablets' traffic crosses a link with delay, jitter and loss (``tc netem``).

The benchmark makes, and removes at the end, two network namespaces of its own:

    v21s-<id>  the server (and, on its own loopback, nothing else)
    v21c-<id>  the simulated tablets and projectors (this benchmark, re-run inside it)

joined by two veth pairs with loopback-range addresses (127.77.x.0/30 and 127.78.x.0/30,
``route_localnet`` on, the namespaces' own ``lo`` narrowed to 127.0.0.1/32 so these routes
win): the *wifi* pair carries the tablets' traffic through ``netem`` on both ends
(``delay 80ms 40ms loss 2%`` by default: each direction is delayed and lossy), the *cable*
pair carries the projectors' (the laptop's own screen is not on the wifi). Nothing else is
reachable from either namespace: no traffic leaves this machine.

Needs root (``ip netns``) and a kernel with netem (``CONFIG_NET_SCH_NETEM``; ``modprobe
sch_netem`` where it is a module). Where the kernel has none (this project's machines), the
same delay, jitter and loss are made in user space instead: iptables sends the packets leaving
the wifi veth of each namespace to NFQUEUE, and ``linkemu.py`` holds and drops them there (the
report says which was used). ``--netem none`` runs the same namespaces without impairment.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass


@dataclass(frozen=True)
class Link:
    server_ns: str
    client_ns: str
    wifi_server: str  # the server's address across the bad link
    cable_server: str  # the server's address across the clean one (projectors)
    netem: str
    how: str = "tc netem"  # or "NFQUEUE (no netem in this kernel)"


_emulators: dict[str, list[subprocess.Popen]] = {}  # namespace -> its link emulation processes


def _netem_numbers(netem: str) -> tuple[float, float, float]:
    """(delay ms, jitter ms, loss %) of "delay 80ms 40ms loss 2%"."""
    words = netem.replace("%", "").split()
    delay = float(words[words.index("delay") + 1].removesuffix("ms")) if "delay" in words else 0.0
    after = words[words.index("delay") + 2] if "delay" in words and len(words) > words.index("delay") + 2 else ""
    jitter = float(after.removesuffix("ms")) if after.removesuffix("ms").replace(".", "").isdigit() else 0.0
    loss = float(words[words.index("loss") + 1]) if "loss" in words else 0.0
    return delay, jitter, loss


def _emulate(ns: str, dev: str, netem: str) -> None:
    """No netem: iptables sends what leaves ``dev`` to NFQUEUE, ``linkemu`` holds and drops it."""
    import shutil
    import sys
    import time

    if shutil.which("iptables") is None:
        raise RuntimeError("no netem in this kernel and no iptables for the NFQUEUE fallback "
                           "(apt-get install iptables)")
    delay, jitter, loss = _netem_numbers(netem)
    process = subprocess.Popen(["ip", "netns", "exec", ns, sys.executable, "-m", "bench.load.linkemu", "7",
                                str(delay), str(jitter), str(loss)], stdout=subprocess.PIPE, text=True,
                               cwd=os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    _emulators.setdefault(ns, []).append(process)
    if "link emulation" not in (process.stdout.readline() or ""):
        raise RuntimeError(f"the NFQUEUE link emulation did not start in {ns}")
    time.sleep(0.1)
    _in(ns, "iptables", "-A", "OUTPUT", "-o", dev, "-j", "NFQUEUE", "--queue-num", "7")


def _ip(*args: str) -> None:
    done = subprocess.run(["ip", *args], capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"ip {' '.join(args)}: {done.stderr.strip()}")


def _in(ns: str, *command: str) -> None:
    done = subprocess.run(["ip", "netns", "exec", ns, *command], capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"{' '.join(command)} in {ns}: {done.stderr.strip()}")


def create(netem: str = "delay 80ms 40ms loss 2%", *, fallback: bool = True) -> Link:
    """The two namespaces, the wifi pair with netem on both ends, the cable pair; raises with the reason."""
    if os.geteuid() != 0:
        raise RuntimeError("the bad-wifi benchmark needs root (ip netns, tc)")
    tag = f"{os.getpid() % 100000:05d}"
    octet = os.getpid() % 250 + 1
    link = Link(f"v21s-{tag}", f"v21c-{tag}", f"127.77.{octet}.1", f"127.78.{octet}.1", netem)
    _ip("netns", "add", link.server_ns)
    try:
        _ip("netns", "add", link.client_ns)
        for ns in (link.server_ns, link.client_ns):
            _ip("-n", ns, "link", "set", "lo", "up")
            _ip("-n", ns, "addr", "del", "127.0.0.1/8", "dev", "lo")
            _ip("-n", ns, "addr", "add", "127.0.0.1/32", "dev", "lo")
            _in(ns, "sysctl", "-qw", "net.ipv4.conf.all.route_localnet=1")
        for name, prefix in (("w", "127.77"), ("c", "127.78")):
            server_end, client_end = f"v21{name}s{tag}", f"v21{name}c{tag}"
            _ip("link", "add", server_end, "type", "veth", "peer", "name", client_end)
            _ip("link", "set", server_end, "netns", link.server_ns)
            _ip("link", "set", client_end, "netns", link.client_ns)
            for ns, dev, host in ((link.server_ns, server_end, 1), (link.client_ns, client_end, 2)):
                _in(ns, "sysctl", "-qw", f"net.ipv4.conf.{dev}.route_localnet=1")
                _ip("-n", ns, "addr", "add", f"{prefix}.{octet}.{host}/30", "dev", dev)
                _ip("-n", ns, "link", "set", dev, "up")
                if name == "w" and netem != "none":
                    done = subprocess.run(["tc", "-n", ns, "qdisc", "add", "dev", dev, "root", "netem",
                                           *netem.split()], capture_output=True, text=True)
                    if done.returncode and "unknown" in done.stderr and fallback:
                        _emulate(ns, dev, netem)
                        link = Link(**{**link.__dict__, "how": "NFQUEUE + bench/load/linkemu.py (no netem in this kernel)"})
                    elif done.returncode:
                        raise RuntimeError(
                            f"tc netem refused ({done.stderr.strip()}): this kernel has no netem "
                            "(CONFIG_NET_SCH_NETEM; try `modprobe sch_netem`), so no bad link can be made here")
        return link
    except BaseException:
        remove(link)
        raise


def remove(link: Link) -> None:
    """Delete both namespaces (their veth pairs and qdiscs go with them)."""
    for ns in (link.client_ns, link.server_ns):
        for process in _emulators.pop(ns, []):
            process.terminate()
            try:
                process.wait(5)
            except subprocess.TimeoutExpired:
                process.kill()
        subprocess.run(["ip", "netns", "del", ns], capture_output=True)
