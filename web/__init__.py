"""The web cockpit (驾驶舱): a read-only overview of an area's figures for chiefs and the
community, served by Linli itself (aiohttp + Jinja2, charts drawn as SVG on the server).
See docs/cockpit.md."""

from linli.web.app import create_web_app, start_web

__all__ = ["create_web_app", "start_web"]
