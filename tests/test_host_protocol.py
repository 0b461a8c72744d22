"""Issue 6.2: protocol abuse against the real `tsuribari host` subprocess.

Every test reads the host's whole stdout as frames: it must split exactly into
length-prefixed UTF-8 JSON objects of at most 1 MiB (anything else would be a
stray print corrupting Thunderbird's stream), and the host must exit 0 on EOF.
"""
from __future__ import annotations

import base64
import json
import os
import queue
import struct
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "tests" / "fixtures" / "mail" / "kagoya-active-mail.eml"
MIB = 1024 * 1024
MAX_REQUEST = 96 * MIB     # host.MAX_REQUEST; restated so a silent change is noticed


def frame(payload: bytes) -> bytes:
    return struct.pack("=I", len(payload)) + payload


def req(obj) -> bytes:
    return frame(json.dumps(obj).encode())


class Host:
    def __init__(self, tmp_path: Path):
        cfg = tmp_path / "offline.toml"
        cfg.write_text("[network]\nenabled = false\n")
        home = tmp_path / "home"
        home.mkdir()
        env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home / "config"),
               "XDG_CACHE_HOME": str(home / "cache"), "XDG_DATA_HOME": str(home / "data")}
        self.proc = subprocess.Popen([sys.executable, "-m", "tsuribari", "host", "--config", str(cfg)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     env=env, cwd=tmp_path)
        self.frames: queue.Queue = queue.Queue()
        self.stray: list[bytes] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        threading.Thread(target=self.proc.stderr.read, daemon=True).start()   # keep stderr drained

    def _read(self) -> None:
        out = self.proc.stdout
        while True:
            head = out.read(4)
            if not head:
                break
            if len(head) < 4:
                self.stray.append(head)
                break
            (n,) = struct.unpack("=I", head)
            body = out.read(n) if n <= MIB else head + out.read()
            if n > MIB or len(body) < n:
                self.stray.append(head + body)
                break
            try:
                self.frames.put(json.loads(body.decode("utf-8")))
            except ValueError:
                self.stray.append(body)
                break
        self.frames.put(None)

    def send(self, data: bytes) -> None:
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def receive(self, timeout: float = 60) -> dict:
        reply = self.frames.get(timeout=timeout)
        assert reply is not None, f"host closed its output; stray bytes: {self.stray!r:.300}"
        return reply

    def close(self, timeout: float = 60) -> int:
        try:
            self.proc.stdin.close()
        except BrokenPipeError:
            pass
        code = self.proc.wait(timeout=timeout)
        self.reader.join(timeout)
        assert not self.stray, f"non-frame bytes on stdout: {self.stray!r:.300}"
        leftover = []
        while not self.frames.empty():
            item = self.frames.get()
            if item is not None:
                leftover.append(item)
        assert not leftover, f"unexpected extra replies: {leftover!r:.500}"
        return code

    def peak_rss_mb(self) -> float:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return 0.0


@pytest.fixture
def host(tmp_path):
    h = Host(tmp_path)
    yield h
    if h.proc.poll() is None:
        h.proc.kill()
        h.proc.wait()


def ping(host: Host, rid) -> None:
    host.send(req({"id": rid, "type": "ping"}))
    reply = host.receive()
    assert reply["id"] == rid and reply["ok"] and reply["result"]["version"]


def analyze_req(rid, raw: bytes, **options) -> bytes:
    return req({"id": rid, "type": "analyze", "raw_b64": base64.b64encode(raw).decode(),
                "options": {"offline": True, "lang": "en", **options}})


@pytest.mark.timeout(60)
def test_clean_exit_on_eof_with_nothing_sent(host):
    assert host.close() == 0


@pytest.mark.timeout(60)
def test_zero_length_frame_gets_an_error_and_the_host_goes_on(host):
    host.send(struct.pack("=I", 0))
    assert host.receive()["error"]["code"] == "empty_frame"
    ping(host, 1)
    assert host.close() == 0


@pytest.mark.timeout(60)
@pytest.mark.parametrize("length", [2**31, 2**31 + 5, 2**32 - 1], ids=["2^31", "negative-as-int32", "4GB"])
def test_huge_length_prefix_is_refused_without_reading_it(host, length):
    host.send(struct.pack("=I", length) + b'{"id":1,')
    reply = host.receive(timeout=20)     # answered at once: nothing of the 2-4 GB is buffered
    assert reply["ok"] is False and reply["error"]["code"] == "frame_too_large"
    assert host.peak_rss_mb() < 200
    assert host.close() == 0


@pytest.mark.timeout(120)
def test_oversized_frame_is_skipped_and_the_next_request_served(host):
    host.send(struct.pack("=I", MAX_REQUEST + 1))
    assert host.receive()["error"]["code"] == "frame_too_large"
    chunk = b"x" * MIB
    for _ in range(96):
        host.send(chunk)
    host.send(b"x")
    ping(host, "after-skip")
    assert host.close() == 0


@pytest.mark.timeout(60)
def test_length_larger_than_the_data_then_eof_exits_cleanly(host):
    host.send(struct.pack("=I", 1000) + b'{"id":1,"type":"ping"}')
    assert host.close() == 0


@pytest.mark.timeout(60)
@pytest.mark.parametrize("cut", [1, 3, 4, 10], ids=["in-prefix-1", "in-prefix-3", "after-prefix", "in-payload"])
def test_stdin_closed_mid_frame_after_good_requests(host, cut):
    ping(host, 1)
    host.send(req({"id": 2, "type": "ping"})[:cut])
    assert host.close() == 0


@pytest.mark.timeout(60)
@pytest.mark.parametrize("payload,code", [
    (b"{not json", "bad_json"),
    (b"\xff\xfe\x00{}", "bad_json"),
    (b'{"id": NaN, "type": "ping"}', "bad_json"),
    (b"[" * 100_000, "bad_json"),
    (b"[1, 2]", "bad_request"),
    (b'"ping"', "bad_request"),
    (b"null", "bad_request"),
    (b"{}", "unknown_type"),
    (b'{"id": 5, "type": "shutdown"}', "unknown_type"),
    (b'{"id": 5, "type": ["analyze"]}', "unknown_type"),
    (b'{"id": 5, "type": "analyze"}', "bad_request"),
    (b'{"id": 5, "type": "analyze", "raw_b64": 12}', "bad_request"),
    (b'{"id": 5, "type": "analyze", "raw_b64": ""}', "bad_request"),
    (b'{"id": 5, "type": "analyze", "raw_b64": "%%% not base64 %%%"}', "bad_base64"),
    (b'{"id": 5, "type": "analyze", "raw_b64": "QUJD\\u0000"}', "bad_base64"),
], ids=["truncated-json", "invalid-utf8", "nan", "deep-nesting", "array", "string", "null", "empty-object",
        "unknown-type", "type-wrong-type", "missing-raw", "raw-wrong-type", "raw-empty", "not-base64", "base64-with-nul"])
def test_bad_requests_get_error_replies_and_the_host_goes_on(host, payload, code):
    host.send(frame(payload))
    reply = host.receive()
    assert reply["ok"] is False and reply["error"]["code"] == code, reply
    assert isinstance(reply["error"]["message"], str) and len(reply["error"]["message"]) <= 500
    ping(host, "next")
    assert host.close() == 0


@pytest.mark.timeout(60)
def test_ids_are_echoed_only_when_safe(host):
    for rid, echoed in ((7, 7), ("abc", "abc"), ({"a": 1}, None), ([1], None), ("x" * 2_000_000, None), (2**80, None)):
        host.send(req({"id": rid, "type": "ping"}))
        assert host.receive()["id"] == echoed
    assert host.close() == 0


@pytest.mark.timeout(60)
def test_wrong_typed_options_are_ignored_not_fatal(host):
    raw = SEED.read_bytes()
    for i, options in enumerate(("en", [1], {"lang": 5, "offline": True, "markdown": "yes", "thresholds": "x",
                                            "trusted_domains": [1, None, "a.example"], "reputation": []})):
        # Options that cannot say "offline" fall back to the host's config, which is offline here.
        host.send(req({"id": i, "type": "analyze", "raw_b64": base64.b64encode(raw).decode(), "options": options}))
        reply = host.receive()
        assert reply["id"] == i and reply["ok"] and reply["result"]["verdict"] == "phishing", reply
    assert host.close() == 0


@pytest.mark.timeout(120)
def test_pipelined_requests_are_answered_in_order(host):
    raw = SEED.read_bytes()
    burst = b"".join([analyze_req(1, raw), req({"id": 2, "type": "ping"}), frame(b"{oops"),
                      analyze_req(3, b"\x00\xff garbage"), struct.pack("=I", 0), analyze_req(4, raw, markdown=True)])
    host.send(burst)
    replies = [host.receive() for _ in range(6)]
    assert [(r["id"], r["ok"]) for r in replies] == [(1, True), (2, True), (None, False), (3, True), (None, False), (4, True)]
    assert replies[0]["result"]["verdict"] == "phishing" and "markdown" in replies[5]["result"]
    assert host.close() == 0


@pytest.mark.timeout(300)
def test_60_mb_message_is_analysed_with_the_cut_reported(host):
    raw = (b"From: a@b.example\r\nSubject: big\r\nContent-Type: text/plain\r\n\r\nhttp://big.example/\r\n"
           + b"0123456789abcdef" * (60 * MIB // 16))
    host.send(analyze_req("big", raw))
    reply = host.receive(timeout=240)
    assert reply["id"] == "big" and reply["ok"], reply
    assert any("message larger" in cut for cut in reply["result"]["facts"]["limits_hit"])
    rss = host.peak_rss_mb()
    print(f"60 MB message: host peak RSS {rss:.0f} MB")
    assert rss < 1500
    ping(host, "after-big")
    assert host.close() == 0


@pytest.mark.timeout(120)
def test_a_result_far_over_1_mib_is_trimmed_not_truncated(host):
    links = "".join(f"<a href='http://h{i}.example/{'p' * 900}?{'q' * 1900}'>{'t' * 400}</a>" for i in range(2500))
    raw = ("From: a@b.example\r\nContent-Type: text/html\r\n\r\n" + links).encode()
    host.send(analyze_req(1, raw, markdown=True))
    reply = host.receive()     # the reader already checked: one frame, ≤ 1 MiB, valid JSON
    assert reply["ok"] and reply["result"]["verdict"] in ("safe", "suspicious", "phishing")
    assert any(cut.startswith("reply:") for cut in reply["result"]["facts"]["limits_hit"])
    assert host.close() == 0


# --- in-process: any JSON value as a request ------------------------------------------------

from hypothesis import given, settings, strategies as st  # noqa: E402

JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
                    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=10), inner, max_size=5),
                    max_leaves=20)
FIELDS = st.fixed_dictionaries({}, optional={
    "id": JSON, "type": st.sampled_from(["analyze", "ping", "Analyze", ""]) | JSON,
    "raw_b64": st.binary(max_size=300).map(lambda b: base64.b64encode(b).decode()) | JSON,
    "options": st.dictionaries(st.sampled_from(["lang", "markdown", "network", "thresholds", "trusted_domains",
                                                "reputation", "x"]), JSON, max_size=4) | JSON})


@pytest.fixture(scope="module")
def inproc_host(tmp_path_factory):
    from tsuribari.host import Host as InProcessHost
    cfg = tmp_path_factory.mktemp("cfg") / "offline.toml"
    cfg.write_text("[network]\nenabled = false\n")
    return InProcessHost(str(cfg))


@pytest.mark.timeout(300)
@settings(max_examples=300, deadline=None)
@given(request=FIELDS)
def test_any_request_shape_gets_one_valid_reply(inproc_host, request):
    if isinstance(request.get("options"), dict):
        request["options"]["offline"] = True     # tests never leave 127.0.0.0/8
    reply = inproc_host.handle(json.dumps(request).encode())
    assert isinstance(reply["ok"], bool) and ("result" in reply) == reply["ok"]
    if not reply["ok"]:
        assert reply["error"]["code"] and isinstance(reply["error"]["message"], str)
    assert len(json.dumps(reply, ensure_ascii=False, allow_nan=False).encode()) <= MIB
