"""The only network code: bounded, SSRF-aware HTTP fetching.

Every hop of a redirect chain is checked: the scheme must be http(s), the
host must not resolve to a loopback, private, link-local or reserved address
unless ``allow_private`` is set, the body is read in chunks and cut off at
``max_bytes``, and the number of redirects is bounded.
"""
from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpx

from ..errors import E, StorylineError

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


def _is_blocked_address(host: str) -> bool:
    try:
        infos = socket.getaddrinfo(host, None)
    except socket.gaierror:
        return False  # let the request itself fail with a clear message
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
            address = address.ipv4_mapped
        # not is_global covers private, loopback, link-local, shared (100.64/10), reserved ...
        if not address.is_global or address.is_multicast:
            return True
    return False


def check_url(url: str, allow_private: bool) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise StorylineError(E.FETCH_FAILED, url, "only http and https URLs are fetched")
    if not allow_private and _is_blocked_address(parts.hostname):
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
    headers = {"User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,*/*;q=0.5"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    current = url
    deadline = time.monotonic() + timeout  # for the whole fetch, not per socket read
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
                        current = urljoin(current, location)
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
            except httpx.TimeoutException:
                raise StorylineError(E.FETCH_FAILED, current, f"timed out after {timeout:g}s") from None
            except httpx.HTTPError as exc:
                raise StorylineError(E.FETCH_FAILED, current, type(exc).__name__) from None
    raise StorylineError(E.FETCH_FAILED, url, f"more than {max_redirects} redirects")
