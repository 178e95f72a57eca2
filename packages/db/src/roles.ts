/**
 * Least privilege on PostgreSQL (issue #14): migrations run as an owner role, the application connects as a
 * role that owns nothing. After every migration run the owner grants the application role exactly what Karte
 * needs, table by table (`appGrantStatements`), so that even with the immutability triggers gone the
 * application role could not change the records they protect. PGlite has one user only: none of this applies.
 */
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';

/** Schemas Karte's objects live in: its tables, drizzle's migration log, pg-boss's queue. */
export const KARTE_SCHEMAS = ['public', 'drizzle', 'pgboss'] as const;

/** Written only by karte_append_audit(_many) (SECURITY DEFINER, owned by the owner): the application only reads. */
export const AUDIT_TABLES = ['audit_events', 'audit_heads'] as const;

/** Functions that run with the owner's rights, so that the application needs no write access to what they write. */
export const DEFINER_FUNCTIONS = ['karte_append_audit', 'karte_append_audit_many'] as const;

/**
 * Tables guarded by a trigger of their own that still allows one change: the only columns the application may
 * UPDATE (the trigger checks the rest of the rule). entry_versions: the responsible doctor's approval (0005).
 */
export const COLUMN_UPDATES: Record<string, readonly string[]> = {
  entry_versions: ['approved_by', 'approved_at'],
};

export interface CatalogTable {
  schema: string;
  name: string;
  /** A karte_refuse_change trigger refuses UPDATE/DELETE of its rows (append-only / immutable). */
  appendOnly: boolean;
}

/** What the grants are built from: read from the database as the owner (readCatalog). */
export interface GrantCatalog {
  schemas: string[];
  tables: CatalogTable[];
  sequences: { schema: string; name: string }[];
  /** Functions in Karte's schemas: name and full signature (regprocedure text). */
  functions: { schema: string; name: string; signature: string }[];
}

const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Role names are written into SQL: lowercase letters, digits and underscores only. */
export function assertRoleName(role: string): string {
  if (!ROLE_NAME.test(role))
    throw new Error(
      `role name "${role}": use lowercase letters, digits and _ (at most 63, not starting with a digit)`,
    );
  return role;
}

export const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;
const qualified = (schema: string, name: string) => `${ident(schema)}.${ident(name)}`;

/** The privileges one table gets: an empty string for none beyond what REVOKE left. */
export function tablePrivileges(t: CatalogTable): string {
  if (t.schema === 'drizzle') return 'SELECT'; // the migration level, for /healthz
  if (t.schema === 'public' && (AUDIT_TABLES as readonly string[]).includes(t.name)) return 'SELECT';
  if (t.appendOnly) return 'SELECT, INSERT';
  const columns = t.schema === 'public' ? COLUMN_UPDATES[t.name] : undefined;
  if (columns) return `SELECT, INSERT, UPDATE (${columns.map(ident).join(', ')})`;
  return 'SELECT, INSERT, UPDATE, DELETE';
}

/**
 * The statements that set the application role's privileges from scratch: first everything revoked (so a
 * re-run after a migration leaves exactly this), then per table what it needs. Never TRUNCATE, REFERENCES,
 * TRIGGER, CREATE or ownership; never UPDATE/DELETE of an append-only table.
 */
export function appGrantStatements(appRole: string, catalog: GrantCatalog): string[] {
  const app = ident(assertRoleName(appRole));
  const out: string[] = [];
  for (const s of catalog.schemas) {
    out.push(`REVOKE ALL ON ALL TABLES IN SCHEMA ${ident(s)} FROM ${app}`);
    out.push(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA ${ident(s)} FROM ${app}`);
    out.push(`REVOKE ALL ON ALL FUNCTIONS IN SCHEMA ${ident(s)} FROM ${app}`);
    out.push(`REVOKE ALL ON SCHEMA ${ident(s)} FROM ${app}`);
  }
  for (const s of catalog.schemas) out.push(`GRANT USAGE ON SCHEMA ${ident(s)} TO ${app}`);
  for (const t of catalog.tables) {
    out.push(`GRANT ${tablePrivileges(t)} ON TABLE ${qualified(t.schema, t.name)} TO ${app}`);
  }
  for (const q of catalog.sequences) {
    out.push(`GRANT USAGE, SELECT ON SEQUENCE ${qualified(q.schema, q.name)} TO ${app}`);
  }
  for (const f of catalog.functions) {
    if (f.schema === 'public' && (DEFINER_FUNCTIONS as readonly string[]).includes(f.name)) {
      // Runs as its owner; a fixed search_path (pg_temp last) so that no object of the caller's can stand in.
      out.push(
        `ALTER FUNCTION ${f.signature} SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp`,
      );
      out.push(`REVOKE ALL ON FUNCTION ${f.signature} FROM PUBLIC`);
    }
    out.push(`GRANT EXECUTE ON FUNCTION ${f.signature} TO ${app}`);
  }
  return out;
}

/** Reads the tables, sequences and functions of Karte's schemas, and which tables are append-only. */
export async function readCatalog(sql: postgres.Sql): Promise<GrantCatalog> {
  const schemas = (
    await sql<{ nspname: string }[]>`
      select nspname from pg_namespace where nspname in ${sql([...KARTE_SCHEMAS])} order by nspname`
  ).map((r) => r.nspname);
  const relations = await sql<{ schema: string; name: string; relkind: string; append_only: boolean }[]>`
    select n.nspname as schema, c.relname as name, c.relkind,
      exists (
        select 1 from pg_trigger t join pg_proc p on p.oid = t.tgfoid
        where t.tgrelid = c.oid and not t.tgisinternal and p.proname = 'karte_refuse_change'
          and (t.tgtype & 24) <> 0 -- fires on DELETE (8) or UPDATE (16)
      ) as append_only
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname in ${sql(schemas.length ? schemas : ['public'])} and c.relkind in ('r', 'p', 'v', 'm', 'S')
    order by n.nspname, c.relname`;
  const functions = await sql<{ schema: string; name: string; signature: string }[]>`
    select n.nspname as schema, p.proname as name, p.oid::regprocedure::text as signature
    from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where n.nspname in ${sql(schemas.length ? schemas : ['public'])} and p.prokind = 'f'
      and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e')
    order by 1, 3`;
  return {
    schemas,
    tables: relations
      .filter((r) => r.relkind !== 'S')
      .map((r) => ({ schema: r.schema, name: r.name, appendOnly: r.append_only })),
    sequences: relations.filter((r) => r.relkind === 'S').map((r) => ({ schema: r.schema, name: r.name })),
    functions: [...functions],
  };
}

/** What stands between the connected role and least privilege (empty: in force). */
export async function privilegeProblems(sql: postgres.Sql, role?: string): Promise<string[]> {
  const [r] = await sql<
    {
      role: string;
      superuser: boolean;
      owned: number;
      create_db: boolean;
      create_public: boolean;
      bypass_rls: boolean;
    }[]
  >`
    with me as (select coalesce(${role ?? null}::text, current_user::text) as name)
    select me.name as role,
      coalesce((select rolsuper from pg_roles where rolname = me.name), false) as superuser,
      coalesce((select rolbypassrls from pg_roles where rolname = me.name), false) as bypass_rls,
      (select count(*)::int from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname in ${sql([...KARTE_SCHEMAS])} and c.relkind in ('r', 'p')
          and pg_has_role(me.name, c.relowner, 'USAGE')) as owned,
      has_database_privilege(me.name, current_database(), 'CREATE') as create_db,
      has_schema_privilege(me.name, 'public', 'CREATE') as create_public
    from me`;
  if (!r) return ['the role could not be read'];
  const problems: string[] = [];
  if (r.superuser) problems.push(`${r.role} is a superuser`);
  if (r.owned > 0) problems.push(`${r.role} owns (or acts as the owner of) ${r.owned} of Karte's tables`);
  if (r.create_db) problems.push(`${r.role} may create schemas in the database`);
  if (r.create_public) problems.push(`${r.role} may create objects in schema public`);
  return problems;
}

/**
 * Applies the application role's grants as the owner, in one transaction (a running application sees the old
 * or the new set, never none), then checks that the application role really is unprivileged.
 */
export async function applyAppGrants(owner: postgres.Sql, appRole: string): Promise<string[]> {
  assertRoleName(appRole);
  const statements = await owner.begin(async (tx) => {
    // PostgreSQL 14 and older let every role create in schema public; 15+ already does not.
    const [pub] = await tx<
      { can: boolean }[]
    >`select has_schema_privilege(${appRole}, 'public', 'CREATE') as can`;
    if (pub?.can) await tx.unsafe('REVOKE CREATE ON SCHEMA public FROM PUBLIC');
    const list = appGrantStatements(appRole, await readCatalog(tx as unknown as postgres.Sql));
    for (const s of list) await tx.unsafe(s);
    return list;
  });
  const problems = await privilegeProblems(owner, appRole);
  if (problems.length > 0)
    throw new Error(
      `least privilege is not in force for ${appRole}: ${problems.join('; ')} (see README, "Database roles")`,
    );
  return statements;
}

export interface RoleSetupOptions {
  appRole: string;
  ownerRole: string;
  /** A database to create owned by the owner role (or, if it exists, to hand over to it). */
  database?: string;
  appPassword?: string;
  ownerPassword?: string;
}

const literal = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** Creating the two roles (idempotent): run as a superuser or a role with CREATEROLE. */
export function roleSetupStatements(o: RoleSetupOptions): string[] {
  const owner = assertRoleName(o.ownerRole);
  const app = assertRoleName(o.appRole);
  if (owner === app) throw new Error('the owner role and the application role must differ');
  const create = (role: string, password: string | undefined) =>
    `DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = ${literal(role)}) THEN
    CREATE ROLE ${ident(role)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS${password ? ` PASSWORD ${literal(password)}` : ''};
  END IF;
END $$`;
  return [
    create(owner, o.ownerPassword),
    create(app, o.appPassword),
    // The application role must not act as the owner through membership.
    `REVOKE ${ident(owner)} FROM ${ident(app)}`,
  ];
}

/**
 * Handing an existing Karte database over to the owner role (one that ran with a plain DATABASE_URL, whose
 * tables belong to that URL's role): run connected to that database as a superuser.
 */
export function takeOverStatements(database: string, ownerRole: string, appRole: string): string[] {
  const owner = assertRoleName(ownerRole);
  const app = assertRoleName(appRole);
  const schemas = KARTE_SCHEMAS.map(literal).join(', ');
  return [
    `ALTER DATABASE ${ident(database)} OWNER TO ${ident(owner)}`,
    `REVOKE CREATE ON SCHEMA public FROM PUBLIC`,
    `REVOKE CREATE, TEMPORARY ON DATABASE ${ident(database)} FROM PUBLIC`,
    `GRANT CONNECT, TEMPORARY ON DATABASE ${ident(database)} TO ${ident(app)}`,
    `DO $$ DECLARE r record; BEGIN
  FOR r IN
    SELECT format('ALTER SCHEMA %I OWNER TO ${owner}', nspname) AS cmd FROM pg_namespace
      WHERE nspname IN (${schemas}) AND nspname <> 'public'
    UNION ALL
    SELECT format('ALTER %s %s OWNER TO ${owner}',
        CASE c.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END,
        c.oid::regclass)
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname IN (${schemas}) AND c.relkind IN ('r', 'p', 'S', 'v', 'm')
        AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i', 'e'))
    UNION ALL
    SELECT format('ALTER FUNCTION %s OWNER TO ${owner}', p.oid::regprocedure)
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname IN (${schemas}) AND p.prokind = 'f'
        AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
    UNION ALL
    SELECT format('ALTER TYPE %s OWNER TO ${owner}', t.oid::regtype)
      FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname IN (${schemas}) AND t.typtype IN ('e', 'd', 'c') AND t.typrelid = 0
  LOOP
    EXECUTE r.cmd;
  END LOOP;
END $$`,
  ];
}

/**
 * Runs the role set-up with a superuser URL: the two roles (a random password for each one it creates), and
 * with `database` that database, created owned by the owner or handed over to it. Returns the new passwords.
 */
export async function setUpRoles(
  superuserUrl: string,
  o: { ownerRole: string; appRole: string; database?: string },
): Promise<Map<string, string>> {
  const admin = postgres(superuserUrl, { max: 1, onnotice: () => {} });
  const passwords = new Map<string, string>();
  try {
    for (const role of [o.ownerRole, o.appRole]) {
      const [found] = await admin`select 1 from pg_roles where rolname = ${role}`;
      if (!found) passwords.set(role, randomBytes(18).toString('base64url'));
    }
    for (const s of roleSetupStatements({
      ...o,
      ownerPassword: passwords.get(o.ownerRole),
      appPassword: passwords.get(o.appRole),
    }))
      await admin.unsafe(s);
    if (o.database) {
      const [exists] = await admin`select 1 from pg_database where datname = ${o.database}`;
      if (!exists) await admin.unsafe(`CREATE DATABASE ${ident(o.database)} OWNER ${ident(o.ownerRole)}`);
      const there = new URL(superuserUrl);
      there.pathname = `/${o.database}`;
      const inDb = postgres(there.toString(), { max: 1, onnotice: () => {} });
      try {
        for (const s of takeOverStatements(o.database, o.ownerRole, o.appRole)) await inDb.unsafe(s);
      } finally {
        await inDb.end();
      }
    }
  } finally {
    await admin.end();
  }
  return passwords;
}
