#!/usr/bin/env python3
"""Builds tests/data/vulns/labelled_pairs.jsonl: (asset, advisory product branch, label) rows
from the CSAF product trees of ../shared/datasets/csaf-ics-2023 and csaf-ics-2024.

The labels do not come from vulns/ (the code under test). They come from:
  - a separate, deliberately narrow rule: only ranges whose bounds are plain dotted numbers
    (optionally "V"-prefixed), at most one lower and one upper bound; the label is Python's
    comparison of zero-padded integer tuples;
  - neighbours: the bound itself and the bound's last number +/- 1, labelled by that rule;
  - other products of the same vendor and other vendors (always no match), product names
    compared by a different rule (letters and digits only);
  - vendor spelling groups and tricky version forms written by hand (HAND_* below).
Deterministic: python3 tests/data/vulns/make_labels.py [shared_dir] > labelled_pairs.jsonl
"""
import glob
import json
import random
import re
import sys

SHARED = sys.argv[1] if len(sys.argv) > 1 else '../shared'

# Vendor spellings of one vendor, grouped by hand from the data's 210 spellings.
HAND_VENDOR_GROUPS = [
    ['Mitsubishi Electric', ' Mitsubishi Electric', 'Mitsubishi Electric ',
     'Mitsubishi Electric Corporation'],
    ['Johnson Controls', 'Johnson Controls Inc.', 'Johnson Controls, Inc.'],
    ['Hitachi Energy', ' Hitachi Energy', 'Hitachi Energy '],
    ['Schneider Electric', 'Schneider Electric ', ' Schneider Electric'],
    ['Rockwell Automation', 'Rockwell Automation '],
    ['Honeywell', 'Honeywell '],
    ['Franklin Fueling Systems', 'Franklin Fueling System', 'Franklin Fueling System '],
    ['Sensormatic Electronics', 'Sensormatic Electronics, a subsidiary of Johnson Controls, Inc.',
     'Sensormatic Electronics, LLC, an affiliate of Johnson Controls Inc.'],
    ['HMS Networks', 'HMS Industrial Networks'],
    ['mySCADA', 'mySCADA Technologies'],
    ['Dover Fueling Solutions', 'Dover Fueling Solutions (DFS)'],
    ['ControlByWeb', 'Control By Web'],
]

# Tricky forms labelled by hand: (range expression as in the data, asset version, label).
HAND_FORMS = [
    ('vers:all/<V17 Update 6', 'V17 Update 5', 'match'),
    ('vers:all/<V17 Update 6', 'V17 Update 6', 'no_match'),
    ('vers:all/<V17 Update 6', 'V16', 'match'),
    ('vers:all/>=V7.80<V9.40', 'V9.30', 'match'),
    ('vers:all/>=V7.80<V9.40', 'V9.40', 'no_match'),
    ('vers:all/>=V7.80<V9.40', 'V7.70', 'no_match'),
    ('vers:all/<V22R2', 'V22R1', 'match'),
    ('vers:all/<V18.0 UPD 1 SR 1', 'V18.0', 'match'),
    ('< V6.0 SP9 Upd4', 'V6.0 SP9 Upd3', 'match'),
    ('< V6.0 SP9 Upd4', 'V6.0 SP9 Upd4', 'no_match'),
    ('< 2.1 SP2', '2.1 SP1', 'match'),
    ('< 2.1 SP2', '2.1 SP2', 'no_match'),
    ('<=2020_R2_SP1', '2020_R2', 'match'),
    ('<=2020_R2_SP1', '2020_R2_SP2', 'no_match'),
    ('<= 1.295H', '1.295H', 'match'),
    ('<= 1.295H', '1.296A', 'no_match'),
    ('>=R1.01.00|<=R1.03.00', 'R1.02.00', 'match'),
    ('>=R1.01.00|<=R1.03.00', 'R1.03.01', 'no_match'),
    ('>= V01L001 | < V01L004', 'V01L003', 'match'),
    ('>= V01L001 | < V01L004', 'V01L004', 'no_match'),
    ('<April/17/2023', '2023.4.16', 'match'),
    ('<April/17/2023', '2023.4.17', 'no_match'),
    ('< 6.9.2 CU01', '6.9.1', 'match'),
    ('> 6.8.6 | < 6.9.2 CU01', '6.8.6', 'no_match'),
    ('<=A8', 'A7', 'match'),
    ('<=A8', 'A9', 'no_match'),
    ('>=1.00A|<1.05F', '1.05E', 'match'),
    ('>=1.00A|<1.05F', '1.05F', 'no_match'),
    ('<= 01.49.000', '1.49', 'match'),
    ('<= 01.49.000', '01.50.000', 'no_match'),
    ('>= 6.x | <= 10.x', '10.4', 'match'),
    ('>= 6.x | <= 10.x', '11.0', 'no_match'),
    # One fixed version per release line (Mitsubishi Electric's MELSEC notation).
    ('<V33.017_V34.014_V35.013_V36.011', 'V34.010', 'match'),
    ('<V33.017_V34.014_V35.013_V36.011', 'V34.014', 'no_match'),
    ('<v36.011_v35.013_v34.014', 'v35.012', 'match'),
    ('<v36.011_v35.013_v34.014', 'v36.011', 'no_match'),
    # The advisory's text: "version 2.0.0 up to and including version 2.6.2".
    ('>= 2.0.0 | 2.6.2', '2.6.2', 'match'),
    ('>= 2.0.0 | 2.6.2', '2.6.3', 'no_match'),
    ('All versions < V15.1 Update 8', 'V15.1 Update 7', 'match'),
    ('All versions < V15.1 Update 8', 'V15.1 Update 8', 'no_match'),
    # Above a conditional bound is certain; inside it is not (and is not labelled).
    ('<=A12__without_Special_Modification_Patch_BRD-C62W003-A0_installed', 'A13', 'no_match'),
    # A single-version field holding "low -high".
    ('1.265B -1.285X', '1.270A', 'match'),
    ('1.265B -1.285X', '1.290A', 'no_match'),
    # A model number as the version.
    ('A51300', 'A51300', 'match'),
    ('A51300', 'A51301', 'no_match'),
]

# Vendors that are not the branch's vendor though their names are close, by hand.
HAND_VENDOR_NEGATIVES = [
    ('Mitsubishi Electric India', 'Mitsubishi Electric'),
    ('Mitsubishi Electric', 'Mitsubishi Electric India'),
    ('General Electric', 'GE Digital'),
    ('Hitron Systems', 'Hitachi Energy'),
    ('Johnson Controls', 'Sensormatic Electronics'),
    ('Fujitsu Software', 'Fujitsu Limited'),
]

SIMPLE_BOUND = re.compile(r'^\s*(<=|>=|<|>)\s*[vV]?(\d+(?:\.\d+)*)\s*$')


def leaves():
    out = []
    for path in sorted(glob.glob(SHARED + '/datasets/csaf-ics-202[34]/*.json')):
        doc = json.load(open(path, encoding='utf-8', errors='surrogateescape'))
        name = path.rsplit('/', 1)[1]

        def walk(branch, trail, vendor, product):
            for b in branch.get('branches', []) or []:
                cat, nm = b['category'], b['name']
                t = trail + [nm]
                v = nm if cat == 'vendor' else vendor
                p = nm if cat == 'product_name' else product
                if cat in ('product_version_range', 'product_version') and v and p:
                    out.append({'file': name, 'vendor': v, 'product': p,
                                'is_range': cat == 'product_version_range', 'expression': nm,
                                'path': '/'.join(t)})
                walk(b, t, v, p)
        walk(doc.get('product_tree', {}), [], None, None)
    return out


def bounds(expression):
    """[(op, tuple)] for the narrow form, else None."""
    body = expression[len('vers:all/'):] if expression.startswith('vers:all/') else expression
    if expression.startswith('vers:all/'):
        body = re.sub(r'(?<=\d)(?=[<>])', '|', body)  # ">=V7.80<V9.40"
    parts = body.split('|')
    if not 1 <= len(parts) <= 2:
        return None
    out = []
    for part in parts:
        m = SIMPLE_BOUND.match(part)
        if not m:
            return None
        out.append((m.group(1), tuple(int(x) for x in m.group(2).split('.')), m.group(2)))
    if len(out) == 2 and not (out[0][0] in ('>', '>=') and out[1][0] in ('<', '<=')):
        return None
    return out


def cmp(a, b):
    n = max(len(a), len(b))
    a, b = a + (0,) * (n - len(a)), b + (0,) * (n - len(b))
    return (a > b) - (a < b)


def inside(version, bs):
    ok = {'<': lambda c: c < 0, '<=': lambda c: c <= 0, '>': lambda c: c > 0,
          '>=': lambda c: c >= 0}
    return all(ok[op](cmp(version, t)) for op, t, _ in bs)


def render(numbers, like):
    """numbers as dotted text, each segment as wide as the bound's (01.49 stays 01.xx)."""
    widths = [len(s) for s in like.split('.')]
    return '.'.join(str(n).zfill(widths[i] if i < len(widths) else 1)
                    for i, n in enumerate(numbers))


def neighbours(bs):
    out = set()
    for _, t, text in bs:
        out.add((t, text))
        out.add((t[:-1] + (t[-1] + 1,), text))
        if t[-1] > 0:
            out.add((t[:-1] + (t[-1] - 1,), text))
    return sorted(out)


def letters_digits(s):
    return re.sub(r'[^a-z0-9]', '', s.lower())


def row(asset_vendor, asset_product, asset_version, leaf, label, why):
    return {'asset': {'vendor': asset_vendor, 'product': asset_product, 'version': asset_version},
            'branch': {k: leaf[k] for k in ('path', 'vendor', 'product', 'is_range',
                                            'expression')},
            'label': label, 'why': why, 'source': leaf['file']}


def main():
    rng = random.Random(18)
    all_leaves = leaves()
    rows = []
    seen_expr = set()
    simple = []
    for leaf in all_leaves:
        if not leaf['is_range'] or leaf['expression'] == 'vers:all/*':
            continue
        bs = bounds(leaf['expression'])
        if bs and leaf['expression'] not in seen_expr:
            seen_expr.add(leaf['expression'])
            simple.append((leaf, bs))
    rng.shuffle(simple)
    positives = []
    for leaf, bs in simple[:110]:
        for numbers, like in neighbours(bs):
            version = render(numbers, like)
            if rng.random() < 0.3:
                version = 'V' + version
            label = 'match' if inside(numbers, bs) else 'no_match'
            rows.append(row(leaf['vendor'], leaf['product'], version, leaf, label,
                            'neighbour of a bound, labelled by integer-tuple comparison'))
            if label == 'match':
                positives.append((leaf, version))
    alls = [l for l in all_leaves if l['expression'] == 'vers:all/*']
    rng.shuffle(alls)
    for leaf in alls[:30]:
        version = rng.choice(['1.0', '2.3.4', 'V5.1', ''])
        rows.append(row(leaf['vendor'], leaf['product'], version, leaf, 'match',
                        'vers:all/* names every version'))
        positives.append((leaf, version or '1.0'))
    singles = [l for l in all_leaves if not l['is_range']
               and re.fullmatch(r'[vV]?\d+(\.\d+)+', l['expression'])]
    rng.shuffle(singles)
    for leaf in singles[:30]:
        text = leaf['expression'].lstrip('vV')
        numbers = tuple(int(x) for x in text.split('.'))
        rows.append(row(leaf['vendor'], leaf['product'], leaf['expression'], leaf, 'match',
                        'the single version itself'))
        rows.append(row(leaf['vendor'], leaf['product'],
                        render(numbers[:-1] + (numbers[-1] + 1,), text), leaf, 'no_match',
                        'the single version plus one'))
    # Same product and version, other spelling of its vendor (hand groups); case and spacing
    # of the product name do not change it.
    group_of = {name: g for g in HAND_VENDOR_GROUPS for name in g}
    spelled = [(l, v) for l, v in positives if l['vendor'] in group_of]
    rng.shuffle(spelled)
    for leaf, version in spelled[:25]:
        other = rng.choice([s for s in group_of[leaf['vendor']] if s != leaf['vendor']]
                           or [leaf['vendor']])
        product = leaf['product'].upper() if rng.random() < 0.5 else ' ' + leaf['product'] + ' '
        rows.append(row(other, product, version, leaf, 'match',
                        'another spelling of the vendor (hand-grouped); product case/spacing'))
    # Other products of the same vendor, and other vendors: a version that is inside.
    by_vendor = {}
    for l in all_leaves:
        by_vendor.setdefault(l['vendor'].strip().lower().split()[0], set()).add(l['product'])
    vendor_names = sorted({l['vendor'] for l in all_leaves})
    rng.shuffle(positives)
    for leaf, version in positives[:70]:
        key = leaf['vendor'].strip().lower().split()[0]
        own = letters_digits(leaf['product'])
        others = sorted(p for p in by_vendor[key]
                        if letters_digits(p) and own not in letters_digits(p)
                        and letters_digits(p) not in own)
        if others:
            rows.append(row(leaf['vendor'], rng.choice(others), version, leaf, 'no_match',
                            'another product of the same vendor'))
        strangers = [v for v in vendor_names if v.strip().lower().split()[0] != key]
        rows.append(row(rng.choice(strangers), leaf['product'], version, leaf, 'no_match',
                        'another vendor'))
    by_expression = {}
    for l in all_leaves:
        by_expression.setdefault(l['expression'], l)
    for expression, version, label in HAND_FORMS:
        leaf = by_expression[expression]
        rows.append(row(leaf['vendor'], leaf['product'], version, leaf, label,
                        'tricky form, labelled by hand'))
    for asset_vendor, branch_vendor in HAND_VENDOR_NEGATIVES:
        # A vers:all/* branch where there is one, so only the vendor decides.
        mine = [l for l in all_leaves if l['vendor'] == branch_vendor]
        leaf = next((l for l in mine if l['expression'] == 'vers:all/*'), mine[0])
        rows.append(row(asset_vendor, leaf['product'], '1.0', leaf, 'no_match',
                        'a close but other vendor, by hand'))
    for r in rows:
        print(json.dumps(r, ensure_ascii=False, sort_keys=True))


main()
