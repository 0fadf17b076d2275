#!/usr/bin/env python3
"""The web page's costs (release build): the sample uploaded to its unit's link, upload to
findings (median of N, timed at the client on 127.0.0.1, so server time plus a local round
trip), against `yusuan check` of the same file (whole process, median of N); and the
department's page with 1,000 units (median of 11 loads). Standard library only.

    cargo build --release && python3 bench/serve.py [N]          (default 21)
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
YUSUAN = os.path.join(ROOT, "target/release/yusuan")
SAMPLE = os.path.join(ROOT, "samples/313603-四川省人力资源和社会保障信息中心-2023.xlsx")


def request(url, data=None, headers=None, method=None):
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    with urllib.request.urlopen(req) as r:
        return r.status, r.read()


def multipart(name, data):
    boundary = "bench-boundary-5c1e"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    return f"multipart/form-data; boundary={boundary}", head + data + f"\r\n--{boundary}--\r\n".encode()


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 21
    data = tempfile.mkdtemp()
    server = subprocess.Popen(
        [YUSUAN, "serve", "--data", data, "--listen", "127.0.0.1:0"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    base = admin = None
    for line in server.stdout:
        if "/admin?token=" in line:
            admin = line[line.index("http://"):].strip()
            base = admin.split("/admin")[0]
            break
    token = admin.rsplit("=", 1)[1]
    auth = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    try:
        unit = json.loads(request(f"{base}/api/units", json.dumps({"code": "313603", "name": "样例"}).encode(), auth)[1])
        sample = open(SAMPLE, "rb").read()
        ctype, body = multipart("预算.xlsx", sample)
        uploads = []
        for _ in range(n):
            start = time.perf_counter()
            status, _ = request(f"{unit['upload_url']}/api/uploads", body, {"Content-Type": ctype})
            uploads.append(time.perf_counter() - start)
            assert status == 200
        checks = []
        for _ in range(n):
            start = time.perf_counter()
            subprocess.run([YUSUAN, "check", SAMPLE], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            checks.append(time.perf_counter() - start)
        for i in range(999):
            request(f"{base}/api/units", json.dumps({"code": f"9{i:05}", "name": f"单位{i}"}).encode(), auth)
        # The page with its cookie, as a browser holds it after the admin link.
        cookie = {"Cookie": f"yusuan_admin={token}"}
        pages = []
        for _ in range(11):
            start = time.perf_counter()
            status, page = request(f"{base}/admin", headers=cookie)
            pages.append(time.perf_counter() - start)
            assert status == 200
        up, ck, pg = (statistics.median(x) * 1000 for x in (uploads, checks, pages))
        print(f"upload → findings (sample, median of {n}): {up:.1f} ms")
        print(f"yusuan check (sample, whole process, median of {n}): {ck:.1f} ms  → ratio {up / ck:.2f}")
        print(f"department page, 1,000 units (median of 11): {pg:.1f} ms, {len(page) // 1024} KiB")
    finally:
        server.kill()


if __name__ == "__main__":
    main()
