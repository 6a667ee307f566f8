"""The only network code: bounded, SSRF-aware HTTP fetching.

Every hop of a redirect chain is checked: the scheme must be http(s), the
host must not resolve to a loopback, private, link-local or reserved address
unless ``allow_private`` is set, the body is read in chunks and cut off at
``max_bytes``, and the number of redirects is bounded.  The address is checked
again where the socket connects, and that checked address is the one used, so a
DNS answer that changes between check and connection (DNS rebinding) cannot
reach a private address; every socket operation ends at the fetch's deadline,
so a server trickling its headers cannot hold a fetch open past ``timeout``.
"""
from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from storyline.errors import E, StorylineError

USER_AGENT = "storyline/0.1 (+https://example.invalid/storyline)"


@dataclass
class FetchResult:
    url: str  # final URL after redirects
    status: int
    content: bytes
    content_type: str
    charset: str | None
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def not_modified(self) -> bool:
        return self.status == 304


# IPv6 prefixes that carry an IPv4 address in their last 32 bits (IPv4-compatible, NAT64 well-known prefix):
# a NAT64 gateway or an old stack would take them to that IPv4 address.
_EMBEDS_IPV4 = (ipaddress.ip_network("::/96"), ipaddress.ip_network("64:ff9b::/96"))
_LOCAL_NAT64 = ipaddress.ip_network("64:ff9b:1::/48")


def is_blocked_ip(text: str) -> bool:
    """Whether an address (as getaddrinfo gives it) is loopback, private, link-local, reserved or multicast."""
    address: ipaddress.IPv4Address | ipaddress.IPv6Address = ipaddress.ip_address(text.split("%")[0])
    if isinstance(address, ipaddress.IPv6Address):
        if address in _LOCAL_NAT64:
            return True
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and int(address) > 1 and any(address in net for net in _EMBEDS_IPV4):
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None:
            address = embedded
    # not is_global covers private, loopback, link-local, shared (100.64/10), reserved ...
    return not address.is_global or address.is_multicast


def _is_blocked_address(host: str) -> bool:
    try:
        infos = socket.getaddrinfo(host, None)
    except socket.gaierror:
        return False  # let the request itself fail with a clear message (the connection is checked again)
    return any(is_blocked_ip(info[4][0]) for info in infos)


class _Blocked(StorylineError):
    """Raised where the socket connects; ``fetch`` names the URL."""


class _DeadlineStream(httpcore.NetworkStream):
    """A socket stream whose every operation ends at the fetch's deadline."""

    def __init__(self, stream: httpcore.NetworkStream, deadline: float):
        self.stream = stream
        self.deadline = deadline

    def _left(self, timeout: float | None, error: type[Exception]) -> float:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise error("the fetch's time is up")
        return left if timeout is None else min(timeout, left)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self.stream.read(max_bytes, self._left(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.stream.write(buffer, self._left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self.stream.close()

    def start_tls(self, ssl_context, server_hostname=None, timeout=None) -> httpcore.NetworkStream:
        left = self._left(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self.stream.start_tls(ssl_context, server_hostname, left), self.deadline)

    def get_extra_info(self, info: str):
        return self.stream.get_extra_info(info)


class _GuardedBackend(httpcore.SyncBackend):
    """Connects only to addresses the SSRF guard allows (the address checked is the one connected to)."""

    def __init__(self, allow_private: bool, deadline: float):
        self.allow_private = allow_private
        self.deadline = deadline

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise httpcore.ConnectTimeout("the fetch's time is up")
        timeout = left if timeout is None else min(timeout, left)
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as exc:  # no such name, or one that cannot be encoded
            raise httpcore.ConnectError(str(exc)) from None
        addresses = list(dict.fromkeys(info[4][0] for info in infos))
        if not self.allow_private and any(is_blocked_ip(address) for address in addresses):
            raise _Blocked(E.FETCH_BLOCKED, host)
        error: Exception | None = None
        for address in addresses:
            try:
                stream = super().connect_tcp(address, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
                continue
            return _DeadlineStream(stream, self.deadline)
        raise error or httpcore.ConnectError(host)


# httpcore exceptions and the httpx exceptions ``fetch`` and the webhook catch; the most specific match wins
# (httpx.HTTPTransport does the same with a private helper, so this is spelt out here).
_HTTPCORE_TO_HTTPX: tuple[tuple[type[Exception], type[httpx.HTTPError]], ...] = (
    (httpcore.TimeoutException, httpx.TimeoutException),
    (httpcore.ConnectTimeout, httpx.ConnectTimeout),
    (httpcore.ReadTimeout, httpx.ReadTimeout),
    (httpcore.WriteTimeout, httpx.WriteTimeout),
    (httpcore.PoolTimeout, httpx.PoolTimeout),
    (httpcore.NetworkError, httpx.NetworkError),
    (httpcore.ConnectError, httpx.ConnectError),
    (httpcore.ReadError, httpx.ReadError),
    (httpcore.WriteError, httpx.WriteError),
    (httpcore.ProxyError, httpx.ProxyError),
    (httpcore.UnsupportedProtocol, httpx.UnsupportedProtocol),
    (httpcore.ProtocolError, httpx.ProtocolError),
    (httpcore.LocalProtocolError, httpx.LocalProtocolError),
    (httpcore.RemoteProtocolError, httpx.RemoteProtocolError),
)


@contextmanager
def _httpx_errors() -> Iterator[None]:
    """Re-raise an httpcore exception as the matching httpx one; anything else (``_Blocked``) as it is."""
    try:
        yield
    except Exception as exc:
        mapped: type[httpx.HTTPError] | None = None
        for source, target in _HTTPCORE_TO_HTTPX:
            if isinstance(exc, source) and (mapped is None or issubclass(target, mapped)):
                mapped = target
        if mapped is None:
            raise
        raise mapped(str(exc)) from exc


class _ResponseStream(httpx.SyncByteStream):
    """An httpcore response body as httpx reads it, with httpcore's errors mapped to httpx's."""

    def __init__(self, stream: Iterable[bytes]):
        self.stream = stream

    def __iter__(self) -> Iterator[bytes]:
        with _httpx_errors():
            yield from self.stream

    def close(self) -> None:
        close = getattr(self.stream, "close", None)
        if close is not None:
            close()


class GuardedTransport(httpx.BaseTransport):
    """An httpx transport over an httpcore connection pool whose network backend is the SSRF guard.

    Only public APIs: httpx.HTTPTransport takes no network backend, so the pool is httpcore's own
    ``ConnectionPool(network_backend=...)`` and this class adapts it to ``httpx.BaseTransport``, the way
    httpx.HTTPTransport adapts its pool.  No proxy from the environment is used: the guard has to see
    the address actually dialled.
    """

    def __init__(self, allow_private: bool, timeout: float):
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=10,
            keepalive_expiry=5.0,
            network_backend=_GuardedBackend(allow_private, time.monotonic() + timeout),
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if not isinstance(request.stream, httpx.SyncByteStream):  # an async body on a sync client
            raise TypeError("GuardedTransport sends synchronous request bodies only")
        core_request = httpcore.Request(
            method=request.method,
            url=httpcore.URL(scheme=request.url.raw_scheme, host=request.url.raw_host,
                             port=request.url.port, target=request.url.raw_path),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        with _httpx_errors():
            response = self._pool.handle_request(core_request)
        assert isinstance(response.stream, Iterable)  # a sync pool gives a sync body
        return httpx.Response(status_code=response.status, headers=response.headers,
                              stream=_ResponseStream(response.stream),
                              extensions=response.extensions)

    def close(self) -> None:
        with _httpx_errors():
            self._pool.close()


def guarded_transport(allow_private: bool, timeout: float) -> httpx.BaseTransport:
    """An httpx transport for one fetch: SSRF guard where the socket connects, and a deadline ``timeout`` away."""
    return GuardedTransport(allow_private, timeout)


def check_url(url: str, allow_private: bool) -> None:
    try:
        parts = urlsplit(url)
        parts.hostname, parts.port  # noqa: B018 - both raise ValueError on a malformed URL
        httpx.URL(url).host  # noqa: B018 - what the client would refuse (control characters, bad IDNA)
    except (ValueError, httpx.InvalidURL):
        raise StorylineError(E.FETCH_FAILED, url, "not a valid URL") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise StorylineError(E.FETCH_FAILED, url, "only http and https URLs are fetched")
    try:
        refused = not allow_private and _is_blocked_address(parts.hostname)
    except UnicodeError:  # a name no resolver can be asked for ("a..b")
        raise StorylineError(E.FETCH_FAILED, url, "not a valid host name") from None
    if refused:
        raise StorylineError(E.FETCH_BLOCKED, url)


def fetch(
    url: str,
    *,
    timeout: float = 20.0,
    max_bytes: int = 10_000_000,
    max_redirects: int = 5,
    allow_private: bool = False,
    etag: str | None = None,
    last_modified: str | None = None,
    transport: httpx.BaseTransport | None = None,
) -> FetchResult:
    """GET a URL within the limits; raises StorylineError with the URL on any failure."""
    headers = {"User-Agent": USER_AGENT,
               "Accept": "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,*/*;q=0.5"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    current = url
    deadline = time.monotonic() + timeout  # for the whole fetch, not per socket read
    transport = transport or guarded_transport(allow_private, timeout)
    with httpx.Client(timeout=timeout, follow_redirects=False, transport=transport, headers=headers) as client:
        for _hop in range(max_redirects + 1):
            check_url(current, allow_private)
            try:
                with client.stream("GET", current) as response:
                    if response.status_code == 304:
                        return FetchResult(current, 304, b"", "", None, dict(response.headers))
                    if response.is_redirect:
                        location = response.headers.get("location")
                        if not location:
                            raise StorylineError(E.FETCH_FAILED, current, "redirect without a location")
                        try:
                            current = urljoin(current, location)
                        except ValueError:
                            raise StorylineError(E.FETCH_FAILED, current, "redirect to an invalid URL") from None
                        continue
                    if response.status_code >= 400:
                        raise StorylineError(E.FETCH_FAILED, current, f"HTTP {response.status_code}")
                    declared = response.headers.get("content-length")
                    if declared and declared.isdigit() and int(declared) > max_bytes:
                        raise StorylineError(E.FETCH_TOO_LARGE, current, f"{declared} bytes")
                    chunks, size = [], 0
                    for chunk in response.iter_bytes():
                        if time.monotonic() > deadline:
                            raise StorylineError(E.FETCH_FAILED, current, f"timed out after {timeout:g}s")
                        size += len(chunk)
                        if size > max_bytes:
                            raise StorylineError(E.FETCH_TOO_LARGE, current, f"over {max_bytes} bytes")
                        chunks.append(chunk)
                    content_type = response.headers.get("content-type", "")
                    return FetchResult(current, response.status_code, b"".join(chunks),
                                       content_type.split(";")[0].strip().lower(),
                                       response.charset_encoding, dict(response.headers))
            except _Blocked:
                raise StorylineError(E.FETCH_BLOCKED, current) from None
            except httpx.TimeoutException:
                raise StorylineError(E.FETCH_FAILED, current, f"timed out after {timeout:g}s") from None
            except httpx.HTTPError as exc:
                raise StorylineError(E.FETCH_FAILED, current, type(exc).__name__) from None
    raise StorylineError(E.FETCH_FAILED, url, f"more than {max_redirects} redirects")
