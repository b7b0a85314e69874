#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Validates `offloadlens report --json` of every fixture capture (tests/data/**/*.pcap*, *.cap) and of the
# two-file alignment reports (each client/server pair the generator made) against docs/report.schema.json.
# Exit 0 all valid, 1 a report is invalid (or missing where the file is readable), 77 skipped (no jsonschema,
# outside CI only).
import argparse
import concurrent.futures
import glob
import json
import os
import subprocess
import sys


def in_ci():
    return os.environ.get("CI", "").lower() not in ("", "0", "false")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--schema", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    try:
        import jsonschema
    except ImportError:
        if in_ci():
            print("python3-jsonschema is not installed, and CI=true requires it (apt-get install python3-jsonschema)")
            return 1
        print("SKIP: python3-jsonschema is not installed (apt-get install python3-jsonschema)")
        return 77
    with open(args.schema, encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)

    files = sorted(set(glob.glob(os.path.join(args.data, "**", "*.pcap*"), recursive=True)
                       + glob.glob(os.path.join(args.data, "**", "*.cap"), recursive=True)))
    runs = [[f] for f in files]
    # Two capture points of one transfer: the generator's client/server pairs, and the shifted clock.
    for client in sorted(glob.glob(os.path.join(args.data, "gen_*_client.pcap*"))):
        server = client.replace("_client.", "_server.")
        if os.path.exists(server):
            runs.append([client, server])
    shifted = os.path.join(args.data, "gen_clockshift_server_shifted.pcap")
    if os.path.exists(shifted):
        runs.append([os.path.join(args.data, "gen_tso_on_gro_off_client.pcap"), shifted])

    def check(paths):
        p = subprocess.run([args.binary, "report", "--json", "--quiet"] + paths, capture_output=True, timeout=600)
        name = " + ".join(os.path.relpath(x, args.data) for x in paths)
        if p.returncode == 1 and len(paths) == 1:
            # An unreadable file: no report, one line on stderr naming it (checked in tst_report).
            return name, "unreadable", []
        if p.returncode != 0:
            return name, "failed", ["exit code %d: %s" % (p.returncode, p.stderr.decode(errors="replace"))]
        try:
            doc = json.loads(p.stdout.decode("utf-8"))  # strict UTF-8: the report must be valid JSON text
        except (UnicodeDecodeError, json.JSONDecodeError) as e:
            return name, "failed", ["not JSON: %s" % e]
        errors = ["%s: %s" % ("/".join(str(x) for x in e.absolute_path), e.message)
                  for e in validator.iter_errors(doc)]
        if len(paths) == 2 and "alignment" not in doc:
            errors.append("two files but no alignment")
        return name, "failed" if errors else "valid", errors[:10]

    valid = unreadable = 0
    failed = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for name, state, errors in pool.map(check, runs):
            if state == "valid":
                valid += 1
            elif state == "unreadable":
                unreadable += 1
            else:
                failed.append(name)
                print("INVALID %s" % name)
                for e in errors:
                    print("    " + e)
    print("%d reports valid against the schema, %d unreadable files (no report), %d invalid"
          % (valid, unreadable, len(failed)))
    if valid == 0:
        print("no report was validated: is the data folder right?")
        return 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
