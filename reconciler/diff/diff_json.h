#pragma once

#include <ostream>
#include <string_view>

#include "model/diff.h"

namespace pgtwin {

// Writes a diff as JSON (format version 1, documented in docs/cli.md and kept stable):
// {"version":1,"source":…,"target":…,
//  "summary":{"<kind>":{"source_only":N,"target_only":N,"changed":N},…,"ignored":N},
//  "differences":[{"change":"source_only|target_only|changed","kind":…,"database":…,
//                  "key":"kind:qualified_name","attrs":[{"name":…,"source":…,"target":…}]}]}
// "summary" lists the kinds that differ, in kind order (a kind not listed has no differences);
// "database" is omitted for the cluster, roles and databases; an absent attribute value is null;
// "attrs" is empty for one-sided objects. Invalid UTF-8 in values is replaced by U+FFFD. Ends with
// a newline.
void WriteDiffJson(const DiffResult& result, std::string_view source_name,
                   std::string_view target_name, std::ostream& out);

}  // namespace pgtwin
