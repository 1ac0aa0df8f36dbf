"""Yahoo Finance answered from fixture files, for running the real yfinance code offline.

yfinance accepts ``session=`` but only a curl_cffi (or requests) ``Session``, so
:class:`FakeYahooSession` is a curl_cffi ``Session`` whose ``request`` never reaches the
network. It answers what yfinance asks for a daily download:

* ``https://fc.yahoo.com`` (the cookie fetch) and ``.../v1/test/getcrumb`` (the crumb);
* ``https://query2.finance.yahoo.com/v8/finance/chart/<symbol>`` from the recorded chart
  JSON, cut to ``[period1, period2)`` like Yahoo does (``range=1d``, yfinance's timezone
  probe, gets the last bar), or Yahoo's "No data found" 404 for the symbols in ``missing``.

Everything else is an unknown URL: it gets an empty 404 and lands in ``unexpected``, so
a yfinance release that calls new endpoints shows up in the tests. Every request is
recorded in ``requests`` (yfinance sends them from several threads).
"""

from __future__ import annotations

import copy
import json
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from http.cookiejar import Cookie
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlencode
from zoneinfo import ZoneInfo

from curl_cffi import requests as curl_requests
from curl_cffi.requests.exceptions import ConnectionError as CurlConnectionError

FIXTURES = Path(__file__).parent / "fixtures" / "yahoo"
CHART_URL = "https://query2.finance.yahoo.com/v8/finance/chart/"
COOKIE_URL = "https://fc.yahoo.com"
CRUMB_URLS = (
    "https://query1.finance.yahoo.com/v1/test/getcrumb",
    "https://query2.finance.yahoo.com/v1/test/getcrumb",
)
CRUMB = "fAk3CrUmB.x"


def load_chart(stem: str) -> dict[str, Any]:
    """A recorded chart answer, e.g. ``load_chart("GSPC")``."""
    data: dict[str, Any] = json.loads((FIXTURES / f"chart_{stem}.json").read_text())
    return data


def fixture_closes(stem: str) -> dict[str, float | None]:
    """``{"2026-08-24": 7652.86, ...}`` as the fixture holds them (``None`` for nulls)."""

    result = load_chart(stem)["chart"]["result"][0]
    ny = ZoneInfo(result["meta"]["exchangeTimezoneName"])
    days = [datetime.fromtimestamp(ts, ny).date().isoformat() for ts in result["timestamp"]]
    return dict(zip(days, result["indicators"]["quote"][0]["close"], strict=True))


@dataclass(frozen=True)
class Request:
    method: str
    url: str
    params: Mapping[str, Any] = field(default_factory=dict)
    timeout: Any = None

    @property
    def full_url(self) -> str:
        return self.url + ("?" + urlencode(self.params) if self.params else "")


class FakeYahooSession(curl_requests.Session):  # type: ignore[type-arg]
    """A curl_cffi session serving chart recordings; ``offline`` makes every request fail."""

    def __init__(
        self,
        charts: Mapping[str, Mapping[str, Any]],
        *,
        missing: Iterable[str] = (),
        offline: bool = False,
    ) -> None:
        super().__init__()
        self.charts = dict(charts)
        self.missing = set(missing)
        self.offline = offline
        self.requests: list[Request] = []
        self.unexpected: list[str] = []
        self._lock = threading.Lock()

    # -- what tests look at ------------------------------------------------------------
    def chart_requests(self, symbol: str) -> list[Request]:
        return [r for r in self.requests if r.url == CHART_URL + symbol]

    # -- curl_cffi's entry point ---------------------------------------------------------
    def request(  # type: ignore[override]
        self, method: str, url: str, params: Mapping[str, Any] | None = None, **kwargs: Any
    ) -> curl_requests.Response:
        req = Request(method.upper(), url, dict(params or {}), kwargs.get("timeout"))
        with self._lock:
            self.requests.append(req)
        if self.offline:
            raise CurlConnectionError(
                f"Failed to connect to {url.split('/')[2]} port 443: Could not connect to server"
            )
        status, body = self._answer(req)
        if status == 404 and body == b"":
            with self._lock:
                self.unexpected.append(f"{req.method} {req.full_url}")
        return _response(req.full_url, status, body)

    def _answer(self, req: Request) -> tuple[int, bytes]:
        if req.method != "GET":
            return 404, b""
        if req.url.rstrip("/") == COOKIE_URL:
            self.cookies.jar.set_cookie(_a3_cookie())
            return 404, b"<html>404</html>"  # Yahoo really answers 404, with the cookie
        if req.url in CRUMB_URLS:
            return 200, CRUMB.encode()
        if req.url.startswith(CHART_URL) and req.params.get("interval") == "1d":
            symbol = unquote(req.url[len(CHART_URL) :])
            if symbol in self.missing:
                return 404, (FIXTURES / "chart_not_found.json").read_bytes()
            if symbol in self.charts:
                return 200, json.dumps(_cut(self.charts[symbol], req.params)).encode()
        return 404, b""


def _a3_cookie() -> Cookie:
    """The consent cookie fc.yahoo.com sets; yfinance caches it (it checks the expiry)."""
    return Cookie(
        version=0,
        name="A3",
        value="d=AQABBfakecookie",
        port=None,
        port_specified=False,
        domain=".yahoo.com",
        domain_specified=True,
        domain_initial_dot=True,
        path="/",
        path_specified=True,
        secure=True,
        expires=int(time.time()) + 365 * 86400,
        discard=False,
        comment=None,
        comment_url=None,
        rest={"SameSite": "None"},
    )


def _cut(chart: Mapping[str, Any], params: Mapping[str, Any]) -> dict[str, Any]:
    """The bars Yahoo would send for these params: ``[period1, period2)`` or the last one."""
    out = copy.deepcopy(dict(chart))
    result = out["chart"]["result"][0]
    stamps: list[int] = result["timestamp"]
    if "period1" in params:
        lo, hi = int(params["period1"]), int(params["period2"])
        keep = [i for i, ts in enumerate(stamps) if lo <= ts < hi]
    else:  # range=1d: the latest bar
        keep = [len(stamps) - 1]
    if not keep:  # Yahoo leaves out the arrays when the range holds no bar
        del result["timestamp"]
        result["indicators"] = {"quote": [{}], "adjclose": [{}]}
        return out
    result["timestamp"] = [stamps[i] for i in keep]
    quote = result["indicators"]["quote"][0]
    for key in list(quote):
        quote[key] = [quote[key][i] for i in keep]
    adj = result["indicators"]["adjclose"][0]
    adj["adjclose"] = [adj["adjclose"][i] for i in keep]
    return out


def _response(url: str, status: int, body: bytes) -> curl_requests.Response:
    rsp = curl_requests.Response()
    rsp.url = url
    rsp.status_code = status
    rsp.ok = status < 400
    rsp.reason = "OK" if rsp.ok else "Not Found"
    rsp.content = body
    kind = "application/json" if body.startswith(b"{") else "text/html"
    rsp.headers = curl_requests.Headers({"Content-Type": f"{kind};charset=utf-8"})
    return rsp


def synthetic_chart(symbol: str, closes: Mapping[str, float], *, name: str, kind: str = "EQUITY",
                    zone: str = "America/New_York", exchange: str = "NasdaqGS") -> dict[str, Any]:
    """A chart answer in Yahoo's format for made-up closes (``{"2026-09-14": 101.5, ...}``).

    For symbols the real data does not have (a stock, a crypto pair): the values are the
    test's own, hand-chosen, so its expected figures can be computed by hand.
    """
    tz = ZoneInfo(zone)
    days = sorted(closes)
    stamps = [int(datetime.fromisoformat(d).replace(hour=9, minute=30, tzinfo=tz).timestamp()) for d in days]
    values = [closes[d] for d in days]
    quote = {"open": values, "high": values, "low": values, "close": values, "volume": [1_000_000] * len(days)}
    meta = {
        "currency": "USD", "symbol": symbol, "exchangeName": exchange[:3].upper(), "fullExchangeName": exchange,
        "longName": name, "shortName": name, "instrumentType": kind, "exchangeTimezoneName": zone,
        "timezone": "EDT" if zone == "America/New_York" else "UTC", "gmtoffset": -14400 if zone == "America/New_York" else 0,
        "regularMarketPrice": values[-1], "chartPreviousClose": values[-2], "priceHint": 2,
        "dataGranularity": "1d", "range": "", "firstTradeDate": stamps[0],
    }
    return {"chart": {"result": [{"meta": meta, "timestamp": stamps,
                                  "indicators": {"quote": [quote], "adjclose": [{"adjclose": list(values)}]}}],
                      "error": None}}
