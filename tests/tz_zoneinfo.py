#!/usr/bin/env python3
"""tz_zoneinfo.py TZ_DUMP - --tz's offsets are Python's zoneinfo's (TAP).

Every zone of the system's database, at instants from 1900 to 2200 (drawn
with a fixed seed, and the instants around each zone's changes in 2026):
tests/tz_dump (src/support/tz.c) must give the offset that Python's own
reader of the same TZif files gives. One test point per zone. Skipped when
Python has no zoneinfo or the system no time zone database.
"""
import random
import subprocess
import sys
from datetime import datetime, timezone

try:
    import zoneinfo
    zones = sorted(zoneinfo.available_timezones())
except Exception:  # Python < 3.9, or no tzdata
    zones = []
if not zones:
    print("1..0 # SKIP no zoneinfo or no time zone database")
    sys.exit(0)

random.seed(21)
asked, want = [], {}
for z in zones:
    info = zoneinfo.ZoneInfo(z)
    instants = [random.randint(-2208988800, 7258118400) for _ in range(40)]
    # each hour of 2026's last Sundays of March and October, and the hour either side
    for day in (1774742400, 1792886400, 1772928000, 1775347200):
        instants += [day + h * 1800 + s for h in range(-4, 52) for s in (-1, 0)]
    for t in instants:
        asked.append(f"{z} {t}")
        want[(z, t)] = int(datetime.fromtimestamp(t, timezone.utc).astimezone(info)
                           .utcoffset().total_seconds())
out = subprocess.run([sys.argv[1]], input="\n".join(asked) + "\n", capture_output=True,
                     text=True, check=True).stdout
got = {}
for line in out.splitlines():
    parts = line.split(" ", 2)
    got.setdefault(parts[0], []).append(parts)
failed = 0
for n, z in enumerate(zones, 1):
    bad = [p for p in got.get(z, []) if p[1] == "error" or int(p[2]) != want[(z, int(p[1]))]]
    if got.get(z) and not bad:
        print(f"ok {n} - {z}")
    else:
        failed += 1
        print(f"not ok {n} - {z}")
        for p in bad[:3]:
            print(f"#   {' '.join(p)}; zoneinfo: {want.get((z, int(p[1]))) if p[1] != 'error' else ''}")
print(f"1..{len(zones)}")
sys.exit(1 if failed else 0)
