// Prints the table specs the current ledger catalogue implies, as JSON: paste it into a NEW dated
// migration when a ledger gains a table or column (shipped migrations are never edited).
import { LEDGERS } from '../src/domain/ledgers/catalogue.ts';
import { ledgerTableSpec } from '../src/domain/ledgers/columns.ts';

console.log(JSON.stringify(LEDGERS.map(ledgerTableSpec)));
