"""The benchmark's HTTP client and statistics (scripts/bench.py, bench_load.py).

Talks only to 127.0.0.1, over keep-alive connections, with a time-out on every
request.
"""

from __future__ import annotations

import http.client

HOST = "127.0.0.1"
REQUEST_TIMEOUT = 30.0


class Browser:
    """One keep-alive connection with its cookies and headers, like one tab."""

    def __init__(
        self,
        port: int,
        cookies: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        timeout: float = REQUEST_TIMEOUT,
    ) -> None:
        self.port = port
        self.timeout = timeout
        self.cookies = dict(cookies or {})
        self.headers = dict(headers or {})
        self.conn = http.client.HTTPConnection(HOST, port, timeout=timeout)

    def _headers(self) -> dict[str, str]:
        headers = {"Host": HOST, "User-Agent": "ceop-bench", **self.headers}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return headers

    def get(self, path: str) -> tuple[int, bytes]:
        try:
            self.conn.request("GET", path, headers=self._headers())
            response = self.conn.getresponse()
        except (http.client.HTTPException, OSError):
            # The server closed a kept-alive connection: open another once.
            self.conn.close()
            self.conn = http.client.HTTPConnection(
                HOST, self.port, timeout=self.timeout
            )
            self.conn.request("GET", path, headers=self._headers())
            response = self.conn.getresponse()
        return response.status, response.read()

    def close(self) -> None:
        self.conn.close()


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]
