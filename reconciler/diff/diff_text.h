#pragma once

#include <ostream>
#include <string_view>

#include "model/diff.h"

namespace pgtwin {

// Writes a diff for people (format in docs/cli.md): a header naming both sides, the tree of
// differences (`+` only in source, `-` only in target, `~` changed with one
// `attr: 'source' != 'target'` line per attribute) grouped under their database/schema/table
// path, then one summary line per kind that differs and a total line; "No differences." when
// there are none; an "ignored: N" line when rules skipped objects. With `color`, markers and
// their lines are coloured with ANSI escapes. Values are single-quoted with `\`, `'` and
// control characters escaped (`\\`, `\'`, `\n`, `\t`, `\r`, `\xHH`); an absent one is `(none)`.
void WriteDiffText(const DiffResult& result, std::string_view source_name,
                   std::string_view target_name, bool color, std::ostream& out);

}  // namespace pgtwin
