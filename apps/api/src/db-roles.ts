import { parseArgs } from 'node:util';
import { ident, roleSetupStatements, setUpRoles, takeOverStatements } from '@karte/db';

// npm run db:roles -- [--owner-role karte_owner] [--app-role karte_app] [--database karte] [--superuser-url URL]
// Without --superuser-url: prints the SQL (for psql as a superuser). With it: runs it, giving each role it creates
// a random password, and prints DATABASE_OWNER_URL and DATABASE_URL for Karte.
const { values } = parseArgs({
  options: {
    'owner-role': { type: 'string', default: 'karte_owner' },
    'app-role': { type: 'string', default: 'karte_app' },
    database: { type: 'string' },
    'superuser-url': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(
    'npm run db:roles -- [--owner-role karte_owner] [--app-role karte_app] [--database karte] [--superuser-url postgres://…]',
  );
  process.exit(0);
}
const ownerRole = values['owner-role'];
const appRole = values['app-role'];
const database = values.database;

const urlFor = (server: string, role: string, password: string | undefined, db: string) => {
  const u = new URL(server);
  u.username = role;
  u.password = password ?? '';
  u.pathname = `/${db}`;
  return u.toString();
};

try {
  if (!values['superuser-url']) {
    const lines = [
      '-- Karte database roles (least privilege). Run as a superuser, e.g. psql -v ON_ERROR_STOP=1 -f roles.sql',
      ...roleSetupStatements({ ownerRole, appRole }).map((s) => `${s};`),
      `-- Set the passwords: \\password ${ownerRole} and \\password ${appRole}`,
    ];
    if (database) {
      lines.push(
        `-- The database, owned by ${ownerRole} (skip CREATE DATABASE if it exists: the statements after it hand it over).`,
        `CREATE DATABASE ${ident(database)} OWNER ${ident(ownerRole)};`,
        `\\connect ${database}`,
        ...takeOverStatements(database, ownerRole, appRole).map((s) => `${s};`),
      );
    }
    lines.push(
      '-- Then start Karte with DATABASE_OWNER_URL (the owner: migrations and grants) and DATABASE_URL (the application role).',
    );
    console.log(lines.join('\n'));
    process.exit(0);
  }
  const server = values['superuser-url'];
  const passwords = await setUpRoles(server, { ownerRole, appRole, database });
  const db = database ?? new URL(server).pathname.slice(1);
  console.log(`Roles ready: ${ownerRole} (owner), ${appRole} (application).`);
  if (passwords.size > 0)
    console.log('New roles got random passwords (shown once, keep them in your secret store):');
  else
    console.log(
      'Both roles existed: their passwords were left as they are (set them with \\password in psql).',
    );
  console.log(`DATABASE_OWNER_URL=${urlFor(server, ownerRole, passwords.get(ownerRole), db)}`);
  console.log(`DATABASE_URL=${urlFor(server, appRole, passwords.get(appRole), db)}`);
} catch (error) {
  console.error(`db:roles failed: ${(error as Error).message}`);
  process.exit(1);
}
