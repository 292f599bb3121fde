#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/object.h"

namespace pgtwin {

// A schema-qualified name an object's SQL mentions: (schema, name), unquoted.
using QualifiedRef = std::pair<std::string, std::string>;

// Every `a.b` pair of identifiers in `text` (quoted identifiers unquoted; inside string
// literals too, so nextval('s.seq'::regclass) names s.seq). Definitions are read with an
// empty search_path, so the objects they use appear qualified. `a.b.c` yields (a, b) and
// (b, c). May hold pairs that name nothing; callers look them up.
std::vector<QualifiedRef> MentionedNames(std::string_view text);

// True when `name` appears in `text` as an identifier (quoted or not, not as part of a
// longer one): a column an index or constraint definition uses.
bool MentionsIdentifier(std::string_view text, std::string_view name);

// The identifiers of the first parenthesized list after the first `marker` in `text`
// (unquoted): the columns of "PRIMARY KEY (a, b)" after "KEY", of an index definition after
// " USING ", of a foreign key's referenced columns after "REFERENCES ". Empty when there is no
// such list or an element is not a plain identifier (an expression).
std::vector<std::string> ColumnListAfter(std::string_view text, std::string_view marker);

// The table a foreign key definition ("FOREIGN KEY (a) REFERENCES s.t(b) ...") references.
std::optional<QualifiedRef> ForeignKeyTable(std::string_view definition);

// The text of the attributes through which an object can use other schema objects (types,
// tables, functions, sequences, views), by kind: column types and defaults, definitions,
// routine signatures; SQL-standard routine bodies too (other bodies are not checked at
// creation). A table's text includes its columns' and, when `with_children`, its
// constraints', indexes' and triggers' definitions.
std::string ReferenceText(const Object& object, bool with_children);

// True for a SQL function whose body is SQL-standard (BEGIN ATOMIC / RETURN): PostgreSQL
// checks its references at creation.
bool HasSqlStandardBody(const Object& routine);

// The roles an object's SQL names: its owner and the grantees and grantors of its ACLs
// (a table's columns' too), unquoted, without PUBLIC. May repeat.
std::vector<std::string> MentionedRoles(const Object& object);

}  // namespace pgtwin
