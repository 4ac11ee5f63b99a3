"""Serve the page as Chinese whatever the visitor's browser language.

Gradio's front end picks its own words (loading text, toasts, tooltips)
from ``navigator.language`` once, before any ``head=`` script of ours can
run.  So the page HTML itself is rewritten on the way out: ``<html lang>``
becomes ``zh-CN`` and a first script in ``<head>`` makes the browser report
Simplified Chinese.  Only ``text/html`` responses are touched; the API,
assets and files pass through unchanged.
"""
from __future__ import annotations

LANG = "zh-CN"
OVERRIDE = ("<script>(()=>{const d=(k,v)=>{try{Object.defineProperty(Navigator.prototype,k,{get:()=>v,"
            f"configurable:true}})}}catch(e){{}}}};d('language','{LANG}');d('languages',['{LANG}','zh']);}})();</script>")


def rewrite(page: bytes) -> bytes:
    """The page with the Chinese language set first thing in its head.

    >>> rewrite(b'<html\\n lang="en"><head><meta>').decode()[:40]
    '<html\\n lang="zh-CN"><head><script>(()=>{'
    >>> rewrite(b"{}")
    b'{}'
    """
    if b"<head>" not in page:
        return page
    page = page.replace(b'lang="en"', f'lang="{LANG}"'.encode(), 1)
    return page.replace(b"<head>", b"<head>" + OVERRIDE.encode(), 1)


class ChinesePage:
    """ASGI middleware applying :func:`rewrite` to HTML pages (FastAPI ``middleware=``)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope.get("method") != "GET":
            return await self.app(scope, receive, send)
        start: dict = {}
        body: list[bytes] = []

        async def capture(message):
            if message["type"] == "http.response.start":
                headers = dict(message.get("headers") or [])
                if not headers.get(b"content-type", b"").startswith(b"text/html"):
                    start["pass"] = True
                    return await send(message)
                start.update(message)
                return None
            if start.get("pass"):
                return await send(message)
            body.append(message.get("body", b""))
            if message.get("more_body"):
                return None
            page = rewrite(b"".join(body))
            headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
            headers.append((b"content-length", str(len(page)).encode()))
            await send({**start, "headers": headers})
            return await send({"type": "http.response.body", "body": page})

        return await self.app(scope, receive, capture)
