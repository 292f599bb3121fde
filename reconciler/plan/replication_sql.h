#pragma once

#include <string>
#include <vector>

#include "model/object.h"

// The SQL of PgQ, pgq_node and Londiste functions that replication actions run
// (../shared/brief/londiste-sql.md, section 1), built from the model's objects.
namespace pgtwin::replication_sql {

// `SELECT * FROM <call>` wrapped so that a return code of 300 or above (the functions' way of
// failing) raises an error naming the call: a DO block.
std::string Checked(const std::string& call);

// Skytools' db_urlencode: [A-Za-z0-9_.-] kept, space as '+', every other byte as %xx in
// lower-case hex (what the londiste CLI writes, so a later `add-table` finds equal attrs).
std::string UrlEncode(const std::string& text);

// A londiste_table's table_attrs as Londiste stores them: `handler=name(args)` (the arguments
// urlencoded and joined by ','), then the other `table_attr.<key>` entries; "" when none.
std::string TableAttrs(const Object& table);

// The trigger arguments Londiste was given for the table (local_add_table's i_trg_args):
// the row trigger's arguments after the queue name, without the `deny` a leaf adds and the
// `ev_extra1` a destination table adds; {"no_triggers"} for a table without triggers.
std::vector<std::string> TriggerArgs(const Object& table);

// A text[] literal: ARRAY['a', 'b']::text[] ('{}' when empty).
std::string TextArray(const std::vector<std::string>& items);

// A string literal, or NULL for "".
std::string LiteralOrNull(const std::string& text);

}  // namespace pgtwin::replication_sql
