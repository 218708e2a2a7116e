"""Regenerate docs/explorer-map.png and docs/explorer-evidence.png: build the
sample corpus (for the map) and a short plan written here in traditional
script (for the evidence page: no corpus text goes into the repository), serve
the explorer on 127.0.0.1 and photograph two pages in headless Chromium
(Debian's, ``$PLANKG_CHROMIUM`` overrides) with every other request refused.
A CJK font must be installed (Debian: fonts-wqy-microhei).

    .venv/bin/python docs/make_screenshots.py
"""
from __future__ import annotations

import os
import shutil
import socket
import tempfile
import threading
import time
from pathlib import Path

import uvicorn
from playwright.sync_api import sync_playwright

import plankg
from plankg.explorer import app

DOCS = Path(__file__).resolve().parent
# A made-up plan in traditional characters, written for this picture.
DEMO_PLAN = """湖南省人民政府關於印發《示範區協同發展規劃》的通知
湘政發〔2022〕9號

各市州人民政府，省直有關單位：
現將《示範區協同發展規劃》印發給你們，請認真組織實施。

湖南省人民政府
2022年5月6日

示範區協同發展規劃

一、總體要求
規劃期為2022—2026年。
構建以長沙、株洲、湘潭為節點的示範發展軸，帶動周邊城鎮共同發展。
二、重點任務
（一）推進示範區城際道路互聯互通，打通斷頭路。（省交通運輸廳牽頭負責，省發展改革委配合）
（二）建設示範區公共服務共享平台。（省發展改革委牽頭負責）
"""


def serve(out: Path):
    """Start uvicorn on a free port in a thread; return (server, thread, base URL)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app(out, sources=[]), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    return server, thread, f"http://127.0.0.1:{port}"


def main() -> None:
    """Build, serve, photograph, stop."""
    work = Path(tempfile.mkdtemp(prefix="plankg-shots-"))
    out, demo = work / "out", work / "demo"
    plankg.build(out=out)
    (work / "in").mkdir()
    (work / "in" / "demo.txt").write_text(DEMO_PLAN, encoding="utf-8")
    plankg.build([work / "in"], out=demo)
    servers = [serve(out), serve(demo)]
    base, demo_base = servers[0][2], servers[1][2]
    chromium = os.environ.get("PLANKG_CHROMIUM") or shutil.which("chromium")
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=["--headless", "--no-sandbox"])
            context = browser.new_context(viewport={"width": 1100, "height": 720})
            local = (base + "/", demo_base + "/")
            context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(local) else r.abort())
            page = context.new_page()
            page.goto(base + "/map")
            page.wait_for_function("window.plankgMap && window.plankgMap.count()[0] > 0")
            page.screenshot(path=str(DOCS / "explorer-map.png"))
            page.goto(demo_base + "/kind/Task")
            page.locator("main li a").first.click()
            page.locator("dt:has-text('pkg:leadAgency') ~ dd a:has-text('证据')").first.click()
            page.wait_for_selector("div.passage mark")
            page.screenshot(path=str(DOCS / "explorer-evidence.png"), full_page=True)
            browser.close()
    finally:
        for server, thread, _ in servers:
            server.should_exit = True
            thread.join(10)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
