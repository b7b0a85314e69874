#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""`offloadlens capture` on a live veth in network namespaces, while a real TCP transfer runs.

Two namespaces joined by one veth pair (ol-cap-s 198.51.100.2 <-> ol-cap-c 198.51.100.1). The server
answers GET n with n bytes (tests/data/gen/xfer.py). Expected values come from the setup and from the
references users trust: the verdict from what ethtool was told to set, the features from `ethtool -k`
run on the same interface, the packet count of a written file from capinfos.

Cases:
  tso-on    server tso/gso on, capture on the server's veth: send-offload, tso true (ethtool agrees)
  tso-off   server tso/gso off: none, tso false
  gro-on    server tso/gso off, client gro on, capture on the client's veth: receive-offload, gro true
  no-match  a filter that matches nothing: 0 packets and the no-packets warning
  no-such   an interface that does not exist: exit 1 and an error naming it
  sigint    SIGINT during a capture with --write: exit 0, the report printed, and the pcapng file
            complete (capinfos and tshark read it; its packet count equals the report's)

Needs root (network namespaces). Elsewhere it says why and exits 77 (ctest: skipped); under CI=true
a missing tool or privilege fails instead, since CI runs as root.
"""
import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
XFER = os.path.join(HERE, "data", "gen", "xfer.py")
NS_S, NS_C = "ol-cap-srv", "ol-cap-cli"
DEV_S, DEV_C = "ol-cap-s", "ol-cap-c"
ADDR_S, ADDR_C = "198.51.100.2", "198.51.100.1"
PORT = 8099
IN_CI = os.environ.get("CI", "").lower() not in ("", "0", "false")
failures = []


def skip(why):
    if IN_CI:
        print(f"FAIL: {why} (CI=true: the capture lab must run in CI)")
        sys.exit(1)
    print(f"SKIP: {why}")
    sys.exit(77)


def run(*cmd, check=True, **kw):
    return subprocess.run(list(cmd), check=check, capture_output=True, text=True, **kw)


def nsx(ns, *cmd, **kw):
    return run("ip", "netns", "exec", ns, *cmd, **kw)


def teardown():
    for ns in (NS_S, NS_C):
        run("ip", "netns", "del", ns, check=False)


def setup():
    teardown()
    for ns in (NS_S, NS_C):
        run("ip", "netns", "add", ns)
        nsx(ns, "ip", "link", "set", "lo", "up")
    run("ip", "link", "add", DEV_S, "netns", NS_S, "type", "veth", "peer", "name", DEV_C, "netns", NS_C)
    nsx(NS_S, "ip", "addr", "add", ADDR_S + "/24", "dev", DEV_S)
    nsx(NS_C, "ip", "addr", "add", ADDR_C + "/24", "dev", DEV_C)
    for ns, dev in ((NS_S, DEV_S), (NS_C, DEV_C)):
        nsx(ns, "sysctl", "-qw", f"net.ipv6.conf.{dev}.disable_ipv6=1")
        nsx(ns, "ip", "link", "set", dev, "up")


def ethtool_features(ns, dev):
    """`ethtool -k` as the reference: the same keys the report uses."""
    out = nsx(ns, "ethtool", "-k", dev).stdout
    raw = dict(re.findall(r"^\s*([a-z0-9-]+): (on|off)", out, re.M))

    def any_of(*names):
        vals = [raw[n] == "on" for n in names if n in raw]
        return any(vals) if vals else None
    return {
        "tso": any_of("tx-tcp-segmentation", "tx-tcp6-segmentation"),
        "gso": any_of("generic-segmentation-offload"),
        "gro": any_of("generic-receive-offload"),
        "lro": any_of("large-receive-offload"),
        "tx_checksum": any_of("tx-checksum-ipv4", "tx-checksum-ip-generic", "tx-checksum-ipv6"),
        "rx_checksum": any_of("rx-checksumming"),
        "tx_udp_segmentation": any_of("tx-udp-segmentation"),
    }


SCHEMA = None


def validate(case, doc):
    """The live report against docs/report.schema.json (files[].interface is only produced here)."""
    try:
        import jsonschema
    except ImportError:
        if IN_CI:
            check(case, False, "python3-jsonschema is installed")
        return
    try:
        jsonschema.Draft202012Validator(SCHEMA).validate(doc)
        check(case, True, "the report matches docs/report.schema.json")
    except jsonschema.ValidationError as e:
        check(case, False, f"the report matches docs/report.schema.json: {e.message} at {list(e.absolute_path)}")


def check(case, cond, what):
    print(("ok   " if cond else "FAIL ") + f"{case}: {what}")
    if not cond:
        failures.append(f"{case}: {what}")


def transfer_during(ns_cap, dev, binary, extra, nbytes=3_000_000, seconds=3, client_delay=0.8):
    """Starts the capture, runs one GET of nbytes, returns (exit code, stdout, stderr) of the capture."""
    server = subprocess.Popen(["ip", "netns", "exec", NS_S, sys.executable, XFER, "server", ADDR_S, str(PORT), "1"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    server.stdout.readline()  # "ready"
    cap = subprocess.Popen(["ip", "netns", "exec", ns_cap, binary, "capture", "-i", dev, "--duration", str(seconds),
                            "--json", "--quiet"] + extra, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(client_delay)  # let the capture start before the first SYN
    nsx(NS_C, sys.executable, XFER, "client", ADDR_S, str(PORT), "GET", str(nbytes), timeout=30)
    server.wait(timeout=30)
    out, err = cap.communicate(timeout=60)
    return cap.returncode, out, err


def offload_case(binary, name, server_tso, client_gro, cap_ns, cap_dev, verdict, feature, want):
    setup()
    onoff = "on" if server_tso else "off"
    nsx(NS_S, "ethtool", "-K", DEV_S, "tso", onoff, "gso", onoff, "gro", "off")
    nsx(NS_C, "ethtool", "-K", DEV_C, "tso", "off", "gso", "off", "gro", "on" if client_gro else "off")
    rc, out, err = transfer_during(cap_ns, cap_dev, binary, [])
    check(name, rc == 0, f"exit code 0 (got {rc}; {err.strip()[:200]})")
    if rc != 0:
        return
    doc = json.loads(out)
    validate(name, doc)
    f = doc["files"][0]
    iface = f.get("interface", {})
    check(name, f["offload"] == verdict, f"verdict {verdict} (got {f['offload']})")
    check(name, iface.get("features", {}).get(feature) is want, f"{feature} = {want} (got {iface.get('features')})")
    ref = ethtool_features(cap_ns, cap_dev)
    mine = iface.get("features", {})
    diff = {k: (mine.get(k), v) for k, v in ref.items() if v is not None and mine.get(k) is not v}
    check(name, not diff, f"features equal `ethtool -k` (differences report/ethtool: {diff})")
    check(name, iface.get("name") == cap_dev and iface.get("link_type") == "EN10MB",
          f"interface {cap_dev}, EN10MB (got {iface.get('name')}, {iface.get('link_type')})")
    check(name, "consistent" in iface.get("comparison", ""), f"comparison says consistent: {iface.get('comparison')!r}")
    print(f"     {name}: {iface.get('captured')} packets; {iface.get('comparison')}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--schema", default=os.path.join(HERE, "..", "docs", "report.schema.json"))
    a = ap.parse_args()
    global SCHEMA
    with open(a.schema) as f:
        SCHEMA = json.load(f)
    if os.geteuid() != 0:
        skip("the capture lab needs root for network namespaces (run the tests as root)")
    for tool in ("ip", "ethtool", "capinfos", "tshark"):
        if not shutil.which(tool):
            skip(f"{tool} is missing (Debian: iproute2, ethtool, wireshark-common / tshark)")
    try:
        setup()
    except subprocess.CalledProcessError as e:
        skip(f"cannot make network namespaces here: {e.stderr.strip()}")
    try:
        offload_case(a.binary, "tso-on", True, False, NS_S, DEV_S, "send-offload", "tso", True)
        offload_case(a.binary, "tso-off", False, False, NS_S, DEV_S, "none", "tso", False)
        offload_case(a.binary, "gro-on", False, True, NS_C, DEV_C, "receive-offload", "gro", True)

        setup()
        rc, out, err = transfer_during(NS_S, DEV_S, a.binary, ["--filter", "udp port 9"], nbytes=100000, seconds=2)
        f = json.loads(out)["files"][0] if rc == 0 else {}
        check("no-match", rc == 0 and f.get("packets") == 0, f"exit 0, 0 packets (rc {rc}, {f.get('packets')})")
        kinds = [w["kind"] for w in f.get("warnings", [])]
        check("no-match", "no-packets" in kinds, f"a no-packets warning (got {kinds})")

        # Without capture rights: one line naming the capabilities and setcap, exit 1; the features still
        # read (the ethtool GET commands need no privilege).
        drop = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        reachable = shutil.which("setpriv") and run(*drop, a.binary, "--version", check=False).returncode == 0
        if not reachable:
            print("skip no-rights: user nobody cannot run the binary here (a build under a private home)")
        else:
            r = run(*drop, a.binary, "capture", "-i", "lo", "--duration", "1", check=False)
            check("no-rights", r.returncode == 1 and "CAP_NET_RAW" in r.stderr and "setcap" in r.stderr
                  and len(r.stderr.strip().splitlines()) == 1, f"exit 1, one line naming CAP_NET_RAW and setcap "
                  f"(rc {r.returncode}: {r.stderr.strip()[:300]})")
            r = run(*drop, a.binary, "capture", "--list", "--json", check=False)
            listed = json.loads(r.stdout) if r.returncode == 0 else []
            lo = [i for i in listed if i["name"] == "lo"]
            check("no-rights", bool(lo) and lo[0]["features"]["tso"] is not None,
                  f"--list reads lo's features without privileges (rc {r.returncode}, {lo[:1]})")

        r = run(a.binary, "capture", "-i", "ol-no-such0", "--duration", "1", check=False)
        check("no-such", r.returncode == 1 and "ol-no-such0" in r.stderr and "no such interface" in r.stderr,
              f"exit 1 naming the interface (rc {r.returncode}: {r.stderr.strip()})")

        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "interrupted.pcapng")
            server = subprocess.Popen(["ip", "netns", "exec", NS_S, sys.executable, XFER, "server", ADDR_S,
                                       str(PORT), "1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            server.stdout.readline()
            cap = subprocess.Popen(["ip", "netns", "exec", NS_S, a.binary, "capture", "-i", DEV_S, "--duration",
                                    "60", "--write", path, "--json", "--quiet"],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            time.sleep(0.8)
            nsx(NS_C, sys.executable, XFER, "client", ADDR_S, str(PORT), "GET", "500000", timeout=30)
            server.wait(timeout=30)
            time.sleep(0.3)
            t0 = time.monotonic()
            cap.send_signal(signal.SIGINT)
            out, err = cap.communicate(timeout=30)
            took = time.monotonic() - t0
            check("sigint", cap.returncode == 0, f"exit 0 after SIGINT (got {cap.returncode}: {err.strip()[:200]})")
            report_packets = json.loads(out)["files"][0]["packets"] if cap.returncode == 0 else -1
            ci = run("capinfos", "-M", "-c", path, check=False)
            m = re.search(r"Number of packets:\s+(\d+)", ci.stdout)
            count = int(m.group(1)) if m else -1
            check("sigint", ci.returncode == 0 and count == report_packets and count > 0,
                  f"capinfos reads the file: {count} packets = the report's {report_packets}")
            ts = run("tshark", "-r", path, "-q", check=False)
            check("sigint", ts.returncode == 0, f"tshark reads it (rc {ts.returncode}: {ts.stderr.strip()[:200]})")
            print(f"     sigint: stopped {took:.2f} s after the signal, {count} packets kept")
    finally:
        teardown()
    if failures:
        print(f"{len(failures)} check(s) failed")
        return 1
    print("all capture lab checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
