// parse.mjs SCRIPT: checks each statement of an athena script (tests/sql.sh).
// The view and the reports are parsed by node-sql-parser's Trino grammar,
// which knows no ARRAY(T) type: CAST(x AS ARRAY(JSON)) and CAST(x AS
// ARRAY(ARRAY(VARCHAR))) (the inlined tables) are parsed as casts to JSON. No grammar of node-sql-parser parses Hive's CREATE EXTERNAL TABLE:
// its column list is parsed as a CREATE TABLE, and the clauses after it are
// checked for their form (SERDE, SERDEPROPERTIES, LOCATION, TBLPROPERTIES
// with 'key' = 'value' lists). Exit status 1 when any statement fails.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

const require = createRequire(import.meta.url);
const { Parser } = require('node-sql-parser');
const text = readFileSync(process.argv[2], 'utf8');

// statements end with ';' outside quotes and comments
const statements = [];
let cur = '', quote = null;
for (let i = 0; i < text.length; i++) {
	const c = text[i];
	if (!quote && c === '-' && text[i + 1] === '-') {
		const nl = text.indexOf('\n', i);
		i = nl < 0 ? text.length : nl;
		cur += '\n';
		continue;
	}
	if (quote) {
		if (c === quote && text[i + 1] === quote) { cur += c + c; i++; continue; }
		if (c === quote) quote = null;
	} else if (c === "'" || c === '"' || c === '`') {
		quote = c;
	} else if (c === ';') {
		if (cur.trim()) statements.push(cur.trim());
		cur = '';
		continue;
	}
	cur += c;
}
if (cur.trim()) statements.push(cur.trim());

const parser = new Parser();
const str = "'(?:[^']|'')*'";
const props = `\\(\\s*${str}\\s*=\\s*${str}(?:\\s*,\\s*${str}\\s*=\\s*${str})*\\s*\\)`;
const ddlTail = new RegExp(`^PARTITIONED BY \\(([^()]*)\\)\\s*ROW FORMAT SERDE ${str}\\s*` +
	`WITH SERDEPROPERTIES\\s*${props}\\s*LOCATION ${str}\\s*TBLPROPERTIES\\s*${props}$`, 's');

function checkDdl(s) {
	const m = /^CREATE EXTERNAL TABLE IF NOT EXISTS (\w+) \(([^()]*)\)\s*(.*)$/s.exec(s);
	if (!m) throw new Error('not CREATE EXTERNAL TABLE IF NOT EXISTS name (columns) ...');
	parser.astify(`CREATE TABLE ${m[1]} (${m[2]})`, { database: 'hive' });
	const t = ddlTail.exec(m[3]);
	if (!t) throw new Error('the clauses after the columns are not PARTITIONED BY, ROW FORMAT SERDE, ' +
		'WITH SERDEPROPERTIES, LOCATION, TBLPROPERTIES');
	parser.astify(`CREATE TABLE p (${t[1]})`, { database: 'hive' });
}

let failed = 0;
for (const [i, s] of statements.entries()) {
	const ddl = /^CREATE EXTERNAL TABLE/i.test(s);
	try {
		if (ddl)
			checkDdl(s);
		else
			parser.astify(s.replace(/ARRAY\((JSON|ARRAY\(VARCHAR\))\)/g, 'JSON'), { database: 'trino' });
		console.log(`statement ${i + 1}: ok`);
	} catch (e) {
		failed++;
		const line = e.location ? ` line ${e.location.start.line}` : '';
		console.log(`statement ${i + 1}${line}: ${e.message.slice(0, 300)}`);
	}
}
process.exit(failed ? 1 : 0);
