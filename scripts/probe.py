"""Container health probe: GET a path of the local app and exit 0 on HTTP 200.

Used by docker-compose's healthchecks (`python scripts/probe.py /health/ready/`).
It sends the first host of DJANGO_ALLOWED_HOSTS, so the probe passes Django's
host check, and needs nothing beyond the standard library.
"""

import os
import sys
import urllib.error
import urllib.request


def main() -> int:
    path = sys.argv[1] if len(sys.argv) > 1 else "/health/ready/"
    base = os.environ.get("PROBE_BASE_URL", "http://127.0.0.1:8000")
    host = os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost").split(",")[0].strip()
    request = urllib.request.Request(  # noqa: S310 - a fixed local http URL
        base + path, headers={"Host": host, "Accept": "text/plain"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            print(response.read().decode(errors="replace").strip())
            return 0 if response.status == 200 else 1
    except urllib.error.HTTPError as error:
        print(f"{error.code}: {error.read().decode(errors='replace').strip()}")
    except OSError as error:
        print(f"unreachable: {error}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
