import { describe, expect, it } from 'vitest';
import {
  appGrantStatements,
  assertRoleName,
  type GrantCatalog,
  roleSetupStatements,
  tablePrivileges,
  takeOverStatements,
} from './roles';

const catalog: GrantCatalog = {
  schemas: ['drizzle', 'public'],
  tables: [
    { schema: 'public', name: 'patients', appendOnly: false },
    { schema: 'public', name: 'audit_events', appendOnly: true },
    { schema: 'public', name: 'audit_heads', appendOnly: false },
    { schema: 'public', name: 'entry_versions', appendOnly: false },
    { schema: 'public', name: 'lab_results', appendOnly: true },
    { schema: 'drizzle', name: '__drizzle_migrations', appendOnly: false },
  ],
  sequences: [{ schema: 'public', name: 'audit_events_id_seq' }],
  functions: [
    {
      schema: 'public',
      name: 'karte_append_audit',
      signature: 'karte_append_audit(uuid,timestamp with time zone,uuid,uuid,text,text,text,jsonb,text)',
    },
    { schema: 'public', name: 'karte_refuse_change', signature: 'karte_refuse_change()' },
  ],
};

describe('application role grants', () => {
  const statements = appGrantStatements('karte_app', catalog);
  const grantOn = (table: string) =>
    statements.filter((s) => s.startsWith('GRANT') && s.includes(`"${table}" TO`));

  it('start from nothing in every schema, then grant usage (never CREATE)', () => {
    for (const s of ['public', 'drizzle']) {
      expect(statements).toContain(`REVOKE ALL ON ALL TABLES IN SCHEMA "${s}" FROM "karte_app"`);
      expect(statements).toContain(`GRANT USAGE ON SCHEMA "${s}" TO "karte_app"`);
    }
    expect(statements.join('\n')).not.toMatch(/TRUNCATE|REFERENCES|TRIGGER|CREATE|OWNER|ALL PRIVILEGES/);
  });

  it('ordinary tables: read and write; append-only: read and insert; the audit trail: read only', () => {
    expect(grantOn('patients')).toEqual([
      'GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "public"."patients" TO "karte_app"',
    ]);
    expect(grantOn('lab_results')).toEqual([
      'GRANT SELECT, INSERT ON TABLE "public"."lab_results" TO "karte_app"',
    ]);
    expect(grantOn('audit_events')).toEqual(['GRANT SELECT ON TABLE "public"."audit_events" TO "karte_app"']);
    expect(grantOn('audit_heads')).toEqual(['GRANT SELECT ON TABLE "public"."audit_heads" TO "karte_app"']);
    expect(grantOn('__drizzle_migrations')).toEqual([
      'GRANT SELECT ON TABLE "drizzle"."__drizzle_migrations" TO "karte_app"',
    ]);
  });

  it('confirmed chart versions: only the approval columns may be updated, nothing deleted', () => {
    expect(tablePrivileges({ schema: 'public', name: 'entry_versions', appendOnly: false })).toBe(
      'SELECT, INSERT, UPDATE ("approved_by", "approved_at")',
    );
  });

  it('the audit append runs as its owner with a fixed search_path, callable by the application role only', () => {
    const sig = catalog.functions[0]?.signature;
    expect(statements).toContain(
      `ALTER FUNCTION ${sig} SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp`,
    );
    expect(statements).toContain(`REVOKE ALL ON FUNCTION ${sig} FROM PUBLIC`);
    expect(statements).toContain(`GRANT EXECUTE ON FUNCTION ${sig} TO "karte_app"`);
    expect(statements.filter((s) => s.includes('karte_refuse_change'))).toEqual([
      'GRANT EXECUTE ON FUNCTION karte_refuse_change() TO "karte_app"',
    ]);
  });

  it('revokes come before grants, so a re-run leaves exactly the same set', () => {
    const lastRevoke = statements.findLastIndex((s) => s.startsWith('REVOKE ALL ON ALL'));
    const firstGrant = statements.findIndex((s) => s.startsWith('GRANT'));
    expect(lastRevoke).toBeLessThan(firstGrant);
    expect(appGrantStatements('karte_app', catalog)).toEqual(statements);
  });
});

describe('role names and set-up', () => {
  it('accepts plain lowercase names only', () => {
    expect(assertRoleName('karte_app')).toBe('karte_app');
    for (const bad of ['Karte', 'a-b', '1abc', 'x"; drop role postgres; --', '', 'a'.repeat(64)])
      expect(() => assertRoleName(bad)).toThrow(/role name/);
  });

  it('creates two unprivileged login roles, idempotently, and keeps the application role out of the owner', () => {
    const s = roleSetupStatements({ ownerRole: 'karte_owner', appRole: 'karte_app', appPassword: "p'w" });
    expect(s).toHaveLength(3);
    expect(s[1]).toMatch(/IF NOT EXISTS \(SELECT FROM pg_roles WHERE rolname = 'karte_app'\)/);
    expect(s[1]).toMatch(
      /CREATE ROLE "karte_app" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE .* PASSWORD 'p''w'/,
    );
    expect(s[0]).not.toMatch(/PASSWORD/);
    expect(s[2]).toBe('REVOKE "karte_owner" FROM "karte_app"');
    expect(() => roleSetupStatements({ ownerRole: 'same', appRole: 'same' })).toThrow(/differ/);
  });

  it('hands a database over to the owner: the database, schemas, tables, functions and types', () => {
    const s = takeOverStatements('karte', 'karte_owner', 'karte_app');
    expect(s[0]).toBe('ALTER DATABASE "karte" OWNER TO "karte_owner"');
    expect(s).toContain('REVOKE CREATE ON SCHEMA public FROM PUBLIC');
    expect(s.at(-1)).toMatch(/ALTER %s %s OWNER TO karte_owner[\s\S]*ALTER FUNCTION[\s\S]*ALTER TYPE/);
    expect(() => takeOverStatements('karte', 'Bad Name', 'karte_app')).toThrow(/role name/);
  });
});
