"""A compact, memory-mapped IP-range → (ASN, organisation) table.

npm no longer carries an ASN database as .mmdb, only as CSV
(`@ip-location-db/asn`: RouteViews + the five RIRs via the NRO + DB-IP
Lite, CC BY 4.0). Parsing 40 MB of CSV at every start would cost a second
and converting it into a real .mmdb with the pure-Python writers on PyPI
takes over ten minutes, so `make geoip` converts it once (a few seconds)
into this file, which is read with zero start-up cost: lookups bisect
straight over the mapped bytes.

Layout (all integers little-endian):
    8 bytes   magic b"TSRASN01"
    4 × u32   n4, n6, norgs, orgs_len
    n4 × u32  IPv4 range starts, n4 × u32 ends, n4 × u32 org index
    n6 × 16B  IPv6 range starts (big-endian), n6 × 16B ends, n6 × u32 org index
    orgs_len  norgs × u32 ASN, (norgs + 1) × u32 name offsets, UTF-8 names
Ranges are sorted, inclusive and non-overlapping.

Build: python -m tsuribari.intel.asn_ranges OUT asn-ipv4.csv [asn-ipv6.csv ...]
"""
from __future__ import annotations

import bisect
import csv
import ipaddress
import mmap
import os
import struct
import sys
from dataclasses import dataclass
from typing import Sequence

MAGIC = b"TSRASN01"
_HEAD = struct.Struct("<8s4I")


class _U32Seq:
    """Sequence view of packed u32s, so bisect runs on the mapping itself."""

    def __init__(self, buf: memoryview, offset: int, count: int) -> None:
        self._buf, self._off, self._n = buf, offset, count

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, i: int) -> int:
        if not 0 <= i < self._n:
            raise IndexError(i)
        return int.from_bytes(self._buf[self._off + 4 * i:self._off + 4 * i + 4], "little")


class _U128Seq(_U32Seq):
    def __getitem__(self, i: int) -> int:
        if not 0 <= i < self._n:
            raise IndexError(i)
        return int.from_bytes(self._buf[self._off + 16 * i:self._off + 16 * i + 16], "big")


def _u32s(buf: memoryview, offset: int, count: int):
    """The packed u32s as a sequence: a memoryview cast on a little-endian machine (bisect then
    reads it in C: a Python __getitem__ per probe cost ~10 µs per lookup), else _U32Seq."""
    if sys.byteorder == "little" and struct.calcsize("I") == 4:
        return buf[offset:offset + 4 * count].cast("I")
    return _U32Seq(buf, offset, count)


@dataclass
class _Table:
    starts: Sequence[int]
    ends: Sequence[int]
    index: Sequence[int]


class AsnRanges:
    """Read-only lookup; raises ValueError on a file that is not this format."""

    def __init__(self, path: str) -> None:
        with open(path, "rb") as fh:
            self._map = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        try:
            self._load()
        except Exception:
            try:
                self._map.close()
            except BufferError:
                pass  # views made during the failed load pin it; it goes with them
            raise

    def _load(self) -> None:
        buf = memoryview(self._map)
        if len(buf) < _HEAD.size:
            raise ValueError("file too short")
        magic, n4, n6, norgs, orgs_len = _HEAD.unpack_from(buf, 0)
        if magic != MAGIC:
            raise ValueError("not an ASN range table (bad magic)")
        off = _HEAD.size
        need = off + n4 * 12 + n6 * 36 + orgs_len
        if need != len(buf):
            raise ValueError(f"size mismatch: header says {need} bytes, file has {len(buf)}")
        self._v4 = _Table(_u32s(buf, off, n4), _u32s(buf, off + 4 * n4, n4), _u32s(buf, off + 8 * n4, n4))
        off += 12 * n4
        self._v6 = _Table(_U128Seq(buf, off, n6), _U128Seq(buf, off + 16 * n6, n6), _u32s(buf, off + 32 * n6, n6))
        off += 36 * n6
        if orgs_len < 8 * norgs + 4:
            raise ValueError("organisation section too short")
        self._asns = _u32s(buf, off, norgs)
        self._name_offs = _u32s(buf, off + 4 * norgs, norgs + 1)
        self._names = buf[off + 8 * norgs + 4:off + orgs_len]
        self._norgs = norgs

    def lookup(self, ip: str) -> tuple[int, str] | None:
        try:
            addr = ipaddress.ip_address(ip)
        except ValueError:
            return None
        if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped:
            addr = addr.ipv4_mapped
        table = self._v4 if addr.version == 4 else self._v6
        value = int(addr)
        i = bisect.bisect_right(table.starts, value) - 1
        if i < 0 or value > table.ends[i]:
            return None
        return self._org(table.index[i])

    def _org(self, k: int) -> tuple[int, str] | None:
        if not 0 <= k < self._norgs:
            return None
        a, b = self._name_offs[k], self._name_offs[k + 1]
        if not 0 <= a <= b <= len(self._names):
            return None
        return self._asns[k], bytes(self._names[a:b]).decode("utf-8", "replace")

    def close(self) -> None:
        try:
            self._map.close()
        except BufferError:
            pass  # a lookup's view still alive; the mapping goes with the process


def _read_csv(paths: list[str]) -> tuple[list[tuple[int, int, int, str]], list[tuple[int, int, int, str]]]:
    v4: list[tuple[int, int, int, str]] = []
    v6: list[tuple[int, int, int, str]] = []
    for path in paths:
        with open(path, newline="", encoding="utf-8") as fh:
            for row in csv.reader(fh):
                if len(row) < 4 or not row[2].strip().isdigit():
                    continue
                try:
                    lo, hi = ipaddress.ip_address(row[0].strip()), ipaddress.ip_address(row[1].strip())
                except ValueError:
                    continue
                if lo.version != hi.version or int(hi) < int(lo):
                    continue
                (v4 if lo.version == 4 else v6).append((int(lo), int(hi), int(row[2]), row[3].strip()))
    return v4, v6


def _normalise(rows: list[tuple[int, int, int, str]], orgs: dict[tuple[int, str], int]) -> list[tuple[int, int, int]]:
    """Sort, drop overlaps (first wins), merge adjacent ranges of the same org."""
    out: list[tuple[int, int, int]] = []
    for lo, hi, asn, org in sorted(rows):
        k = orgs.setdefault((asn, org), len(orgs))
        if out and lo <= out[-1][1]:
            continue
        if out and out[-1][2] == k and out[-1][1] + 1 == lo:
            out[-1] = (out[-1][0], hi, k)
        else:
            out.append((lo, hi, k))
    return out


def build(out_path: str, csv_paths: list[str]) -> tuple[int, int]:
    v4rows, v6rows = _read_csv(csv_paths)
    orgs: dict[tuple[int, str], int] = {}
    v4, v6 = _normalise(v4rows, orgs), _normalise(v6rows, orgs)
    org_list = sorted(orgs, key=orgs.__getitem__)
    names = [o.encode("utf-8") for _, o in org_list]
    offsets = [0]
    for n in names:
        offsets.append(offsets[-1] + len(n))
    org_bytes = (b"".join(a.to_bytes(4, "little") for a, _ in org_list)
                 + b"".join(o.to_bytes(4, "little") for o in offsets) + b"".join(names))
    parts = [_HEAD.pack(MAGIC, len(v4), len(v6), len(org_list), len(org_bytes))]
    parts += [b"".join(r[j].to_bytes(4, "little") for r in v4) for j in (0, 1, 2)]
    parts += [b"".join(r[j].to_bytes(16, "big") for r in v6) for j in (0, 1)]
    parts.append(b"".join(r[2].to_bytes(4, "little") for r in v6))
    parts.append(org_bytes)
    tmp = out_path + ".tmp"
    with open(tmp, "wb") as fh:
        fh.write(b"".join(parts))
    os.replace(tmp, out_path)  # atomic: a reader never sees a half-written table
    return len(v4), len(v6)


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    n4, n6 = build(argv[0], argv[1:])
    print(f"wrote {argv[0]}: {n4} IPv4 and {n6} IPv6 ranges")
    return 0 if n4 else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
