#!/usr/bin/env python3
"""The yardstick of `cargo bench --bench check`: Python's json.load of the same model.

    python3 benches/json_yardstick.py SPEC.org RUNS

The spec (as `orgspec generate` writes it) is written as JSON, one object per item with its
keyword, id, and, where written, title, lifecycle, doc comments, and every field (a value as written; a list of values
where the field has several; `{"old": …, "new": …}` for a transition), beside the spec.
Then json.load reads it RUNS times, each in a fresh interpreter, and the medians are
printed: `JSON_MB LOAD_SECONDS PEAK_MIB` (the peak of the interpreter that loaded it).
"""

import json
import re
import statistics
import subprocess
import sys

ITEM = re.compile(r'^(new |deleted )?([a-z_]+)\s+([A-Za-z_][\w]*)?\s*("(?:[^"\\]|\\.)*")?\s*(.*)$')


def value(text):
    text = text.strip()
    if " -> " in text:
        old, new = text.split(" -> ", 1)
        return {"old": value(old), "new": value(new)}
    parts = [p.strip() for p in text.split(",")]
    return parts if len(parts) > 1 else text


def field(line):
    name, _, rest = line.strip().partition(" ")
    return name, value(rest)


def model(text):
    items, docs, current = [], [], None
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("//") and not stripped.startswith("///"):
            continue
        if stripped.startswith("///"):
            docs.append(stripped[3:].strip())
            continue
        if current is not None:
            if stripped == "}":
                items.append(current)
                current = None
            else:
                name, v = field(stripped)
                current["fields"][name] = v
            continue
        m = ITEM.match(stripped)
        if not m:
            continue
        lifecycle, keyword, ident, title, rest = m.groups()
        item = {"item": keyword, "id": ident, "fields": {}}
        if title:
            item["title"] = json.loads(title)
        if lifecycle:
            item["lifecycle"] = lifecycle.strip()
        if docs:
            item["docs"] = docs
        docs = []
        if rest.endswith("{"):
            current = item
        elif rest.startswith("{") and rest.endswith("}"):
            for part in rest[1:-1].split(";"):
                if part.strip():
                    name, v = field(part)
                    item["fields"][name] = v
            items.append(item)
        else:
            item["fields"]["value"] = value(rest) if rest else None
            items.append(item)
    return {"items": items}


LOAD = """
import json, resource, sys, time
t = time.perf_counter()
with open(sys.argv[1], "rb") as f:
    json.load(f)
took = time.perf_counter() - t
print(took, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def main():
    spec, runs = sys.argv[1], int(sys.argv[2])
    with open(spec, encoding="utf-8") as f:
        data = model(f.read())
    out = spec + ".json"
    with open(out, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False)
    size = len(open(out, "rb").read()) / 1e6
    times, peaks = [], []
    for _ in range(runs):
        took, peak = subprocess.run([sys.executable, "-c", LOAD, out], check=True,
                                    capture_output=True, text=True).stdout.split()
        times.append(float(took))
        peaks.append(float(peak))
    print(f"{size:.1f} {statistics.median(times):.3f} {statistics.median(peaks):.0f}")


if __name__ == "__main__":
    main()
