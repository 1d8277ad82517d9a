"""gunicorn settings for `make run` and containers, read from webapp/settings.py like the app's own.

A malformed value stops start-up naming the variable. Nothing about a request body, a query string or a cookie is
ever logged: the access log has method, path, status, size and time; the error log has gunicorn's own messages.
"""

import os

from webapp.settings import load

settings = load()

bind = f"{settings.HOST}:{settings.PORT}"
# PDF rendering is CPU-bound: about one worker per core, plus one to cover a worker being recycled.
workers = settings.WEB_CONCURRENCY
worker_class = "sync"
# Guides, rules, fonts and the precache are loaded once in the master and shared by the forked workers.
preload_app = True
# Recycle workers now and then, with jitter so they never restart together: caps any slow growth in memory.
max_requests = settings.GUNICORN_MAX_REQUESTS
max_requests_jitter = settings.GUNICORN_MAX_REQUESTS_JITTER
# A PDF render is limited to PDF_TIME_LIMIT inside the app; the worker timeout is the last resort.
timeout = settings.GUNICORN_TIMEOUT
graceful_timeout = settings.GUNICORN_GRACEFUL_TIMEOUT
keepalive = 5
# Heartbeat files in memory, not on a disk that may be slow or read-only in a container.
worker_tmp_dir = settings.GUNICORN_WORKER_TMP_DIR or ("/dev/shm" if os.path.isdir("/dev/shm") else None)
# No control socket: nothing here uses gunicornc, and its default place (~/.gunicorn) is not writable in a container.
control_socket_disable = True
limit_request_line = 4094
limit_request_fields = 60
limit_request_field_size = 8190
# Proxies whose X-Forwarded-* headers gunicorn may pass on (the app trusts TRUSTED_PROXIES hops of them).
forwarded_allow_ips = settings.FORWARDED_ALLOW_IPS
accesslog = "-"
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
loglevel = settings.LOG_LEVEL
