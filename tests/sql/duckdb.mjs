// duckdb.mjs SCRIPT: runs a SQL script in an in-memory DuckDB (tests/sql.sh).
// Prints the rows of the last statement, one line each, values joined by tabs.
import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';

const sql = readFileSync(process.argv[2], 'utf8');
const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
const con = await instance.connect();
const reader = await con.runAndReadAll(sql);
for (const row of reader.getRowsJson())
	console.log(row.map((v) => (v === null ? 'NULL' : String(v))).join('\t'));
