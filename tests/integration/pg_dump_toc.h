#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

namespace pgtwin::testing {

// What `pg_dump --schema-only` (plain format, PostgreSQL 15) says one database holds, translated
// into pgtwin's vocabulary (docs/model.md): kind words and qualified names as in object keys.
struct PgDumpObjects {
  // Kind word ("schema", "table", "column", "function", ...) -> qualified names
  // ("billing.invoices", "billing.invoices.amount", "billing.f(a integer)").
  std::map<std::string, std::set<std::string>> names;
  // Keys ("table:billing.invoices") of the objects that carry a COMMENT, an ACL entry, a column
  // default, a NOT NULL column. A comment or ACL on a part that docs/model.md models as an
  // attribute of its owner is written "KEY ATTRIBUTE": "view:s.v column_comment.c",
  // "view:s.v column_acl.c", "type:s.pair attribute_comment.a",
  // "type:s.domain constraint_comment.c".
  std::set<std::string> commented;
  std::set<std::string> with_acl;
  std::set<std::string> with_default;
  std::set<std::string> not_null;
  // Key -> owner, from the TOC "Owner:" field of every object that has an owner.
  std::map<std::string, std::string> owners;
  // "type:s.domain" -> names of its CHECK constraints.
  std::map<std::string, std::set<std::string>> domain_constraints;
  // TOC entries of a kind pgtwin does not model, as "TYPE: name" (e.g. "POLICY: t p").
  std::vector<std::string> unmodeled;
};

// Parses the plain-text output of PostgreSQL 15's `pg_dump --schema-only` from the TOC comment
// lines ("-- Name: x; Type: TABLE; Schema: s; Owner: o") and the statements under them.
//
// The translation follows docs/model.md: domains are types; identity sequences belong to their
// column (not sequences); indexes and constraints a partition inherits from its parent (those
// pg_dump attaches with ALTER INDEX ... ATTACH PARTITION) are the parent's and left out; the
// columns of an INHERITS child include its parents' columns; function keys carry the identity
// arguments of the ALTER ... OWNER TO statement (with argument names: the caller maps them to
// pgtwin's keys, which have argument types only). The `public` schema and the `plpgsql`
// extension, which pg_dump never creates because every new database has them, are counted as
// present.
PgDumpObjects ParsePgDumpSchema(const std::string& sql);

}  // namespace pgtwin::testing
