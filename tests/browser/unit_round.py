#!/usr/bin/env python3
"""A clerk's round in a real browser (headless Chromium through ChromeDriver, with selenium):
open the unit's link, upload the sample through the page's file input, wait for the findings,
download the official workbook; then the department's page through its link. Screenshots of
each step go to OUTDIR (unit-empty.png, unit-findings.png, unit-preview.png with the tables and
their marked cells, admin.png), the download to
OUTDIR/download/.

    python3 tests/browser/unit_round.py UNIT_URL ADMIN_URL SAMPLE OUTDIR

Run by tests/it/serve.rs, which starts the server and checks what this leaves behind.
Needs: Debian chromium and chromium-driver, and `pip install selenium`.
"""

import os
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ready
from selenium.webdriver.support.ui import WebDriverWait


def main():
    unit_url, admin_url, sample, outdir = sys.argv[1:5]
    download = os.path.join(outdir, "download")
    os.makedirs(download, exist_ok=True)
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000", "--lang=zh-CN"]:
        options.add_argument(arg)
    options.add_experimental_option(
        "prefs", {"download.default_directory": download, "download.prompt_for_download": False}
    )
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        wait = WebDriverWait(driver, 60)
        driver.get(unit_url)
        wait.until(ready.presence_of_element_located((By.CSS_SELECTOR, "input[type=file]")))
        driver.save_screenshot(os.path.join(outdir, "unit-empty.png"))
        driver.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(os.path.abspath(sample))
        driver.find_element(By.CSS_SELECTOR, "form button").click()
        wait.until(ready.presence_of_element_located((By.PARTIAL_LINK_TEXT, "下载官方公开表")))
        driver.save_screenshot(os.path.join(outdir, "unit-findings.png"))
        driver.find_element(By.CSS_SELECTOR, "details summary").click()
        marked = driver.find_elements(By.CSS_SELECTOR, "td.flag-warning, td.flag-error")
        print("marked cells:", len(marked))
        if not marked:
            raise SystemExit("no cell marked in the preview")
        driver.execute_script("arguments[0].scrollIntoView()", marked[0])
        driver.save_screenshot(os.path.join(outdir, "unit-preview.png"))
        print("findings:", len(driver.find_elements(By.CSS_SELECTOR, "table tr")) - 1)
        driver.find_element(By.PARTIAL_LINK_TEXT, "下载官方公开表").click()
        deadline = time.time() + 60
        while time.time() < deadline:
            done = [f for f in os.listdir(download) if f.endswith(".xlsx")]
            if done:
                print("downloaded:", done[0])
                break
            time.sleep(0.2)
        else:
            raise SystemExit("the workbook was not downloaded")
        driver.get(admin_url)
        wait.until(ready.presence_of_element_located((By.CSS_SELECTOR, "table")))
        driver.save_screenshot(os.path.join(outdir, "admin.png"))
    finally:
        driver.quit()


if __name__ == "__main__":
    main()
