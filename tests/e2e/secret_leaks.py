#!/usr/bin/env python3
"""Fails when a secret value shows up where nobody may read it.

Usage: secret_leaks.py SECRETS_JSON TEXT_FILE...

SECRETS_JSON is `kubectl get secrets -A -o json`. The secret values taken from it: every data key that
names a credential (password, dsn, uri, a private key, a token, a cipher), decoded. Certificates
(`*.crt`, `ca*`) and short values (user names, ports) are public and left out. A PEM private key is
looked for line by line (each 64-character line of its body), so a key logged in pieces or re-wrapped
is still found; a DSN or URI also by the password inside it.

TEXT_FILEs are what the operator and the cluster wrote during a test: the operator's log, the events
and the statuses of every kind. Prints one line per hit (where, which Secret and key, never the value)
and exits 1 on any hit, 0 otherwise.
"""
import base64
import json
import re
import sys
from urllib.parse import urlparse, unquote

CREDENTIAL_KEY = re.compile(r"(password|passwd|dsn|uri|\.key$|^key$|token|cipher)", re.I)
PUBLIC_KEY = re.compile(r"(\.crt$|^ca($|[.-])|\.pem$|^user(name)?$|^host$|^port$|^database$)", re.I)
MIN_LEN = 8


def needles_of(value: str):
    """The strings whose appearance would reveal this secret value."""
    if "PRIVATE KEY-----" in value:
        body = [l.strip() for l in value.splitlines() if l.strip() and not l.startswith("-----")]
        return {l for l in body if len(l) >= 32}
    found = {value.strip()} if len(value.strip()) >= MIN_LEN else set()
    for m in re.finditer(r"password=([^\s&]+)", value):
        found.add(unquote(m.group(1)))
    if "://" in value:
        try:
            pw = urlparse(value.strip()).password
            if pw:
                found.add(unquote(pw))
        except ValueError:
            pass
    return {n for n in found if len(n) >= MIN_LEN}


def secret_needles(secrets_json: dict):
    out = []
    for item in secrets_json.get("items", []):
        meta = item.get("metadata", {})
        if item.get("type") == "kubernetes.io/service-account-token":
            continue  # the control plane's own tokens; tests print no such thing
        where = f"{meta.get('namespace')}/{meta.get('name')}"
        for key, b64 in (item.get("data") or {}).items():
            if not CREDENTIAL_KEY.search(key) or PUBLIC_KEY.search(key):
                continue
            try:
                value = base64.b64decode(b64).decode("utf-8", "replace")
            except (ValueError, TypeError):
                continue
            for needle in needles_of(value):
                out.append((where, key, needle))
    return out


def main(argv):
    if len(argv) < 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        needles = secret_needles(json.load(f))
    hits = 0
    for path in argv[2:]:
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
        for where, key, needle in needles:
            if needle in text:
                hits += 1
                line = text[: text.index(needle)].count("\n") + 1
                print(f"LEAK: {path}:{line} holds the value of Secret {where} key {key}")
    print(f"secret values checked: {len(needles)} from {len({(w, k) for w, k, _ in needles})} keys, "
          f"in {len(argv) - 2} files; {hits} hits")
    return 1 if hits else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
