"""A DNS forwarder that adds a fixed latency to every answer, UDP and TCP.

Put in front of the unbound test server it makes loopback DNS behave like a
far-away resolver, so tests and `make bench` can show that lookups run
concurrently (total ≈ the slowest chain, not the sum). Run as its own process:

    python -m servers.dns_delay_proxy --listen 127.0.0.1:PORT --upstream 127.0.0.1:PORT --delay-ms 100
"""
from __future__ import annotations

import argparse
import asyncio
import struct

MAX_MESSAGE = 65535


def _hostport(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    return host, int(port)


class _Udp(asyncio.DatagramProtocol):
    def __init__(self, upstream: tuple[str, int], delay_s: float) -> None:
        self.upstream, self.delay_s = upstream, delay_s
        self.transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport) -> None:
        self.transport = transport

    def datagram_received(self, data: bytes, addr) -> None:
        asyncio.ensure_future(self._forward(data, addr))

    async def _forward(self, data: bytes, addr) -> None:
        loop = asyncio.get_running_loop()
        reply: asyncio.Future[bytes] = loop.create_future()

        class _Once(asyncio.DatagramProtocol):
            def datagram_received(self, answer: bytes, _addr) -> None:
                if not reply.done():
                    reply.set_result(answer)

        transport, _ = await loop.create_datagram_endpoint(_Once, remote_addr=self.upstream)
        try:
            transport.sendto(data)
            # Upstream silence (the "timeout" names) stays silence: no reply is sent.
            answer = await asyncio.wait_for(reply, timeout=10)
        except asyncio.TimeoutError:
            return
        finally:
            transport.close()
        await asyncio.sleep(self.delay_s)
        if self.transport is not None:
            self.transport.sendto(answer, addr)


async def _tcp(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, upstream: tuple[str, int],
               delay_s: float) -> None:
    try:
        size = struct.unpack("!H", await reader.readexactly(2))[0]
        query = await reader.readexactly(size)
        up_r, up_w = await asyncio.open_connection(*upstream)
        up_w.write(struct.pack("!H", len(query)) + query)
        await up_w.drain()
        n = struct.unpack("!H", await up_r.readexactly(2))[0]
        answer = await up_r.readexactly(min(n, MAX_MESSAGE))
        up_w.close()
        await asyncio.sleep(delay_s)
        writer.write(struct.pack("!H", len(answer)) + answer)
        await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError, OSError):
        pass
    finally:
        writer.close()


async def serve(listen: tuple[str, int], upstream: tuple[str, int], delay_s: float) -> None:
    loop = asyncio.get_running_loop()
    await loop.create_datagram_endpoint(lambda: _Udp(upstream, delay_s), local_addr=listen)
    server = await asyncio.start_server(lambda r, w: _tcp(r, w, upstream, delay_s), *listen)
    print("ready", flush=True)
    async with server:
        await server.serve_forever()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--listen", required=True)
    ap.add_argument("--upstream", required=True)
    ap.add_argument("--delay-ms", type=float, default=100.0)
    args = ap.parse_args()
    try:
        asyncio.run(serve(_hostport(args.listen), _hostport(args.upstream), args.delay_ms / 1000.0))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
