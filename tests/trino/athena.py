#!/usr/bin/env python3
"""athena.py - run a `bedrock-ledger sql --dialect athena` script on Trino
(tests/trino.sh, bedrock-ledger(1), SQL).

    athena.py --server URL --schema S --script FILE --tree DIR --out DIR

The script's first statement, Athena's CREATE EXTERNAL TABLE (Hive DDL, which
Trino does not run), is rewritten as the same table in Trino's own syntax:
the same columns, the same SerDe (format OPENX_JSON) with the same SerDe
properties, the same location and the same partition projection. Its account
and region lists are edited as the script's EDIT comments ask: the account
and region folders of the tree at DIR (the LOCATION's local copy) are added
where missing, and each addition is said on stderr. Every other statement
(the view and the three reports) is sent as it is, byte for byte. Each
report's rows are written to DIR/<name>.csv (the name is the comment that
precedes its SELECT) in the binary's CSV: a cell is quoted only when it holds
a comma, a quote, CR or LF, and NULL is an empty cell.

`athena.py ddl --script FILE --tree DIR` prints the rewritten table only.

Only the Python standard library; the Trino client REST protocol over HTTP.
"""
import argparse
import concurrent.futures
import json
import os
import re
import sys
import urllib.request

# ---------------------------------------------------------------- statements


def statements(text):
    """The script's statements, each as (name, sql): name is the last
    `-- x.csv` comment line before it (or ''), sql has no trailing ';'.
    Quotes ('...', "...", `...`) and -- comments are skipped over, so a ';'
    inside them does not end a statement."""
    out = []
    start = 0
    name = ''
    i = 0
    n = len(text)
    while i < n:
        c = text[i]
        if c in "'\"`":
            j = i + 1
            while j < n:
                if text[j] == c:
                    if j + 1 < n and text[j + 1] == c:  # doubled: an escaped quote
                        j += 2
                        continue
                    break
                j += 1
            i = j + 1
        elif text.startswith('--', i):
            j = text.find('\n', i)
            j = n if j < 0 else j
            m = re.match(r'--\s*(\S+\.csv)\s*$', text[i:j])
            if m:
                name = m.group(1)
            i = j
        elif c == ';':
            out.append((name, text[start:i].strip()))
            name = ''
            start = i + 1
            i += 1
        else:
            i += 1
    if strip_comments(text[start:]).strip():
        raise SystemExit('athena.py: the script ends without a ;')
    return out


def strip_comments(sql):
    """sql without its -- comments (outside quotes)."""
    out = []
    i = 0
    n = len(sql)
    while i < n:
        c = sql[i]
        if c in "'\"`":
            j = i + 1
            while j < n and not (sql[j] == c and not (j + 1 < n and sql[j + 1] == c)):
                j += 2 if sql[j] == c else 1
            out.append(sql[i:j + 1])
            i = j + 1
        elif sql.startswith('--', i):
            j = sql.find('\n', i)
            i = n if j < 0 else j
        else:
            out.append(c)
            i += 1
    return ''.join(out)


# ------------------------------------------------------- the table, in Trino

LIT = r"'((?:[^']|'')*)'"


def unlit(s):
    return s.replace("''", "'")


def lit(s):
    return "'" + s.replace("'", "''") + "'"


def ident(s):
    return '"' + s.replace('"', '""') + '"'


def pairs(body):
    """'k' = 'v', ... as a dict in order; anything else is an error."""
    d = {}
    rest = re.sub(LIT + r"\s*=\s*" + LIT + r"\s*,?", lambda m: d.__setitem__(
        unlit(m.group(1)), unlit(m.group(2))) or '', body)
    if rest.strip():
        raise SystemExit(f'athena.py: cannot read the properties: {rest.strip()[:80]}')
    return d


def columns(body):
    """`name` type, ... as [(name, type)]."""
    cols = []
    for part in body.split(','):
        m = re.fullmatch(r'\s*`([^`]+)`\s+(\w+)\s*', part)
        if not m:
            raise SystemExit(f'athena.py: cannot read the column {part.strip()!r}')
        cols.append((m.group(1), m.group(2).lower()))
    return cols


# Hive SerDe class -> Trino's Hive storage format
SERDES = {
    'org.openx.data.jsonserde.JsonSerDe': 'OPENX_JSON',
    'org.apache.hive.hcatalog.data.JsonSerDe': 'JSON',
}
# Hive column type -> Trino type
TYPES = {'string': 'varchar', 'bigint': 'bigint', 'int': 'integer', 'boolean': 'boolean'}


def table_ddl(create, tree, log=sys.stderr):
    """Athena's CREATE EXTERNAL TABLE as Trino's CREATE TABLE; account and
    region folders of tree are added to the projection's enums."""
    sql = strip_comments(create)
    m = re.fullmatch(
        r'\s*CREATE EXTERNAL TABLE IF NOT EXISTS (\w+) \((.*?)\)\s*'
        r'PARTITIONED BY \((.*?)\)\s*'
        r'ROW FORMAT SERDE ' + LIT + r'\s*'
        r'WITH SERDEPROPERTIES \((.*?)\)\s*'
        r'LOCATION ' + LIT + r'\s*'
        r'TBLPROPERTIES \((.*)\)\s*', sql, re.S)
    if not m:
        raise SystemExit('athena.py: the first statement is not the CREATE EXTERNAL TABLE '
                         'this translation knows')
    name, cols, parts, serde, serdeprops, location, tblprops = m.groups()
    cols, parts = columns(cols), columns(parts)
    serde, location = unlit(serde), unlit(location)
    if serde not in SERDES:
        raise SystemExit(f'athena.py: no Trino format for the SerDe {serde}')
    serdeprops, tblprops = pairs(serdeprops), pairs(tblprops)

    # The EDIT the script asks for: every account and region folder of the tree.
    found = {'account': set(), 'log_region': set()}
    awslogs = os.path.join(tree, 'AWSLogs')
    for acct in sorted(os.listdir(awslogs)) if os.path.isdir(awslogs) else []:
        found['account'].add(acct)
        bm = os.path.join(awslogs, acct, 'BedrockModelInvocationLogs')
        if os.path.isdir(bm):
            found['log_region'].update(os.listdir(bm))
    for col, folders in found.items():
        key = f'projection.{col}.values'
        values = tblprops.get(key, '').split(',')
        added = sorted(folders - set(values))
        if added:
            print(f'EDIT: {key} += {",".join(added)}', file=log)
            tblprops[key] = ','.join(values + added)

    # projection.* -> Trino's table and column properties
    table_props = {}
    col_props = {c: {} for c, _ in parts}
    for k, v in tblprops.items():
        if k == 'projection.enabled':
            table_props['partition_projection_enabled'] = v.strip().lower()
        elif k == 'storage.location.template':
            table_props['partition_projection_location_template'] = lit(v)
        elif (pm := re.fullmatch(r'projection\.(\w+)\.(type|values|range|format|interval'
                                 r'|interval\.unit|digits)', k)) and pm.group(1) in col_props:
            col, prop = pm.groups()
            prop = prop.replace('.', '_')
            if prop in ('values', 'range'):
                val = 'ARRAY[' + ', '.join(lit(x) for x in v.split(',')) + ']'
            elif prop in ('interval', 'digits'):
                val = str(int(v))
            else:
                val = lit(v)
            col_props[col]['partition_projection_' + prop] = val
        else:
            raise SystemExit(f'athena.py: no Trino equivalent for TBLPROPERTIES {k!r}')

    def coldef(c, t, props=None):
        if t not in TYPES:
            raise SystemExit(f'athena.py: no Trino type for {t}')
        s = f'  {ident(c)} {TYPES[t]}'
        if props:
            s += ' WITH (' + ', '.join(f'{k} = {v}' for k, v in props.items()) + ')'
        return s

    defs = [coldef(c, t) for c, t in cols] + [coldef(c, t, col_props[c]) for c, t in parts]
    keys = 'ARRAY[' + ', '.join(lit(k) for k in serdeprops) + ']'
    vals = 'ARRAY[' + ', '.join(lit(v) for v in serdeprops.values()) + ']'
    with_ = [f"format = '{SERDES[serde]}'",
             f'external_location = {lit(location)}',
             'partitioned_by = ARRAY[' + ', '.join(lit(c) for c, _ in parts) + ']']
    with_ += [f'{k} = {v}' for k, v in table_props.items()]
    # The SerDe properties: Trino passes a table's parameters to the SerDe
    # along with its SerDe parameters, as Hive does.
    with_.append(f'extra_properties = MAP({keys}, {vals})')
    return (f'CREATE TABLE {name} (\n' + ',\n'.join(defs) + '\n)\nWITH (\n  '
            + ',\n  '.join(with_) + '\n)')


# --------------------------------------------------------------- the client


class Trino:
    def __init__(self, server, catalog, schema):
        self.server = server.rstrip('/')
        self.headers = {'X-Trino-User': 'bedrock-ledger', 'X-Trino-Source': 'tests/trino.sh',
                        'X-Trino-Catalog': catalog, 'X-Trino-Schema': schema}

    def _call(self, req):
        with urllib.request.urlopen(req, timeout=600) as r:
            return json.load(r)

    def query(self, sql, what='statement'):
        """Runs sql; returns (columns, rows). A failed query raises,
        with what in the message."""
        req = urllib.request.Request(self.server + '/v1/statement', data=sql.encode(),
                                     headers=self.headers, method='POST')
        res = self._call(req)
        cols, rows = None, []
        while True:
            if 'error' in res:
                e = res['error']
                raise RuntimeError(f"{what}: {e.get('errorName')}: {e.get('message')}")
            if res.get('columns') and cols is None:
                cols = res['columns']
            rows.extend(res.get('data') or [])
            if 'nextUri' not in res:
                return cols or [], rows
            res = self._call(urllib.request.Request(res['nextUri'], headers=self.headers))


# ----------------------------------------------------------------- the CSV

INTEGRAL = ('bigint', 'integer', 'smallint', 'tinyint')


def cell(value, typ):
    """A value of the Trino type typ as the binary writes it."""
    if value is None:
        s = ''
    elif typ in INTEGRAL and isinstance(value, int):
        s = str(value)
    elif typ.startswith('decimal') and isinstance(value, str):
        s = value
    elif typ.startswith('varchar') and isinstance(value, str):
        s = value
    else:
        raise SystemExit(f'athena.py: a report cell of type {typ}: {value!r}')
    if any(c in s for c in ',"\r\n'):
        s = '"' + s.replace('"', '""') + '"'
    return s


def write_csv(path, cols, rows):
    with open(path, 'w', encoding='utf-8', newline='') as f:
        f.write(','.join(cell(c['name'], 'varchar') for c in cols) + '\n')
        types = [c['type'] for c in cols]
        for row in rows:
            f.write(','.join(cell(v, t) for v, t in zip(row, types)) + '\n')


# ------------------------------------------------------------------- main


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('mode', nargs='?', default='run', choices=('run', 'ddl'))
    ap.add_argument('--server')
    ap.add_argument('--catalog', default='hive')
    ap.add_argument('--schema')
    ap.add_argument('--script', required=True)
    ap.add_argument('--tree', required=True)
    ap.add_argument('--out')
    a = ap.parse_args()
    with open(a.script, encoding='utf-8') as f:
        stmts = statements(f.read())
    if not stmts:
        raise SystemExit('athena.py: no statement in the script')
    ddl = table_ddl(stmts[0][1], a.tree)
    if a.mode == 'ddl':
        print(ddl + ';')
        return
    admin = Trino(a.server, a.catalog, 'default')
    t = Trino(a.server, a.catalog, a.schema)
    try:
        admin.query(f'CREATE SCHEMA {ident(a.schema)}', 'CREATE SCHEMA')
        t.query(ddl, 'the table')
        # the view first, then the reports: each stands alone, so they run
        # side by side (Trino plans each on one thread)
        reports = []
        for name, sql in stmts[1:]:
            if name:
                reports.append((name, sql))
            elif reports:
                raise SystemExit('athena.py: a statement that is not a report after the reports')
            else:
                t.query(sql, 'the view')
        with concurrent.futures.ThreadPoolExecutor(len(reports) or 1) as pool:
            results = list(pool.map(lambda r: t.query(r[1], r[0]), reports))
    except (RuntimeError, OSError) as e:  # a failed query; no server
        raise SystemExit(f'athena.py: {e}')
    for (name, _), (cols, rows) in zip(reports, results):
        write_csv(os.path.join(a.out, name), cols, rows)

if __name__ == '__main__':
    main()
