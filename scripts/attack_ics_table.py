#!/usr/bin/env python3
"""Writes stix/attack_ics_techniques.inc from MITRE's ATT&CK for ICS STIX bundle.

Usage: scripts/attack_ics_table.py ../shared/datasets/attack-ics/ics-attack-18.1.json
The table lets the STIX export reference MITRE's own attack-pattern ids by technique id.
"""
import json
import sys

bundle = json.load(open(sys.argv[1]))
HEADER = """// ATT&CK for ICS v18.1 techniques (not revoked, not deprecated): external id, the STIX id
// MITRE publishes them under, name. Made by scripts/attack_ics_table.py from
// ../shared/datasets/attack-ics/ics-attack-18.1.json (GitHub mitre-attack/attack-stix-data).
// © 2025 The MITRE Corporation. This work is reproduced and distributed with the permission of
// The MITRE Corporation. (Licence: tests/data/README.md, "MITRE ATT&CK licence".)
"""
rows = []
for o in bundle["objects"]:
    if o.get("type") != "attack-pattern" or o.get("revoked") or o.get("x_mitre_deprecated"):
        continue
    ext = [r for r in o.get("external_references", []) if r.get("source_name") == "mitre-attack"]
    if ext:
        rows.append((ext[0]["external_id"], o["id"], o["name"]))
rows.sort()
out = sys.stdout
out.write(HEADER)
for r in rows:
    out.write('{"%s", "%s", %s},\n' % (r[0], r[1], json.dumps(r[2])))
