"""A small cookie-keeping HTTP client and a way to start threads together."""

from __future__ import annotations

import http.client
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from tests.conftest import PASSWORD


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    text: str

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")


@dataclass
class HttpClient:
    """One browser: keeps its cookies, follows no redirect; safe to copy into threads."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def request(
        self, method: str, path: str, data: dict[str, object] | None = None, **headers: str
    ) -> Reply:
        """Send one request and keep the cookies it sets."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        body = urlencode(data or {}, doseq=True) if method == "POST" else None
        sent = {"Host": f"127.0.0.1:{self.port}", **headers}
        if body is not None:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            conn.request(method, path, body=body, headers=sent)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            conn.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return Reply(response.status, response.headers, text)

    def get(self, path: str, **headers: str) -> Reply:
        return self.request("GET", path, **headers)

    def post(self, path: str, data: dict[str, object] | None = None, **headers: str) -> Reply:
        return self.request("POST", path, data, **headers)

    def login(self, email: str, password: str = PASSWORD) -> HttpClient:
        """Log in through the form; return self."""
        reply = self.post("/login", {"email": email, "password": password})
        assert reply.status == 302, reply.text
        return self

    def copy(self) -> HttpClient:
        """Return another client sharing these cookies (the same session, another tab)."""
        return HttpClient(self.port, dict(self.cookies))


def run_threads(count: int, work: Callable[[int], object]) -> list[BaseException]:
    """Run `work(i)` in `count` threads started together; return what they raised."""
    barrier = threading.Barrier(count)
    errors: list[BaseException] = []

    def body(i: int) -> None:
        try:
            barrier.wait()
            work(i)
        except BaseException as exc:  # collected and asserted by the test
            errors.append(exc)

    threads = [threading.Thread(target=body, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors
