#!/usr/bin/env python3
"""Cuts the fixtures in tests/data from the public data sets in ../shared (see README.md).

Run from the repository root: python3 tests/data/cut.py [path/to/shared]. Deterministic: the
same shared snapshot gives byte-identical fixtures.
"""
import json
import shutil
import sys
from pathlib import Path

SHARED = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared")
DATA = SHARED / "datasets"
OUT = Path(__file__).resolve().parent


def write_json(path, value):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def copy(source, target):
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)


# The reference tables the server encodes, whole (the project's own specification data).
for name in ("provinces.csv", "sectors.csv"):
    copy(SHARED / "reference" / name, OUT / "reference" / name)

# Three CISA CSAF advisories, byte-identical: one with two CVE ids for one product (mapped
# field by field), one with six affected products, one with a single product.
for folder, name in (("csaf-ics-2024", "icsa-24-004-01.json"),
                     ("csaf-ics-2023", "icsa-23-012-04.json"),
                     ("csaf-ics-2023", "icsa-23-026-07.json")):
    copy(DATA / folder / name, OUT / "csaf-ics" / name)

# The ICS Advisory Project CSV: the header, the 10 newest rows, and the two rows whose CVE
# lists hold tokens that are no CVE id (lines 1257 and 3739 of the master file). CRLF kept.
lines = (DATA / "ics-advisories/CISA_ICS_ADV_Master.csv").read_bytes().split(b"\r\n")
kept = lines[0:11] + [lines[1256], lines[3738]]
(OUT / "ics-advisories").mkdir(parents=True, exist_ok=True)
(OUT / "ics-advisories/CISA_ICS_ADV_Master.csv").write_bytes(b"\r\n".join(kept) + b"\r\n")

# ATT&CK for ICS: the bundle's marking definition and identity, three campaigns (FrostyGoop:
# malware; 2022 Ukraine: no malware; Oldsmar: deprecated), their "uses" relationships and
# targets. Techniques and relationships keep only the fields a bundle reader needs (their
# descriptions are most of their size); campaigns, malware and the marking stay whole.
bundle = json.loads((DATA / "attack-ics/ics-attack-18.1.json").read_text(encoding="utf-8"))
objects = {o["id"]: o for o in bundle["objects"]}


def attack_id(o):
    return next((r.get("external_id") for r in o.get("external_references", [])
                 if r.get("source_name") == "mitre-attack"), None)


campaigns = [o for o in bundle["objects"]
             if o["type"] == "campaign" and attack_id(o) in ("C0041", "C0034", "C0009")]
uses = [o for o in bundle["objects"] if o["type"] == "relationship"
        and o.get("relationship_type") == "uses"
        and o["source_ref"] in {c["id"] for c in campaigns}]
kept_objects = [o for o in bundle["objects"] if o["type"] in ("marking-definition", "identity")]
kept_objects += campaigns
for relationship in uses:
    kept_objects.append({k: relationship[k] for k in (
        "type", "id", "spec_version", "created", "modified", "relationship_type", "source_ref",
        "target_ref") if k in relationship})
for target_id in dict.fromkeys(r["target_ref"] for r in uses):
    target = objects[target_id]
    if target["type"] == "attack-pattern":
        target = {k: target[k] for k in ("type", "id", "spec_version", "created", "modified",
                                         "name") if k in target}
        target["external_references"] = [
            r for r in objects[target_id]["external_references"]
            if r.get("source_name") == "mitre-attack"]
    kept_objects.append(target)
# One object per line: small, and a reader sees the bundle's shape at a glance.
(OUT / "attack-ics").mkdir(parents=True, exist_ok=True)
(OUT / "attack-ics/ics-attack-cut.json").write_text(
    '{"type": "bundle", "id": ' + json.dumps(bundle["id"]) + ', "objects": [\n' +
    ",\n".join(json.dumps(o, ensure_ascii=False) for o in kept_objects) + "\n]}\n",
    encoding="utf-8")

# Awesome Industrial Protocols: eight lines of the JSON Lines file, byte-identical.
wanted = {"Modbus", "S7comm", "DNP3", "Ethernet/IP", "Profinet-IO", "SOME/IP", "WITS",
          "BACnet/IP"}
protocol_lines = [line for line in
                  (DATA / "ics-protocols/protocols.json").read_text(encoding="utf-8").splitlines()
                  if json.loads(line)["name"] in wanted]
(OUT / "ics-protocols").mkdir(parents=True, exist_ok=True)
(OUT / "ics-protocols/protocols.json").write_text("\n".join(protocol_lines) + "\n",
                                                  encoding="utf-8")

# The CISA KEV catalog: the header (count set to the entries kept), the three newest entries
# and the three of industrial vendors.
kev = json.loads((DATA / "kev/known_exploited_vulnerabilities.json").read_text(encoding="utf-8"))
entries = kev["vulnerabilities"][:3] + [v for v in kev["vulnerabilities"]
                                        if v["cveID"] in ("CVE-2023-6448", "CVE-2018-7841",
                                                          "CVE-2016-8562")]
header = {k: v for k, v in kev.items() if k != "vulnerabilities"}
header["count"] = len(entries)
write_json(OUT / "kev/known_exploited_vulnerabilities.json", {**header, "vulnerabilities": entries})
