#!/usr/bin/env python3
"""The build targets a set of ctest suites needs (scripts/test-sanitized.sh builds only those).

Reads `ctest --show-only=json-v1` on stdin; prints one target a line: each suite's name without a
_postgres suffix and every program of BUILD_DIR that its command names, kept only if it is a target.
"""
import json
import os
import subprocess
import sys

build_dir = os.path.realpath(sys.argv[1])
listing = subprocess.run(["ninja", "-C", build_dir, "-t", "targets", "all"],
                         check=True, capture_output=True, text=True).stdout
known = {line.split(":", 1)[0] for line in listing.splitlines()}

wanted = set()
for test in json.load(sys.stdin)["tests"]:
    wanted.add(test["name"].removesuffix("_postgres"))
    for word in test.get("command") or []:
        path = word.split("=", 1)[1] if word.startswith("-D") and "=" in word else word
        if os.path.realpath(path).startswith(build_dir + os.sep):
            wanted.add(os.path.basename(path))
print("\n".join(sorted(wanted & known)))
