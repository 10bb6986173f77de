#!/usr/bin/env python3
"""The shipped Prometheus alert rules and Grafana dashboard (packaging/monitoring) only use
metrics natterd exports: starts a real natterd as one node of a cluster (a private redis-server,
so the Redis figures are there too), scrapes its /metrics and checks that every natterd_* name in
an alert expression or a dashboard query is a sample name there. Also checks the files' shape:
each rule has an alert name, an expression, a severity and a summary; each dashboard panel has a
title and queries. Then Prometheus's own promtool checks the rules' syntax and runs their unit
tests (natterd-alerts.test.yml: which alerts fire, with which text, for which series).

Usage: monitoring_check.py NATTERD_BINARY MONITORING_DIR
"""
import json
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

import yaml

NAME = re.compile(r"\bnatterd_[a-zA-Z0-9_]+")
SAMPLE = re.compile(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+\S+\s*$")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_line(process, marker, deadline):
    """The first stdout line of `process` containing `marker`, read until `deadline`."""
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            return None
        if marker in line:
            return line
    return None


def redis_answers(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def scrape(natterd, data_dir, redis_port):
    """The /metrics text of a natterd started on `data_dir` against Redis at `redis_port`."""
    process = subprocess.Popen(
        [natterd, "--listen", "127.0.0.1:0", "--data-dir", data_dir, "--verification", "fixed:123456",
         "--redis", f"redis://127.0.0.1:{redis_port}", "--node-id", "monitoring-check"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = wait_for_line(process, "listening on", time.monotonic() + 30)
        if not line:
            raise RuntimeError("natterd did not print its listening line")
        url = line.strip().split("listening on ", 1)[1] + "/metrics"
        deadline = time.monotonic() + 20
        while True:
            text = urllib.request.urlopen(url, timeout=10).read().decode()
            # The Redis connection comes up shortly after the start: wait for it, bounded.
            if re.search(r"^natterd_redis_up\{[^}]*\} 1$", text, re.M) or time.monotonic() > deadline:
                return text
            time.sleep(0.1)
    finally:
        process.terminate()
        process.wait(timeout=15)


def sample_names(text):
    names = set()
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        m = SAMPLE.match(line)
        if m:
            names.add(m.group(1))
    return names


def check_rules(path):
    """(problems, {metric name: where}) of the alert rules file."""
    problems, used = [], {}
    doc = yaml.safe_load(open(path))
    groups = doc.get("groups") if isinstance(doc, dict) else None
    if not groups:
        return [f"{path}: no 'groups'"], used
    for group in groups:
        for rule in group.get("rules") or []:
            alert = rule.get("alert")
            if not alert:
                problems.append(f"{path}: a rule of group {group.get('name')} has no 'alert'")
                continue
            expr = rule.get("expr")
            if not isinstance(expr, str) or not expr.strip():
                problems.append(f"{path}: {alert} has no expression")
                continue
            if (rule.get("labels") or {}).get("severity") not in ("critical", "warning"):
                problems.append(f"{path}: {alert} has no severity critical|warning")
            if not (rule.get("annotations") or {}).get("summary"):
                problems.append(f"{path}: {alert} has no summary")
            for name in NAME.findall(expr):
                used.setdefault(name, f"alert {alert}")
    return problems, used


def check_dashboard(path):
    problems, used = [], {}
    doc = json.load(open(path))
    panels = doc.get("panels") or []
    if not panels:
        return [f"{path}: no panels"], used
    ids = [p.get("id") for p in panels]
    if len(set(ids)) != len(ids):
        problems.append(f"{path}: panel ids repeat")
    for panel in panels:
        title = panel.get("title")
        targets = panel.get("targets") or []
        if not title or not targets:
            problems.append(f"{path}: panel {panel.get('id')} lacks a title or queries")
        for target in targets:
            for name in NAME.findall(target.get("expr", "")):
                used.setdefault(name, f"panel '{title}'")
    for variable in (doc.get("templating") or {}).get("list", []):
        for name in NAME.findall(json.dumps(variable.get("query", ""))):
            used.setdefault(name, f"variable {variable.get('name')}")
    return problems, used


def promtool(monitoring):
    """promtool's verdicts on the rules and their unit tests (a problem each)."""
    tool = shutil.which("promtool")
    if not tool:
        return ["promtool is missing (Debian's prometheus package, scripts/install-deps.sh)"]
    problems = []
    for args in (["check", "rules", "natterd-alerts.yml"], ["test", "rules", "natterd-alerts.test.yml"]):
        run = subprocess.run([tool, *args], cwd=monitoring, capture_output=True, text=True, timeout=60)
        if run.returncode != 0:
            problems.append(f"promtool {' '.join(args)}:\n{run.stdout}{run.stderr}")
    return problems


def main():
    natterd, monitoring = sys.argv[1], sys.argv[2]
    redis_server = shutil.which("redis-server")
    if not redis_server:
        print("SKIP: redis-server is missing")
        return 77
    problems, used = check_rules(f"{monitoring}/natterd-alerts.yml")
    problems += promtool(monitoring)
    more, panels = check_dashboard(f"{monitoring}/natterd-dashboard.json")
    problems += more
    for name, where in panels.items():
        used.setdefault(name, where)

    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        redis = subprocess.Popen([redis_server, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                  "--appendonly", "no", "--dir", tmp], stdout=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 15
            while not redis_answers(port):
                if time.monotonic() > deadline:
                    raise RuntimeError("redis-server did not answer")
                time.sleep(0.05)
            text = scrape(natterd, f"{tmp}/data", port)
        finally:
            redis.terminate()
            redis.wait(timeout=15)

    exported = sample_names(text)
    for name, where in sorted(used.items()):
        if name not in exported:
            problems.append(f"{where} uses {name}, which natterd's /metrics does not export")
    if not used:
        problems.append("no natterd_* metric is used at all")
    print(f"{len(used)} metric names used by the rules and the dashboard, {len(exported)} exported")
    for p in problems:
        print("FAIL:", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
