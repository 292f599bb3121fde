#pragma once

// Shared by the DDL generators of each kind family (ddl_*.cc); not a public contract.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "model/diff.h"
#include "model/object.h"
#include "reconciler/plan/ddl.h"

namespace pgtwin::ddl {

using Sql = std::vector<std::string>;

// How the statements of one object name it.
struct Names {
  std::string alter;    // after ALTER and COMMENT ON: "TABLE fid.parent", "DOMAIN fid.d"
  std::string grant;    // after GRANT ... ON: "TABLE fid.parent", "FUNCTION fid.f(integer)"
  char acl_kind = 'r';  // acldefault's code
};

// True when `changes` holds the attribute `name`.
bool Changed(const std::vector<AttributeChange>& changes, std::string_view name);

// True when `changes` holds an attribute whose name starts with `prefix`.
bool ChangedPrefix(const std::vector<AttributeChange>& changes, std::string_view prefix);

// COMMENT ON <what> IS '<text>'; IS NULL when `text` is empty.
std::string CommentSql(std::string_view what, std::string_view text);

// The attributes named `prefix` + part, by part ("column_comment.a" -> "a").
std::map<std::string, std::string> PartAttrs(const Object& object, std::string_view prefix);

// Owner, ACL and comment of a new object, in that order (grants are made as the owner).
void AppendOwnerAclComment(const Object& object, const Names& names, Sql& out);

// The statements for changes of owner, acl and comment. `revoked` (optional) receives the
// grantees whose privileges on the object were revoked (their column privileges went too).
void AppendOwnerAclCommentChanges(const Object& desired, const Object& observed,
                                  const std::vector<AttributeChange>& changes, const Names& names,
                                  Sql& out, std::vector<std::string>* revoked = nullptr);

// Comments and privileges of parts (view columns, type attributes): for each part in
// `desired` or `observed` whose `comment_prefix` / `acl_prefix` attribute differs (all of
// `desired`'s when `observed` is null), COMMENT ON COLUMN <relation>.<part> and column
// GRANT/REVOKE on `grant_relation` ("" = no ACLs). Column grants of the `regrant` grantees
// are made again even when unchanged.
void AppendPartChanges(const Object& desired, const Object* observed,
                       std::string_view comment_prefix, std::string_view acl_prefix,
                       const std::string& relation, const std::string& grant_relation,
                       const std::vector<std::string>& regrant, Sql& out);

// `key=value` reloptions ("a=1, b=x") as a WITH/SET list: "(a=1, b=x)", values that are not
// plain words quoted as literals.
std::string OptionList(std::string_view options);

// ALTER <what> SET (...) / RESET (...) turning `observed` options into `desired`.
void AppendOptionChanges(const std::string& what, std::string_view desired,
                         std::string_view observed, Sql& out);

// The table `dotted` ("schema.name") in the database tree, or nullptr.
const Object* FindTable(const Object* database, std::string_view dotted);

// Splits a `schema.name(...)`-style key of a routine into its quoted SQL name and its
// argument list: "f(integer, text)" -> "s.f(integer, text)".
std::string RoutineSignature(const std::string& schema, const std::string& key);

// --- one family per file -----------------------------------------------------------------

Sql CreateExtension(const Object& o);
Sql AlterExtension(const Object& d, const Object& o, const std::vector<AttributeChange>& c);
Sql CreateSchema(const Object& o);
Sql AlterSchema(const Object& d, const Object& o, const std::vector<AttributeChange>& c);
Sql CreateSequence(const Object& o, const DdlContext& ctx);
Sql AlterSequence(const Object& d, const Object& o, const std::vector<AttributeChange>& c,
                  const DdlContext& ctx);
Sql SequenceOwnedBy(const Object& o, const DdlContext& ctx);

Sql CreateType(const Object& o, const DdlContext& ctx);
AlterSqlResult AlterType(const Object& d, const Object& o, const std::vector<AttributeChange>& c,
                         const DdlContext& ctx);

Sql CreateTable(const Object& o, const DdlContext& ctx);
AlterSqlResult AlterTable(const Object& d, const Object& o, const std::vector<AttributeChange>& c,
                          const DdlContext& ctx);
Sql CreateColumn(const Object& o, const DdlContext& ctx);
Sql DropColumn(const Object& o, const DdlContext& ctx);
AlterSqlResult AlterColumn(const Object& d, const Object& o, const std::vector<AttributeChange>& c,
                           const DdlContext& ctx);

Sql CreateConstraint(const Object& o, const DdlContext& ctx);
AlterSqlResult AlterConstraint(const Object& d, const Object& o,
                               const std::vector<AttributeChange>& c, const DdlContext& ctx);
Sql CreateIndex(const Object& o, const DdlContext& ctx);
AlterSqlResult AlterIndex(const Object& d, const Object& o, const std::vector<AttributeChange>& c,
                          const DdlContext& ctx);
Sql CreateTrigger(const Object& o, const DdlContext& ctx);
AlterSqlResult AlterTrigger(const Object& d, const Object& o, const std::vector<AttributeChange>& c,
                            const DdlContext& ctx);

Sql CreateView(const Object& o, const DdlContext& ctx);
AlterSqlResult AlterView(const Object& d, const Object& o, const std::vector<AttributeChange>& c,
                         const DdlContext& ctx);

Sql CreateRoutine(const Object& o, const DdlContext& ctx);
AlterSqlResult AlterRoutine(const Object& d, const Object& o, const std::vector<AttributeChange>& c,
                            const DdlContext& ctx);

// How ALTER/COMMENT/GRANT/DROP name an object of a kind with its own names.
Names NamesOf(const Object& o, const DdlContext& ctx);

}  // namespace pgtwin::ddl
