"""Fetch one article page by URL, safely: an editor must not be able to make the server fetch internal URLs.

Only http and https; a connect/read timeout; a size limit; at most a few redirects; and every address a
host name resolves to, at every redirect hop, must be a public one (no private, loopback, link-local,
multicast, reserved or unspecified address, IPv4-mapped ones included). The connection then goes to the
address that was checked, so a second DNS answer cannot slip an internal address in.

``allow`` lists networks that are let through anyway: tests serve pages from a local test server and
allow only 127.0.0.1. Pure standard library, no ORM.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import urljoin, urlsplit

from timeline.ingest.errors import IngestError

TIMEOUT_SECONDS = 10.0
MAX_BYTES = 5 * 1024 * 1024
MAX_REDIRECTS = 5
USER_AGENT = "openai-timeline-importer/1.0 (+one article for an editor)"
_TEXT_TYPES = ("text/", "application/xhtml+xml", "application/xml")


@dataclass(frozen=True)
class FetchedPage:
    url: str  # after redirects
    body: bytes
    content_type: str
    file_name: str


def _networks(allow: Iterable[str]) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(net, strict=False) for net in allow]


def _public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_global and not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


def check_addresses(host: str, port: int, *, allow: Iterable[str] = ()) -> str:
    """The address to connect to for ``host``; IngestError unless every address it resolves to is allowed."""
    allowed = _networks(allow)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise IngestError(f"{host}: the host name does not resolve ({exc}).") from exc
    addresses = []
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if not _public(address) and not any(address in net for net in allowed):
            raise IngestError(
                f"{host} resolves to {address}, a private, loopback or otherwise internal address; "
                "only public web pages can be fetched."
            )
        addresses.append(str(address))
    if not addresses:
        raise IngestError(f"{host}: the host name has no address.")
    return addresses[0]


def _check_url(url: str) -> tuple[str, str, int, str]:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise IngestError(f"{url}: only http and https URLs can be fetched.")
    if not parts.hostname:
        raise IngestError(f"{url}: the URL names no host.")
    if parts.username or parts.password:
        raise IngestError(f"{url}: URLs with a user name or password are not fetched.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise IngestError(f"{url}: the port is not a number.") from exc
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return parts.scheme, parts.hostname, port, path


def _get(scheme: str, host: str, port: int, path: str, address: str, timeout: float):
    sock = socket.create_connection((address, port), timeout=timeout)
    if scheme == "https":
        sock = ssl.create_default_context().wrap_socket(sock, server_hostname=host)
    connection = http.client.HTTPConnection(host, port, timeout=timeout)
    connection.sock = sock  # already connected to the checked address
    host_header = host if port in (80, 443) else f"{host}:{port}"
    if ":" in host and not host.startswith("["):
        host_header = f"[{host}]" if port in (80, 443) else f"[{host}]:{port}"
    connection.request(
        "GET",
        path,
        headers={
            "Host": host_header,
            "User-Agent": USER_AGENT,
            "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9",
        },
    )
    return connection, connection.getresponse()


def fetch(
    url: str,
    *,
    timeout: float = TIMEOUT_SECONDS,
    max_bytes: int = MAX_BYTES,
    max_redirects: int = MAX_REDIRECTS,
    allow: Iterable[str] = (),
) -> FetchedPage:
    """GET ``url`` following at most ``max_redirects`` redirects; IngestError says why a page is refused."""
    allow = tuple(allow)
    seen = 0
    while True:
        scheme, host, port, path = _check_url(url)
        address = check_addresses(host, port, allow=allow)
        try:
            connection, response = _get(scheme, host, port, path, address, timeout)
        except (OSError, http.client.HTTPException) as exc:
            raise IngestError(f"{url}: the page could not be fetched ({exc}).") from exc
        try:
            if response.status in (301, 302, 303, 307, 308):
                location = response.getheader("Location")
                if not location:
                    raise IngestError(f"{url}: a redirect without a Location.")
                seen += 1
                if seen > max_redirects:
                    raise IngestError(f"{url}: more than {max_redirects} redirects.")
                url = urljoin(url, location)
                continue
            if response.status != 200:
                raise IngestError(f"{url}: the server answered {response.status} {response.reason}.")
            content_type = response.getheader("Content-Type") or ""
            if content_type and not content_type.lower().startswith(_TEXT_TYPES):
                raise IngestError(f"{url}: not a web page or text ({content_type}).")
            length = response.getheader("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise IngestError(f"{url}: {int(length):,} bytes; the limit is {max_bytes:,}.")
            try:
                body = response.read(max_bytes + 1)
            except (OSError, http.client.HTTPException) as exc:
                raise IngestError(f"{url}: the page could not be read ({exc}).") from exc
            if len(body) > max_bytes:
                raise IngestError(f"{url}: more than {max_bytes:,} bytes; the limit is {max_bytes:,}.")
        finally:
            connection.close()
        name = PurePosixPath(urlsplit(url).path).name or "index.html"
        if "." not in name:
            name += ".html" if "html" in content_type.lower() or not content_type else ".txt"
        return FetchedPage(url=url, body=body, content_type=content_type, file_name=name[:200])
