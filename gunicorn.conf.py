"""gunicorn settings for `make run` and containers, read from webapp/settings.py like the app's own.

The serving model (README, "Serving under load"): one worker process by default, running gunicorn's asyncio
worker. Its event loop does all socket I/O, so a client trickling its request, or reading the answer slowly,
holds no thread; webapp.serving reads each request whole and answers it in one of SERVER_THREADS threads; PDFs
render in the worker's pool of render processes (webapp/pdf_pool.py), started as the worker starts serving.

A malformed value stops start-up naming the variable. Nothing about a request body, a query string or a cookie is
ever logged: the access log has method, path, status, size and time, with control characters escaped; the error
log has gunicorn's own messages.
"""

import os

from webapp.settings import load

settings = load()

wsgi_app = "webapp.wsgi:create_server()"
bind = f"{settings.HOST}:{settings.PORT}"
workers = settings.WEB_CONCURRENCY
worker_class = "asgi"
asgi_lifespan = "on"  # the app starts its render pool at lifespan start-up, in the worker
asgi_loop = "asyncio"
# Guides, rules, fonts and the precache are loaded once in the master and shared by the forked workers.
preload_app = True
max_requests = settings.GUNICORN_MAX_REQUESTS
max_requests_jitter = settings.GUNICORN_MAX_REQUESTS_JITTER
# The event loop reports to the master every second whatever the threads do; this only catches a stuck loop.
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
# gunicorn itself trusts no forwarded header from anyone: no SCRIPT_NAME or PATH_INFO from a header, no scheme
# from X-Forwarded-Proto. The app (webapp/security.py) trusts X-Forwarded-For and -Proto from TRUSTED_PROXIES
# proxies at FORWARDED_ALLOW_IPS, and nothing by default.
forwarded_allow_ips = ""
forwarder_headers = ""
secure_scheme_headers: dict[str, str] = {}
accesslog = "-"
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
logger_class = "webapp.wsgi.AccessLog"
errorlog = "-"
loglevel = settings.LOG_LEVEL
