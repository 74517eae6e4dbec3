"""The cluster's nginx configuration: affinity, WebSocket upgrade, caching, security headers; valid for nginx -t."""

import shutil
import subprocess

import pytest

from deploy import nginx


def conf(tmp_path, ports=(8701, 8702, 8703)):
    return nginx.render(listen_port=8080, instance_ports=list(ports), health_port=8790, run_dir=tmp_path)


def test_every_instance_behind_a_cookie_hash_on_localhost(tmp_path):
    text = conf(tmp_path)
    assert "listen 127.0.0.1:8080;" in text
    for port in (8701, 8702, 8703):
        assert f"server 127.0.0.1:{port}" in text
    assert "hash $dvn_affinity consistent;" in text and "ip_hash" not in text
    assert f"map $cookie_{nginx.AFFINITY_COOKIE} $dvn_affinity" in text


def test_websocket_upgrade_and_static_boundaries_cached(tmp_path):
    text = conf(tmp_path)
    stream = text.split("location /_stcore/stream {", 1)[1].split("}", 1)[0]
    assert "proxy_set_header Upgrade $http_upgrade;" in stream and "proxy_buffering off;" in stream
    geo = text.split("location /app/static/geo/ {", 1)[1].split("}", 1)[0]
    assert "immutable" in geo and "proxy_hide_header Cache-Control;" in geo
    assert "gzip on;" in text


def test_security_headers_in_every_location_that_sets_headers(tmp_path):
    text = conf(tmp_path)
    blocks = [b for b in text.split("location ")[1:] if "add_header" in b.split("}", 1)[0]]
    assert blocks
    for block in blocks:  # nginx does not inherit add_header into a location with its own
        body = block.split("}", 1)[0]
        for name, _ in nginx.SECURITY_HEADERS:
            assert f"add_header {name} " in body, (name, block[:40])


def test_needs_an_instance(tmp_path):
    with pytest.raises(ValueError):
        conf(tmp_path, ports=())


@pytest.mark.skipif(not shutil.which("nginx"), reason="nginx nicht installiert")
def test_nginx_accepts_the_configuration(tmp_path):
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (tmp_path / "tmp" / sub).mkdir(parents=True)
    path = tmp_path / "nginx.conf"
    path.write_text(conf(tmp_path))
    done = subprocess.run(["nginx", "-t", "-p", str(tmp_path), "-c", str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
