"""gunicorn settings for `make run` and containers; each can be overridden from the environment.

Nothing about a request body, a query string or a cookie is ever logged: the access log has method, path,
status, size and time; the error log has gunicorn's own messages.
"""

import multiprocessing
import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
# PDF rendering is CPU-bound: about one worker per core, plus one to cover a worker being recycled.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() + 1))
worker_class = "sync"
# Guides, rules, fonts and the precache are loaded once in the master and shared by the forked workers.
preload_app = True
# Recycle workers now and then, with jitter so they never restart together: caps any slow growth in memory.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 2000))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", 200))
# A PDF render is limited to PDF_TIME_LIMIT (20 s) inside the app; the worker timeout is the last resort.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", 25))
keepalive = 5
# Heartbeat files in memory, not on a disk that may be slow or read-only in a container.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
limit_request_line = 4094
limit_request_fields = 60
limit_request_field_size = 8190
# Proxies whose X-Forwarded-* headers gunicorn may pass on (the app trusts TRUSTED_PROXIES hops of them).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info")
