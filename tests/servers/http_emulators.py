"""HTTP emulators for the lookup services, served by aiohttp on 127.0.0.1.

One process serves every service under its own prefix, shaped like the real
answers (Verisign and registrar RDAP for domains, ARIN RDAP for IPs, Google
Safe Browsing v4, URLhaus v1, the PhishTank and OpenPhish feeds):

    /rdap/domain/<name>            registry (thin, Verisign-like)
    /registrar-rdap/domain/<name>  registrar (thick: registrant, privacy proxy)
    /rdap/ip/<ip>, /rdap/entity/<handle>   ARIN-like, as ipwhois asks them
    /v4/threatMatches:find         Safe Browsing Lookup API (POST, ?key=)
    /urlhaus/v1/host/, /urlhaus/v1/url/    URLhaus (POST form, Auth-Key header)
    /feeds/phishtank.json, /feeds/openphish.txt
    /fault/<mode>/<anything>       429 | 500 | malformed | huge | deep | drip | hang | wrongtypes
    /_stats  (GET: requests per path; DELETE: reset)

Every request is counted, so tests can prove that a warm run sent none.
Run: python tests/servers/http_emulators.py [--port N] [--delay-ms MS]; prints "READY <port>".
"""
from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import sys
from collections import Counter

from aiohttp import web

SB_KEY = "test-sb-key"
URLHAUS_KEY = "test-urlhaus-key"
SGOGOJ_AGE_DAYS = 9
LISTED_HOSTS = {"sgogoj.com"}                    # Safe Browsing: SOCIAL_ENGINEERING
URLHAUS_HOSTS = {"malware-drop.example.com"}     # URLhaus lists this one, not sgogoj.com
PHISH_FEED_URLS = ["http://sgogoj.com/kagoya/activemail.kagoya", "http://phish-feed.example.net/login"]


def _iso(days_ago: float) -> str:
    t = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=days_ago)
    return t.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _vcard(fn: str, *, org: str = "", email: str = "", tel: str = "", kind: str = "org",
           country: str = "", adr_label: str = "") -> list:
    props: list = [["version", {}, "text", "4.0"], ["fn", {}, "text", fn], ["kind", {}, "text", kind]]
    if org:
        props.append(["org", {}, "text", org])
    if adr_label or country:
        props.append(["adr", {"label": adr_label} if adr_label else {}, "text",
                      ["", "", "", "", "", "", country]])
    if email:
        props.append(["email", {}, "text", email])
    if tel:
        props.append(["tel", {"type": "voice"}, "uri", f"tel:{tel}"])
    return ["vcard", props]


def _notices() -> list:
    return [{"title": "Terms of Use", "description": ["Service subject to Terms of Use."],
             "links": [{"href": "https://www.verisign.com/domain-names/registration-data-access-protocol/terms-service/index.xhtml", "type": "text/html"}]}]


def registry_domain(name: str, base: str) -> dict | None:
    if name == "sgogoj.com":
        return {
            "objectClassName": "domain", "handle": "2851234567_DOMAIN_COM-VRSN", "ldhName": "SGOGOJ.COM",
            "links": [
                {"value": f"{base}/rdap/domain/SGOGOJ.COM", "rel": "self", "href": f"{base}/rdap/domain/SGOGOJ.COM", "type": "application/rdap+json"},
                {"value": f"{base}/registrar-rdap/domain/SGOGOJ.COM", "rel": "related", "href": f"{base}/registrar-rdap/domain/SGOGOJ.COM", "type": "application/rdap+json"},
            ],
            "status": ["client delete prohibited", "client renew prohibited", "client transfer prohibited", "client update prohibited"],
            "entities": [{
                "objectClassName": "entity", "handle": "146", "roles": ["registrar"],
                "publicIds": [{"type": "IANA Registrar ID", "identifier": "146"}],
                "vcardArray": _vcard("GoDaddy.com, LLC"),
                "entities": [{"objectClassName": "entity", "roles": ["abuse"],
                              "vcardArray": _vcard("", kind="individual", email="abuse@godaddy.com", tel="+1.4806242505")}],
            }],
            "events": [
                {"eventAction": "registration", "eventDate": _iso(SGOGOJ_AGE_DAYS)},
                {"eventAction": "expiration", "eventDate": _iso(SGOGOJ_AGE_DAYS - 365)},
                {"eventAction": "last changed", "eventDate": _iso(SGOGOJ_AGE_DAYS - 1)},
                {"eventAction": "last update of RDAP database", "eventDate": _iso(0)},
            ],
            "secureDNS": {"delegationSigned": False},
            "nameservers": [{"objectClassName": "nameserver", "ldhName": "NS1.SGOGOJ.COM"},
                            {"objectClassName": "nameserver", "ldhName": "NS2.SGOGOJ.COM"}],
            "rdapConformance": ["rdap_level_0", "icann_rdap_technical_implementation_guide_0", "icann_rdap_response_profile_0"],
            "notices": _notices(),
        }
    if name == "old-bank.com":
        return {
            "objectClassName": "domain", "ldhName": "OLD-BANK.COM", "status": ["client transfer prohibited"],
            "entities": [{"objectClassName": "entity", "roles": ["registrar"], "vcardArray": _vcard("MarkMonitor Inc."),
                          "publicIds": [{"type": "IANA Registrar ID", "identifier": "292"}]},
                         {"objectClassName": "entity", "roles": ["registrant"],
                          "vcardArray": _vcard("Old Bank Holdings", org="Old Bank Holdings", country="US")}],
            "events": [{"eventAction": "registration", "eventDate": "1997-03-14T05:00:00Z"}],
            "nameservers": [{"objectClassName": "nameserver", "ldhName": "NS1.MARKMONITOR.COM"}],
        }
    return None


def registrar_domain(name: str) -> dict | None:
    if name != "sgogoj.com":
        return None
    return {
        "objectClassName": "domain", "ldhName": "sgogoj.com",
        "status": ["client delete prohibited", "client transfer prohibited"],
        "entities": [
            {"objectClassName": "entity", "roles": ["registrant"],
             "vcardArray": _vcard("Registration Private", org="Domains By Proxy, LLC",
                                  email="sgogoj.com@domainsbyproxy.com", country="US",
                                  adr_label="DomainsByProxy.com\n100 S. Mill Ave, Suite 1600\nTempe, AZ 85281")},
            {"objectClassName": "entity", "roles": ["technical", "administrative"],
             "remarks": [{"title": "REDACTED FOR PRIVACY", "description": ["Some of the data in this object has been removed."]}],
             "vcardArray": _vcard("REDACTED FOR PRIVACY", kind="individual")},
        ],
        "events": [{"eventAction": "registration", "eventDate": _iso(SGOGOJ_AGE_DAYS)}],
    }


def arin_ip(ip: str, base: str) -> dict | None:
    if ip == "74.226.196.215":
        return {
            "rdapConformance": ["nro_rdap_profile_0", "rdap_level_0", "cidr0", "arin_originas0"],
            "notices": [{"title": "Terms of Service", "description": ["By using the ARIN RDAP/Whois service, you are agreeing to the RDAP/Whois Terms of Use"]}],
            "handle": "NET-74-224-0-0-1", "startAddress": "74.224.0.0", "endAddress": "74.227.255.255",
            "ipVersion": "v4", "name": "MSFT", "type": "DIRECT ALLOCATION", "parentHandle": "NET-74-0-0-0-0",
            "events": [{"eventAction": "last changed", "eventDate": "2023-03-01T12:00:00-05:00"},
                       {"eventAction": "registration", "eventDate": "2022-10-04T11:45:23-04:00"}],
            "links": [{"value": f"{base}/rdap/ip/74.226.196.215", "rel": "self", "type": "application/rdap+json", "href": f"{base}/rdap/ip/74.224.0.0"}],
            "entities": [{
                "handle": "MSFT", "roles": ["registrant"], "objectClassName": "entity",
                "vcardArray": _vcard("Microsoft Corporation", country="US",
                                     adr_label="One Microsoft Way\nRedmond\nWA\n98052\nUnited States"),
                "entities": [
                    {"handle": "MAC74-ARIN", "roles": ["abuse"], "objectClassName": "entity",
                     "vcardArray": _vcard("Microsoft Abuse Contact", email="abuse@microsoft.com", tel="+1-425-882-8080")},
                    {"handle": "MRPD-ARIN", "roles": ["technical"], "objectClassName": "entity",
                     "vcardArray": _vcard("Microsoft Routing, Peering, and DNS", email="IOC@microsoft.com")},
                ],
            }],
            "cidr0_cidrs": [{"v4prefix": "74.224.0.0", "length": 14}],
            "arin_originas0_originautnums": [8075],
            "port43": "whois.arin.net", "status": ["active"], "objectClassName": "ip network",
        }
    if ip == "8.217.61.41":
        return {
            "rdapConformance": ["nro_rdap_profile_0", "rdap_level_0", "cidr0"],
            "handle": "NET-8-208-0-0-1", "startAddress": "8.208.0.0", "endAddress": "8.223.255.255",
            "ipVersion": "v4", "name": "ALIBABA-CLOUD-HK", "type": "REASSIGNED", "country": "HK",
            "parentHandle": "NET-8-0-0-0-0",
            "events": [{"eventAction": "registration", "eventDate": "2019-06-10T10:00:00-04:00"}],
            "entities": [{
                "handle": "AL-3", "roles": ["registrant"], "objectClassName": "entity",
                "vcardArray": _vcard("Alibaba Cloud LLC", country="HK",
                                     adr_label="Alibaba Cloud (Hong Kong)\nHong Kong"),
                "entities": [
                    {"handle": "ALIBA-ARIN", "roles": ["abuse"], "objectClassName": "entity",
                     "vcardArray": _vcard("Alibaba Cloud Abuse", email="abuse@service.aliyun.com", tel="+86-571-85022088")},
                ],
            }],
            "cidr0_cidrs": [{"v4prefix": "8.208.0.0", "length": 12}],
            "port43": "whois.arin.net", "status": ["active"], "objectClassName": "ip network",
        }
    return None


def _sb_match(url: str) -> bool:
    from urllib.parse import urlsplit
    try:
        host = (urlsplit(url if "://" in url else "http://" + url).hostname or "").lower()
    except ValueError:
        return False
    return any(host == h or host.endswith("." + h) for h in LISTED_HOSTS)


def _fault_body(mode: str) -> web.StreamResponse | None:
    if mode == "429":
        return web.json_response({"errorCode": 429, "title": "Too Many Requests"}, status=429,
                                 headers={"Retry-After": "3600"})
    if mode == "500":
        return web.Response(status=500, text="internal error")
    if mode == "malformed":
        return web.Response(text='{"objectClassName": "domain", "ldhName": "X', content_type="application/json")
    if mode == "wrongtypes":
        return web.json_response({"objectClassName": 7, "ldhName": ["x"], "events": "yesterday",
                                  "entities": {"a": 1}, "status": 42, "nameservers": [1, None, {"ldhName": {}}],
                                  "matches": "all", "query_status": ["ok"], "network": 5})
    if mode == "deep":
        return web.Response(text="[" * 100_000 + "]" * 100_000, content_type="application/json")
    if mode == "huge":
        return web.Response(body=b'{"pad": "' + b"A" * (8 * 1024 * 1024) + b'"}', content_type="application/json")
    return None


class Emulator:
    def __init__(self, delay_ms: int = 0) -> None:
        self.counts: Counter[str] = Counter()
        self.delay_s = delay_ms / 1000.0     # added latency per request (concurrency tests, bench)

    @web.middleware
    async def count(self, request: web.Request, handler):
        if not request.path.startswith("/_stats"):
            self.counts[request.path] += 1
            if self.delay_s:
                await asyncio.sleep(self.delay_s)
        return await handler(request)

    def base(self, request: web.Request) -> str:
        return f"http://{request.host}"

    async def stats(self, request: web.Request) -> web.Response:
        if request.method == "DELETE":
            self.counts.clear()
        return web.json_response(dict(self.counts))

    async def rdap_domain(self, request: web.Request) -> web.Response:
        name = request.match_info["name"].lower().rstrip(".")
        data = registry_domain(name, self.base(request))
        if data is None:
            return web.json_response({"errorCode": 404, "title": "Not Found"}, status=404,
                                     content_type="application/rdap+json")
        return web.json_response(data, content_type="application/rdap+json")

    async def registrar_rdap(self, request: web.Request) -> web.Response:
        data = registrar_domain(request.match_info["name"].lower())
        if data is None:
            return web.json_response({"errorCode": 404}, status=404)
        return web.json_response(data, content_type="application/rdap+json")

    async def rdap_ip(self, request: web.Request) -> web.Response:
        data = arin_ip(request.match_info["ip"], self.base(request))
        if data is None:
            return web.json_response({"errorCode": 404, "title": "Not Found"}, status=404)
        return web.json_response(data, content_type="application/rdap+json")

    async def rdap_entity(self, request: web.Request) -> web.Response:
        return web.json_response({"objectClassName": "entity", "handle": request.match_info["handle"],
                                  "vcardArray": _vcard(request.match_info["handle"])})

    async def safebrowsing(self, request: web.Request) -> web.Response:
        if request.query.get("key") != SB_KEY:
            return web.json_response({"error": {"code": 400, "message": "API key not valid. Please pass a valid API key.",
                                                "status": "INVALID_ARGUMENT"}}, status=400)
        try:
            body = await request.json()
            entries = body["threatInfo"]["threatEntries"]
        except Exception:
            return web.json_response({"error": {"code": 400, "status": "INVALID_ARGUMENT"}}, status=400)
        matches = [{"threatType": "SOCIAL_ENGINEERING", "platformType": "ANY_PLATFORM",
                    "threat": {"url": e.get("url", "")}, "cacheDuration": "300s", "threatEntryType": "URL"}
                   for e in entries if isinstance(e, dict) and _sb_match(str(e.get("url", "")))]
        return web.json_response({"matches": matches} if matches else {})

    async def urlhaus(self, request: web.Request) -> web.Response:
        if request.headers.get("Auth-Key") != URLHAUS_KEY:
            return web.json_response({"query_status": "unknown_auth_key"}, status=401)
        form = await request.post()
        kind = request.match_info["kind"]
        value = str(form.get(kind, "")).lower()
        host = value.split("/")[2] if kind == "url" and value.count("/") >= 2 else value
        if host in URLHAUS_HOSTS:
            return web.json_response({"query_status": "ok", "urlhaus_reference": "https://urlhaus.abuse.ch/host/x/",
                                      "host": host, "url_count": "3", "blacklists": {"spamhaus_dbl": "abused_legit_malware"},
                                      "urls": [{"url": f"http://{host}/a.exe", "url_status": "online", "threat": "malware_download"}]})
        return web.json_response({"query_status": "no_results"})

    async def phishtank(self, request: web.Request) -> web.Response:
        return web.json_response([{"phish_id": 9000 + i, "url": u, "verified": "yes", "online": "yes", "target": "Other"}
                                  for i, u in enumerate(PHISH_FEED_URLS)])

    async def openphish(self, request: web.Request) -> web.Response:
        return web.Response(text="\n".join(PHISH_FEED_URLS) + "\n")

    async def fault(self, request: web.Request) -> web.StreamResponse:
        mode = request.match_info["mode"]
        if mode == "hang":
            await asyncio.sleep(60)
            return web.Response(text="{}")
        if mode == "drip":
            resp = web.StreamResponse(headers={"Content-Type": "application/json"})
            await resp.prepare(request)
            try:
                await resp.write(b"{")
                for _ in range(600):
                    await asyncio.sleep(0.1)
                    await resp.write(b" ")
                await resp.write(b"}")
            except ConnectionResetError:
                pass   # the client gave up, as it should
            return resp
        body = _fault_body(mode)
        return body if body is not None else web.Response(status=404)

    def app(self) -> web.Application:
        app = web.Application(middlewares=[self.count], client_max_size=1024 * 1024)
        app.router.add_route("*", "/_stats", self.stats)
        app.router.add_get("/rdap/domain/{name}", self.rdap_domain)
        app.router.add_get("/registrar-rdap/domain/{name}", self.registrar_rdap)
        app.router.add_get("/rdap/ip/{ip}", self.rdap_ip)
        app.router.add_get("/rdap/entity/{handle}", self.rdap_entity)
        app.router.add_post("/v4/threatMatches:find", self.safebrowsing)
        app.router.add_post("/urlhaus/v1/{kind:host|url}/", self.urlhaus)
        app.router.add_get("/feeds/phishtank.json", self.phishtank)
        app.router.add_get("/feeds/openphish.txt", self.openphish)
        app.router.add_route("*", "/fault/{mode}/{rest:.*}", self.fault)
        return app


async def serve(port: int, delay_ms: int = 0) -> None:
    runner = web.AppRunner(Emulator(delay_ms).app(), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", port)
    await site.start()
    actual = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    print(f"READY {actual}", flush=True)
    # Serve until stdin closes: the test process owns our lifetime.
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.read)
    try:
        # "hang" handlers sleep for a minute; do not wait for them on the way out.
        await asyncio.wait_for(runner.cleanup(), 0.5)
    except (TimeoutError, asyncio.TimeoutError):
        pass
    os._exit(0)


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--delay-ms", type=int, default=0)
    args = ap.parse_args()
    asyncio.run(serve(args.port, args.delay_ms))
