#!/usr/bin/env python3
"""blackhole.py: a TCP listener on 127.0.0.1 that accepts connections and
never answers, so a client's request is sent but never processed. Prints
"listening on http://127.0.0.1:PORT" and runs until killed."""
import socket
import sys
import time

port = int(sys.argv[1]) if len(sys.argv) > 1 else 0
srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", port))
srv.listen(16)
print("listening on http://127.0.0.1:%d" % srv.getsockname()[1], flush=True)
held = []
while True:
    conn, _ = srv.accept()
    held.append(conn)  # keep it open, read nothing
