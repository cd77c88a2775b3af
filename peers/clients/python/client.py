"""One HTTP/2 GET with httpx (h2 underneath): body to stdout, exit 0 for a complete response
whatever its status (httpx accepted it; a status other than 2xx goes to stderr), non-zero when
httpx raised an error."""
import sys

import httpx


def main() -> int:
    url = sys.argv[1]
    ca = sys.argv[2] if len(sys.argv) > 2 and sys.argv[2] else True
    try:
        with httpx.Client(http1=False, http2=True, verify=ca, timeout=20.0) as client:
            response = client.get(url)
            sys.stdout.buffer.write(response.content)
            if response.http_version != "HTTP/2":
                print(f"not HTTP/2: {response.http_version}", file=sys.stderr)
                return 4
            if not 200 <= response.status_code < 300:
                print(f"status {response.status_code}", file=sys.stderr)
            return 0
    except Exception as error:  # every failure of the exchange is the client's verdict
        print(f"{type(error).__name__}: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
