#!/usr/bin/env python3
"""Checks STIX 2.1 bundles the way sitrep promises its exports are (docs/stix-mapping.md).

Usage: validate_stix.py --schemas DIR --extension-schema FILE --attack-table FILE BUNDLE.json...

Each object is validated against the official STIX 2.1 JSON schema of its type (draft 2020-12,
tests/data/stix2-json-schemas), an incident's Incident Core extension against
stix/schemas/incident-core.json, and then against the MUST rules the schemas cannot express:
  - ids are "<type>--<RFC 4122 UUID>", the prefix the object's own type; sitrep's own SDOs and
    SROs use UUIDv5 and a cyber-observable's id is the UUIDv5 of its id-contributing properties;
  - spec_version is "2.1"; created and modified have millisecond precision; modified >= created;
  - every *_ref / *_refs resolves inside the bundle (ATT&CK attack-patterns: in MITRE's table;
    the created_by_ref of objects OASIS publishes names OASIS's own identities);
  - object_marking_refs name marking-definition objects of the bundle.
Prints one line per problem and exits 1 when there is any; prints the object count otherwise.
"""
import argparse
import json
import os
import re
import sys
import uuid

import jsonschema

SCO_NAMESPACE = uuid.UUID("00abedb4-aa42-466c-9c01-fed23315a9b7")
SCO_CONTRIBUTING = {
    "ipv4-addr": ["value"], "ipv6-addr": ["value"], "domain-name": ["value"], "url": ["value"],
    "email-addr": ["value"], "file": ["hashes", "name", "extensions", "parent_directory_ref"],
    "software": ["name", "cpe", "swid", "vendor", "version"],
}
SCO_TYPES = set(SCO_CONTRIBUTING) | {
    "artifact", "autonomous-system", "directory", "email-message", "mac-addr", "mutex",
    "network-traffic", "process", "user-account", "windows-registry-key", "x509-certificate"}
MILLIS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
ID = re.compile(r"^([a-z0-9-]+)--([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$")
INCIDENT_CORE = "extension-definition--ef765651-680c-498d-9894-99799f2fa126"
# Objects OASIS publishes, served as published (their ids are not sitrep's UUIDv5s).
PUBLISHED = {
    "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
    "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
    "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
    "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d",
    INCIDENT_CORE,
}


def load_schemas(directory, extension_schema):
    store = {}
    for root, _, files in os.walk(directory):
        for name in files:
            if name.endswith(".json"):
                with open(os.path.join(root, name)) as f:
                    schema = json.load(f)
                store[schema["$id"]] = schema
                # The Incident Core schema and some tools spell the host with https.
                store[schema["$id"].replace("http://", "https://")] = schema
    with open(extension_schema) as f:
        extension = json.load(f)
    store[extension["$id"]] = extension
    return store, extension


def validator_for(store, schema):
    cls = jsonschema.Draft202012Validator
    try:  # jsonschema >= 4.18: the referencing registry
        from referencing import Registry, Resource
        registry = Registry().with_resources(
            (uri, Resource.from_contents(s)) for uri, s in store.items())
        return cls(schema, registry=registry)
    except ImportError:  # Debian 12's 4.10
        resolver = jsonschema.RefResolver.from_schema(schema, store=store)
        return cls(schema, resolver=resolver)


def schema_uri(store, kind):
    for folder in ("sdos", "sros", "observables", "common"):
        for uri in store:
            if uri.startswith("http://") and uri.endswith("/%s/%s.json" % (folder, kind)):
                return uri
    return None


def refs_of(value, path=""):
    """(path, id) of every *_ref and *_refs property, at any depth."""
    if isinstance(value, dict):
        for key, item in value.items():
            where = path + "." + key if path else key
            if key.endswith("_ref") and isinstance(item, str):
                yield where, item
            elif key.endswith("_refs") and isinstance(item, list):
                for i, ref in enumerate(item):
                    yield "%s[%d]" % (where, i), ref
            else:
                yield from refs_of(item, where)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from refs_of(item, "%s[%d]" % (path, i))


def check_bundle(bundle, store, extension, attack_ids, cache):
    problems = []
    objects = bundle.get("objects", []) if bundle.get("type") == "bundle" else []
    if bundle.get("type") == "bundle":
        # The envelope alone: each object is checked below against its own type's schema (the
        # bundle schema's oneOf over every type is slow and names no property when it fails).
        envelope = dict(bundle, objects=bundle.get("objects", [])[:1])
        envelope["objects"] = [{"type": "x-envelope-probe", "id": "x-envelope-probe--" + "0" * 8 +
                                "-0000-4000-8000-" + "0" * 12}] if envelope["objects"] else []
        errors = [e for e in cache.setdefault("bundle", validator_for(store, store[schema_uri(store, "bundle")]))
                  .iter_errors(envelope) if not list(e.absolute_path)[:1] == ["objects"]]
        problems += ["bundle: %s" % e.message for e in errors[:3]]
    ids = {o.get("id") for o in objects}
    for index, obj in enumerate(objects):
        where = "%s (objects[%d])" % (obj.get("id"), index)
        kind = obj.get("type")
        uri = schema_uri(store, kind)
        if uri is None:
            problems.append("%s: no official schema for type %r" % (where, kind))
            continue
        validator = cache.get(uri) or cache.setdefault(uri, validator_for(store, store[uri]))
        for error in validator.iter_errors(obj):
            problems.append("%s: schema %s: %s at %s" % (where, os.path.basename(uri), error.message[:300],
                                                          "/".join(map(str, error.absolute_path))))
        if kind == "incident" and INCIDENT_CORE in obj.get("extensions", {}):
            ext_validator = cache.get("ext") or cache.setdefault("ext", validator_for(store, extension))
            for error in ext_validator.iter_errors(obj["extensions"][INCIDENT_CORE]):
                problems.append("%s: Incident Core: %s" % (where, error.message))
        # MUST rules the schemas cannot express.
        match = ID.match(obj.get("id", ""))
        if not match or match.group(1) != kind:
            problems.append("%s: id is not '%s--<uuid>'" % (where, kind))
            continue
        parsed = uuid.UUID(match.group(2))
        if parsed.variant != uuid.RFC_4122:
            problems.append("%s: id is not an RFC 4122 UUID" % where)
        if obj.get("spec_version") != "2.1":
            problems.append("%s: spec_version is not 2.1" % where)
        if kind in SCO_TYPES:
            contributing = {k: obj[k] for k in SCO_CONTRIBUTING.get(kind, []) if k in obj}
            expected = uuid.uuid5(SCO_NAMESPACE, json.dumps(contributing, sort_keys=True,
                                                            separators=(",", ":"), ensure_ascii=False))
            if kind in SCO_CONTRIBUTING and parsed != expected:
                problems.append("%s: not the UUIDv5 of its id-contributing properties (%s)" %
                                (where, expected))
        elif obj["id"] not in PUBLISHED and parsed.version != 5:
            problems.append("%s: sitrep's ids are UUIDv5" % where)
        for field in ("created", "modified"):
            if field in obj and not MILLIS.match(obj[field]):
                problems.append("%s: %s is not a UTC timestamp to the millisecond" % (where, field))
        if "created" in obj and "modified" in obj and obj["modified"] < obj["created"]:
            problems.append("%s: modified %s before created %s" % (where, obj["modified"], obj["created"]))
        for path, ref in refs_of(obj):
            if ref in ids:
                continue
            if ref.startswith("attack-pattern--") and ref in attack_ids:
                continue
            if path == "created_by_ref" and obj["id"] in PUBLISHED:
                continue
            problems.append("%s: %s %s does not resolve in the bundle" % (where, path, ref))
        for ref in obj.get("object_marking_refs", []):
            if not ref.startswith("marking-definition--"):
                problems.append("%s: object_marking_refs names %s" % (where, ref))
    return problems, len(objects)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--schemas", required=True)
    parser.add_argument("--extension-schema", required=True)
    parser.add_argument("--attack-table", required=True)
    parser.add_argument("bundles", nargs="+")
    args = parser.parse_args()
    store, extension = load_schemas(args.schemas, args.extension_schema)
    with open(args.attack_table) as f:
        attack_ids = set(re.findall(r"attack-pattern--[0-9a-f-]{36}", f.read()))
    cache, problems, count = {}, [], 0
    for path in args.bundles:
        with open(path) as f:
            bundle = json.load(f)
        found, n = check_bundle(bundle, store, extension, attack_ids, cache)
        problems += ["%s: %s" % (path, p) for p in found]
        count += n
    for problem in problems:
        print(problem)
    if problems:
        print("%d problems in %d objects" % (len(problems), count))
        return 1
    if count == 0:
        print("no objects to check")
        return 1
    print("%d objects valid" % count)
    return 0


if __name__ == "__main__":
    sys.exit(main())
