#!/usr/bin/env python3
"""A stand-in native host for protocol tests: echoes requests, and can be
told to answer late, out of order or to die, which the real host must never
be asked to do on purpose."""
import json
import struct
import sys
import threading
import time

out_lock = threading.Lock()


def send(obj):
    data = json.dumps(obj).encode()
    with out_lock:
        sys.stdout.buffer.write(struct.pack("@I", len(data)) + data)
        sys.stdout.buffer.flush()


def handle(msg):
    kind = msg.get("type")
    if kind == "sleep":
        time.sleep(msg.get("s", 0.1))
    if kind == "crash":
        sys.stdout.buffer.flush()
        import os
        os._exit(3)
    if kind == "fail":
        return send({"id": msg["id"], "ok": False, "error": {"code": "bad_request", "message": "told to fail"}})
    send({"id": msg["id"], "ok": True, "result": {"echo": msg, "pid": __import__("os").getpid()}})


while True:
    head = sys.stdin.buffer.read(4)
    if len(head) < 4:
        break
    (n,) = struct.unpack("@I", head)
    msg = json.loads(sys.stdin.buffer.read(n))
    threading.Thread(target=handle, args=(msg,), daemon=True).start()
