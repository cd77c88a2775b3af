"""A tiny ASGI app for the peer recipe peers/hypercorn.sh: GET serves index.html and large.txt
from the document root in $H2CONFORM_DOCROOT, POST answers 200 with the request body."""
import os

ROOT = os.environ["H2CONFORM_DOCROOT"]
TYPES = {".html": b"text/html", ".txt": b"text/plain"}


async def app(scope, receive, send):
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    if scope["type"] != "http":
        return
    body = b""
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return
        body += message.get("body", b"")
        if not message.get("more_body", False):
            break
    status, content_type = 200, b"application/octet-stream"
    if scope["method"] != "POST":
        name = scope["path"].lstrip("/") or "index.html"
        path = os.path.join(ROOT, os.path.basename(name))
        try:
            with open(path, "rb") as f:
                body = f.read()
            content_type = TYPES.get(os.path.splitext(path)[1], content_type)
        except OSError:
            status, body = 404, b"not found\n"
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", content_type),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
