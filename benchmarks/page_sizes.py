"""Print what each page weighs: HTML and the CSS it needs, raw and gzip-compressed.

Run: .venv/bin/python benchmarks/page_sizes.py
"""

import gzip

from webapp import create_app

PAGES = ["/zh-hans/", "/zh-hant/", "/zh-hans/guides/58-finance-overdue", "/zh-hant/guides/58-finance-overdue"]


def main() -> None:
    client = create_app({"TESTING": True}).test_client()
    css = client.get("/static/css/site.css").data
    print(f"{'page':42} {'html':>8} {'html gz':>8} {'+css gz':>8}")
    for path in PAGES:
        html = client.get(path).data
        html_gz = len(gzip.compress(html, 9))
        print(f"{path:42} {len(html):>8} {html_gz:>8} {html_gz + len(gzip.compress(css, 9)):>8}")
    print(f"{'site.css':42} {len(css):>8} {len(gzip.compress(css, 9)):>8}")


if __name__ == "__main__":
    main()
