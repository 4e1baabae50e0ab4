#!/usr/bin/env python3
"""simctl.py: small client of fdesk-sim for the outbox integration tests.

    simctl.py count PORT TICKET TEXT     conversations of TICKET whose text holds TEXT
    simctl.py convs PORT TICKET TEXT     those conversations as JSON lines
    simctl.py posts PORT KIND [TICKET]   write bodies the simulator received (GET /__sim/posts)
    simctl.py faults PORT JSON           POST /__sim/faults with JSON
    simctl.py ticket PORT ID             the ticket as JSON
It talks to 127.0.0.1 only and uses the simulator's default key."""
import base64
import json
import sys
import urllib.request

KEY = "sim-api-key"


def call(port, path, method="GET", body=None, auth=True):
    req = urllib.request.Request("http://127.0.0.1:%s%s" % (port, path), method=method)
    if auth:
        token = base64.b64encode((KEY + ":X").encode()).decode()
        req.add_header("Authorization", "Basic " + token)
    if body is not None:
        req.add_header("Content-Type", "application/json")
        req.data = body.encode()
    with urllib.request.urlopen(req, timeout=20) as resp:
        data = resp.read()
        return json.loads(data) if data else None


def conversations(port, ticket):
    out, page = [], 1
    while True:
        chunk = call(port, "/api/v2/tickets/%s/conversations?per_page=100&page=%d" % (ticket, page))
        out.extend(chunk)
        if len(chunk) < 100:
            return out
        page += 1


def matching(port, ticket, text):
    return [c for c in conversations(port, ticket)
            if text in (c.get("body_text") or "") or text in (c.get("body") or "")]


def posts(port, kind, ticket=None):
    data = call(port, "/__sim/posts", auth=False)
    items = data.get("posts", data) if isinstance(data, dict) else data
    found = []
    for p in items:
        if p.get("kind") != kind:
            continue
        if ticket is not None and str(p.get("ticket_id")) != str(ticket):
            continue
        found.append(p)
    return found


def main(argv):
    cmd, port = argv[1], argv[2]
    if cmd == "count":
        print(len(matching(port, argv[3], argv[4])))
    elif cmd == "convs":
        for c in matching(port, argv[3], argv[4]):
            print(json.dumps(c, ensure_ascii=False))
    elif cmd == "posts":
        for p in posts(port, argv[3], argv[4] if len(argv) > 4 else None):
            print(json.dumps(p, ensure_ascii=False))
    elif cmd == "faults":
        call(port, "/__sim/faults", "POST", argv[3], auth=False)
    elif cmd == "ticket":
        print(json.dumps(call(port, "/api/v2/tickets/%s" % argv[3]), ensure_ascii=False))
    else:
        sys.exit("unknown command " + cmd)


if __name__ == "__main__":
    main(sys.argv)
